/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Start a program as systemd starts a Type=notify service and wait for its
 * READY=1:
 *
 *   sd_notify_wait SECONDS PROGRAM [ARG...]
 *
 * Binds an AF_UNIX datagram socket, passes its path in $NOTIFY_SOCKET,
 * starts PROGRAM and prints its pid once READY=1 arrives, leaving it running.
 * Exit status 0 then; 1 when the program exits or SECONDS pass first.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[256];
	int fd, seconds;
	pid_t pid;
	time_t end;

	if (argc < 3 || (seconds = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: sd_notify_wait SECONDS PROGRAM [ARG...]\n");
		return 2;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/sd-notify-%d", (int)getpid());
	unlink(sa.sun_path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("sd_notify_wait: socket");
		return 1;
	}
	setenv("NOTIFY_SOCKET", sa.sun_path, 1);
	pid = fork();
	if (pid < 0) {
		perror("sd_notify_wait: fork");
		return 1;
	}
	if (pid == 0) {
		/* Our stdout is for the pid alone (and may be a pipe that
		 * must close when we exit): the program's goes to stderr. */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execvp(argv[2], argv + 2);
		perror("sd_notify_wait: exec");
		_exit(127);
	}
	end = time(NULL) + seconds;
	while (time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int status;
		ssize_t n;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "sd_notify_wait: %s exited before READY=1\n", argv[2]);
			return 1;
		}
		if (poll(&p, 1, 200) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* A datagram holds newline-separated assignments. */
		for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			if (!strcmp(line, "READY=1")) {
				printf("%d\n", (int)pid);
				unlink(sa.sun_path);
				return 0;
			}
	}
	fprintf(stderr, "sd_notify_wait: no READY=1 from %s in %d s\n", argv[2], seconds);
	kill(pid, SIGKILL);
	unlink(sa.sun_path);
	return 1;
}
