/* prog.c: the program the hostile build produces; it does nothing wrong itself. */
#include <stdio.h>

int main(void)
{
	puts("built");
	return 0;
}
