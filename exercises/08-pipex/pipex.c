/*
 * pipex.c: esqueleto del ejercicio 08-pipex (lee README.md).
 *
 * Uso: pipex entrada "cmd1" "cmd2" salida
 *
 * Hace lo mismo que la shell con   < entrada cmd1 | cmd2 > salida
 *
 * Compila con `make` (el Makefile usa cc -std=c17 -Wall -Wextra -Werror).
 * Puedes repartir el código en varios ficheros .c (añádelos a SRCS en el Makefile) y usar
 * tu libft.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv, char **envp)
{
	if (argc != 5) {
		fprintf(stderr, "uso: %s entrada \"cmd1\" \"cmd2\" salida\n", argv[0]);
		return 2;
	}
	(void)envp; /* el entorno: ahí está PATH, y execve() lo necesita */

	/* TODO 1: crea la tubería con pipe(). Comprueba siempre lo que devuelven las llamadas
	 * al sistema; si algo falla, escribe el motivo con strerror(errno). */

	/* TODO 2: crea el primer hijo con fork(). El hijo:
	 *  - abre argv[1] para leer. Si no puede, escribe «pipex: ARCHIVO: MOTIVO» en la
	 *    salida de error, cierra sus extremos de la tubería y termina con exit(1) sin
	 *    ejecutar cmd1 (cmd2 se ejecutará igualmente, con la entrada vacía);
	 *  - con dup2() pone el fichero en su fd 0 y el extremo de escritura en su fd 1;
	 *  - cierra el fichero y LOS DOS extremos originales de la tubería: la orden debe
	 *    empezar solo con 0, 1 y 2 abiertos;
	 *  - ejecuta cmd1 (TODO 4). */

	/* TODO 3: crea el segundo hijo, SIN esperar antes al primero (las dos órdenes corren a
	 * la vez). El hijo:
	 *  - abre argv[4] con O_WRONLY | O_CREAT | O_TRUNC y permisos 0644;
	 *  - pone el extremo de lectura en su fd 0 y el fichero en su fd 1;
	 *  - cierra el fichero y los dos extremos originales;
	 *  - ejecuta cmd2 (TODO 4). */

	/* TODO 4 (una función que usan los dos hijos): ejecutar una orden como "grep -v a".
	 *  - pártela por los espacios: {"grep", "-v", "a", NULL};
	 *  - si el nombre tiene una '/', execve() con él tal cual;
	 *  - si no, busca en PATH (en envp, "PATH=/usr/local/bin:/usr/bin:/bin"): prueba
	 *    execve() con cada directorio + "/" + nombre. Nada de execvp(): la búsqueda se
	 *    hace a mano;
	 *  - execve() solo vuelve si falla: si no se encontró en ningún directorio, escribe
	 *    «pipex: NOMBRE: command not found» y termina con 127; si se encontró pero no se
	 *    puede ejecutar (EACCES), «pipex: NOMBRE: Permission denied» y 126. */

	/* TODO 5 (padre): cierra los dos extremos de la tubería (si el padre guarda el de
	 * escritura, cmd2 no recibe nunca el fin de fichero), espera a los dos hijos con
	 * waitpid() y termina con el estado de salida del segundo (WEXITSTATUS). */

	return 0;
}
