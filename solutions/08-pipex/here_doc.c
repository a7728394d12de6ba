/* here_doc.c: el here_doc del bonus (ver pipex.h).
 *
 *   pipex here_doc FIN cmd1 cmd2 salida   es como   cmd1 << FIN | cmd2 >> salida
 *
 * Un proceso aparte, el lector, lee la entrada estándar línea a línea y escribe en una
 * tubería cada línea hasta la que es exactamente FIN (sin contar su '\n'), que no se copia;
 * cmd1 lee de esa tubería. Es un proceso aparte, y no el padre antes de crear los hijos,
 * porque el texto puede no caber en la tubería (64 KiB): si el padre lo escribiera todo antes
 * de que existiera cmd1, write() se bloquearía para siempre sin nadie que leyera.
 *
 * Si la entrada termina sin la línea FIN, vale lo leído y se avisa, como hace bash.
 */
#include "pipex.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "libft/libft.h"

#define TROZO 4096

/* Lo leído de la entrada estándar y aún no usado: buf[pos .. len). */
struct entrada {
	char buf[TROZO];
	size_t pos, len;
};

/* Una línea: sus bytes, con el '\n' final si lo tiene. */
struct linea {
	char *datos;  /* malloc; NULL mientras no haya nada */
	size_t len, cap;
};

/* Añade n bytes a la línea. Devuelve 0, o -1 si malloc() falla. */
static int linea_anadir(struct linea *l, const char *p, size_t n)
{
	if (l->len + n > l->cap) {
		size_t cap = l->cap ? l->cap : 128;
		while (l->len + n > cap)
			cap *= 2;
		char *nuevo = malloc(cap);
		if (nuevo == NULL)
			return -1;
		if (l->len > 0)
			ft_memcpy(nuevo, l->datos, l->len);
		free(l->datos);
		l->datos = nuevo;
		l->cap = cap;
	}
	ft_memcpy(l->datos + l->len, p, n);
	l->len += n;
	return 0;
}

/* Deja en l la siguiente línea de la entrada estándar. Devuelve 1 si hay una línea (la
 * última puede no acabar en '\n'), 0 en el fin de fichero, -1 si read() falla (errno). */
static int leer_linea(struct entrada *in, struct linea *l)
{
	l->len = 0;
	for (;;) {
		if (in->pos == in->len) {
			ssize_t n = read(STDIN_FILENO, in->buf, sizeof in->buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return n < 0 ? -1 : l->len > 0;
			in->pos = 0;
			in->len = (size_t)n;
		}
		size_t n = 0;
		while (in->pos + n < in->len && in->buf[in->pos + n] != '\n')
			n++;
		bool completa = in->pos + n < in->len; /* se encontró el '\n' */
		if (completa)
			n++;
		if (linea_anadir(l, in->buf + in->pos, n) < 0)
			return -1;
		in->pos += n;
		if (completa)
			return 1;
	}
}

/* Si la línea, sin su '\n', es el limitador. Se compara la línea entera: "FINAL" no termina
 * un here_doc cuyo limitador es "FIN". */
static bool es_limitador(const struct linea *l, const char *limitador)
{
	size_t len = l->len, n = ft_strlen(limitador);

	if (len > 0 && l->datos[len - 1] == '\n')
		len--;
	return len == n && ft_strncmp(l->datos, limitador, n) == 0;
}

/* Escribe los n bytes de p en fd aunque write() escriba menos o la interrumpa una señal.
 * Devuelve 0, o -1 con errno. */
static int escribir_todo(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Lo que hace el lector: copia la entrada estándar en fd hasta la línea limitador.
 * Devuelve su estado de salida. */
static int lector(int fd, const char *limitador)
{
	struct entrada in = { .pos = 0, .len = 0 };
	struct linea l = { NULL, 0, 0 };
	int r;

	/* Si cmd1 termina sin leerlo todo, write() falla con EPIPE en lugar de matar al lector
	 * con SIGPIPE: no es un error, solo que ya nadie lo va a leer. */
	signal(SIGPIPE, SIG_IGN);
	while ((r = leer_linea(&in, &l)) > 0 && !es_limitador(&l, limitador))
		if (escribir_todo(fd, l.datos, l.len) < 0)
			break;
	free(l.datos);
	if (r < 0) {
		error_errno("here_doc");
		return ESTADO_ERROR;
	}
	if (r == 0) {
		char aviso[512] = "here_doc delimited by end-of-file (wanted `";
		ft_strlcat(aviso, limitador, sizeof aviso - 2);
		ft_strlcat(aviso, "')", sizeof aviso);
		error_mensaje("warning", aviso);
	}
	return 0;
}

int here_doc_iniciar(const char *limitador)
{
	int tubo[2];
	pid_t pid;

	if (pipe(tubo) < 0) {
		error_errno("pipe");
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		error_errno("fork");
		cerrar(tubo[0]);
		cerrar(tubo[1]);
		return -1;
	}
	if (pid == 0) {
		/* El lector solo escribe: cierra el extremo de lectura. Al terminar cierra el de
		 * escritura, y cmd1 recibe el fin de fichero. */
		close(tubo[0]);
		int estado = lector(tubo[1], limitador);
		close(tubo[1]);
		exit(estado);
	}
	close(tubo[1]);
	return tubo[0];
}
