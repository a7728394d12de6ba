/*
 * hello.c: solución de referencia del ejercicio 01-hello.
 *
 * Cómo funciona:
 *
 *     padre --write--> fds[1] ==== tubería ==== fds[0] --read--> hijo --write--> stdout
 *
 * 1. El padre crea la tubería con pipe() y después el hijo con fork(): los dos procesos
 *    tienen copia de los dos extremos.
 * 2. Cada uno cierra el extremo que no usa: el hijo, el de escritura; el padre, el de lectura.
 * 3. El padre escribe el mensaje, cierra el extremo de escritura y espera al hijo.
 * 4. El hijo lee hasta fin de fichero (read() devuelve 0), lo que solo ocurre cuando ya no
 *    queda abierto ningún extremo de escritura, e imprime "Hijo recibió: MENSAJE\n".
 *
 * Estado de salida: 0 si todo fue bien; 1 si falló una llamada al sistema en el padre o en
 * el hijo; 2 si el uso es incorrecto.
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
#define PREFIJO "Hijo recibió: "

/* read() que repite la llamada si una señal la interrumpe (EINTR). Devuelve lo mismo que
 * read(): bytes leídos, 0 en fin de fichero o -1 con errno. */
static ssize_t leer(int fd, void *buf, size_t len)
{
	ssize_t n;
	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* Escribe los len bytes de buf en fd. write() puede escribir menos de lo pedido (escritura
 * parcial) o ser interrumpida por una señal (EINTR): en los dos casos se continúa con lo que
 * falta. Devuelve 0, o -1 con errno si write() falla. */
static int escribir_todo(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Espera a que termine el proceso pid y deja su estado en *estado. Repite la espera si una
 * señal la interrumpe. Devuelve 0, o -1 con errno. */
static int esperar(pid_t pid, int *estado)
{
	while (waitpid(pid, estado, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

/* Lo que hace el hijo: lee de fd hasta fin de fichero y copia lo leído a su salida estándar
 * detrás del prefijo. Devuelve el estado de salida del hijo. */
static int hijo(int fd)
{
	char buf[4096];
	ssize_t n;

	if (escribir_todo(STDOUT_FILENO, PREFIJO, strlen(PREFIJO)) < 0) {
		perror("hijo: write");
		return 1;
	}
	/* El mensaje puede llegar en varios trozos: se lee en bucle hasta que read()
	 * devuelva 0 (fin de fichero: el padre cerró su extremo de escritura). */
	while ((n = leer(fd, buf, sizeof buf)) > 0) {
		if (escribir_todo(STDOUT_FILENO, buf, (size_t)n) < 0) {
			perror("hijo: write");
			return 1;
		}
	}
	if (n < 0) {
		perror("hijo: read");
		return 1;
	}
	if (escribir_todo(STDOUT_FILENO, "\n", 1) < 0) {
		perror("hijo: write");
		return 1;
	}
	if (close(fd) < 0) {
		perror("hijo: close");
		return 1;
	}
	return 0;
}

/* Lo que hace el padre: cierra el extremo de lectura, envía el mensaje por el de escritura,
 * lo cierra y espera al hijo. Aunque algo falle, cierra y espera igualmente, para no dejar
 * al hijo bloqueado ni sin recoger. Devuelve el estado de salida del programa. */
static int padre(const int fds[2], const char *mensaje, pid_t pid)
{
	int resultado = 0;

	/* El padre no lee de la tubería. */
	if (close(fds[0]) < 0) {
		perror("padre: close");
		resultado = 1;
	}
	/* Si el hijo muriera sin leer, write() fallaría con EPIPE en lugar de matar al padre
	 * con SIGPIPE: así el padre puede informar y esperar al hijo igualmente. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("padre: signal");
		resultado = 1;
	}
	if (resultado == 0 && escribir_todo(fds[1], mensaje, strlen(mensaje)) < 0) {
		perror("padre: write");
		resultado = 1;
	}
	/* Cerrar el extremo de escritura es lo que provoca el fin de fichero en el hijo. */
	if (close(fds[1]) < 0) {
		perror("padre: close");
		resultado = 1;
	}
	int estado;
	if (esperar(pid, &estado) < 0) {
		perror("padre: waitpid");
		return 1;
	}
	if (!WIFEXITED(estado) || WEXITSTATUS(estado) != 0)
		resultado = 1;
	return resultado;
}

int main(int argc, char *argv[])
{
	if (argc > 2) {
		fprintf(stderr, "uso: %s [MENSAJE]\n", argv[0]);
		return 2;
	}
	const char *mensaje = argc == 2 ? argv[1] : MENSAJE_POR_DEFECTO;

	int fds[2]; /* fds[0]: extremo de lectura; fds[1]: extremo de escritura */
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		close(fds[0]);
		close(fds[1]);
		return 1;
	}
	if (pid == 0) {
		/* Hijo: no escribe en la tubería. Si no cerrara su copia del extremo de
		 * escritura, la tubería seguiría abierta para escribir y su read() nunca
		 * devolvería 0: se quedaría bloqueado para siempre. */
		if (close(fds[1]) < 0) {
			perror("hijo: close");
			exit(1);
		}
		exit(hijo(fds[0]));
	}
	return padre(fds, mensaje, pid);
}
