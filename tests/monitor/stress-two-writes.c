/* Two writes are pending in a pipe before the reader exists; the reader reads once with room
 * for both. A plain run always reads "hola mundo"; a read cut at a write boundary reads "hola ". */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) < 0)
		return 1;
	if (write(p[1], "hola ", 5) != 5 || write(p[1], "mundo\n", 6) != 6)
		return 1;
	pid_t k = fork();
	if (k == 0) {
		close(p[1]);
		char b[100];
		ssize_t n = read(p[0], b, sizeof b);
		if (n > 0 && write(1, b, (size_t)n) != n)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	close(p[1]);
	waitpid(k, NULL, 0);
	return 0;
}
