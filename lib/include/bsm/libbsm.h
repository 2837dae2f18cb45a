/* SPDX-License-Identifier: LGPL-2.1 OR MIT */
/*
 * libmach: <bsm/libbsm.h>, the part Mach servers use: reading the audit
 * token of a message trailer (MACH_RCV_TRAILER_AUDIT).  The kernel fills
 * the token's eight words in Darwin's order from the sender's credentials
 * at send time: auid, euid, egid, ruid, rgid, pid, asid, pidversion
 * (<linux/mach.h>, MACH_AUDIT_*).
 */
#ifndef _LIBBSM_H_
#define _LIBBSM_H_

#include <sys/types.h>
#include <stdint.h>
#include <mach/message.h>

typedef uid_t	au_id_t;
typedef pid_t	au_asid_t;

/*
 * Darwin's au_tid_t.  audit_token_to_au32 puts word 7 in port, as Darwin's
 * libbsm does; machine (Darwin: the local host's address) is 0 here.
 */
typedef struct au_tid {
	dev_t		port;
	uint32_t	machine;
} au_tid_t;

static inline uid_t audit_token_to_auid(audit_token_t atoken)
{
	return (uid_t)atoken.val[MACH_AUDIT_AUID];
}

static inline uid_t audit_token_to_euid(audit_token_t atoken)
{
	return (uid_t)atoken.val[MACH_AUDIT_EUID];
}

static inline gid_t audit_token_to_egid(audit_token_t atoken)
{
	return (gid_t)atoken.val[MACH_AUDIT_EGID];
}

static inline uid_t audit_token_to_ruid(audit_token_t atoken)
{
	return (uid_t)atoken.val[MACH_AUDIT_RUID];
}

static inline gid_t audit_token_to_rgid(audit_token_t atoken)
{
	return (gid_t)atoken.val[MACH_AUDIT_RGID];
}

static inline pid_t audit_token_to_pid(audit_token_t atoken)
{
	return (pid_t)atoken.val[MACH_AUDIT_PID];
}

static inline au_asid_t audit_token_to_asid(audit_token_t atoken)
{
	return (au_asid_t)atoken.val[MACH_AUDIT_ASID];
}

static inline int audit_token_to_pidversion(audit_token_t atoken)
{
	return (int)atoken.val[MACH_AUDIT_PIDVERSION];
}

/* Every field at once; a NULL pointer skips its field. */
static inline void audit_token_to_au32(audit_token_t atoken, uid_t *auidp, uid_t *euidp,
				       gid_t *egidp, uid_t *ruidp, gid_t *rgidp,
				       pid_t *pidp, au_asid_t *asidp, au_tid_t *tidp)
{
	if (auidp)
		*auidp = audit_token_to_auid(atoken);
	if (euidp)
		*euidp = audit_token_to_euid(atoken);
	if (egidp)
		*egidp = audit_token_to_egid(atoken);
	if (ruidp)
		*ruidp = audit_token_to_ruid(atoken);
	if (rgidp)
		*rgidp = audit_token_to_rgid(atoken);
	if (pidp)
		*pidp = audit_token_to_pid(atoken);
	if (asidp)
		*asidp = audit_token_to_asid(atoken);
	if (tidp) {
		tidp->port = (dev_t)atoken.val[MACH_AUDIT_PIDVERSION];
		tidp->machine = 0;
	}
}

#endif /* _LIBBSM_H_ */
