/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mach IPC for Linux: the objects every file of the module shares.
 *
 * Object model (after XNU's osfmk/ipc):
 *   space  - one per open of /dev/mach: a name table of entries.
 *   entry  - a name in a space: type bits, urefs, and the object it names.
 *   port   - refcounted kernel object with a message queue; at most one
 *            space holds its receive right.
 *   kmsg   - a message in the kernel: copied-in header rights, body, and the
 *            sender's identity captured at send time.
 *
 * Lock order (outermost first), for the whole module:
 *   1. space->lock   (mutex)     entry table, entry fields, special ports
 *   2. port->lock    (spinlock)  port state, queue, waiters, counts
 *   3. leaves, nothing taken under them: a semaphore's lock, the
 *      semaphore owner lock (semaphore.c)
 * A thread holds at most one space lock and at most one port lock.  Work
 * that would need a second one (notifications, destroying messages, the
 * last reference of a port) goes onto a struct mach_reap and runs after
 * the locks are dropped.
 *
 * Calls on another task (task.c: mach_task_space_get) never hold two space
 * locks either, and define no order between spaces: as XNU copies a right
 * in from one space, unlocks it and copies it out into the other, a right
 * that moves between the caller's space and the target's is copied in
 * under one space's lock, which is dropped before the other's is taken
 * (the carried right holds its own port reference; on failure it is
 * released through the reap list).  The task registry's spinlock
 * (task.c) nests inside a space lock and takes nothing under it.
 */
#ifndef _MACH_IPC_H
#define _MACH_IPC_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/xarray.h>
#include <linux/uidgid.h>
#include <linux/pid.h>
#include <linux/atomic.h>
#include <linux/wait.h>
#include <linux/poll.h>
#include "compat.h"
#include <linux/mach.h>

struct mach_space;
struct mach_port;
struct mach_pset;
struct mach_kmsg;
struct mach_ool_cache;

/* An in-kernel port pointer can also be "dead": a right to a port that died. */
#define MACH_PORT_DEAD_PTR	((struct mach_port *)~0UL)
#define MACH_PORT_PTR_VALID(p)	((p) && (p) != MACH_PORT_DEAD_PTR)

/* ------------------------------------------------------------------------
 * Module-wide limits (module parameters, see dev.c) and live counters.
 */
extern unsigned int mach_max_msg_size;
extern unsigned int mach_max_entries;
extern unsigned long mach_max_port_bytes;
extern unsigned long mach_max_ool_size;

struct mach_stats {
	atomic_long_t spaces;
	atomic_long_t ports;
	atomic_long_t entries;
	atomic_long_t kmsgs;
	atomic_long_t psets;
	atomic_long_t timers;		/* timer.c */
	atomic_long_t semaphores;	/* semaphore.c */
	atomic_long_t mem_entries;	/* memory_entry.c */
	atomic_long_t fileports;	/* fileport.c */
	atomic_long_t kmsg_aux;		/* mach_msg2 aux data carried by kmsgs (msg.c) */
	atomic_long_t ool_pages;	/* ool.c: pages of OOL snapshots held */
	atomic_long_t ool_cached;	/* ool.c: sent pages kept for reuse */
};
extern struct mach_stats mach_stats;

/* ------------------------------------------------------------------------
 * Deferred work: what must run with no lock held.
 */
struct mach_reap {
	struct list_head kmsgs_destroy;	/* messages to destroy */
	struct list_head kmsgs_send;	/* kernel messages to deliver */
	/* a fatal guard violation of the caller, acted on at flush (guard.c) */
	u32 guard_flavor;		/* kGUARD_EXC_*, 0 if none */
	u32 guard_name;
	u64 guard_payload;
};

void mach_reap_init(struct mach_reap *reap);
void mach_reap_flush(struct mach_reap *reap);

/* ------------------------------------------------------------------------
 * Ports (port.c)
 */
enum mach_kobject_type {
	MACH_KOBJ_NONE = 0,
	MACH_KOBJ_TASK,
	MACH_KOBJ_THREAD,
	MACH_KOBJ_TIMER,	/* mk_timer: the receive right is user space's */
	MACH_KOBJ_SEMAPHORE,
	MACH_KOBJ_MEMORY_ENTRY,	/* struct mach_mem_entry (memory_entry.c) */
	MACH_KOBJ_FILEPORT,	/* struct file (fileport.c) */
	MACH_KOBJ_TASK_NAME,	/* a task name port: struct mach_space (task.c) */
	MACH_KOBJ_HOST,		/* the one host port (host.c) */
};

/*
 * Messages to a kernel-object port are served by the kernel, which holds
 * its receive right; a timer's receive right is user space's, so messages
 * to it queue like on any port.
 */
static inline bool mach_kobject_served(u8 kobject_type)
{
	return kobject_type != MACH_KOBJ_NONE && kobject_type != MACH_KOBJ_TIMER;
}

/* A thread blocked in receive on a port. */
struct mach_rcv_waiter {
	struct list_head link;
	struct task_struct *task;
	u32 option;
	u32 rcv_size;		/* buffer size offered */
	int state;		/* MACH_WAIT_* */
	struct mach_kmsg *kmsg;	/* handed-off message */
	u32 seqno;
	u32 msize;		/* RCV_LARGE: size needed */
	u32 receiver_name;	/* name of the port received from */
	struct mach_port *port;	/* port received from (ref), for set receives */
	u64 context;		/* that port's context when the message was taken */
	/* how to wake a waiter that is not a sleeping thread (io_uring) */
	void (*wake)(struct mach_rcv_waiter *w);
	/*
	 * Optional, for such a waiter: true once no one can take a message
	 * through it any more (its thread exited, its ring is going); the
	 * queue then passes it over, and its owner ends it soon after.
	 */
	bool (*orphaned)(struct mach_rcv_waiter *w);
	/*
	 * mach_msg2 vector receive (msg.c): an aux buffer of aux_rcv_size
	 * bytes at aux_addr (0/0 for none).  A scalar receive (!vector)
	 * drops aux data; a vector one needs room for it.
	 */
	bool vector;
	u64 aux_addr;
	u32 aux_rcv_size;
	u32 aux_msize;		/* RCV_LARGE: aux size needed */
};

/* Called with the port's or set's lock held. */
static inline bool mach_waiter_orphaned(struct mach_rcv_waiter *w)
{
	return w->orphaned && w->orphaned(w);
}

/* Called with the port's or set's lock held, after w->state changed. */
static inline void mach_waiter_wake(struct mach_rcv_waiter *w)
{
	if (w->wake)
		w->wake(w);
	else
		wake_up_process(w->task);
}

/* A thread blocked in send on a full queue. */
struct mach_snd_waiter {
	struct list_head link;
	struct task_struct *task;
	int state;
};

enum {
	MACH_WAIT_WAITING = 0,
	MACH_WAIT_OK,		/* receive: message handed over; send: slot reserved */
	MACH_WAIT_TOO_LARGE,
	MACH_WAIT_PORT_CHANGED,	/* receive: port died or moved */
	MACH_WAIT_PORT_DIED,	/* send: destination died */
};

struct mach_port {
	spinlock_t lock;
	refcount_t ref;
	u64 id;				/* serial number, for inspection only */
	bool active;
	u8 kobject_type;		/* enum mach_kobject_type */
	u8 guard;			/* MACH_PORT_GUARD_* (guard.c); context is the guard */
	void *kobject;

	struct mach_space *receiver;	/* holder of the receive right, NULL in transit */
	u32 receiver_name;

	u32 srights;
	u32 sorights;
	u32 mscount;
	u32 seqno;
	u32 qlimit;
	u32 msgcount;			/* queued messages plus reserved slots */
	u64 context;
	size_t queued_bytes;

	struct list_head messages;
	struct list_head rcv_waiters;
	struct list_head snd_waiters;

	struct list_head psets;		/* mach_pset_link.port_node */
	u32 psets_gen;			/* bumped when psets changes (pset.c) */
	struct list_head dnrequests;	/* mach_dnreq.link */
	u32 sparmed;			/* armed send-possible requests on dnrequests */
	/* notification messages built at request time, sent when they fire */
	struct mach_kmsg *nsrequest;
	struct mach_kmsg *pdrequest;
	/* in transit: the port whose queue holds our receive right (ref) */
	struct mach_port *destination;
	wait_queue_head_t poll_wq;	/* pollable descriptors (poll.c) */
};

/*
 * Port sets.  Membership changes only under the owning space's lock plus
 * the set's and the port's locks (set before port), so holders of any one
 * of them see a stable list from their side.
 */
struct mach_pset {
	spinlock_t lock;
	refcount_t ref;
	u64 id;				/* serial number, for inspection only */
	bool active;
	struct list_head members;	/* mach_pset_link.pset_node */
	struct list_head rcv_waiters;
	wait_queue_head_t poll_wq;
};

struct mach_pset_link {
	struct list_head pset_node;
	struct list_head port_node;
	struct mach_port *port;
	struct mach_pset *pset;
};

/*
 * A name's request slot (XNU's ipc_port_request): a dead-name request, or
 * a send-possible one (sp), which also fires as DEAD_NAME when the port
 * dies.  A send-possible request fires once when armed (counted in
 * port->sparmed) and a message is received; it then stays in the slot,
 * empty (kmsg NULL, off the list), until the name's next request.
 */
struct mach_dnreq {
	struct list_head link;		/* on port->dnrequests while it holds kmsg */
	struct mach_port *port;		/* reference */
	struct mach_kmsg *kmsg;		/* DEAD_NAME / PORT_DELETED, prebuilt */
	bool fired;			/* fired by the port's death */
	bool sp;			/* a send-possible request */
	bool armed;			/* sp: fires on the next receive */
};

struct mach_port *mach_port_alloc(void);
static inline void mach_port_get(struct mach_port *port)
{
	refcount_inc(&port->ref);
}
void mach_port_put(struct mach_port *port);
void mach_port_destroy(struct mach_port *port, struct mach_reap *reap);
void mach_port_release_send(struct mach_port *port, struct mach_reap *reap);
void mach_port_release_sonce(struct mach_port *port, struct mach_reap *reap);
void mach_port_release_right(struct mach_port *port, u32 type, struct mach_reap *reap);
void mach_port_release_dest(struct mach_port *port, u32 type, struct mach_reap *reap);
u32 mach_port_copyout_dest(struct mach_port *port, u32 type, struct mach_space *space,
			   struct mach_reap *reap);
void mach_port_clear_receiver(struct mach_port *port, struct mach_reap *reap);
void mach_port_set_qlimit(struct mach_port *port, u32 qlimit);
void mach_port_release_slot(struct mach_port *port);
void mach_port_srights_dec(struct mach_port *port, struct mach_reap *reap);
bool mach_transit_enter(struct mach_kmsg *kmsg, struct mach_port *dest);
bool mach_transit_enter_one(struct mach_port *port, struct mach_port *dest);
void mach_transit_leave(struct mach_port *port);

/* port sets (pset.c) */
struct mach_pset *mach_pset_alloc(void);
void mach_pset_put(struct mach_pset *pset);
void mach_pset_destroy(struct mach_pset *pset);
void mach_pset_unlink_port(struct mach_port *port);
void mach_pset_wake_members_of(struct mach_port *port);
int mach_pset_member_op(struct mach_space *space, unsigned int cmd,
			struct mach_ioc_port_member *a);
int mach_pset_status(struct mach_space *space, struct mach_ioc_port_set_status *a,
		     u32 **bufp, u32 *countp);
int mach_port_cache_init(void);
void mach_port_cache_exit(void);
int mach_space_cache_init(void);
void mach_space_cache_exit(void);
int mach_kmsg_cache_init(void);
void mach_kmsg_cache_exit(void);

/* ------------------------------------------------------------------------
 * Spaces and entries (space.c)
 */
struct mach_entry {
	struct mach_port *port;
	struct mach_pset *pset;
	struct mach_dnreq *dnreq;
	u32 name;
	u32 type;			/* MACH_PORT_TYPE_* */
	u32 urefs;
	bool hashed;			/* in space->rmap */
	bool free_listed;		/* index on space->free_stack (once) */
	struct hlist_node hnode;	/* on a space->rmap chain while hashed */
};

struct mach_thread_port {
	struct list_head link;
	struct pid *tid;
	struct mach_port *port;
};

struct mach_space {
	struct list_head link;		/* on the debugfs list of spaces */
	u64 id;				/* serial number, for inspection only */
	struct mutex lock;
	bool active;
	struct pid *owner;		/* thread group that may use this space */

	struct xarray table;		/* index -> entry, or xa_value(gen) when free */
	u32 next_index;			/* lowest never-used index */
	u32 *free_stack;		/* indexes freed, reused LIFO */
	u32 free_count;
	u32 free_cap;
	u32 nentries;
	/* port -> entry holding send/receive: chains, NULL until first used */
	struct hlist_head *rmap;
	u32 rmap_count;			/* entries hashed */
	u8 rmap_shift;			/* log2 of the bucket count */

	/* one small message kept for the space's next send (kmsg.c) */
	struct mach_kmsg *spare_kmsg;

	struct mach_port *task_port;
	struct list_head thread_ports;
	struct mach_port *special[TASK_MAX_SPECIAL_PORT + 1];
	struct mach_port *registered[TASK_PORT_REGISTER_MAX];
	struct list_head semaphores;	/* owned (semaphore.c, under its owner lock) */

	/*
	 * Task ports across tasks (task.c).  @ref keeps the struct, its lock
	 * and @owner valid for calls from other spaces; the table itself
	 * goes when the file closes (@active false).
	 */
	refcount_t ref;
	struct hlist_node task_node;	/* on the registry of spaces by owner */
	struct mach_port *name_port;	/* task name port, made on first use */
	u64 exec_id;			/* owner's self_exec_id at open: exec ends the task */
	u32 exc_guard;			/* TASK_EXC_GUARD_* (guard.c) */
	struct file *ool_file;		/* ool.c: mapped for received OOL ranges */
	struct mach_ool_cache *ool_cache;	/* ool.c: sent pages kept for reuse */
};

struct mach_space *mach_space_create(void);
void mach_space_destroy(struct mach_space *space);

struct mach_entry *mach_entry_lookup(struct mach_space *space, u32 name);
int mach_entry_alloc(struct mach_space *space, struct mach_entry **entryp);
int mach_entry_alloc_name(struct mach_space *space, u32 name, struct mach_entry **entryp);
int mach_entry_name_check(struct mach_space *space, u32 name);
void mach_entry_free(struct mach_space *space, struct mach_entry *entry);
struct mach_entry *mach_entry_rlookup(struct mach_space *space, struct mach_port *port);
int mach_entry_hash(struct mach_space *space, struct mach_entry *entry);
int mach_entry_alloc_kr(int err);
int mach_translate_receive(struct mach_space *space, u32 name, struct mach_port **portp);
void mach_entry_unhash(struct mach_space *space, struct mach_entry *entry);

/* ------------------------------------------------------------------------
 * Rights (right.c): ipc_right.c's rules on entries.
 */
bool mach_right_check(struct mach_space *space, struct mach_entry *entry);
int mach_right_copyin_check(struct mach_space *space, struct mach_entry *entry, u32 disp);
int mach_right_copyin(struct mach_space *space, u32 name, struct mach_entry *entry,
		      u32 disp, bool deadok, struct mach_port **portp,
		      struct mach_reap *reap);
int mach_right_copyin_two(struct mach_space *space, u32 name, struct mach_entry *entry,
			  u32 disp1, u32 disp2, struct mach_port **port1,
			  struct mach_port **port2, struct mach_reap *reap);
int mach_right_copyout(struct mach_space *space, struct mach_port *port, u32 type,
		       bool overflow_ok, u32 *namep, struct mach_reap *reap);
int mach_right_dealloc(struct mach_space *space, u32 name, struct mach_entry *entry,
		       struct mach_reap *reap);
int mach_right_destroy(struct mach_space *space, u32 name, struct mach_entry *entry,
		       struct mach_reap *reap);
int mach_right_delta(struct mach_space *space, u32 name, struct mach_entry *entry,
		     u32 right, s32 delta, struct mach_reap *reap);
void mach_right_drop_entry(struct mach_space *space, struct mach_entry *entry,
			   struct mach_reap *reap);
u32 mach_type_after_copyin(u32 disp);
int mach_dnrequest(struct mach_space *space, u32 name, bool immediate,
		   struct mach_kmsg *kmsg, struct mach_kmsg **oldp,
		   struct mach_reap *reap);
int mach_sprequest(struct mach_space *space, u32 name, bool sync,
		   struct mach_kmsg *kmsg, struct mach_kmsg **oldp,
		   struct mach_reap *reap);

/* ------------------------------------------------------------------------
 * Messages (kmsg.c, mqueue.c, msg.c)
 */
/* bodies up to this size come from the kmsg cache (and its per-space spare) */
#define MACH_KMSG_INLINE_BODY	2048

enum {
	MACH_KMSG_CACHED	= 1 << 0,	/* from the small-message cache */
	MACH_KMSG_KERNEL	= 1 << 1,	/* sent by the kernel (notifications) */
	MACH_KMSG_RESERVED	= 1 << 2,	/* holds a reserved queue slot */
	MACH_KMSG_CIRCULAR	= 1 << 3,	/* carries a receive right into its own chain */
	MACH_KMSG_TIMER		= 1 << 4,	/* a timer's expiry message */
	/* mach_msg2 sends: the call kind asked for, checked after header copyin */
	MACH_KMSG_MSG2		= 1 << 5,
	MACH_KMSG_KOBJECT_CALL	= 1 << 6,
	MACH_KMSG_MQ_CALL	= 1 << 7,
	MACH_KMSG_ANY_CALL	= 1 << 8,
	MACH_KMSG_WITH_RCV	= 1 << 9,	/* combined with a receive */
};

/* A port right carried in a message body. */
struct mach_kdesc {
	u32 offset;			/* of the descriptor in the user body */
	u8 type;			/* MACH_MSG_*_DESCRIPTOR */
	u8 disp;			/* rights: type after copyin */
	u8 copy;			/* OOL: copy option as sent; guarded port: flags */
	u8 dealloc;			/* OOL: the sender's deallocate flag */
	union {
		struct mach_port *port;
		struct {		/* OOL memory: a snapshot taken at send */
			struct page **pages;	/* laid out as the receiver maps them */
			u32 size;
			u32 pgoff;	/* page offset kept for a virtual copy */
		} ool;
		struct {		/* OOL ports */
			struct mach_port **ports;
			u32 count;
			u32 done;	/* entries holding rights (copyin progress) */
		} ports;
	};
	u64 uaddr;			/* OOL: the sender's address; guarded port: context */
};

struct mach_kmsg {
	struct list_head link;
	struct mach_port *dest;		/* right (type in bits' remote field) + ref */
	struct mach_port *reply;	/* NULL, DEAD_PTR, or right + ref */
	u32 bits;			/* after copyin: remote/local hold PORT_* types */
	u32 size;			/* user-visible header + body size */
	u32 voucher;			/* carried unchanged (no vouchers here) */
	s32 id;
	u32 flags;
	u32 ndesc;
	struct mach_kdesc *descs;
	u64 ool_bytes;			/* out-of-line memory held */

	/* sender identity, captured at send time from the kernel's credentials */
	kuid_t euid, ruid, auid;
	kgid_t egid, rgid;
	u32 asid;
	u32 pidversion;
	struct pid *pid;

	/* mach_msg2 aux data, its header rewritten by the kernel, or NULL */
	void *aux;
	u32 aux_size;

	u8 *body;			/* size - sizeof(header) bytes */
	/*
	 * The header as user space sends or receives it, the body right after
	 * it, then room for the largest trailer: one copy each way.
	 */
	struct mach_msg_header uhdr;
	u8 inline_body[];
};

struct mach_kmsg *mach_kmsg_alloc(u32 size);
void mach_kmsg_free(struct mach_kmsg *kmsg);
void mach_kmsg_destroy(struct mach_kmsg *kmsg, struct mach_reap *reap);
int mach_kmsg_get(struct mach_space *space, u64 addr, u32 send_size,
		  struct mach_kmsg **kmsgp);
void mach_kmsg_recycle(struct mach_space *space, struct mach_kmsg *kmsg);
void mach_kmsg_drop_spare(struct mach_space *space);
int mach_kmsg_copyin(struct mach_space *space, struct mach_kmsg *kmsg, u32 *option,
		     struct mach_reap *reap);
int mach_kmsg_copyout(struct mach_space *space, struct mach_kmsg *kmsg, u32 option,
		      u64 rcv_addr, struct mach_reap *reap, struct mach_msg_header *hdr);
int mach_kmsg_copyout_pseudo(struct mach_space *space, struct mach_kmsg *kmsg,
			     struct mach_reap *reap, struct mach_msg_header *hdr);
void mach_kmsg_copyout_dest(struct mach_space *space, struct mach_kmsg *kmsg,
			    struct mach_reap *reap, struct mach_msg_header *hdr);
void mach_kmsg_set_kernel_sender(struct mach_kmsg *kmsg);
int mach_msg2_check_dest(struct mach_kmsg *kmsg);
void mach_kmsg_free_aux(struct mach_kmsg *kmsg);
static inline u64 mach_kmsg_bytes(const struct mach_kmsg *kmsg)
{
	return kmsg->size + kmsg->ool_bytes;
}

/* out-of-line memory (ool.c) */
int mach_ool_copyin(struct mach_space *space, struct mach_kdesc *d,
		    const struct mach_msg_ool_descriptor *od);
int mach_ool_copyout(struct mach_space *space, struct mach_kdesc *d, u64 *uaddrp);
void mach_ool_space_release(struct mach_space *space);
int mach_ool_names_copyout(const u32 *names, u32 count, u64 *uaddrp);
void mach_ool_dealloc_sender(struct mach_kmsg *kmsg);
void mach_kdesc_free_memory(struct mach_kdesc *d);
u32 mach_trailer_size(u32 option);
void mach_kmsg_trailer(struct mach_kmsg *kmsg, u32 seqno, u64 context,
		       struct mach_msg_max_trailer *trailer, u32 tsize, bool minimal);

/* Does @kmsg fit @w's buffers?  Notes the sizes a RCV_LARGE needs. */
static inline bool mach_rcv_fits(struct mach_rcv_waiter *w, const struct mach_kmsg *kmsg)
{
	w->aux_msize = kmsg->aux_size;
	if (kmsg->size + mach_trailer_size(w->option) > w->rcv_size)
		return false;
	return !w->vector || kmsg->aux_size <= w->aux_rcv_size;
}

int mach_mqueue_send(struct mach_kmsg *kmsg, u32 option, u32 timeout,
		     struct mach_reap *reap);
void mach_mqueue_send_kernel(struct mach_kmsg *kmsg, struct mach_reap *reap);
int mach_mqueue_receive(struct mach_space *space, struct mach_port *port,
			u32 option, u32 rcv_size, u32 timeout,
			struct mach_rcv_waiter *w);
int mach_mqueue_receive_set(struct mach_pset *pset, u32 option, u32 rcv_size,
			    u32 timeout, struct mach_rcv_waiter *w);
void mach_pset_serve_locked(struct mach_pset *pset);
int mach_mqueue_park(struct mach_space *space, struct mach_port *port,
		     struct mach_pset *pset, struct mach_rcv_waiter *w);
bool mach_mqueue_unpark(struct mach_port *port, struct mach_pset *pset,
			struct mach_rcv_waiter *w);
void mach_mqueue_requeue(struct mach_kmsg *kmsg, u32 seqno, struct mach_reap *reap);

long mach_msg_ioctl(struct mach_space *space, void __user *uarg);
long mach_msg2_ioctl(struct mach_space *space, void __user *uarg);
int mach_msg_send(struct mach_space *space, struct mach_ioc_msg *a, u32 option,
		  u32 timeout, struct mach_reap *reap);
int mach_msg_rcv_lookup(struct mach_space *space, u32 name,
			struct mach_port **portp, struct mach_pset **psetp);
int mach_msg_receive_results(struct mach_space *space, u64 addr, u32 option,
			     struct mach_rcv_waiter *w, struct mach_reap *reap);

/* ------------------------------------------------------------------------
 * Notifications (notify.c)
 */
void mach_notify_send_once(struct mach_port *port, struct mach_reap *reap);
struct mach_kmsg *mach_kmsg_kernel_alloc(u32 size);
struct mach_kmsg *mach_notify_prepare(struct mach_port *notify, s32 id);
void mach_notify_set_word(struct mach_kmsg *kmsg, s32 id, u32 word);
void mach_notify_attach_receive(struct mach_kmsg *kmsg, struct mach_port *port);
struct mach_port *mach_notify_unprepare(struct mach_kmsg *kmsg);
int mach_notify_request(struct mach_space *from, struct mach_space *space,
			struct mach_ioc_port_notify *a, struct mach_reap *reap,
			struct mach_space **lockedp);
void mach_kobject_server(struct mach_kmsg *kmsg, u32 option, u32 timeout,
			 struct mach_reap *reap);
void mach_notify_send_arm(struct mach_space *space, struct mach_kmsg *kmsg,
			  u32 *option);
void mach_port_spnotify(struct mach_port *port, struct mach_reap *reap);

/* ------------------------------------------------------------------------
 * mach_port_* calls (mach_port.c) and task/thread ports (task.c)
 */
long mach_port_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg);
long mach_task_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg);
int mach_port_new_receive(struct mach_space *space, struct mach_entry **entryp);

