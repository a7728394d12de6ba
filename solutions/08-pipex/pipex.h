/*
 * pipex.h: lo que comparten los ficheros de pipex (solución de referencia de 08-pipex).
 *
 *   pipex.c     main: los argumentos, la cadena de procesos y la espera
 *   hijo.c      lo que hace cada hijo antes de ejecutar su orden: redirecciones y cierres
 *   ruta.c      buscar la orden en PATH a mano y ejecutarla con execve()
 *   here_doc.c  el proceso que lee el here_doc y lo escribe en una tubería (bonus)
 *   errores.c   los mensajes de error, cada uno con una sola llamada a write()
 *
 * La memoria y los descriptores: cada proceso cierra lo que no usa (ver pipex.c). Los hijos
 * terminan siempre con execve() o con exit(); nunca vuelven a main().
 */
#ifndef PIPEX_H
#define PIPEX_H

#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <sys/types.h>

/* Estados de salida, como los de la shell. */
#define ESTADO_ERROR 1        /* no se pudo abrir un fichero, falló una llamada al sistema */
#define ESTADO_USO 2          /* argumentos incorrectos */
#define ESTADO_NO_EJECUTABLE 126
#define ESTADO_NO_ENCONTRADA 127

/* Lo que dicen los argumentos. Las cadenas apuntan a argv: no se liberan. */
struct pipex {
	bool here_doc;          /* modo here_doc (bonus): la entrada viene de stdin */
	const char *entrada;    /* el fichero de entrada (NULL en modo here_doc) */
	const char *limitador;  /* la línea que termina el here_doc (NULL si no lo hay) */
	char **ordenes;         /* las órdenes, tal como se escribieron ("grep -v a") */
	int n_ordenes;          /* cuántas: 2 o más */
	const char *salida;     /* el fichero de salida */
	char **envp;            /* el entorno, para PATH y para execve() */
};

/* Los descriptores que un hijo recibe del padre. -1: no hay. */
struct extremos {
	int anterior;   /* extremo de lectura de la tubería anterior (o del here_doc) */
	int lectura;    /* extremo de lectura de la tubería siguiente (el hijo no lo usa) */
	int escritura;  /* extremo de escritura de la tubería siguiente */
};

/* hijo.c: el hijo número i (0 .. n_ordenes - 1). Prepara su entrada y su salida, cierra
 * todo descriptor por encima de 2 y ejecuta su orden. No vuelve nunca: termina con el estado
 * de la orden o, si algo falla antes, con 1, 126 o 127 tras escribir el mensaje. */
_Noreturn void hijo_ejecutar(const struct pipex *px, int i, struct extremos ext);

/* hijo.c: cierra los extremos que sean >= 0; los de lectura primero. */
void extremos_cerrar(struct extremos ext);

/* ruta.c: parte la orden por los espacios, la busca en PATH (o la toma tal cual si tiene una
 * '/') y la ejecuta con execve(). No vuelve nunca: si no puede ejecutarla escribe el mensaje
 * y termina con 127 (no encontrada) o 126 (sin permiso, no es un ejecutable). */
_Noreturn void ruta_ejecutar(const char *orden, char **envp);

/* here_doc.c: crea el proceso que lee la entrada estándar hasta la línea `limitador` y la
 * escribe en una tubería. Devuelve el extremo de lectura de esa tubería (el padre lo pasa al
 * primer hijo), o -1 con el mensaje ya escrito. El padre recoge ese proceso con wait(),
 * junto a los demás. */
int here_doc_iniciar(const char *limitador);

/* errores.c: escribe "pipex: QUE: POR_QUE\n" en la salida de error con una sola write(),
 * para que los mensajes de dos procesos a la vez no se mezclen. */
void error_mensaje(const char *que, const char *por_que);

/* errores.c: como error_mensaje() con strerror(errno) como motivo. Conserva errno. */
void error_errno(const char *que);

/* errores.c: cierra fd si es >= 0, conservando errno. */
void cerrar(int fd);

#endif
