/* Two children write 10000 bytes each ('a', then 'b') with one write() to a shared pipe;
 * the parent counts the bytes and the runs of equal bytes: "20000 2" unless the writes were
 * interleaved (legal above PIPE_BUF). Each child says whether its write() wrote everything. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) < 0)
		return 1;
	for (int i = 0; i < 2; i++) {
		if (fork() == 0) {
			static char buf[10000];
			close(p[0]);
			memset(buf, 'a' + i, sizeof buf);
			_exit(write(p[1], buf, sizeof buf) == (ssize_t)sizeof buf ? 0 : 3);
		}
	}
	close(p[1]);
	char b[100], last = 0;
	long n = 0, runs = 0;
	ssize_t k;
	while ((k = read(p[0], b, sizeof b)) > 0) {
		for (ssize_t i = 0; i < k; i++) {
			runs += b[i] != last;
			last = b[i];
		}
		n += k;
	}
	int bad = 0, st;
	while (wait(&st) > 0)
		bad += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	printf("%ld %ld %d\n", n, runs, bad);
	return 0;
}
