/* prog.c: an ordinary program; what is checked is its build (see the Makefile). */
int main(void)
{
	return 0;
}