/* Mach timers (timer.c) */
long mach_timer_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg);
void mach_timer_dequeued_locked(struct mach_port *port);
void mach_timer_port_destroyed(struct mach_port *port);

/* Mach semaphores (semaphore.c) */
int mach_semaphore_init(void);
void mach_semaphore_exit(void);
long mach_semaphore_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg);
void mach_semaphore_no_senders_locked(struct mach_port *port);
void mach_semaphore_task_fini(struct mach_space *space);
int mach_task_check(struct mach_space *space, u32 task);
int mach_task_check_local(struct mach_space *space, u32 task);
int mach_task_init(struct mach_space *space);
void mach_task_fini(struct mach_space *space, struct mach_reap *reap);
int mach_task_inherit(struct mach_space *child, struct mach_space *parent);

/*
 * Task ports across tasks (task.c); see /docs/semantics.md "Task ports".
 * mach_task_space_get*: the space a task send right in @caller's space
 * stands for, referenced (it may be @caller), or NULL with *kr set
 * (MACH_SEND_INVALID_DEST: the task port died; KERN_INVALID_TASK: not a
 * task port, or its process exited).  Lock the result alone, and check
 * its @active under its lock.
 */
#define MACH_TASK_CONTROL	0	/* a task (control) port only */
#define MACH_TASK_NAME_OK	1	/* a task name port too */
struct mach_space *mach_task_space_get(struct mach_space *caller, u32 task,
				       unsigned int flags, int *kr);
