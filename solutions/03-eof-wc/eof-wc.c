/*
 * eof-wc.c: solución de referencia del ejercicio 03-eof-wc.
 *
 * Cómo funciona:
 *
 *     stdin --read--> padre --write--> fds[1] ==== tubería ==== fds[0] --read--> hijo --> stdout
 *
 * El padre copia su entrada estándar en la tubería; el hijo lee de la tubería hasta fin de
 * fichero y cuenta líneas, palabras y bytes como `wc`:
 *   - líneas: número de bytes '\n';
 *   - palabras: tramos máximos de bytes que no son espacio en blanco según isspace() en la
 *     configuración regional "C" (espacio, \t, \n, \v, \f y \r); cualquier otro byte,
 *     incluidos '\0', los de control y los mayores que 0x7f, forma parte de una palabra;
 *   - bytes: todos los leídos.
 * Al final imprime "L W B\n".
 *
 * La entrada puede medir varios MiB y la tubería solo guarda 64 KiB: el padre y el hijo
 * tienen que trabajar a la vez. El padre crea al hijo antes de copiar nada y solo lo espera
 * tras cerrar su extremo de escritura, que es lo que le da al hijo el fin de fichero.
 *
 * El programa no llama a setlocale(), así que isspace() usa la configuración "C".
 *
 * Estado de salida: 0 si todo fue bien; 1 si falló una llamada al sistema en el padre o en
 * el hijo; 2 si se pasa algún argumento (el programa no admite ninguno).
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

#define TROZO 16384 /* bytes que se copian o leen de una vez */

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

/* Lo que hace el hijo: lee de fd hasta fin de fichero, cuenta e imprime "L W B".
 * Devuelve su estado de salida. */
static int hijo(int fd)
{
	unsigned char buf[TROZO];
	unsigned long long lineas = 0, palabras = 0, bytes = 0;
	bool en_palabra = false; /* el último byte leído pertenece a una palabra */
	ssize_t n;

	/* Se lee en bucle hasta que read() devuelva 0: los datos llegan en trozos y solo el
	 * fin de fichero dice que no vendrán más. Una palabra puede quedar partida entre dos
	 * trozos: por eso en_palabra se conserva de una lectura a la siguiente. */
	while ((n = leer(fd, buf, sizeof buf)) > 0) {
		for (size_t i = 0; i < (size_t)n; i++) {
			if (buf[i] == '\n')
				lineas++;
			if (isspace(buf[i])) {
				en_palabra = false;
			} else if (!en_palabra) {
				en_palabra = true;
				palabras++;
			}
		}
		bytes += (unsigned long long)n;
	}
	if (n < 0) {
		perror("hijo: read");
		return 1;
	}
	if (close(fd) < 0) {
		perror("hijo: close");
		return 1;
	}
	printf("%llu %llu %llu\n", lineas, palabras, bytes);
	if (fflush(stdout) == EOF) {
		perror("hijo: stdout");
		return 1;
	}
	return 0;
}

/* Copia la entrada estándar en fd hasta su fin de fichero. Devuelve 0, o -1 con un mensaje
 * ya escrito en stderr. Cuando la tubería está llena, write() bloquea hasta que el hijo lee. */
static int copiar_entrada(int fd)
{
	char buf[TROZO];
	ssize_t n;

	while ((n = leer(STDIN_FILENO, buf, sizeof buf)) > 0) {
		if (escribir_todo(fd, buf, (size_t)n) < 0) {
			perror("padre: write");
			return -1;
		}
	}
	if (n < 0) {
		perror("padre: read");
		return -1;
	}
	return 0;
}

/* Lo que hace el padre: cierra el extremo de lectura, copia la entrada en el de escritura,
 * lo cierra y espera al hijo. Aunque algo falle, cierra y espera igualmente, para no dejar
 * al hijo bloqueado ni sin recoger. Devuelve el estado de salida del programa. */
static int padre(const int fds[2], pid_t pid)
{
	bool error = false;

	/* El padre no lee de la tubería. */
	if (close(fds[0]) < 0) {
		perror("padre: close");
		error = true;
	}
	/* Si el hijo muriera sin leerlo todo, write() fallaría con EPIPE en lugar de matar
	 * al padre con SIGPIPE: así el padre puede informar y esperar al hijo igualmente. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("padre: signal");
		error = true;
	}
	if (!error && copiar_entrada(fds[1]) < 0)
		error = true;
	/* Cerrar el extremo de escritura es lo que provoca el fin de fichero en el hijo. */
	if (close(fds[1]) < 0) {
		perror("padre: close");
		error = true;
	}
	int estado;
	if (esperar(pid, &estado) < 0) {
		perror("padre: waitpid");
		return 1;
	}
	if (!WIFEXITED(estado) || WEXITSTATUS(estado) != 0)
		return 1;
	return error ? 1 : 0;
}

int main(int argc, char *argv[])
{
	if (argc != 1) {
		fprintf(stderr, "uso: %s < ENTRADA\n", argv[0]);
		return 2;
	}

	int fds[2]; /* fds[0]: extremo de lectura; fds[1]: extremo de escritura */
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	/* Primero se crea al hijo y después se copia: si el padre copiara antes toda la
	 * entrada, con más de 64 KiB se bloquearía sin nadie que leyera de la tubería. */
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		close(fds[0]);
		close(fds[1]);
		return 1;
	}
	if (pid == 0) {
		/* Hijo: no escribe en la tubería. Si no cerrara su copia del extremo de
		 * escritura, su read() nunca devolvería 0 y se quedaría bloqueado. */
		if (close(fds[1]) < 0) {
			perror("hijo: close");
			exit(1);
		}
		exit(hijo(fds[0]));
	}
	return padre(fds, pid);
}
