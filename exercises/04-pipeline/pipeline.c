/*
 * pipeline.c: esqueleto del ejercicio 04-pipeline (lee README.md).
 *
 * Uso: pipeline ORDEN1 ORDEN2 [ORDEN3 ...]
 *
 * Ejecuta las órdenes como el shell ejecuta `ORDEN1 | ORDEN2 | ...`: la salida estándar de
 * cada orden es la entrada estándar de la siguiente; la primera lee la entrada estándar del
 * programa y la última escribe en su salida estándar. Cada ORDEN es un solo argumento que se
 * parte por los espacios; los programas se buscan en PATH con execvp(). El estado de salida
 * es el de la última orden.
 *
 * Compila con: cc -std=c17 -Wall -Wextra -O2 -o pipeline pipeline.c
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Parte la orden s por los espacios. Devuelve un vector de palabras terminado en NULL, listo
 * para execvp() (vector[0] es el programa), y deja en *n el número de palabras. Varios
 * espacios seguidos, o al principio o al final, no crean palabras vacías. Modifica s (pone
 * '\0' en lugar de los espacios). Devuelve NULL si falta memoria. Libera el vector con free()
 * (las palabras apuntan dentro de s). */
static char **trocear(char *s, int *n)
{
	char **v = calloc(strlen(s) / 2 + 2, sizeof *v);
	if (v == NULL)
		return NULL;
	*n = 0;
	for (char *p = s; *p != '\0';) {
		if (*p == ' ') {
			*p++ = '\0';
			continue;
		}
		v[(*n)++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	v[*n] = NULL;
	return v;
}

/* Explica el uso en stderr. Devuelve el estado de salida de un uso incorrecto (2). */
static int uso(const char *programa)
{
	fprintf(stderr, "uso: %s ORDEN1 ORDEN2 [ORDEN3 ...]\n"
		"  ejecuta ORDEN1 | ORDEN2 | ...; cada ORDEN es un argumento que se parte por los"
		" espacios,\n  p. ej.: %s 'cat' 'tr a-z A-Z' 'sort'\n", programa, programa);
	return 2;
}

int main(int argc, char *argv[])
{
	if (argc < 3)
		return uso(argv[0]);
	int n = argc - 1; /* número de órdenes (etapas) */

	/* Las órdenes se preparan antes de crear ningún proceso. */
	char ***ordenes = calloc((size_t)n, sizeof *ordenes);
	if (ordenes == NULL) {
		perror("pipeline: malloc");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int palabras;
		ordenes[i] = trocear(argv[i + 1], &palabras);
		if (ordenes[i] == NULL) {
			perror("pipeline: malloc");
			return 1;
		}
		if (palabras == 0) {
			fprintf(stderr, "%s: la orden %d está vacía\n", argv[0], i + 1);
			return uso(argv[0]);
		}
	}

	/* TODO 1: para cada etapa i, de izquierda a derecha:
	 *  - si no es la última, crea con pipe() la tubería que la une con la siguiente;
	 *  - crea un hijo con fork() y guarda su pid (los necesitarás para esperarlos).
	 * Comprueba siempre el valor de retorno de pipe() y de fork(). */

	/* TODO 2 (hijo de la etapa i):
	 *  - si no es la primera, pon en su entrada estándar (fd 0) el extremo de lectura de
	 *    la tubería anterior con dup2();
	 *  - si no es la última, pon en su salida estándar (fd 1) el extremo de escritura de la
	 *    tubería nueva con dup2();
	 *  - cierra TODOS los descriptores de tubería que tenga (los originales ya están
	 *    copiados en 0 y 1, y el extremo de lectura de la tubería nueva no es suyo): la
	 *    orden debe empezar solo con 0, 1 y 2 abiertos;
	 *  - ejecuta la orden con execvp(ordenes[i][0], ordenes[i]);
	 *  - si execvp() vuelve, ha fallado: con errno == ENOENT escribe
	 *    "pipeline: PROGRAMA: command not found" en stderr y termina con _exit(127); con
	 *    otro error, avisa y termina con _exit(126). Nunca vuelvas al bucle del padre. */

	/* TODO 3 (padre, después de cada fork()):
	 *  - cierra el extremo de lectura de la tubería anterior (ya lo tiene el hijo);
	 *  - cierra el extremo de escritura de la tubería nueva (solo escribe el hijo);
	 *  - guarda el extremo de lectura de la tubería nueva para la etapa siguiente.
	 * Si el padre se queda un extremo abierto, lo heredan las etapas siguientes: la última
	 * orden no ve nunca el fin de fichero, o `yes` no recibe nunca SIGPIPE. */

	/* TODO 4 (padre, cuando ya estén todas las etapas creadas):
	 *  - espera a TODOS los hijos con waitpid() (repite si falla con EINTR);
	 *  - termina con el estado de la ÚLTIMA orden: WEXITSTATUS si terminó con exit, o
	 *    128 + WTERMSIG si la mató una señal.
	 * No esperes a una etapa antes de crear la siguiente: con más de 64 KiB de datos se
	 * bloquearía escribiendo en una tubería que nadie lee. */

	for (int i = 0; i < n; i++)
		free(ordenes[i]);
	free(ordenes);
	return 0;
}