struct mach_space *mach_task_space_get_locked(struct mach_space *caller, u32 task,
					      unsigned int flags, int *kr);
static inline void mach_space_get(struct mach_space *space)
{
	refcount_inc(&space->ref);
}
void mach_space_put(struct mach_space *space);
struct task_struct *mach_space_task(struct mach_space *space);
struct task_struct *mach_task_get(struct mach_space *caller, u32 name,
				  unsigned int flags, int *kr);
bool mach_task_may_control(struct task_struct *task);
bool mach_space_switch(struct mach_space *from, struct mach_space *to,
		       struct mach_space **lockedp);
void mach_task_unregister(struct mach_space *space);
long mach_task_pid_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg);

/*
 * Memory entries (memory_entry.c), mach_vm_map (vm.c), fileports
 * (fileport.c).  Their ports have no receive right anywhere: the object
 * lives until the port's last reference (every right and every in-flight
 * operation holds one) goes, then mach_port_put releases it.  Nothing here
 * runs under space->lock while it maps, reads or writes memory.
 */
struct mach_mem_entry {
	struct file *file;	/* shmem, or the file of a shared mapping */
	u64 offset;		/* of the entry's first byte in file */
	u64 size;		/* page multiple */
	u32 prot;		/* VM_PROT_*: what any mapping may at most allow */
};

