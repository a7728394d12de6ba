#include "libft.h"

size_t ft_strlcat(char *dst, const char *src, size_t size)
{
	size_t used = 0;

	while (used < size && dst[used] != '\0')
		used++;
	if (used == size) /* dst no tenía '\0' en sus size bytes: no se toca */
		return size + ft_strlen(src);
	return used + ft_strlcpy(dst + used, src, size - used);
}
