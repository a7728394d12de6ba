/*
 * compile-bomb/prog.c: HOSTILE at build time, never compile it outside a sandbox.
 *
 * The preprocessor is told to include /dev/zero, an endless file of NUL bytes: the compiler
 * reads (and buffers) it forever, growing without bound in memory and time, and the program
 * never gets built.
 *
 * The build step must run under the same limits as a case: a wall-clock limit, a CPU limit
 * and a memory limit. The expected result is a compile_error finding for every case (the
 * message says the compiler was stopped by a time or memory limit), and pipegrade itself and
 * the machine stay fine.
 */
#include "/dev/zero"

int main(void)
{
	return 0;
}