struct mach_port *mach_kobject_port_alloc(u8 type, void *object, bool send_right);
void mach_kobject_release(struct mach_port *port);
struct mach_mem_entry *mach_mem_entry_get(struct mach_space *space, u32 name,
					  struct mach_port **portp);
void mach_mem_entry_free(struct mach_mem_entry *me);
struct file *mach_shmem_file(u64 size);
long mach_mem_entry_ioctl(struct mach_space *space, void __user *uarg);
long mach_vm_map_ioctl(struct mach_space *space, void __user *uarg);
long mach_vm_region_ioctl(struct mach_space *space, void __user *uarg);
long mach_vm_rw_ioctl(struct mach_space *space, void __user *uarg);
long mach_fileport_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg);
void mach_fileport_free(struct file *file);
bool mach_is_device_file(struct file *file);

/*
 * Port guards (guard.c).  port->guard bits change under the port's lock
 * with the receiving space's lock held, so either lock reads them stable.
 */
#define MACH_PORT_GUARD_GUARDED		0x01	/* context is a guard */
#define MACH_PORT_GUARD_STRICT		0x02	/* context cannot be changed */
#define MACH_PORT_GUARD_IMMOVABLE	0x04	/* receive right stays in its space */
#define MACH_PORT_GUARD_TEMPOWNER	0x08	/* MPO_TEMPOWNER (status only) */
#define MACH_PORT_GUARD_IMP_DONATION	0x10	/* MPO_*_RECEIVER (status only) */
/* what a move of the receive right clears (ipc_port_clear_receiver) */
#define MACH_PORT_GUARD_RECEIVE_BITS \
	(MACH_PORT_GUARD_GUARDED | MACH_PORT_GUARD_STRICT | MACH_PORT_GUARD_IMMOVABLE)

