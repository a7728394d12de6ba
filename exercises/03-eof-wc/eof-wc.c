/*
 * eof-wc.c: esqueleto del ejercicio 03-eof-wc (lee README.md).
 *
 * Uso: eof-wc < ENTRADA
 *
 * El padre copia su entrada estándar en una tubería; el hijo lee de la tubería hasta el
 * fin de fichero y cuenta líneas, palabras y bytes como `LC_ALL=C wc`. Imprime "L W B" y un
 * salto de línea.
 *
 * Compila con: cc -std=c17 -Wall -Wextra -O2 -o eof-wc eof-wc.c
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	if (argc != 1) {
		fprintf(stderr, "uso: %s < ENTRADA\n", argv[0]);
		return 2;
	}

	/* TODO 1: crea la tubería con pipe() y el hijo con fork(), ANTES de leer la
	 * entrada: puede medir varios MiB y la tubería solo guarda 64 KiB, así que el padre
	 * tiene que escribir mientras el hijo lee. Comprueba los valores de retorno. */

	/* TODO 2 (hijo):
	 *  - cierra el extremo de escritura (si no, read() nunca devuelve 0);
	 *  - lee con read() en bucle hasta que devuelva 0; la entrada son bytes, no
	 *    cadenas: puede contener '\0', así que no uses fgets() ni strlen();
	 *  - líneas: cuenta los '\n'; bytes: todos los leídos; palabras: tramos de bytes
	 *    que no son espacio según isspace() (pásale un unsigned char). Una palabra puede
	 *    quedar partida entre dos lecturas;
	 *  - imprime "%llu %llu %llu\n" y termina con exit(0). */

	/* TODO 3 (padre):
	 *  - cierra el extremo de lectura;
	 *  - copia la entrada estándar en la tubería: read() de STDIN_FILENO hasta que
	 *    devuelva 0 y write() de todo lo leído (cuidado con las escrituras parciales y
	 *    con EINTR);
	 *  - cierra el extremo de escritura y después espera al hijo con waitpid();
	 *  - termina con 0. */

	return 0;
}
