/*
 * pipex.c: solución de referencia del ejercicio 08-pipex.
 *
 *   pipex entrada "cmd1" "cmd2" salida           como   < entrada cmd1 | cmd2 > salida
 *   pipex entrada "cmd1" ... "cmdN" salida       (bonus) N órdenes unidas por N-1 tuberías
 *   pipex here_doc FIN "cmd1" ... "cmdN" salida  (bonus) como   cmd1 << FIN | ... >> salida
 *
 * Cómo funciona, con dos órdenes:
 *
 *   entrada --> hijo 0 (cmd1) --fd 1--> [ tubería ] --fd 0--> hijo 1 (cmd2) --> salida
 *
 *   1. El padre crea la tubería y el hijo 0. El hijo 0 abre el fichero de entrada, lo pone
 *      en su fd 0 y el extremo de escritura en su fd 1, cierra el resto y ejecuta cmd1.
 *   2. El padre cierra su extremo de escritura (ya no lo necesita: si lo guardara, cmd2 no
 *      vería nunca el fin de fichero) y crea el hijo 1, que pone el extremo de lectura en su
 *      fd 0 y el fichero de salida en su fd 1, y ejecuta cmd2.
 *   3. El padre cierra el extremo de lectura y espera a los dos hijos. Termina con el estado
 *      del último, como la shell.
 *
 * Con N órdenes es el mismo bucle: el hijo i lee del extremo de lectura de la tubería i-1 y
 * escribe en la tubería i. El padre crea cada tubería justo antes del hijo que escribe en
 * ella y cierra cada extremo en cuanto lo ha pasado, así que nunca tiene abiertos más de tres
 * descriptores además de 0, 1 y 2, y los hijos no heredan extremos de otras tuberías.
 *
 * Las órdenes corren a la vez: el padre no espera a ninguna hasta haberlas creado todas.
 * Esperar a cmd1 antes de crear cmd2 sería un error: si cmd1 escribe más de lo que cabe en la
 * tubería (64 KiB) se bloquea para siempre, y `sleep 1 | sleep 1` tardaría 2 segundos.
 *
 * Errores (como bash, con el prefijo "pipex: "):
 *   - el fichero de entrada no existe o no se puede leer: el hijo 0 lo dice y termina con 1
 *     sin ejecutar cmd1; cmd2 se ejecuta igualmente, con la entrada vacía;
 *   - el fichero de salida no se puede abrir: el último hijo lo dice y termina con 1;
 *   - la orden no existe: "pipex: ORDEN: command not found", estado 127;
 *   - la orden existe pero no se puede ejecutar: "pipex: ORDEN: Permission denied", 126.
 * Estado de salida: el de la última orden (128 + N si la mató la señal N); 2 si los
 * argumentos no son válidos; 1 si falla pipe() o fork().
 */
#include "pipex.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libft/libft.h"

/* Escribe el uso en la salida de error y devuelve ESTADO_USO. */
static int uso(void)
{
	static const char texto[] =
		"uso: pipex entrada \"cmd1\" \"cmd2\" salida\n"
		"     pipex entrada \"cmd1\" \"cmd2\" ... \"cmdN\" salida\n"
		"     pipex here_doc LIMITADOR \"cmd1\" ... \"cmdN\" salida\n";
	ssize_t escrito = write(STDERR_FILENO, texto, sizeof texto - 1);

	(void)escrito;
	return ESTADO_USO;
}

/* Interpreta los argumentos. Devuelve 0, o -1 si no son válidos: hacen falta al menos dos
 * órdenes, y en modo here_doc además el limitador. */
static int leer_argumentos(int argc, char **argv, char **envp, struct pipex *px)
{
	px->here_doc = argc > 1 && ft_strncmp(argv[1], "here_doc", 9) == 0;
	int primera = px->here_doc ? 3 : 2; /* índice de cmd1 en argv */

	if (argc < primera + 3)
		return -1;
	px->entrada = px->here_doc ? NULL : argv[1];
	px->limitador = px->here_doc ? argv[2] : NULL;
	px->ordenes = argv + primera;
	px->n_ordenes = argc - primera - 1;
	px->salida = argv[argc - 1];
	px->envp = envp;
	return 0;
}

/* Espera a todos los hijos y devuelve el estado de salida del último (pid ultimo), con el
 * convenio de la shell para los que terminan por una señal. Esperar a todos, y no solo al
 * último, evita dejar procesos sin recoger (zombis). */
static int esperar_todos(pid_t ultimo)
{
	int estado_final = ESTADO_ERROR, estado;
	pid_t pid;

	while ((pid = wait(&estado)) != -1 || errno == EINTR) {
		if (pid != ultimo)
			continue;
		if (WIFEXITED(estado))
			estado_final = WEXITSTATUS(estado);
		else if (WIFSIGNALED(estado))
			estado_final = 128 + WTERMSIG(estado);
	}
	return estado_final; /* wait() devolvió -1 con ECHILD: no quedan hijos */
}

/* Crea los hijos, uno por orden, unidos por tuberías. `anterior` es lo que leerá el primero
 * (el here_doc) o -1. Devuelve el pid del último hijo, o -1 si falla pipe() o fork(): en ese
 * caso los hijos ya creados siguen, y el padre solo cierra lo suyo. */
static pid_t crear_hijos(const struct pipex *px, int anterior)
{
	pid_t pid = -1;

	for (int i = 0; i < px->n_ordenes; i++) {
		struct extremos ext = { anterior, -1, -1 };
		int tubo[2];
		if (i < px->n_ordenes - 1) {
			if (pipe(tubo) < 0) {
				error_errno("pipe");
				cerrar(anterior);
				return -1;
			}
			ext.lectura = tubo[0];
			ext.escritura = tubo[1];
		}
		pid = fork();
		if (pid < 0) {
			error_errno("fork");
			extremos_cerrar(ext);
			return -1;
		}
		if (pid == 0)
			hijo_ejecutar(px, i, ext);
		/* El padre ya no necesita el extremo de lectura anterior (lo tiene el hijo i) ni
		 * el de escritura nuevo (también); guarda el de lectura nuevo para el hijo i+1. */
		cerrar(ext.anterior);
		cerrar(ext.escritura);
		anterior = ext.lectura;
	}
	return pid;
}

int main(int argc, char **argv, char **envp)
{
	struct pipex px;
	int anterior = -1;

	if (leer_argumentos(argc, argv, envp, &px) < 0)
		return uso();
	if (px.here_doc) {
		anterior = here_doc_iniciar(px.limitador);
		if (anterior < 0)
			return ESTADO_ERROR;
	}
	pid_t ultimo = crear_hijos(&px, anterior);
	int estado = esperar_todos(ultimo);
	return ultimo < 0 ? ESTADO_ERROR : estado;
}
