/*
 * sigpipe.c: solución de referencia del ejercicio 07-sigpipe.
 *
 * Uso: sigpipe N
 *
 * Cómo funciona:
 *
 *     padre --write--> fds[1] ==== tubería ==== fds[0] --read--> hijo (lee N líneas y sale)
 *
 * El hijo lee de la tubería hasta contar N saltos de línea y termina (con 0), cerrando así
 * el único extremo de lectura que quedaba. El padre escribe líneas numeradas ("línea 1\n",
 * "línea 2\n", ...) sin parar; no sabe cuántas leerá el hijo. Se entera de que el lector se
 * fue porque write() falla: escribir en una tubería sin ningún extremo de lectura abierto
 * envía al escritor la señal SIGPIPE, que por omisión lo mata. Por eso el padre ignora SIGPIPE
 * (SIG_IGN) y así write() devuelve -1 con errno == EPIPE. Entonces deja de escribir, espera
 * al hijo e imprime "el lector cerró después de N líneas".
 *
 * Para que write() falle es imprescindible que el padre cierre SU copia del extremo de
 * lectura: si la conservara, la tubería nunca se quedaría sin lectores, y el padre, al
 * llenarla (64 KiB), se bloquearía en write() para siempre.
 *
 * Estado de salida: 0 si todo fue bien (el hijo terminó con 0 y la escritura acabó con
 * EPIPE); 1 si falló una llamada al sistema, el hijo terminó mal o write() falló por otra
 * causa; 2 si el uso es incorrecto (falta N, sobra un argumento o N no es un entero positivo).
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

#define TROZO 4096 /* bytes que el hijo lee de una vez */

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

/* Escribe los len bytes de buf en fd, continuando tras una escritura parcial o un EINTR.
 * Devuelve 0, o -1 con errno si write() falla (EPIPE cuando ya no queda ningún lector). */
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

/* Convierte el texto s en un entero positivo en *n. Solo acepta dígitos decimales (nada de
 * signos, espacios ni texto detrás), sin el 0, y valores que caben en un unsigned long long.
 * Devuelve 0, o -1 si s no es válido. */
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
	if (errno == ERANGE || *fin != '\0' || *n == 0)
		return -1;
	return 0;
}

/* Lo que hace el hijo: lee de fd hasta contar n saltos de línea y termina. Puede que la
 * última lectura traiga bytes de las líneas siguientes: no importa, se descartan. Devuelve
 * su estado de salida: 0, o 1 si falla una llamada o llega el fin de fichero antes de tiempo
 * (no debería: el padre escribe sin parar). */
static int hijo(int fd, unsigned long long n)
{
	char buf[TROZO];
	unsigned long long lineas = 0;

	while (lineas < n) {
		ssize_t leidos = leer(fd, buf, sizeof buf);
		if (leidos < 0) {
			perror("hijo: read");
			return 1;
		}
		if (leidos == 0) {
			fprintf(stderr, "hijo: fin de fichero tras %llu líneas\n", lineas);
			return 1;
		}
		for (ssize_t i = 0; i < leidos && lineas < n; i++)
			if (buf[i] == '\n')
				lineas++;
	}
	/* Al cerrar el extremo de lectura (también lo haría exit), la tubería se queda sin
	 * lectores: el siguiente write() del padre fallará con EPIPE. */
	if (close(fd) < 0) {
		perror("hijo: close");
		return 1;
	}
	return 0;
}

/* Escribe en fd "línea 1\n", "línea 2\n", ... hasta que write() falle. Devuelve 0 si falló
 * con EPIPE (el lector se fue: lo esperado), o -1 con un mensaje si falló por otra causa. */
static int escribir_lineas(int fd)
{
	char linea[64];
	for (unsigned long long i = 1;; i++) {
		int len = snprintf(linea, sizeof linea, "línea %llu\n", i);
		if (escribir_todo(fd, linea, (size_t)len) < 0) {
			if (errno == EPIPE)
				return 0;
			perror("padre: write");
			return -1;
		}
	}
}

/* Lo que hace el padre: cierra el extremo de lectura, escribe hasta que el lector se va,
 * cierra el de escritura, espera al hijo e informa. Aunque algo falle, cierra y espera
 * igualmente, para no dejar al hijo sin recoger. Devuelve el estado de salida del programa. */
static int padre(const int fds[2], pid_t pid, unsigned long long n)
{
	bool error = false;

	/* Si el padre conservara su extremo de lectura, la tubería siempre tendría un lector
	 * y write() nunca fallaría: se bloquearía para siempre al llenarla. */
	if (close(fds[0]) < 0) {
		perror("padre: close");
		error = true;
	}
	/* Sin esto, el primer write() sin lectores mataría al padre con SIGPIPE. Ignorada la
	 * señal, write() devuelve -1 con errno == EPIPE. (También valdría un manejador.) */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("padre: signal");
		error = true;
	}
	if (!error && escribir_lineas(fds[1]) < 0)
		error = true;
	if (close(fds[1]) < 0) {
		perror("padre: close");
		error = true;
	}
	int estado;
	if (esperar(pid, &estado) < 0) {
		perror("padre: waitpid");
		return 1;
	}
	if (!WIFEXITED(estado) || WEXITSTATUS(estado) != 0) {
		fprintf(stderr, "padre: el hijo no terminó bien\n");
		return 1;
	}
	if (error)
		return 1;
	/* El hijo leyó exactamente las N líneas que se le pidieron. */
	printf("el lector cerró después de %llu líneas\n", n);
	if (fflush(stdout) == EOF) {
		perror("padre: stdout");
		return 1;
	}
	return 0;
}

/* Explica el uso en stderr. Devuelve el estado de salida de un uso incorrecto (2). */
static int uso(const char *programa)
{
	fprintf(stderr, "uso: %s N\n"
		"  N: número de líneas que lee el hijo antes de cerrar (entero decimal >= 1)\n",
		programa);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long long n;

	if (argc != 2)
		return uso(argv[0]);
	if (leer_numero(argv[1], &n) < 0) {
		fprintf(stderr, "%s: «%s» no es un entero positivo\n", argv[0], argv[1]);
		return uso(argv[0]);
	}

	int fds[2]; /* fds[0]: extremo de lectura; fds[1]: extremo de escritura */
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	/* Nada en el búfer de stdout todavía: el hijo no heredará texto que imprimir dos veces. */
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		close(fds[0]);
		close(fds[1]);
		return 1;
	}
	if (pid == 0) {
		/* Hijo: no escribe en la tubería. */
		if (close(fds[1]) < 0) {
			perror("hijo: close");
			exit(1);
		}
		exit(hijo(fds[0], n));
	}
	return padre(fds, pid, n);
}
