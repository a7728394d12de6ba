/*
 * pipeline.c: solución de referencia del ejercicio 04-pipeline.
 *
 * Uso: pipeline ORDEN1 ORDEN2 [ORDEN3 ...]
 *
 * Ejecuta las órdenes como lo haría el shell con `ORDEN1 | ORDEN2 | ...`. Cada ORDEN es un
 * solo argumento que se parte en palabras por los espacios (sin comillas ni escapes): la
 * primera palabra es el programa, que se busca en PATH (execvp), y las demás sus argumentos.
 *
 * Cómo funciona, con tres órdenes:
 *
 *     stdin --> hijo 1 --> tubería A --> hijo 2 --> tubería B --> hijo 3 --> stdout
 *
 * El padre crea las etapas de izquierda a derecha. Para la etapa i crea la tubería que la
 * une con la siguiente (si no es la última) y un hijo, que conecta con dup2() su entrada
 * estándar al extremo de lectura de la tubería anterior y su salida estándar al extremo de
 * escritura de la nueva, cierra los originales y ejecuta la orden. El padre, después de cada
 * fork(), cierra lo que ya no necesita: el extremo de lectura anterior (ya lo tiene el hijo)
 * y el extremo de escritura nuevo (solo escribe el hijo). Así nunca tiene abiertos más de dos
 * descriptores de tubería, y cada hijo empieza la orden solo con 0, 1 y 2.
 *
 * Por qué importa cerrar:
 *   - un lector solo ve el fin de fichero cuando se han cerrado TODOS los extremos de
 *     escritura: si el padre (o una etapa posterior, que lo heredaría) guardara uno, la última
 *     orden esperaría datos para siempre;
 *   - un escritor solo recibe SIGPIPE (o EPIPE) cuando se han cerrado TODOS los extremos de
 *     lectura: en `yes | head -n 1`, `yes` termina solo porque, cuando `head` sale, nadie
 *     más tiene el extremo de lectura de la tubería.
 *
 * Estado de salida: el de la última orden, como en el shell: su código de salida, 128 + N si
 * murió por la señal N, 127 si no se encontró el programa y 126 si se encontró pero no se
 * pudo ejecutar. 2 si el uso es incorrecto (menos de dos órdenes, o una orden vacía); 1 si
 * falla una llamada al sistema en el padre.
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

/* Una etapa de la tubería: la orden partida en palabras y el hijo que la ejecuta. */
struct etapa {
	char **argv;  /* palabras de la orden, terminadas en NULL (apuntan dentro de texto) */
	char *texto;  /* copia de la orden, con '\0' en lugar de los espacios que separan */
	pid_t pid;    /* el hijo que la ejecuta; -1 si todavía no existe */
};

/* Parte la orden s por los espacios y deja las palabras en e. Varios espacios seguidos, o al
 * principio o al final, no crean palabras vacías. Devuelve el número de palabras, o -1 si
 * falta memoria (con un mensaje en stderr). */
