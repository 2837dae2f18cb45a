// SPDX-License-Identifier: GPL-2.0
/*
 * Fileports (issue 16): fileport_makeport / fileport_makefd round trips in
 * one process and across processes, the descriptor's flags, the file's
 * lifetime following the port's rights (also when the holder is
 * SIGKILLed), /dev/mach refused, the error codes, and the live counters.
 */
#define MACH_TEST_USE_LIBMACH
#include "mach_test_util.h"
#include "mach_complex_util.h"

#include <sys/fileport.h>

TEST(round_trip)
{
	struct mstats base, now;
	int have = stats_warm_base(&base);
	fileport_t fp = FILEPORT_NULL;
	int p[2], fd;
	char c = 0;

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, fileport_makeport(p[1], &fp));
	ASSERT_TRUE(MACH_PORT_VALID(fp));
	EXPECT_EQ(MACH_PORT_TYPE_SEND, ptype(fp));
	if (have) {
		ASSERT_EQ(0, read_stats(&now));
		EXPECT_EQ(base.fileports + 1, now.fileports);
	}
	fd = fileport_makefd(fp);
	ASSERT_LE(0, fd);
	EXPECT_NE(p[1], fd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(1, read(p[0], &c, 1));
	EXPECT_EQ('x', c);
	/* the port is not consumed: another descriptor */
	close(fd);
	fd = fileport_makefd(fp);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, fp));
	close(p[0]);
	close(p[1]);
	EXPECT_STATS_BASE(have, base);
}

/* The port holds the file: the pipe reads EOF only once the last right goes. */
TEST(file_released_with_last_right)
{
	fileport_t fp = FILEPORT_NULL;
	int p[2];
	char c;

	ASSERT_EQ(0, pipe2(p, O_NONBLOCK));
	ASSERT_EQ(0, fileport_makeport(p[1], &fp));
	close(p[1]);
	ASSERT_EQ(KERN_SUCCESS, mach_port_mod_refs(TASK, fp, MACH_PORT_RIGHT_SEND, 1));
	EXPECT_EQ(-1, read(p[0], &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, fp));
	EXPECT_EQ(-1, read(p[0], &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, fp));
	EXPECT_EQ(0, read(p[0], &c, 1));
	close(p[0]);
}

/*
 * A child makes a fileport of a file only it opened and sends it; once it
 * is SIGKILLed, the parent still turns the port into a working descriptor.
 */
TEST(across_processes_holder_killed)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	mach_port_t p = new_port_send(), reg[1];
	struct rcv_buf b;
	struct port_msg *pm = (struct port_msg *)&b;
	char buf[16] = {};
	pid_t pid;
	int fd, status;

	ASSERT_TRUE(MACH_PORT_VALID(p));
	reg[0] = p;
	ASSERT_EQ(KERN_SUCCESS, mach_ports_register(TASK, reg, 1));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		mach_port_array_t got = NULL;
		mach_msg_type_number_t cnt = 0;
		fileport_t fp;
		int mfd;

		ASSERT_EQ(KERN_SUCCESS, mach_ports_lookup(TASK, &got, &cnt));
		mfd = memfd_create("fileport", MFD_CLOEXEC);
		ASSERT_LE(0, mfd);
		ASSERT_EQ(6, write(mfd, "hello", 6));
		ASSERT_EQ(0, fileport_makeport(mfd, &fp));
		close(mfd);
		ASSERT_EQ(MACH_MSG_SUCCESS, send_port_msg(got[0], MACH_MSG_TYPE_COPY_SEND,
							  MACH_PORT_NULL, 0, fp,
							  MACH_MSG_TYPE_COPY_SEND, 9));
		for (;;)
			pause();
	}
	ASSERT_EQ(MACH_MSG_SUCCESS, msg_recv(p, &b, 0, LONG_TIMEOUT_MS));
	ASSERT_EQ(9, b.hdr.msgh_id);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	fd = fileport_makefd(pm->port.name);
	ASSERT_LE(0, fd);
	EXPECT_EQ(6, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("hello", buf);
	close(fd);
	EXPECT_EQ(KERN_SUCCESS, mach_port_deallocate(TASK, pm->port.name));
	reg[0] = MACH_PORT_NULL;
	EXPECT_EQ(KERN_SUCCESS, mach_ports_register(TASK, reg, 0));
	mach_port_mod_refs(TASK, p, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, p);
	EXPECT_STATS_BASE(have, base);
}

TEST(refusals)
{
	struct mstats base;
	int have = stats_warm_base(&base);
	fileport_t fp = FILEPORT_NULL;
	mach_port_t plain = new_port_send();
	int dev, fd;

	/* a space cannot leave its process this way: EINVAL, as Darwin for unsendable files */
	dev = open(MACH_DEV_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dev);
	EXPECT_EQ(-1, fileport_makeport(dev, &fp));
	EXPECT_EQ(EINVAL, errno);
	close(dev);
	EXPECT_EQ(FILEPORT_NULL, fp);

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-1, fileport_makeport(fd, &fp));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, fileport_makeport(-1, &fp));
	EXPECT_EQ(EBADF, errno);

	EXPECT_EQ(-1, fileport_makefd(MACH_PORT_NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, fileport_makefd(plain));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, fileport_makefd(stale_name()));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, fileport_makefd(TASK));
	EXPECT_EQ(EINVAL, errno);
	mach_port_mod_refs(TASK, plain, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(TASK, plain);
	EXPECT_STATS_BASE(have, base);
}

TEST_HARNESS_MAIN
