"""mp_pipe.py: solución de referencia del ejercicio py03-mp-pipe.

Uso: python3 mp_pipe.py simplex|duplex N

Un padre y un hijo creado con multiprocessing.Process se comunican por multiprocessing.Pipe():

- simplex: Pipe(duplex=False) devuelve (recibir, enviar), dos extremos de una tubería del
  sistema (os.pipe()). El hijo envía con send() "mensaje 1" ... "mensaje N" y cierra su
  extremo; el padre, que cerró su copia del extremo de envío nada más arrancar al hijo,
  recibe con recv() hasta que recv() lanza EOFError e imprime cada mensaje.

      hijo --send()--> enviar ==== tubería ==== recibir --recv()--> padre --> stdout

- duplex: Pipe(duplex=True) devuelve dos extremos de un par de sockets (socketpair()), por
  los que se puede enviar y recibir en los dos sentidos. N rondas: el padre envía
  "mensaje I", el hijo lo recibe y contesta "MENSAJE I" (en mayúsculas), el padre lo
  imprime. Cada uno envía antes de recibir lo que el otro espera, así que nunca esperan los
  dos a la vez.

      padre <--send()/recv()--> conn_padre ==== socketpair ==== conn_hijo <--> hijo

Al final el padre imprime "Total: N mensajes", espera al hijo con join() y termina con el
código de salida del hijo.

Los hijos se crean con el método "fork" (el de Python 3.11 en Linux; desde 3.14 el método
por defecto es otro), así que, como con os.fork(), el hijo hereda una copia de los dos
extremos: por eso el padre cierra el extremo que le ha dado al hijo.

Estado de salida: el del hijo (0 si todo fue bien), 1 si el hijo murió por una señal o
falló la comunicación, 2 si el uso es incorrecto.
"""
import multiprocessing
import re
import sys

MODOS = ("simplex", "duplex")
N_MAXIMO = 1000000


def uso():
    print(f"uso: {sys.argv[0]} simplex|duplex N\n"
          f"  N: número de mensajes, de 0 a {N_MAXIMO}", file=sys.stderr)
    return 2


def hijo_simplex(enviar, n):
    """El hijo en modo simplex: envía n mensajes y cierra su extremo."""
    for i in range(1, n + 1):
        enviar.send(f"mensaje {i}")
    enviar.close()


def padre_simplex(ctx, n):
    """Devuelve (mensajes recibidos, proceso hijo ya esperado)."""
    recibir, enviar = ctx.Pipe(duplex=False)
    p = ctx.Process(target=hijo_simplex, args=(enviar, n))
    p.start()
    # El hijo tiene ahora su copia de los dos extremos. El padre cierra la suya del extremo
    # de envío: si no, recv() nunca lanzaría EOFError, porque quedaría un extremo de envío
    # abierto (el suyo) y el padre se quedaría esperando para siempre.
    enviar.close()
    recibidos = 0
    # El padre recibe MIENTRAS el hijo envía: la tubería guarda solo 64 KiB. Si el padre
    # esperase al hijo (join) antes de recibir, con muchos mensajes el hijo se bloquearía
    # en send() y el padre en join().
    while True:
        try:
            mensaje = recibir.recv()
        except EOFError:  # el hijo cerró su extremo y no quedan mensajes
            break
        print(f"Padre recibió: {mensaje}")
        recibidos += 1
    recibir.close()
    p.join()
    return recibidos, p


def hijo_duplex(conn, n):
    """El hijo en modo duplex: n veces, recibe un mensaje y lo contesta en mayúsculas."""
    for _ in range(n):
        mensaje = conn.recv()
        conn.send(mensaje.upper())
    conn.close()


def padre_duplex(ctx, n):
    """Devuelve (respuestas recibidas, proceso hijo ya esperado)."""
    conn_padre, conn_hijo = ctx.Pipe(duplex=True)
    p = ctx.Process(target=hijo_duplex, args=(conn_hijo, n))
    p.start()
    conn_hijo.close()  # el extremo del hijo no es para el padre
    recibidos = 0
    for i in range(1, n + 1):
        # Primero enviar, después recibir: el hijo empieza recibiendo. Si los dos
        # empezaran con recv(), cada uno esperaría al otro para siempre.
        conn_padre.send(f"mensaje {i}")
        print(f"Padre recibió: {conn_padre.recv()}")
        recibidos += 1
    conn_padre.close()
    p.join()
    return recibidos, p


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in MODOS:
        return uso()
    # Solo dígitos ASCII: int() también aceptaría " 5", "+5", "5_000" o "٥".
    if not re.fullmatch(r"[0-9]+", sys.argv[2], re.ASCII) or int(sys.argv[2]) > N_MAXIMO:
        print(f"{sys.argv[0]}: «{sys.argv[2]}» no es un entero de 0 a {N_MAXIMO}",
              file=sys.stderr)
        return uso()
    modo, n = sys.argv[1], int(sys.argv[2])

    ctx = multiprocessing.get_context("fork")
    try:
        if modo == "simplex":
            recibidos, p = padre_simplex(ctx, n)
        else:
            recibidos, p = padre_duplex(ctx, n)
    except (OSError, EOFError) as e:
        print(f"padre: {e!r}", file=sys.stderr)
        return 1
    print(f"Total: {recibidos} mensajes")
    # exitcode: 0 si el hijo terminó bien, 1 si lanzó una excepción, -N si lo mató la
    # señal N.
    return p.exitcode if p.exitcode >= 0 else 1


if __name__ == "__main__":
    sys.exit(main())
