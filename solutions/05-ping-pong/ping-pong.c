/*
 * ping-pong.c: solución de referencia del ejercicio 05-ping-pong.
 *
 * Cómo funciona:
 *
 *              ping[1] ==== tubería «ping» ==== ping[0]
 *     padre --write-->                          --read--> hijo
 *           <--read--                           <--write--
 *              pong[0] ==== tubería «pong» ==== pong[1]
 *
 * El padre envía N mensajes de SIZE bytes por «ping»; el byte j del mensaje i (los dos
 * desde 0) vale 'a' + (i + j) % 26. El hijo contesta cada mensaje en mayúsculas por «pong».
 * El padre lee cada respuesta entera, comprueba cada byte y, al final, imprime
 * "N rondas OK\n".
 *
 * El diseño que evita el interbloqueo: el hijo lee el mensaje ENTERO antes de contestar.
 * Cada tubería guarda como mucho 64 KiB. Si el hijo contestara a trozos mientras lee, con
 * SIZE mayor que la tubería su write() en «pong» se bloquearía al llenarla (el padre
 * todavía está escribiendo el mensaje y no lee «pong»), dejaría de leer «ping», y el
 * write() del padre en «ping» se bloquearía también: los dos escribiendo, nadie leyendo.
 * Con el mensaje entero en memoria, mientras el padre escribe el hijo solo lee, y mientras
 * el hijo contesta el padre solo lee: en cada momento el que escribe tiene enfrente a
 * alguien que lee. El precio es que el hijo guarda SIZE bytes en memoria; por eso SIZE
 * está limitado a 16 MiB.
 *
 * Por la misma razón el padre no envía el mensaje i + 1 hasta haber leído la respuesta i.
 *
 * El hijo contesta hasta que lee el fin de fichero en «ping», que llega cuando el padre
 * cierra su extremo de escritura tras la última ronda.
 *
 * Estado de salida: 0 si las N respuestas eran correctas; 1 si alguna no lo era (con un
 * mensaje en stderr), si falló una llamada al sistema o si el hijo terminó mal; 2 si el uso
 * es incorrecto.
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

#define TROZO 16384              /* bytes que el padre envía o lee de una vez */
#define SIZE_MAX_MENSAJE 16777216 /* 16 MiB: el hijo guarda un mensaje entero */

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

/* Lee de fd hasta llenar los len bytes de buf: read() puede devolver menos de lo pedido
 * (lecturas cortas), así que se repite con lo que falta. Devuelve los bytes leídos, que
 * solo son menos de len si llegó antes el fin de fichero, o -1 con errno. */
