/*
 * libft.h: una libft pequeña con las funciones de cadenas que usa pipex.
 *
 * Se compila como biblioteca estática (libft.a) con su propio Makefile; el Makefile de pipex
 * la construye con `make -C libft` y la enlaza con `-Llibft -lft`.
 *
 * Ninguna función escribe mensajes: las que reservan memoria devuelven NULL si malloc()
 * falla y quien llama decide qué hacer. Lo que devuelven con malloc() lo libera quien llama.
 */
#ifndef LIBFT_H
#define LIBFT_H

#include <stddef.h>

/* Número de bytes de s antes del '\0'. */
size_t ft_strlen(const char *s);

/* Compara como mucho n bytes de a y b, como unsigned char. Devuelve <0, 0 o >0. */
int ft_strncmp(const char *a, const char *b, size_t n);

/* El primer c de s (el '\0' final si c es '\0'), o NULL si no está. */
char *ft_strchr(const char *s, int c);

/* Copia n bytes de src en dst (no deben solaparse). Devuelve dst. */
void *ft_memcpy(void *dst, const void *src, size_t n);

/* Copia src en dst, un búfer de size bytes, siempre terminada en '\0' si size > 0.
 * Devuelve ft_strlen(src): si es >= size, la copia se ha truncado. */
size_t ft_strlcpy(char *dst, const char *src, size_t size);

/* Añade src al final de dst, un búfer de size bytes, terminada en '\0'. Devuelve la longitud
 * que tendría el resultado sin truncar: si es >= size, se ha truncado. */
size_t ft_strlcat(char *dst, const char *src, size_t size);

/* Una cadena nueva (malloc) con a seguida de b, o NULL. */
char *ft_strjoin(const char *a, const char *b);

/* Parte s por el separador c: una lista de cadenas nuevas terminada en NULL, sin cadenas
 * vacías (varios separadores seguidos cuentan como uno; "" y "   " dan una lista vacía).
 * NULL si malloc() falla. Se libera con ft_split_free(). */
char **ft_split(const char *s, char c);

/* Libera una lista de ft_split() y sus cadenas (acepta NULL). */
void ft_split_free(char **list);

#endif
