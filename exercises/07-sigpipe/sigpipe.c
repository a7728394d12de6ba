/*
 * sigpipe.c: esqueleto del ejercicio 07-sigpipe (lee README.md).
 *
 * Uso: sigpipe N
 *
 * El hijo lee de una tubería hasta contar N saltos de línea y termina. El padre escribe
 * líneas numeradas ("línea 1\n", "línea 2\n", ...) sin parar hasta que write() falla con
 * EPIPE porque ya nadie lee; entonces espera al hijo, imprime
 * "el lector cerró después de N líneas" y un salto de línea, y termina con 0.
 *
 * Compila con: cc -std=c17 -Wall -Wextra -O2 -o sigpipe sigpipe.c
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Convierte el texto s en un entero positivo en *n. Solo acepta dígitos decimales (nada de
 * signos, espacios ni texto detrás), sin el 0, y valores que caben en un unsigned long long.
 * Devuelve 0, o -1 si s no es válido. */
static int leer_numero(const char *s, unsigned long long *n)
{
	if (*s == '\0')
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	char *fin;
	*n = strtoull(s, &fin, 10);
	if (errno == ERANGE || *fin != '\0' || *n == 0)
		return -1;
	return 0;
}

/* Explica el uso en stderr. Devuelve el estado de salida de un uso incorrecto (2). */
static int uso(const char *programa)
{
	fprintf(stderr, "uso: %s N\n"
		"  N: número de líneas que lee el hijo antes de cerrar (entero decimal >= 1)\n",
		programa);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long long n;

	if (argc != 2)
		return uso(argv[0]);
	if (leer_numero(argv[1], &n) < 0) {
		fprintf(stderr, "%s: «%s» no es un entero positivo\n", argv[0], argv[1]);
		return uso(argv[0]);
	}

	/* TODO 1: crea la tubería con pipe() y el hijo con fork(). Comprueba los dos valores
	 * de retorno. */

	/* TODO 2 (hijo):
	 *  - cierra el extremo de escritura (el hijo no escribe en la tubería);
	 *  - lee con read() en bucle y cuenta los '\n' hasta llegar a N (una lectura puede
	 *    traer varias líneas, o un trozo de línea; lo que sobre tras la línea N se
	 *    descarta); repite read() si falla con EINTR;
	 *  - cierra el extremo de lectura y termina con exit(0). */

	/* TODO 3 (padre):
	 *  - cierra SU extremo de lectura: si lo conserva, la tubería nunca se queda sin
	 *    lectores, write() nunca falla y, al llenarse la tubería, se bloquea para siempre;
	 *  - ignora SIGPIPE con signal(SIGPIPE, SIG_IGN) (o instala un manejador): si no, el
	 *    primer write() sin lectores mata al proceso;
	 *  - escribe "línea 1\n", "línea 2\n", ... (snprintf y write) y comprueba cada write():
	 *    cuando devuelva -1 con errno == EPIPE, deja de escribir (EINTR: repite; otro
	 *    error: avisa y termina con 1);
	 *  - cierra el extremo de escritura y espera al hijo con waitpid();
	 *  - imprime "el lector cerró después de %llu líneas\n" con N y termina con 0. */

	(void)n; /* quita esta línea cuando uses n */
	return 0;
}
