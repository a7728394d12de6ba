/* hijo.c: lo que hace cada hijo antes de ejecutar su orden (ver pipex.h).
 *
 * El hijo i pone en su entrada estándar (fd 0):
 *   - i == 0: el fichero de entrada, o el extremo de lectura del here_doc;
 *   - si no:  el extremo de lectura de la tubería anterior;
 * y en su salida estándar (fd 1):
 *   - el último: el fichero de salida (truncado, o añadiendo en modo here_doc);
 *   - si no:     el extremo de escritura de la tubería siguiente.
 * Después cierra los originales: la orden debe empezar solo con 0, 1 y 2 abiertos. Una orden
 * que heredara un extremo de escritura de su propia tubería de entrada no vería nunca el fin
 * de fichero (se quedaría esperando a sí misma), y una que heredara un extremo de lectura
 * haría que quien escribe en esa tubería no recibiera SIGPIPE al terminar el lector.
 */
#include "pipex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

void extremos_cerrar(struct extremos ext)
{
	cerrar(ext.anterior);
	cerrar(ext.lectura);
	cerrar(ext.escritura);
}

/* El descriptor que será la entrada estándar del hijo i, o -1 con el mensaje escrito. */
static int abrir_entrada(const struct pipex *px, int i, struct extremos ext)
{
	if (i > 0 || px->here_doc)
		return ext.anterior;
	int fd = open(px->entrada, O_RDONLY);
	if (fd < 0)
		error_errno(px->entrada);
	return fd;
}

/* El descriptor que será la salida estándar del hijo i, o -1 con el mensaje escrito. El
 * fichero se crea con permisos 0644 (rw-r--r--), a los que el kernel aplica la umask. */
static int abrir_salida(const struct pipex *px, int i, struct extremos ext)
{
	if (i < px->n_ordenes - 1)
		return ext.escritura;
	int modo = O_WRONLY | O_CREAT | (px->here_doc ? O_APPEND : O_TRUNC);
	int fd = open(px->salida, modo, 0644);
	if (fd < 0)
		error_errno(px->salida);
	return fd;
}

/* dup2(fd, destino) y cierra fd. Devuelve 0, o -1 con el mensaje escrito. */
static int mover(int fd, int destino)
{
	if (fd == destino)
		return 0;
	if (dup2(fd, destino) < 0) {
		error_errno("dup2");
		return -1;
	}
	close(fd);
	return 0;
}

_Noreturn void hijo_ejecutar(const struct pipex *px, int i, struct extremos ext)
{
	/* Las redirecciones van antes que buscar la orden, como en la shell: con un fichero de
	 * entrada que no existe la orden ni se busca, y el de salida se crea aunque la orden no
	 * exista. Si el fichero de entrada falla, este hijo termina sin ejecutar nada: al
	 * cerrar su extremo de escritura, el siguiente recibe el fin de fichero y sigue con una
	 * entrada vacía. */
	int in = abrir_entrada(px, i, ext);
	int out = in < 0 ? -1 : abrir_salida(px, i, ext);
	if (in < 0 || out < 0) {
		if (in != ext.anterior)
			cerrar(in);
		extremos_cerrar(ext);
		exit(ESTADO_ERROR);
	}
	/* Los extremos que este hijo no usa: el de lectura de la tubería siguiente siempre, y el
	 * de escritura si el hijo es el último (escribe en el fichero de salida). */
	cerrar(ext.lectura);
	if (out != ext.escritura)
		cerrar(ext.escritura);
	if (mover(in, STDIN_FILENO) < 0 || mover(out, STDOUT_FILENO) < 0)
		exit(ESTADO_ERROR); /* con descriptores válidos dup2() no falla */
	/* Aquí solo quedan abiertos 0, 1 y 2. */
	ruta_ejecutar(px->ordenes[i], px->envp);
}
