/*
 * fan-in.c: solución de referencia del ejercicio 06-fan-in.
 *
 * Cómo funciona:
 *
 *     hijo 1 --write--\
 *     hijo 2 --write---> fds[1] ==== una tubería ==== fds[0] --read--> padre --printf--> stdout
 *       ...            /
 *     hijo K --write--/
 *
 * El padre crea UNA tubería y K hijos. El hijo I (de 1 a K) escribe M líneas
 * "hijo I línea J\n" (J de 1 a M) en la tubería compartida. El padre lee hasta el fin de
 * fichero, cuenta las líneas bien formadas de cada hijo y, tras esperar a todos, imprime
 * "hijo I: C líneas\n" para cada hijo en orden (C las líneas que recibió de él).
 *
 * Dos lecciones de tuberías:
 *
 *   - Escrituras atómicas. Con varios escritores en la misma tubería, los bytes de sus
 *     write() pueden mezclarse. POSIX garantiza que un write() de hasta PIPE_BUF bytes
 *     (4096 en Linux) en una tubería llega entero y seguido, sin bytes de otros procesos en
 *     medio. Por eso cada hijo escribe cada línea con UN solo write(): una línea escrita a
 *     trozos (o con printf() sobre la tubería, que vacía su búfer donde le parece) podría
 *     quedar partida por las líneas de otro hijo.
 *
 *   - Fin de fichero con muchos escritores. read() devuelve 0 solo cuando se han cerrado
 *     TODOS los extremos de escritura: los de los K hijos y el del padre. Si el padre no
 *     cerrara el suyo, esperaría para siempre un fin de fichero que él mismo impide.
 *
 * Además, K × M líneas pueden no caber en la tubería (64 KiB): el padre lee mientras los
 * hijos escriben, y solo espera a los hijos cuando llega el fin de fichero.
 *
 * Estado de salida: 0 si todo fue bien; 1 si falló una llamada al sistema o algún hijo
 * terminó mal; 2 si el uso es incorrecto. Las líneas mal formadas no cambian el estado: se
 * notan en los totales (y se avisan en stderr).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define K_MAX 1000UL    /* hijos como mucho */
#define M_MAX 1000000UL /* líneas por hijo como mucho */
#define LINEA_MAX 64    /* cabe la más larga, "hijo 1000 línea 1000000\n" (25 bytes) */
#define TROZO 4096      /* bytes que el padre lee de una vez */

/* Una línea de hasta PIPE_BUF bytes escrita con un solo write() no se mezcla con otras. */
_Static_assert(LINEA_MAX <= PIPE_BUF, "una línea debe caber en PIPE_BUF");

static const char PREFIJO[] = "hijo ";
static const char MEDIO[] = " línea ";

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

/* Escribe la línea de len bytes (len <= PIPE_BUF) en fd con UNA llamada a write(), que en
 * una tubería es atómica: o escribe la línea entera de una vez o nada. Si una señal la
 * interrumpe antes de escribir nada (EINTR), se repite. Una escritura parcial no puede
 * ocurrir con len <= PIPE_BUF; si ocurriera, la línea ya no sería atómica y se trata como
 * un error en lugar de escribir el resto por separado. Devuelve 0, o -1 con errno. */