void mach_guard_exception(struct mach_space *space, struct mach_reap *reap,
			  u32 name, u32 flavor, u64 payload);
void mach_guard_deliver(struct mach_reap *reap);
int mach_guard_port_locked(struct mach_space *space, struct mach_reap *reap,
			   u32 name, struct mach_port *port, u64 guard, u64 flags);
bool mach_guard_desc_ok(struct mach_port *port, u64 context, u32 flags);
bool mach_guard_blocks_destroy(struct mach_space *space, struct mach_reap *reap,
			       u32 name, struct mach_entry *entry, u64 guard, bool any);
long mach_guard_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg);

/* bootstrap.c, debugfs.c */
struct mach_port *mach_bootstrap_get(struct mach_reap *reap);
int mach_bootstrap_set(struct mach_space *space, u32 name, struct mach_reap *reap);
void mach_bootstrap_exit(void);
void mach_bootstrap_prune(void);
u64 mach_next_object_id(void);
long mach_poll_fd(struct mach_space *space, void __user *uarg);
int mach_uring_cmd(struct io_uring_cmd *cmd, unsigned int issue_flags);
void mach_uring_exit(void);
void mach_debugfs_init(void);
void mach_debugfs_exit(void);
void mach_space_register(struct mach_space *space);
void mach_space_unregister(struct mach_space *space);

/* the host port (host.c); task, thread and port-space information (info.c) */
int mach_host_init(void);
void mach_host_exit(void);
struct mach_port *mach_host_send(void);
int mach_host_self(struct mach_space *space, u32 *namep, struct mach_reap *reap);
long mach_host_info_ioctl(struct mach_space *space, unsigned int cmd,
			  struct mach_ioc_info *a);
long mach_info_ioctl(struct mach_space *space, unsigned int cmd, void __user *uarg);

#endif /* _MACH_IPC_H */
