/*
 * fan-in.c: esqueleto del ejercicio 06-fan-in (lee README.md).
 *
 * Uso: fan-in K M
 *
 * El padre crea UNA tubería y K hijos. El hijo I (de 1 a K) escribe en ella M líneas
 * "hijo I línea J\n" (J de 1 a M), cada una con un solo write(). El padre lee hasta el fin
 * de fichero, cuenta las líneas que recibe de cada hijo, espera a todos los hijos e imprime,
 * para cada hijo en orden, "hijo I: C líneas" (C las líneas que recibió de él).
 *
 * Compila con: cc -std=c17 -Wall -Wextra -O2 -o fan-in fan-in.c
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define K_MAX 1000UL    /* hijos como mucho */
#define M_MAX 1000000UL /* líneas por hijo como mucho */

/* Convierte el texto s en un entero sin signo en *n. Solo acepta dígitos decimales (nada de
 * signos, espacios ni texto detrás) y valores de 0 a max. Devuelve 0, o -1 si s no es
 * válido. */
static int leer_numero(const char *s, unsigned long max, unsigned long *n)
{
	if (*s == '\0')
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	char *fin;
	unsigned long long v = strtoull(s, &fin, 10);
	if (errno == ERANGE || *fin != '\0' || v > max)
		return -1;
	*n = (unsigned long)v;
	return 0;
}

/* Explica el uso en stderr. Devuelve el estado de salida de un uso incorrecto (2). */
static int uso(const char *programa)
{
	fprintf(stderr, "uso: %s K M\n"
		"  K: número de hijos (entero decimal de 1 a %lu)\n"
		"  M: líneas que escribe cada hijo (entero decimal de 0 a %lu)\n",
		programa, K_MAX, M_MAX);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long k, m;

	if (argc != 3)
		return uso(argv[0]);
	if (leer_numero(argv[1], K_MAX, &k) < 0 || k == 0) {
		fprintf(stderr, "%s: K («%s») debe ser un entero decimal de 1 a %lu\n", argv[0],
			argv[1], K_MAX);
		return uso(argv[0]);
	}
	if (leer_numero(argv[2], M_MAX, &m) < 0) {
		fprintf(stderr, "%s: M («%s») debe ser un entero decimal de 0 a %lu\n", argv[0],
			argv[2], M_MAX);
		return uso(argv[0]);
	}

	/* TODO 1: reserva un contador de líneas por hijo (calloc) y un pid_t por hijo, y crea
	 * UNA tubería con pipe(). Comprueba cada valor de retorno. */

	/* TODO 2: crea los K hijos con fork() en un bucle y guarda sus pids. Cada hijo I:
	 *  - cierra el extremo de lectura, que no usa;
	 *  - para J de 1 a M, prepara la línea "hijo I línea J\n" con snprintf() y la
	 *    escribe con UN SOLO write() (repite si falla con EINTR). Una escritura de
	 *    hasta PIPE_BUF bytes en una tubería es atómica: nunca se mezcla con la de otro
	 *    hijo. Si la escribes por partes, o con printf()/fprintf() sobre la tubería,
	 *    las líneas de varios hijos pueden quedar partidas;
	 *  - cierra el extremo de escritura y termina con exit(0) (exit(1) si algo falló).
	 *    Sin return al main del padre: el hijo no debe seguir con el bucle de fork(). */

	/* TODO 3 (padre), DESPUÉS de crear a todos los hijos:
	 *  - cierra su extremo de escritura: read() solo devuelve 0 cuando están cerrados
	 *    TODOS los extremos de escritura, los de los K hijos y el suyo;
	 *  - lee en bucle hasta que read() devuelva 0, mientras los hijos escriben (lo que
	 *    escriben puede no caber en la tubería, 64 KiB). Un read() puede terminar a mitad
	 *    de una línea: guarda el trozo hasta que llegue su '\n';
	 *  - cuenta cada línea completa que sea exactamente "hijo I línea J" con 1 <= I <= K
	 *    y 1 <= J <= M para su hijo I (por ejemplo con
	 *    sscanf(linea, "hijo %lu línea %lu%n", &i, &j, &fin) y comprobando fin); una
	 *    línea partida no cuenta para nadie;
	 *  - cierra el extremo de lectura y espera a TODOS los hijos con waitpid();
	 *  - imprime "hijo %lu: %lu líneas\n" para cada hijo, de 1 a K, y termina con 0 (con
	 *    1 si falló alguna llamada o algún hijo terminó mal). */

	(void)k; /* quita estas líneas cuando uses k y m */
	(void)m;
	return 0;
}
