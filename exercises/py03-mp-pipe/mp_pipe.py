"""mp_pipe.py: esqueleto del ejercicio py03-mp-pipe (lee README.md).

Uso: python3 mp_pipe.py simplex|duplex N

Un padre y un hijo (multiprocessing.Process) se comunican por multiprocessing.Pipe():

- simplex: Pipe(duplex=False). El hijo envía "mensaje 1" ... "mensaje N" con send() y
  cierra su extremo; el padre recibe con recv() hasta EOFError e imprime
  "Padre recibió: MENSAJE" por cada uno.
- duplex: Pipe(duplex=True). N rondas: el padre envía "mensaje I", el hijo lo contesta en
  mayúsculas ("MENSAJE I") y el padre imprime "Padre recibió: MENSAJE I".

Al final el padre imprime "Total: N mensajes", espera al hijo con join() y termina con el
código de salida del hijo (exitcode).

No llames a este fichero multiprocessing.py: ocultaría el módulo multiprocessing.

Se ejecuta con: python3 mp_pipe.py simplex|duplex N   (Python 3.11 o posterior)
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
    """Lo que hace el hijo en modo simplex. enviar es su extremo (solo envía)."""
    # TODO: envía "mensaje 1" ... "mensaje n" con enviar.send() y cierra enviar.


def padre_simplex(ctx, n):
    """Lo que hace el padre en modo simplex. Devuelve (mensajes recibidos, proceso)."""
    # TODO:
    #  - recibir, enviar = ctx.Pipe(duplex=False): OJO con el orden, el primero solo
    #    recibe y el segundo solo envía (como r, w = os.pipe());
    #  - crea el hijo con ctx.Process(target=hijo_simplex, args=(enviar, n)) y arráncalo
    #    con start();
    #  - cierra tu copia de enviar: el hijo heredó la suya con el fork, y mientras quede
    #    un extremo de envío abierto (también el tuyo) recv() nunca lanza EOFError;
    #  - recibe en bucle con recibir.recv() hasta que lance EOFError, imprimiendo
    #    "Padre recibió: " + mensaje. Recibe ANTES de join(): la tubería solo guarda
    #    64 KiB y, si está llena, el send() del hijo espera a que el padre reciba;
    #  - cierra recibir, espera al hijo con join() y devuelve (recibidos, proceso).
    raise NotImplementedError("padre_simplex")


def hijo_duplex(conn, n):
    """Lo que hace el hijo en modo duplex: n rondas de recibir y contestar."""
    # TODO: n veces: recibe un mensaje con conn.recv() y contesta con
    # conn.send(mensaje.upper()). Después cierra conn.


def padre_duplex(ctx, n):
    """Lo que hace el padre en modo duplex. Devuelve (respuestas recibidas, proceso)."""
    # TODO:
    #  - conn_padre, conn_hijo = ctx.Pipe(duplex=True): los dos extremos envían y
    #    reciben;
    #  - crea y arranca el hijo con args=(conn_hijo, n) y cierra tu copia de conn_hijo;
    #  - para i de 1 a n: PRIMERO envía "mensaje {i}" y DESPUÉS recibe la respuesta e
    #    imprime "Padre recibió: " + respuesta. El hijo empieza recibiendo: si el padre
    #    también empezara con recv(), los dos se esperarían para siempre;
    #  - cierra conn_padre, espera al hijo con join() y devuelve (recibidos, proceso).
    raise NotImplementedError("padre_duplex")


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in MODOS:
        return uso()
    # Solo dígitos ASCII: int() también aceptaría " 5", "+5", "5_000" o "٥".
    if not re.fullmatch(r"[0-9]+", sys.argv[2], re.ASCII) or int(sys.argv[2]) > N_MAXIMO:
        print(f"{sys.argv[0]}: «{sys.argv[2]}» no es un entero de 0 a {N_MAXIMO}",
              file=sys.stderr)
        return uso()
    modo, n = sys.argv[1], int(sys.argv[2])

    # El método "fork": el hijo es una copia del padre, como con os.fork(). Es el de
    # Python 3.11 en Linux; desde Python 3.14 el método por defecto es otro, por eso se
    # pide explícitamente.
    ctx = multiprocessing.get_context("fork")

    # TODO: llama a padre_simplex(ctx, n) o a padre_duplex(ctx, n) según el modo. Si
    # falla la comunicación (OSError, o un EOFError inesperado en duplex), informa en
    # stderr y termina con 1. Si no, imprime "Total: {recibidos} mensajes" y termina con
    # el exitcode del hijo (0 si terminó bien; si es negativo, una señal lo mató: 1).
    del ctx, modo, n  # quita esta línea cuando los uses
    return 0


# Necesario con multiprocessing: el código que crea procesos solo se ejecuta cuando el
# fichero es el programa principal (con los métodos "spawn" y "forkserver" cada hijo
# importa este fichero, y sin esta comprobación volvería a crear procesos).
if __name__ == "__main__":
    sys.exit(main())