static int trocear(const char *s, struct etapa *e)
{
	size_t max = strlen(s) / 2 + 2; /* cota del número de palabras, más el NULL final */
	e->texto = strdup(s);
	e->argv = calloc(max, sizeof *e->argv);
	if (e->texto == NULL || e->argv == NULL) {
		perror("pipeline: malloc");
		return -1;
	}
	int n = 0;
	for (char *p = e->texto; *p != '\0';) {
		if (*p == ' ') {
			*p++ = '\0';
			continue;
		}
		e->argv[n++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
	}
	e->argv[n] = NULL;
	return n;
}

/* Escribe en stderr "pipeline: NOMBRE: MOTIVO\n" con una sola llamada a write(). Se usa en el
 * hijo entre fork() y exec(), donde conviene llamar solo a funciones seguras frente a señales
 * (write, strlen y memcpy lo son; printf no). Una sola escritura evita que el mensaje se
 * mezcle con el de otra etapa. Si el mensaje no cabe, se corta. */
static void avisar(const char *nombre, const char *motivo)
{
	char msg[512];
	size_t len = 0;
	const char *partes[] = { "pipeline: ", nombre, ": ", motivo, "\n" };
	for (size_t i = 0; i < sizeof partes / sizeof partes[0]; i++) {
		size_t n = strlen(partes[i]);
		if (n > sizeof msg - 1 - len)
			n = sizeof msg - 1 - len;
		memcpy(msg + len, partes[i], n);
		len += n;
	}
	if (len > 0 && msg[len - 1] != '\n')
		msg[len++] = '\n';
	ssize_t r = write(STDERR_FILENO, msg, len);
	(void)r; /* si ni siquiera se puede escribir en stderr, no hay a quién avisar */
}

/* Pone en el descriptor destino lo que hay en fd y cierra fd. Si ya coinciden (puede pasar
 * si el programa empezó con 0 o 1 cerrado), no hace nada. Devuelve 0, o -1 con errno. */
static int mover_fd(int fd, int destino)
{
	if (fd == destino)
		return 0;
	if (dup2(fd, destino) < 0)
		return -1;
	return close(fd);
}

/* Lo que hace el hijo de una etapa: conecta su entrada a `entrada` (si no es -1) y su salida
 * a `salida` (si no es -1), cierra `sobra` (el extremo de lectura de su propia tubería de
 * salida, que no usa; -1 si no hay) y ejecuta la orden. No vuelve nunca: si exec falla,
 * termina con 127 (programa no encontrado) o 126 (otro error), como el shell. Usa _exit()
 * y no exit(): el hijo no debe vaciar los búferes de stdio que heredó del padre. */
static void hijo(const struct etapa *e, int entrada, int salida, int sobra)
{
	if (sobra >= 0 && close(sobra) < 0) {
		avisar(e->argv[0], "close falló");
		_exit(126);
	}
	if ((entrada >= 0 && mover_fd(entrada, STDIN_FILENO) < 0) ||
	    (salida >= 0 && mover_fd(salida, STDOUT_FILENO) < 0)) {
		avisar(e->argv[0], "dup2 falló");
		_exit(126);
	}
	/* Ahora solo quedan abiertos 0, 1 y 2: la orden no hereda ninguna tubería. */
	execvp(e->argv[0], e->argv);
	if (errno == ENOENT) {
		avisar(e->argv[0], "command not found");
		_exit(127);
	}
	/* strerror() no está en la lista de funciones seguras, pero exec ya falló y este
	 * proceso tiene un solo hilo: nadie más puede estar usando la biblioteca. */
	avisar(e->argv[0], strerror(errno));
	_exit(126);
}

/* Crea las n etapas, cada una unida a la siguiente por una tubería. Deja en etapas[i].pid el
 * pid de cada hijo. Si falla pipe() o fork(), deja de crear etapas, cierra lo que tenga
 * abierto y devuelve -1 (las etapas ya creadas siguen ahí y hay que esperarlas); si no, 0. */
static int lanzar(struct etapa *etapas, int n)
{
	int entrada = -1; /* extremo de lectura de la tubería anterior (-1: stdin del padre) */

	for (int i = 0; i < n; i++) {
		int fds[2] = { -1, -1 }; /* tubería hacia la etapa siguiente; la última no tiene */
		if (i < n - 1 && pipe(fds) < 0) {
			perror("pipeline: pipe");
			break;
		}
		pid_t pid = fork();
		if (pid < 0) {
			perror("pipeline: fork");
			if (fds[0] >= 0) {
				close(fds[0]);
				close(fds[1]);
			}
			break;
		}
		if (pid == 0)
			hijo(&etapas[i], entrada, fds[1], fds[0]);
		etapas[i].pid = pid;

		/* Padre: el extremo de lectura anterior ya es del hijo, y el extremo de
		 * escritura nuevo es de este hijo solo. Si el padre guardara alguno, lo
		 * heredarían las etapas siguientes, la última no vería nunca el fin de fichero
		 * o la primera no recibiría nunca SIGPIPE. */
		if (entrada >= 0 && close(entrada) < 0)
			perror("pipeline: close");
		if (fds[1] >= 0 && close(fds[1]) < 0)
			perror("pipeline: close");
		entrada = fds[0]; /* la siguiente etapa leerá de aquí */
	}
	/* Solo queda algo abierto si el bucle se cortó por un error. */
	if (entrada >= 0) {
		close(entrada);
		return -1;
	}
	return etapas[n - 1].pid > 0 ? 0 : -1;
}

/* Espera a todos los hijos creados (aunque alguno haya fallado: ninguno queda sin recoger) y
 * devuelve el estado de la última etapa traducido como lo hace el shell: su código de
 * salida, o 128 + N si murió por la señal N. Devuelve -1 si no se pudo saber. */
static int esperar_todos(const struct etapa *etapas, int n)
{
	int resultado = -1;

	for (int i = 0; i < n; i++) {
		if (etapas[i].pid <= 0)
			continue;
		int estado;
		pid_t r;
		do
			r = waitpid(etapas[i].pid, &estado, 0);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			perror("pipeline: waitpid");
			continue;
		}
		if (i == n - 1) {
			if (WIFEXITED(estado))
				resultado = WEXITSTATUS(estado);
			else if (WIFSIGNALED(estado))
				resultado = 128 + WTERMSIG(estado);
		}
	}
	return resultado;
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

	/* Las órdenes se preparan antes de crear ningún proceso: así un error de uso no deja
	 * nada a medias y los hijos no tienen que reservar memoria entre fork() y exec(). */
	int n = argc - 1;
	struct etapa *etapas = calloc((size_t)n, sizeof *etapas);
	if (etapas == NULL) {
		perror("pipeline: malloc");
		return 1;
	}
	int estado = 0;
	for (int i = 0; i < n && estado == 0; i++) {
		etapas[i].pid = -1;
		int palabras = trocear(argv[i + 1], &etapas[i]);
		if (palabras < 0) {
			estado = 1;
		} else if (palabras == 0) {
			fprintf(stderr, "%s: la orden %d está vacía\n", argv[0], i + 1);
			estado = uso(argv[0]);
		}
	}

	if (estado == 0) {
		/* El padre no escribe en la salida estándar: no hay nada en el búfer de stdout
		 * que los hijos pudieran duplicar. Tampoco ignora SIGPIPE: un SIG_IGN se hereda
		 * a través de exec, y `yes` no terminaría con la señal. */
		bool fallo = lanzar(etapas, n) < 0;
		int ultima = esperar_todos(etapas, n);
		estado = fallo || ultima < 0 ? 1 : ultima;
	}

	for (int i = 0; i < n; i++) {
		free(etapas[i].argv);
		free(etapas[i].texto);
	}
	free(etapas);
	return estado;
}
