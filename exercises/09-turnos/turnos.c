/*
 * turnos.c: esqueleto del ejercicio 09-turnos (lee README.md).
 *
 * Uso: turnos N
 *
 * El padre y el hijo escriben por turnos en la misma salida estándar, N rondas:
 *
 *     padre 1
 *     hijo 1
 *     padre 2
 *     hijo 2
 *     ...
 *     hijo N
 *     fin
 *
 * El turno pasa de uno a otro como un testigo: un byte escrito en una tubería («al hijo»,
 * del padre al hijo, y «al padre», del hijo al padre). Quien no tiene el turno lo espera
 * bloqueado en read(). El orden tiene que salir de las tuberías, nunca de sleep().
 *
 * Compila con: cc -std=c17 -Wall -Wextra -O2 -o turnos turnos.c
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

#define N_MAX 100000UL /* rondas como mucho */

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
	fprintf(stderr, "uso: %s N\n"
		"  N: número de rondas (entero decimal de 1 a %lu)\n",
		programa, N_MAX);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long n;

	if (argc != 2)
		return uso(argv[0]);
	if (leer_numero(argv[1], N_MAX, &n) < 0 || n == 0) {
		fprintf(stderr, "%s: N («%s») debe ser un entero decimal de 1 a %lu\n", argv[0],
			argv[1], N_MAX);
		return uso(argv[0]);
	}

	/* TODO 1: crea las DOS tuberías con pipe(), «al hijo» (del padre al hijo) y «al padre»
	 * (del hijo al padre), y después el hijo con fork(). Comprueba cada valor de retorno.
	 * Antes de fork(), vacía stdout con fflush(stdout): el hijo hereda una copia del búfer
	 * de stdio. */

	/* TODO 2 (hijo):
	 *  - cierra los extremos que no usa: el de escritura de «al hijo» (si no, nunca verá el
	 *    fin de fichero) y el de lectura de «al padre»;
	 *  - repite, para i = 1, 2, ...: espera el testigo leyendo UN byte de «al hijo». Si
	 *    read() devuelve 0 (fin de fichero: el padre cerró «al hijo»), se acabó. Si no,
	 *    escribe "hijo %lu\n" con printf(), VACÍA stdout con fflush(stdout) y solo entonces
	 *    devuelve el testigo escribiendo un byte en «al padre». Cuando la salida estándar es
	 *    una tubería o un fichero, printf() guarda el texto en un búfer: sin fflush(), tu
	 *    línea saldría tarde, después de las del padre;
	 *  - cierra sus extremos y termina con 0 (con 1 si algo falló). */

	/* TODO 3 (padre):
	 *  - cierra los extremos que no usa: el de lectura de «al hijo» y el de escritura de
	 *    «al padre»;
	 *  - para cada ronda i de 1 a N: escribe "padre %lu\n", vacía stdout, pasa el testigo
	 *    (un byte en «al hijo») y espera a que vuelva leyendo un byte de «al padre». Nada de
	 *    sleep(): quien espera el turno tiene que estar bloqueado en read();
	 *  - cierra el extremo de escritura de «al hijo» (así el hijo recibe el fin de fichero)
	 *    y el de lectura de «al padre»; SOLO ENTONCES espera al hijo con waitpid();
	 *  - si todo fue bien escribe "fin\n" y termina con 0; si no, con 1. */

	(void)n; /* quita esta línea cuando uses n */
	return 0;
}
