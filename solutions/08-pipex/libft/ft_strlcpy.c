#include "libft.h"

size_t ft_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = ft_strlen(src);

	if (size > 0) {
		size_t n = len < size ? len : size - 1;
		ft_memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
