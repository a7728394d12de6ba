/* A busy loop that never blocks: it increments a volatile counter forever, using CPU. */
#define _POSIX_C_SOURCE 200809L

int main(void)
{
	volatile unsigned long counter = 0;
	for (;;)
		counter++;
}
