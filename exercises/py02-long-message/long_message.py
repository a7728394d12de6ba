"""long_message.py: esqueleto del ejercicio py02-long-message (lee README.md).

Uso: python3 long_message.py N

El padre envía N bytes por una tubería; el byte i vale 'a' + i % 26. El hijo lee hasta el
fin de fichero (os.read() devuelve b''), comprueba cada byte e imprime
"Hijo recibió N bytes" y un salto de línea. El hijo termina con 0 si recibió exactamente
N bytes y todos eran los esperados, y con 1 si no; el padre espera al hijo y termina con
el mismo estado.

Se ejecuta con: python3 long_message.py N   (Python 3.11 o posterior)
"""
import os
import re
import sys

TROZO = 65536  # bytes que se envían o se leen de una vez
# "abcdefghijklmnopqrstuvwxyz" repetido, algo más largo que un trozo.
PATRON_LARGO = bytes(range(ord("a"), ord("z") + 1)) * (TROZO // 26 + 2)


def esperado(inicio, longitud):
    """Los bytes que deben ocupar las posiciones inicio .. inicio + longitud - 1 del
    mensaje: sirve para generar cada trozo en el padre y para comprobarlo en el hijo
    comparando bytes enteros (recorrer un trozo byte a byte en Python es lento)."""
    k = inicio % 26
    return PATRON_LARGO[k:k + longitud]


def uso():
    print(f"uso: {sys.argv[0]} N\n"
          "  N: número de bytes que el padre envía al hijo (entero decimal >= 0)",
          file=sys.stderr)
    return 2


def main():
    if len(sys.argv) != 2:
        return uso()
    # Solo dígitos ASCII: int() también aceptaría " 12", "+12", "1_000" o "١٢".
    if not re.fullmatch(r"[0-9]+", sys.argv[1], re.ASCII):
        print(f"{sys.argv[0]}: «{sys.argv[1]}» no es un entero decimal sin signo",
              file=sys.stderr)
        return uso()
    n = int(sys.argv[1])

    # TODO 1: crea la tubería con os.pipe() y el hijo con os.fork(), en ese orden y ANTES
    # de escribir nada: la tubería solo guarda 64 KiB, así que con N grande el padre se
    # bloquearía en os.write() si todavía no hubiera nadie leyendo. Si alguna lanza
    # OSError, informa en stderr y termina con 1.

    # TODO 2 (hijo):
    #  - cierra el extremo de escritura (si no, os.read() nunca devuelve b'');
    #  - lee en bucle con os.read(r, TROZO) hasta que devuelva b''. Cada os.read()
    #    devuelve COMO MUCHO lo pedido: lo que haya en ese momento, a veces menos. Un
    #    solo os.read(r, 2048) no basta para un mensaje de 2100 bytes;
    #  - comprueba cada trozo con esperado(recibidos, len(trozo)), donde recibidos es la
    #    posición del trozo en TODO el mensaje, y ve sumando;
    #  - imprime "Hijo recibió N bytes", vacía sys.stdout (sys.stdout.flush()) y termina
    #    con os._exit(0) si todo cuadra o os._exit(1) si no. Sin el flush(), os._exit()
    #    tira lo que print() dejó en el búfer cuando la salida es una tubería.

    # TODO 3 (padre):
    #  - cierra el extremo de lectura;
    #  - envía los N bytes por trozos (esperado(enviados, longitud)), sin guardar el
    #    mensaje entero en memoria; os.write() puede escribir menos de lo pedido: repite
    #    con lo que falte. Si el hijo ya no lee, lanza BrokenPipeError: captúrala;
    #  - cierra el extremo de escritura (el hijo recibe así el fin de fichero);
    #  - SOLO ENTONCES espera al hijo con os.waitpid(pid, 0): si lo esperas antes de
    #    escribir, los dos se quedan esperándose para siempre;
    #  - termina con el mismo estado que el hijo (os.waitstatus_to_exitcode(); si es
    #    negativo, una señal mató al hijo: termina con 1).

    del n  # quita esta línea cuando uses n
    return 0


if __name__ == "__main__":
    sys.exit(main())
