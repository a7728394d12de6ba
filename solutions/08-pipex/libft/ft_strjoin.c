#include <stdlib.h>

#include "libft.h"

char *ft_strjoin(const char *a, const char *b)
{
	size_t la = ft_strlen(a), lb = ft_strlen(b);
	char *r = malloc(la + lb + 1);

	if (r == NULL)
		return NULL;
	ft_memcpy(r, a, la);
	ft_memcpy(r + la, b, lb + 1); /* con el '\0' de b */
	return r;
}
