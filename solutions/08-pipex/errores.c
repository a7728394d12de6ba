/* errores.c: mensajes de error y cierres (ver pipex.h). */
#include "pipex.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "libft/libft.h"

void error_mensaje(const char *que, const char *por_que)
{
	char linea[1024] = "pipex: ";

	/* Se compone la línea entera y se escribe de una vez: con varias write() seguidas, los
	 * mensajes de dos hijos que fallan a la vez podrían salir intercalados. Si no cabe, se
	 * corta (ft_strlcat nunca se sale del búfer) y se mantiene el salto de línea final. */
	ft_strlcat(linea, que, sizeof linea - 1);
	ft_strlcat(linea, ": ", sizeof linea - 1);
	ft_strlcat(linea, por_que, sizeof linea - 1);
	ft_strlcat(linea, "\n", sizeof linea);
	ssize_t escrito = write(STDERR_FILENO, linea, ft_strlen(linea));
	(void)escrito; /* si ni siquiera se puede escribir en stderr, no hay a quién avisar */
}

void error_errno(const char *que)
{
	int guardado = errno;

	error_mensaje(que, strerror(guardado));
	errno = guardado;
}

void cerrar(int fd)
{
	int guardado = errno;

	if (fd >= 0)
		close(fd);
	errno = guardado;
}
