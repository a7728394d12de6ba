/*
 * turnos.c: solución de referencia del ejercicio 09-turnos.
 *
 * Cómo funciona:
 *
 *              al_hijo[1] ==== tubería «al hijo» ==== al_hijo[0]
 *     padre --write(testigo)-->                       --read--> hijo
 *           <--read--                                 <--write(testigo)--
 *              al_padre[0] ==== tubería «al padre» ==== al_padre[1]
 *
 *     padre e hijo escriben sus líneas en la misma salida estándar, por turnos.
 *
 * El padre y el hijo juegan N rondas. En la ronda i el padre escribe "padre i" y pasa el
 * turno al hijo escribiendo un byte (el testigo) en «al hijo»; el hijo, que esperaba ese
 * byte en read(), escribe "hijo i" y devuelve el testigo por «al padre»; el padre, que lo
 * esperaba en read(), pasa a la ronda siguiente. Tras la ronda N el padre cierra «al hijo»:
 * el hijo lee el fin de fichero en lugar de un testigo y termina. El padre lo espera y
 * escribe "fin".
 *
 * Tres detalles hacen que el orden sea siempre el mismo, se ejecuten los procesos en el
 * orden que se ejecuten:
 *
 *   - El orden sale de las tuberías. Quien no tiene el turno está bloqueado en read()
 *     esperando el testigo: no puede escribir nada hasta que el otro se lo pase. Ni sleep()
 *     ni "el otro ya habrá terminado": eso solo ordena si la máquina va como uno espera.
 *
 *   - fflush(stdout) ANTES de pasar el testigo. Cuando la salida estándar no es un terminal
 *     (una tubería, un fichero), stdio guarda lo escrito con printf() en un búfer y lo envía
 *     cuando se llena o al terminar el proceso: la línea saldría después de las del otro.
 *
 *   - El padre escribe "fin" solo cuando tiene de vuelta el último testigo y ha esperado al
 *     hijo: entonces "hijo N" ya está escrita.
 *
 * Estado de salida: 0 si todo fue bien; 1 si falló una llamada al sistema o el hijo terminó
 * mal; 2 si el uso es incorrecto.
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

#define N_MAX 100000UL /* rondas como mucho */

static const char TESTIGO = 't'; /* el byte que pasa el turno; su valor da igual */

/* Espera el testigo en fd: lee UN byte. Repite la lectura si una señal la interrumpe.
 * Devuelve 1 si llegó el testigo, 0 si llegó el fin de fichero (el otro cerró su extremo), o
 * -1 con errno. */
