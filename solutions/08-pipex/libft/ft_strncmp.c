#include "libft.h"

int ft_strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	size_t i = 0;

	while (i < n && p[i] != '\0' && p[i] == q[i])
		i++;
	return i == n ? 0 : p[i] - q[i];
}
