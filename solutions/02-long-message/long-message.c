/*
 * long-message.c: solución de referencia del ejercicio 02-long-message.
 *
 * Cómo funciona:
 *
 *     padre --write--> fds[1] ==== tubería ==== fds[0] --read--> hijo --printf--> stdout
 *
 * El padre envía N bytes por la tubería; el byte i vale 'a' + i % 26 ("abc...zabc...").
 * El hijo lee hasta fin de fichero, comprueba cada byte y cuenta los recibidos; al final
 * imprime "Hijo recibió N bytes\n".
 *
 * La tubería tiene un búfer limitado (64 KiB en Linux). Si N es mayor, write() bloquea al
 * padre hasta que el hijo lee: los dos procesos tienen que trabajar a la vez. Por eso el
 * padre crea al hijo antes de escribir nada y no lo espera hasta haber cerrado su extremo
 * de escritura. Nunca hace falta tener los N bytes en memoria: se envían y se comprueban
 * por trozos.
 *
 * Estado de salida: el del hijo, que es 0 si recibió exactamente N bytes y todos eran los
 * esperados, y 1 si no. También 1 si falla una llamada al sistema o si el hijo muere por
 * una señal. 2 si el uso es incorrecto (falta N, sobra algún argumento o N no es un entero
 * decimal sin signo).
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

#define TROZO 16384 /* bytes que se envían o leen de una vez */

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

/* El byte que debe ocupar la posición i del mensaje. */
static unsigned char byte_esperado(unsigned long long i)
{
	return (unsigned char)('a' + i % 26);
}

/* Lo que hace el hijo: lee de fd hasta fin de fichero, comprobando cada byte, e imprime
 * cuántos recibió. Devuelve su estado de salida: 0 si recibió exactamente n bytes y todos
 * eran los esperados; 1 si no, o si falla una llamada al sistema. */
static int hijo(int fd, unsigned long long n)
{
	unsigned char buf[TROZO];
	unsigned long long recibidos = 0;
	bool correcto = true;
	ssize_t leidos;

	/* Los datos llegan en trozos de tamaño imprevisible: se lee en bucle hasta que
	 * read() devuelva 0, es decir, hasta que no quede ningún extremo de escritura
	 * abierto y la tubería esté vacía. */
	while ((leidos = leer(fd, buf, sizeof buf)) > 0) {
		for (size_t j = 0; j < (size_t)leidos; j++)
			if (buf[j] != byte_esperado(recibidos + j))
				correcto = false;
		recibidos += (unsigned long long)leidos;
	}
	if (leidos < 0) {
		perror("hijo: read");
		return 1;
	}
	if (close(fd) < 0) {
		perror("hijo: close");
		return 1;
	}
	printf("Hijo recibió %llu bytes\n", recibidos);
	if (fflush(stdout) == EOF) {
		perror("hijo: stdout");
		return 1;
	}
	return correcto && recibidos == n ? 0 : 1;
}

/* Envía por fd los n bytes del mensaje, generados trozo a trozo. Devuelve 0, o -1 con
 * errno. Cuando la tubería está llena, write() bloquea hasta que el hijo lee. */
static int enviar(int fd, unsigned long long n)
{
	unsigned char buf[TROZO];
	unsigned long long enviados = 0;

	while (enviados < n) {
		size_t len = n - enviados < sizeof buf ? (size_t)(n - enviados) : sizeof buf;
		for (size_t j = 0; j < len; j++)
			buf[j] = byte_esperado(enviados + j);
		if (escribir_todo(fd, buf, len) < 0)
			return -1;
		enviados += len;
	}
	return 0;
}

/* Lo que hace el padre: cierra el extremo de lectura, envía el mensaje, cierra el de
 * escritura y espera al hijo. Aunque algo falle, cierra y espera igualmente, para no dejar
 * al hijo bloqueado ni sin recoger. Devuelve el estado de salida del programa. */
static int padre(const int fds[2], unsigned long long n, pid_t pid)
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
	if (!error && enviar(fds[1], n) < 0) {
		perror("padre: write");
		error = true;
	}
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
	if (!WIFEXITED(estado)) {
		fprintf(stderr, "padre: el hijo murió por la señal %d\n", WTERMSIG(estado));
		return 1;
	}
	if (error)
		return 1;
	/* El estado del programa es el del hijo: 0 si todo llegó bien, 1 si no. */
	return WEXITSTATUS(estado);
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

	int fds[2]; /* fds[0]: extremo de lectura; fds[1]: extremo de escritura */
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	/* Primero se crea al hijo y después se escribe: si el padre escribiera antes, con
	 * N mayor que el búfer de la tubería se bloquearía sin nadie que leyera. */
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
		exit(hijo(fds[0], n));
	}
	return padre(fds, n, pid);
}