static int esperar_testigo(int fd)
{
	char c;
	ssize_t n;
	do
		n = read(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -1 : (int)n;
}

/* Pasa el testigo por fd: escribe UN byte. Repite si una señal interrumpe la escritura.
 * Devuelve 0, o -1 con errno (EPIPE si el otro ya cerró su extremo de lectura). */
static int pasar_testigo(int fd)
{
	ssize_t n;
	do
		n = write(fd, &TESTIGO, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

/* Escribe "quien i\n" en la salida estándar y la vacía: la línea tiene que estar fuera del
 * búfer de stdio antes de pasar el testigo. Devuelve 0, o -1 si stdout falla. */
static int escribir_linea(const char *quien, unsigned long i)
{
	if (printf("%s %lu\n", quien, i) < 0 || fflush(stdout) == EOF) {
		fprintf(stderr, "%s: stdout: %s\n", quien, strerror(errno));
		return -1;
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

/* Cierra fd avisando si falla. Devuelve 0, o -1. */
static int cerrar(int fd, const char *quien)
{
	if (close(fd) < 0) {
		fprintf(stderr, "%s: close: %s\n", quien, strerror(errno));
		return -1;
	}
	return 0;
}

/* Convierte el texto s en un entero sin signo en *n. Solo acepta dígitos decimales (nada de
 * signos, espacios ni texto detrás) y valores de 0 a max. Devuelve 0, o -1 si s no es
 * válido. */
static int leer_numero(const char *s, unsigned long max, unsigned long *n)
{
	if (*s == '\0')
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	char *fin;
	unsigned long long v = strtoull(s, &fin, 10);
	if (errno == ERANGE || *fin != '\0' || v > max)
		return -1;
	*n = (unsigned long)v;
	return 0;
}

/* Lo que hace el hijo: espera el testigo en fd_in, escribe su línea y lo devuelve por
 * fd_out, hasta leer el fin de fichero en fd_in. No necesita saber N. Devuelve su estado de
 * salida: 0, o 1 si algo falló. */
static int hijo(int fd_in, int fd_out)
{
	int estado = 0;

	for (unsigned long i = 1;; i++) {
		int r = esperar_testigo(fd_in);
		if (r < 0) {
			perror("hijo: read");
			estado = 1;
			break;
		}
		if (r == 0)
			break; /* fin de fichero: el padre no pasará más turnos */
		if (escribir_linea("hijo", i) < 0) {
			estado = 1;
			break;
		}
		if (pasar_testigo(fd_out) < 0) {
			perror("hijo: write");
			estado = 1;
			break;
		}
	}
	if (cerrar(fd_in, "hijo") < 0)
		estado = 1;
	if (cerrar(fd_out, "hijo") < 0)
		estado = 1;
	return estado;
}

/* Lo que hace el padre: cierra los extremos que no usa, juega las n rondas, cierra los suyos
 * (el hijo recibe así el fin de fichero) y espera al hijo. Aunque algo falle, cierra y espera
 * igualmente, para no dejar al hijo bloqueado ni sin recoger. Devuelve el estado de salida
 * del programa. */
static int padre(const int al_hijo[2], const int al_padre[2], pid_t pid, unsigned long n)
{
	bool error = false;
	int fd_out = al_hijo[1], fd_in = al_padre[0];

	/* El padre escribe en «al hijo» y lee de «al padre»: cierra los otros dos extremos. */
	if (cerrar(al_hijo[0], "padre") < 0)
		error = true;
	if (cerrar(al_padre[1], "padre") < 0)
		error = true;

	for (unsigned long i = 1; i <= n && !error; i++) {
		if (escribir_linea("padre", i) < 0) {
			error = true;
		} else if (pasar_testigo(fd_out) < 0) {
			perror("padre: write");
			error = true;
		} else {
			/* Bloqueado aquí hasta que el hijo haya escrito su línea. */
			int r = esperar_testigo(fd_in);
			if (r < 0) {
				perror("padre: read");
				error = true;
			} else if (r == 0) {
				fprintf(stderr, "padre: el hijo cerró «al padre» sin devolver el "
					"turno de la ronda %lu\n", i);
				error = true;
			}
		}
	}

	/* Cerrar «al hijo» da al hijo el fin de fichero: así sabe que se acabó. */
	if (cerrar(fd_out, "padre") < 0)
		error = true;
	if (cerrar(fd_in, "padre") < 0)
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
	if (printf("fin\n") < 0 || fflush(stdout) == EOF) {
		perror("padre: stdout");
		return 1;
	}
	return 0;
}

/* Explica el uso en stderr. Devuelve el estado de salida de un uso incorrecto (2). */
static int uso(const char *programa)
{
	fprintf(stderr, "uso: %s N\n"
		"  N: número de rondas (entero decimal de 1 a %lu)\n",
		programa, N_MAX);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long n;

	if (argc != 2)
		return uso(argv[0]);
	if (leer_numero(argv[1], N_MAX, &n) < 0 || n == 0) {
		fprintf(stderr, "%s: N («%s») debe ser un entero decimal de 1 a %lu\n", argv[0],
			argv[1], N_MAX);
		return uso(argv[0]);
	}

	/* Si el otro proceso muriera, write() fallaría con EPIPE en lugar de matar a quien
	 * escribe con SIGPIPE: así puede informar, y el padre esperar al hijo igualmente. El
	 * hijo hereda esta disposición. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("signal");
		return 1;
	}

	int al_hijo[2], al_padre[2]; /* [0]: extremo de lectura; [1]: extremo de escritura */
	if (pipe(al_hijo) < 0) {
		perror("pipe");
		return 1;
	}
	if (pipe(al_padre) < 0) {
		perror("pipe");
		close(al_hijo[0]);
		close(al_hijo[1]);
		return 1;
	}
	/* Nada pendiente en el búfer de stdout antes de fork(): el hijo heredaría una copia. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		close(al_hijo[0]);
		close(al_hijo[1]);
		close(al_padre[0]);
		close(al_padre[1]);
		return 1;
	}
	if (pid == 0) {
		/* Hijo: lee de «al hijo» y escribe en «al padre». Si no cerrara su copia del
		 * extremo de escritura de «al hijo», nunca vería el fin de fichero. */
		int estado = 0;
		if (cerrar(al_hijo[1], "hijo") < 0)
			estado = 1;
		if (cerrar(al_padre[0], "hijo") < 0)
			estado = 1;
		int estado_hijo = hijo(al_hijo[0], al_padre[1]);
		exit(estado != 0 ? estado : estado_hijo);
	}
	return padre(al_hijo, al_padre, pid, n);
}
