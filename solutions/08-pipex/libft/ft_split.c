#include <stdlib.h>

#include "libft.h"

/* Cuántos trozos no vacíos separados por c hay en s. */
static size_t count_words(const char *s, char c)
{
	size_t n = 0;

	while (*s != '\0') {
		if (*s != c && (s[1] == c || s[1] == '\0'))
			n++; /* s es el último byte de un trozo */
		s++;
	}
	return n;
}

/* Una copia nueva de los len primeros bytes de s, terminada en '\0', o NULL. */
static char *copy_word(const char *s, size_t len)
{
	char *w = malloc(len + 1);

	if (w == NULL)
		return NULL;
	ft_memcpy(w, s, len);
	w[len] = '\0';
	return w;
}

char **ft_split(const char *s, char c)
{
	char **list = malloc((count_words(s, c) + 1) * sizeof *list);
	size_t n = 0;

	if (list == NULL)
		return NULL;
	while (*s != '\0') {
		if (*s == c) {
			s++;
			continue;
		}
		size_t len = 0;
		while (s[len] != '\0' && s[len] != c)
			len++;
		list[n] = copy_word(s, len);
		if (list[n] == NULL) { /* la lista queda terminada en este NULL: se libera */
			ft_split_free(list);
			return NULL;
		}
		n++;
		s += len;
	}
	list[n] = NULL;
	return list;
}

void ft_split_free(char **list)
{
	if (list == NULL)
		return;
	for (size_t i = 0; list[i] != NULL; i++)
		free(list[i]);
	free(list);
}
