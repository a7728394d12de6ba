/*
 * ping-pong.c: esqueleto del ejercicio 05-ping-pong (lee README.md).
 *
 * Uso: ping-pong N SIZE
 *
 * El padre envía N mensajes de SIZE bytes al hijo por una tubería («ping»); el byte j del
 * mensaje i (los dos desde 0) vale 'a' + (i + j) % 26. El hijo contesta cada mensaje en
 * mayúsculas por otra tubería («pong»). El padre lee cada respuesta entera, comprueba cada
 * byte y, al final, imprime "N rondas OK" y un salto de línea. Si alguna respuesta está
 * mal, lo dice en stderr y termina con 1.
 *
 * Compila con: cc -std=c17 -Wall -Wextra -O2 -o ping-pong ping-pong.c
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE_MAX_MENSAJE 16777216 /* 16 MiB */

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
	fprintf(stderr, "uso: %s N SIZE\n"
		"  N: número de rondas (entero decimal >= 1)\n"
		"  SIZE: bytes de cada mensaje (entero decimal de 1 a %d)\n",
		programa, SIZE_MAX_MENSAJE);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long long n, size;

	if (argc != 3)
		return uso(argv[0]);
	if (leer_numero(argv[1], &n) < 0 || n == 0) {
		fprintf(stderr, "%s: N («%s») debe ser un entero decimal >= 1\n", argv[0], argv[1]);
		return uso(argv[0]);
	}
	if (leer_numero(argv[2], &size) < 0 || size == 0 || size > SIZE_MAX_MENSAJE) {
		fprintf(stderr, "%s: SIZE («%s») debe ser un entero decimal de 1 a %d\n", argv[0],
			argv[2], SIZE_MAX_MENSAJE);
		return uso(argv[0]);
	}

	/* TODO 1: crea las DOS tuberías con pipe(), «ping» (del padre al hijo) y «pong» (del
	 * hijo al padre), y después el hijo con fork(). Comprueba cada valor de retorno.
	 * Una sola tubería no sirve para los dos sentidos: cada proceso podría leer lo que
	 * él mismo acaba de escribir. */

	/* TODO 2 (hijo):
	 *  - cierra los extremos que no usa: el de escritura de «ping» (si no, nunca verá el
	 *    fin de fichero) y el de lectura de «pong»;
	 *  - repite: lee un mensaje ENTERO de SIZE bytes (read() puede devolver menos de lo
	 *    pedido: sigue leyendo hasta tener SIZE bytes) y solo entonces contesta con los
	 *    mismos bytes en mayúsculas (toupper()). ¡Ojo! Si contestaras cada trozo en
	 *    cuanto lo lees, con SIZE mayor que la tubería (64 KiB) «pong» se llenaría
	 *    mientras el padre todavía escribe en «ping»: los dos se quedarían bloqueados
	 *    en write() para siempre. Lee README.md, «Lo que enseña»;
	 *  - cuando read() devuelva 0 justo al empezar un mensaje (el padre cerró «ping»),
	 *    cierra sus extremos y termina con 0 (con 1 si el mensaje quedó a medias o algo
	 *    falló). */

	/* TODO 3 (padre):
	 *  - cierra los extremos que no usa: el de lectura de «ping» y el de escritura de
	 *    «pong»;
	 *  - para cada ronda i de 0 a N - 1: envía el mensaje i entero (puedes generarlo y
	 *    enviarlo por trozos; write() puede escribir menos de lo pedido o fallar con
	 *    EINTR: repite con lo que falte) y DESPUÉS lee la respuesta entera, SIZE bytes,
	 *    comprobando que el byte j vale 'A' + (i + j) % 26. No envíes el mensaje
	 *    siguiente sin haber leído la respuesta;
	 *  - si una respuesta está mal o llega incompleta, dilo en stderr y deja de enviar;
	 *  - cierra el extremo de escritura de «ping» (así el hijo recibe el fin de fichero)
	 *    y el de lectura de «pong»; SOLO ENTONCES espera al hijo con waitpid();
	 *  - si todo fue bien imprime "%llu rondas OK\n" y termina con 0; si no, con 1. */

	(void)n;    /* quita estas líneas cuando uses n y size */
	(void)size;
	return 0;
}
