/*
 * long-message.c: esqueleto del ejercicio 02-long-message (lee README.md).
 *
 * Uso: long-message N
 *
 * El padre envía N bytes por una tubería; el byte i vale 'a' + i % 26. El hijo lee hasta
 * el fin de fichero, comprueba cada byte e imprime "Hijo recibió N bytes" y un salto de
 * línea. El hijo termina con 0 si recibió exactamente N bytes y todos eran los esperados,
 * y con 1 si no; el padre espera al hijo y termina con el mismo estado.
 *
 * Compila con: cc -std=c17 -Wall -Wextra -O2 -o long-message long-message.c
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

/* Convierte el texto s en un entero sin signo en *n. Solo acepta dígitos decimales (nada de
 * signos, espacios ni texto detrás) y valores que caben en un unsigned long long. Devuelve
 * 0, o -1 si s no es válido. */
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
	if (errno == ERANGE || *fin != '\0')
		return -1;
	return 0;
}

/* Explica el uso en stderr. Devuelve el estado de salida de un uso incorrecto (2). */
static int uso(const char *programa)
{
	fprintf(stderr, "uso: %s N\n"
		"  N: número de bytes que el padre envía al hijo (entero decimal >= 0)\n",
		programa);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long long n;

	if (argc != 2)
		return uso(argv[0]);
	if (leer_numero(argv[1], &n) < 0) {
		fprintf(stderr, "%s: «%s» no es un entero decimal sin signo\n", argv[0], argv[1]);
		return uso(argv[0]);
	}

	/* TODO 1: crea la tubería con pipe() y el hijo con fork(), en ese orden y ANTES de
	 * escribir nada: la tubería solo guarda 64 KiB, así que con N grande el padre se
	 * bloquearía en write() si todavía no hubiera nadie leyendo. Comprueba los dos
	 * valores de retorno. */

	/* TODO 2 (hijo):
	 *  - cierra el extremo de escritura (si no, read() nunca devuelve 0);
	 *  - lee en bucle hasta que read() devuelva 0, en trozos (por ejemplo de 16 KiB),
	 *    comprobando que el byte de la posición i de TODO el mensaje vale 'a' + i % 26;
	 *  - cuenta los bytes recibidos en un tipo amplio (unsigned long long);
	 *  - imprime "Hijo recibió %llu bytes\n" y termina con 0 si todo cuadra o 1 si no. */

	/* TODO 3 (padre):
	 *  - cierra el extremo de lectura;
	 *  - envía los N bytes por trozos, sin guardar el mensaje entero en memoria;
	 *    write() puede escribir menos de lo pedido o fallar con EINTR: repite;
	 *  - cierra el extremo de escritura (el hijo recibe así el fin de fichero);
	 *  - SOLO ENTONCES espera al hijo con waitpid(): si lo esperas antes de escribir,
	 *    los dos se quedan esperándose para siempre;
	 *  - termina con el mismo estado que el hijo (WEXITSTATUS). */

	(void)n; /* quita esta línea cuando uses n */
	return 0;
}
