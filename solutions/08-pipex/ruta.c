/* ruta.c: buscar la orden en PATH y ejecutarla (ver pipex.h).
 *
 * La búsqueda se hace a mano, como pide el enunciado (nada de execvp()):
 *   - la orden se parte por los espacios: "grep -v a" da {"grep", "-v", "a", NULL}; no hay
 *     comillas ni escapes;
 *   - si el nombre tiene una '/' ("./script.sh", "/bin/cat") se ejecuta tal cual;
 *   - si no, se prueba execve() con cada directorio de PATH, en orden: "/usr/bin" + "/" +
 *     "cat". execve() solo vuelve si falla: ENOENT (no está ahí) sigue con el siguiente;
 *     EACCES (está pero no se puede ejecutar) se recuerda y también se sigue, como hace la
 *     shell: si al final no se ha ejecutado ninguna, es "Permission denied" (126) y si no se
 *     encontró en ninguno, "command not found" (127).
 * Se llama a execve() directamente en lugar de comprobar antes con access(): es una llamada
 * menos y no hay carrera entre la comprobación y el uso.
 */
#include "pipex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libft/libft.h"

/* PATH si el entorno no lo tiene (el mismo que usan execvp() y la shell). */
#define PATH_POR_DEFECTO "/usr/local/bin:/usr/bin:/bin"

/* El valor de PATH en envp, o PATH_POR_DEFECTO. */
static const char *valor_path(char **envp)
{
	for (size_t i = 0; envp != NULL && envp[i] != NULL; i++)
		if (ft_strncmp(envp[i], "PATH=", 5) == 0)
			return envp[i] + 5;
	return PATH_POR_DEFECTO;
}

/* Escribe el mensaje de la orden que no se pudo ejecutar y termina con su estado. */
static _Noreturn void fallar(const char *nombre, int error, char **args)
{
	if (error == ENOENT) {
		error_mensaje(nombre, "command not found");
		ft_split_free(args);
		exit(ESTADO_NO_ENCONTRADA);
	}
	error_mensaje(nombre, strerror(error));
	ft_split_free(args);
	exit(ESTADO_NO_EJECUTABLE);
}

/* Prueba execve() con DIR/nombre para cada DIR de PATH. Solo vuelve si no se pudo ejecutar
 * ninguno: devuelve ENOENT si no estaba en ningún directorio, o el error de la última que sí
 * estaba pero no se pudo ejecutar (EACCES, ENOEXEC...). */
static int buscar_y_ejecutar(char **args, char **envp)
{
	char **dirs = ft_split(valor_path(envp), ':');
	int error = ENOENT;

	if (dirs == NULL)
		return ENOMEM;
	for (size_t i = 0; dirs[i] != NULL; i++) {
		char *dir = ft_strjoin(dirs[i], "/");
		char *camino = dir == NULL ? NULL : ft_strjoin(dir, args[0]);
		free(dir);
		if (camino == NULL) {
			error = ENOMEM;
			break;
		}
		execve(camino, args, envp);
		free(camino);
		/* ENOENT: no está en este directorio; ENOTDIR: la entrada de PATH no es un
		 * directorio. Cualquier otro error dice que sí estaba pero no se pudo ejecutar. */
		if (errno != ENOENT && errno != ENOTDIR)
			error = errno;
	}
	ft_split_free(dirs);
	return error;
}

_Noreturn void ruta_ejecutar(const char *orden, char **envp)
{
	char **args = ft_split(orden, ' ');

	if (args == NULL) {
		error_mensaje(orden, strerror(ENOMEM));
		exit(ESTADO_ERROR);
	}
	if (args[0] == NULL) /* "" o solo espacios: no hay orden que buscar */
		fallar(orden, ENOENT, args);
	if (ft_strchr(args[0], '/') != NULL) {
		execve(args[0], args, envp);
		/* Con una '/' no se busca en PATH: si no existe es "No such file or
		 * directory", como en la shell, pero con el 127 de orden no encontrada. */
		int error = errno;
		error_mensaje(args[0], strerror(error));
		ft_split_free(args);
		exit(error == ENOENT ? ESTADO_NO_ENCONTRADA : ESTADO_NO_EJECUTABLE);
	}
	int error = buscar_y_ejecutar(args, envp);
	if (error == ENOMEM) {
		error_mensaje(args[0], strerror(ENOMEM));
		ft_split_free(args);
		exit(ESTADO_ERROR);
	}
	fallar(args[0], error, args);
}
