/*
 * connect.c: tries to open a TCP connection to 127.0.0.1. Safe to run.
 *
 * The port is the environment variable PIPEGRADE_PORT (1 to 65535; default, and for any other
 * value, 9, the discard port). It first creates a socket(AF_INET, SOCK_STREAM) and prints
 * "socket failed (strerror)" if that fails; else it connects and prints "connected" or
 * "connect failed (strerror)". Exits 0.
 *
 * A test can listen on a port of its own and pass it in PIPEGRADE_PORT. Inside a working
 * sandbox the program gets no network: in an empty network namespace the loopback interface is
 * down and the line is "connect failed (Network is unreachable)"; a seccomp filter that refuses
 * socket() gives "socket failed (Operation not permitted)" or similar. Either way it is never
 * "connected". Outside one, with nothing listening, it is "connect failed (Connection refused)".
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static unsigned short port_from_env(void)
{
	const char *s = getenv("PIPEGRADE_PORT");
	if (s == NULL || *s == '\0')
		return 9;
	char *end;
	errno = 0;
	long port = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || port < 1 || port > 65535)
		return 9;
	return (unsigned short)port;
}

int main(void)
{
	struct sockaddr_in addr;

	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port_from_env());
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		printf("socket failed (%s)\n", strerror(errno));
		return 0;
	}
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
		printf("connect failed (%s)\n", strerror(errno));
	else
		printf("connected\n");
	close(fd);
	return 0;
}