static int escribir_linea(int fd, const char *linea, size_t len)
{
	ssize_t n;
	do
		n = write(fd, linea, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EIO;
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

/* Lo que hace el hijo i: escribe sus m líneas en fd, cada una con un solo write(), y cierra
 * fd. Devuelve su estado de salida: 0, o 1 si algo falló. */
static int hijo(int fd, unsigned long i, unsigned long m)
{
	char linea[LINEA_MAX];
	int estado = 0;

	for (unsigned long j = 1; j <= m; j++) {
		int len = snprintf(linea, sizeof linea, "%s%lu%s%lu\n", PREFIJO, i, MEDIO, j);
		if (len < 0 || (size_t)len >= sizeof linea) {
			fprintf(stderr, "hijo %lu: línea demasiado larga\n", i);
			estado = 1;
			break;
		}
		if (escribir_linea(fd, linea, (size_t)len) < 0) {
			fprintf(stderr, "hijo %lu: write: %s\n", i, strerror(errno));
			estado = 1;
			break;
		}
	}
	if (close(fd) < 0) {
		fprintf(stderr, "hijo %lu: close: %s\n", i, strerror(errno));
		estado = 1;
	}
	return estado;
}

/* Lee en *n un número decimal de [*p, fin): al menos una cifra, sin ceros a la izquierda
 * (así lo escribe printf()), de 1 a max. Avanza *p tras la última cifra. Devuelve true si
 * lo encuentra. */
static bool leer_decimal(const char **p, const char *fin, unsigned long max, unsigned long *n)
{
	const char *s = *p;
	unsigned long v = 0;

	if (s == fin || *s < '1' || *s > '9')
		return false;
	while (s < fin && *s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return false;
		s++;
	}
	*p = s;
	*n = v;
	return true;
}

/* Comprueba que los len bytes de s (sin el '\n') son exactamente "hijo I línea J", con I
 * de 1 a k y J de 1 a m. Devuelve I, o 0 si la línea está mal formada (por ejemplo,
 * partida por las líneas de otro hijo). */
static unsigned long hijo_de_linea(const char *s, size_t len, unsigned long k, unsigned long m)
{
	const char *p = s, *fin = s + len;
	unsigned long i, j;

	if ((size_t)(fin - p) < sizeof PREFIJO - 1 || memcmp(p, PREFIJO, sizeof PREFIJO - 1) != 0)
		return 0;
	p += sizeof PREFIJO - 1;
	if (!leer_decimal(&p, fin, k, &i))
		return 0;
	if ((size_t)(fin - p) < sizeof MEDIO - 1 || memcmp(p, MEDIO, sizeof MEDIO - 1) != 0)
		return 0;
	p += sizeof MEDIO - 1;
	if (!leer_decimal(&p, fin, m, &j) || p != fin)
		return 0;
	return i;
}

/* Las líneas que el padre va reconstruyendo: una línea puede llegar partida entre dos
 * read(), así que se guarda el trozo hasta que llega su '\n'. */
struct contador {
	unsigned long k, m;      /* hijos y líneas por hijo */
	unsigned long *lineas;   /* lineas[i - 1]: líneas bien formadas del hijo i */
	unsigned long rotas;     /* líneas mal formadas */
	char linea[LINEA_MAX];   /* la línea en curso, sin el '\n' */
	size_t largo;            /* bytes guardados de la línea en curso */
	bool demasiado_larga;    /* la línea en curso no cabe en linea[]: está mal formada */
};

/* Da por terminada la línea en curso: la cuenta para su hijo o como mal formada. */
static void contador_fin_linea(struct contador *c)
{
	unsigned long i = c->demasiado_larga ? 0 : hijo_de_linea(c->linea, c->largo, c->k, c->m);
	if (i > 0)
		c->lineas[i - 1]++;
	else
		c->rotas++;
	c->largo = 0;
	c->demasiado_larga = false;
}

/* Añade los len bytes de buf, que pueden contener varias líneas y trozos de línea. */
static void contador_anadir(struct contador *c, const char *buf, size_t len)
{
	for (size_t j = 0; j < len; j++) {
		if (buf[j] == '\n')
			contador_fin_linea(c);
		else if (c->largo < sizeof c->linea)
			c->linea[c->largo++] = buf[j];
		else
			c->demasiado_larga = true;
	}
}

/* Lee fd hasta el fin de fichero y cuenta las líneas de cada hijo en c. Un trozo final sin
 * '\n' cuenta como línea mal formada. Devuelve 0, o -1 con errno si read() falla. */
static int contar_lineas(int fd, struct contador *c)
{
	char buf[TROZO];
	ssize_t n;

	while ((n = leer(fd, buf, sizeof buf)) > 0)
		contador_anadir(c, buf, (size_t)n);
	if (n < 0)
		return -1;
	if (c->largo > 0 || c->demasiado_larga)
		contador_fin_linea(c);
	return 0;
}

/* Crea los k hijos, que escriben en fds[1]; guarda sus pids en pids[] y cuántos creó en
 * *creados. Devuelve 0, o -1 si fork() falla (los ya creados siguen y hay que esperarlos). */
static int crear_hijos(const int fds[2], unsigned long k, unsigned long m, pid_t *pids,
		       unsigned long *creados)
{
	for (*creados = 0; *creados < k; (*creados)++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return -1;
		}
		if (pid == 0) {
			/* Hijo: solo escribe. Cierra el extremo de lectura, que no usa. */
			if (close(fds[0]) < 0) {
				perror("hijo: close");
				close(fds[1]);
				exit(1);
			}
			exit(hijo(fds[1], *creados + 1, m));
		}
		pids[*creados] = pid;
	}
	return 0;
}

/* Espera a los n hijos de pids[]. Devuelve 0 si todos terminaron con 0, o -1 si no. */
static int esperar_hijos(const pid_t *pids, unsigned long n)
{
	int resultado = 0;

	for (unsigned long i = 0; i < n; i++) {
		int estado;
		if (esperar(pids[i], &estado) < 0) {
			perror("waitpid");
			resultado = -1;
		} else if (!WIFEXITED(estado) || WEXITSTATUS(estado) != 0) {
			fprintf(stderr, "fan-in: el hijo %lu terminó mal\n", i + 1);
			resultado = -1;
		}
	}
	return resultado;
}

/* Imprime "hijo I: C líneas" para cada hijo, en orden. Devuelve 0, o -1 si stdout falla. */
static int imprimir(const struct contador *c)
{
	for (unsigned long i = 0; i < c->k; i++)
		printf("hijo %lu: %lu líneas\n", i + 1, c->lineas[i]);
	if (fflush(stdout) == EOF) {
		perror("stdout");
		return -1;
	}
	if (c->rotas > 0)
		fprintf(stderr, "fan-in: %lu líneas mal formadas (¿escritas a trozos?)\n", c->rotas);
	return 0;
}

/* Explica el uso en stderr. Devuelve el estado de salida de un uso incorrecto (2). */
static int uso(const char *programa)
{
	fprintf(stderr, "uso: %s K M\n"
		"  K: número de hijos (entero decimal de 1 a %lu)\n"
		"  M: líneas que escribe cada hijo (entero decimal de 0 a %lu)\n",
		programa, K_MAX, M_MAX);
	return 2;
}

int main(int argc, char *argv[])
{
	unsigned long k, m;

	if (argc != 3)
		return uso(argv[0]);
	if (leer_numero(argv[1], K_MAX, &k) < 0 || k == 0) {
		fprintf(stderr, "%s: K («%s») debe ser un entero decimal de 1 a %lu\n", argv[0],
			argv[1], K_MAX);
		return uso(argv[0]);
	}
	if (leer_numero(argv[2], M_MAX, &m) < 0) {
		fprintf(stderr, "%s: M («%s») debe ser un entero decimal de 0 a %lu\n", argv[0],
			argv[2], M_MAX);
		return uso(argv[0]);
	}

	struct contador c = {.k = k, .m = m};
	c.lineas = calloc(k, sizeof c.lineas[0]);
	pid_t *pids = malloc(k * sizeof pids[0]);
	if (c.lineas == NULL || pids == NULL) {
		perror("malloc");
		free(c.lineas);
		free(pids);
		return 1;
	}

	int fds[2]; /* fds[0]: extremo de lectura; fds[1]: extremo de escritura */
	if (pipe(fds) < 0) {
		perror("pipe");
		free(c.lineas);
		free(pids);
		return 1;
	}

	bool error = false;
	unsigned long creados;
	if (crear_hijos(fds, k, m, pids, &creados) < 0)
		error = true;

	/* El padre no escribe: cierra su extremo de escritura ya. Si no, read() nunca
	 * devolvería 0, porque un extremo de escritura (el suyo) seguiría abierto. */
	if (close(fds[1]) < 0) {
		perror("padre: close");
		error = true;
	}
	/* Lee mientras los hijos escriben: lo que escriben puede no caber en la tubería. */
	if (contar_lineas(fds[0], &c) < 0) {
		perror("padre: read");
		error = true;
	}
	if (close(fds[0]) < 0) {
		perror("padre: close");
		error = true;
	}
	/* Solo ahora, con el fin de fichero leído, espera a todos los hijos. */
	if (esperar_hijos(pids, creados) < 0)
		error = true;
	if (imprimir(&c) < 0)
		error = true;

	free(c.lineas);
	free(pids);
	return error ? 1 : 0;
}