static ssize_t leer_todo(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t leidos = 0;
	while (leidos < len) {
		ssize_t n = leer(fd, p + leidos, len - leidos);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		leidos += (size_t)n;
	}
	return (ssize_t)leidos;
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

/* El byte j del mensaje i: 'a' + (i + j) % 26. La respuesta es el mismo byte en mayúscula. */
static unsigned char byte_mensaje(unsigned long long i, unsigned long long j)
{
	return (unsigned char)('a' + (i + j) % 26);
}

/* Cierra fd avisando si falla. Devuelve 0, o -1. */
static int cerrar(int fd, const char *quien)
{
	if (close(fd) < 0) {
		fprintf(stderr, "%s: close: %s\n", quien, strerror(errno));
		return -1;
	}
	return 0;
}

/* Lo que hace el hijo: lee mensajes de size bytes de fd_ping y contesta cada uno en
 * mayúsculas por fd_pong, hasta el fin de fichero. Lee cada mensaje ENTERO antes de
 * contestar (ver el comentario del principio). Devuelve su estado de salida: 0 si el fin
 * de fichero llegó entre dos mensajes; 1 si llegó a medio mensaje o si algo falló. */
static int hijo(int fd_ping, int fd_pong, size_t size)
{
	unsigned char *mensaje = malloc(size);
	int estado = 0;
	if (mensaje == NULL) {
		perror("hijo: malloc");
		estado = 1;
	}
	while (mensaje != NULL) {
		ssize_t n = leer_todo(fd_ping, mensaje, size);
		if (n < 0) {
			perror("hijo: read");
			estado = 1;
			break;
		}
		if (n == 0)
			break; /* fin de fichero: el padre no enviará más mensajes */
		if ((size_t)n < size) {
			fprintf(stderr, "hijo: mensaje incompleto (%zd de %zu bytes)\n", n, size);
			estado = 1;
			break;
		}
		for (size_t j = 0; j < size; j++)
			mensaje[j] = (unsigned char)toupper(mensaje[j]);
		if (escribir_todo(fd_pong, mensaje, size) < 0) {
			perror("hijo: write");
			estado = 1;
			break;
		}
	}
	free(mensaje);
	if (cerrar(fd_ping, "hijo") < 0)
		estado = 1;
	if (cerrar(fd_pong, "hijo") < 0)
		estado = 1;
	return estado;
}

/* Envía por fd el mensaje i, de size bytes, generado trozo a trozo. Devuelve 0, o -1 con
 * errno. */
static int enviar_mensaje(int fd, unsigned long long i, unsigned long long size)
{
	unsigned char buf[TROZO];
	unsigned long long enviados = 0;

	while (enviados < size) {
		size_t len = size - enviados < sizeof buf ? (size_t)(size - enviados) : sizeof buf;
		for (size_t j = 0; j < len; j++)
			buf[j] = byte_mensaje(i, enviados + j);
		if (escribir_todo(fd, buf, len) < 0)
			return -1;
		enviados += len;
	}
	return 0;
}

/* Lee por fd la respuesta al mensaje i, size bytes, a trozos, sin pasar de su final, y
 * comprueba cada byte. Devuelve 0 si era correcta, 1 si no (lo explica en stderr), o -1 si
 * falló read() o el hijo cerró la tubería antes de terminar la respuesta. */
static int recibir_respuesta(int fd, unsigned long long i, unsigned long long size)
{
	unsigned char buf[TROZO];
	unsigned long long recibidos = 0;
	bool correcta = true;

	while (recibidos < size) {
		size_t pedir = size - recibidos < sizeof buf ? (size_t)(size - recibidos) : sizeof buf;
		ssize_t n = leer(fd, buf, pedir);
		if (n < 0) {
			perror("padre: read");
			return -1;
		}
		if (n == 0) {
			fprintf(stderr, "padre: el hijo cerró la tubería a mitad de la respuesta %llu "
				"(%llu de %llu bytes)\n", i, recibidos, size);
			return -1;
		}
		for (size_t j = 0; j < (size_t)n; j++) {
			unsigned char esperado = (unsigned char)toupper(byte_mensaje(i, recibidos + j));
			if (correcta && buf[j] != esperado) {
				fprintf(stderr, "padre: respuesta %llu incorrecta: el byte %llu vale "
					"0x%02x y debía ser '%c'\n", i, recibidos + j, buf[j], esperado);
				correcta = false;
			}
		}
		recibidos += (unsigned long long)n;
	}
	return correcta ? 0 : 1;
}

/* Lo que hace el padre: cierra los extremos que no usa, juega las n rondas, cierra los
 * suyos (el hijo recibe así el fin de fichero) y espera al hijo. Aunque algo falle, cierra
 * y espera igualmente, para no dejar al hijo bloqueado ni sin recoger. Devuelve el estado de
 * salida del programa. */
static int padre(const int ping[2], const int pong[2], pid_t pid, unsigned long long n,
		 unsigned long long size)
{
	bool error = false;

	/* El padre escribe en «ping» y lee de «pong»: cierra los otros dos extremos. */
	if (cerrar(ping[0], "padre") < 0)
		error = true;
	if (cerrar(pong[1], "padre") < 0)
		error = true;

	/* Una ronda: enviar el mensaje entero y después leer la respuesta entera. Tras una
	 * respuesta incorrecta no se sigue: el padre deja de enviar. */
	for (unsigned long long i = 0; i < n && !error; i++) {
		if (enviar_mensaje(ping[1], i, size) < 0) {
			perror("padre: write");
			error = true;
		} else if (recibir_respuesta(pong[0], i, size) != 0) {
			error = true;
		}
	}

	/* Cerrar el extremo de escritura de «ping» da al hijo el fin de fichero. */
	if (cerrar(ping[1], "padre") < 0)
		error = true;
	if (cerrar(pong[0], "padre") < 0)
		error = true;
	int estado;
	if (esperar(pid, &estado) < 0) {
		perror("padre: waitpid");
		return 1;
	}
	if (!WIFEXITED(estado)) {
		fprintf(stderr, "padre: el hijo murió por la señal %d\n", WTERMSIG(estado));
		return 1;
	}
	if (WEXITSTATUS(estado) != 0) {
		fprintf(stderr, "padre: el hijo terminó con estado %d\n", WEXITSTATUS(estado));
		return 1;
	}
	if (error)
		return 1;
	printf("%llu rondas OK\n", n);
	if (fflush(stdout) == EOF) {
		perror("padre: stdout");
		return 1;
	}
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

	/* Si el otro proceso muriera, write() fallaría con EPIPE en lugar de matar a quien
	 * escribe con SIGPIPE: así puede informar, y el padre esperar al hijo igualmente. El
	 * hijo hereda esta disposición. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("signal");
		return 1;
	}

	int ping[2], pong[2]; /* [0]: extremo de lectura; [1]: extremo de escritura */
	if (pipe(ping) < 0) {
		perror("pipe");
		return 1;
	}
	if (pipe(pong) < 0) {
		perror("pipe");
		close(ping[0]);
		close(ping[1]);
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		close(ping[0]);
		close(ping[1]);
		close(pong[0]);
		close(pong[1]);
		return 1;
	}
	if (pid == 0) {
		/* Hijo: lee de «ping» y escribe en «pong». Si no cerrara su copia del extremo
		 * de escritura de «ping», nunca vería el fin de fichero. */
		int estado = 0;
		if (cerrar(ping[1], "hijo") < 0)
			estado = 1;
		if (cerrar(pong[0], "hijo") < 0)
			estado = 1;
		int estado_hijo = hijo(ping[0], pong[1], (size_t)size);
		exit(estado != 0 ? estado : estado_hijo);
	}
	return padre(ping, pong, pid, n, size);
}
