/*
 * hello.c: esqueleto del ejercicio 01-hello (lee README.md).
 *
 * Uso: hello [MENSAJE]
 *
 * El padre crea una tubería y un hijo, escribe MENSAJE (por defecto "Hola desde el padre!")
 * en la tubería, cierra su extremo de escritura y espera al hijo. El hijo lee de la tubería
 * hasta el fin de fichero e imprime "Hijo recibió: MENSAJE" y un salto de línea.
 *
 * Compila con: cc -std=c17 -Wall -Wextra -O2 -o hello hello.c
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MENSAJE_POR_DEFECTO "Hola desde el padre!"

int main(int argc, char *argv[])
{
	if (argc > 2) {
		fprintf(stderr, "uso: %s [MENSAJE]\n", argv[0]);
		return 2;
	}
	const char *mensaje = argc == 2 ? argv[1] : MENSAJE_POR_DEFECTO;

	/* TODO 1: crea la tubería con pipe(). Comprueba el valor de retorno: si falla,
	 * informa con perror() y termina con estado 1. */

	/* TODO 2: crea el hijo con fork() (comprueba también si falla). A partir de aquí
	 * los dos procesos tienen los dos extremos de la tubería. */

	/* TODO 3 (hijo):
	 *  - cierra el extremo de escritura, que no usa: si no lo cierras, read() nunca
	 *    devolverá 0 y el hijo se quedará bloqueado para siempre;
	 *  - escribe "Hijo recibió: ";
	 *  - lee en bucle con read() hasta que devuelva 0 (fin de fichero) y escribe lo
	 *    leído: el mensaje puede llegar en varios trozos;
	 *  - escribe el salto de línea final, cierra el extremo de lectura y termina con
	 *    exit(0) (o exit(1) si algo falló). */

	/* TODO 4 (padre):
	 *  - cierra el extremo de lectura, que no usa;
	 *  - escribe todo el mensaje en el extremo de escritura (write() puede escribir
	 *    menos de lo pedido: repite con lo que falte; si falla con EINTR, reinténtalo);
	 *  - cierra el extremo de escritura: eso es lo que le da al hijo el fin de fichero;
	 *  - espera al hijo con waitpid() y termina con 0 si el hijo terminó con 0. */

	(void)mensaje; /* quita esta línea cuando uses el mensaje */
	return 0;
}
