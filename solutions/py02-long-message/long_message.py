"""long_message.py: solución de referencia del ejercicio py02-long-message.

Uso: python3 long_message.py N

Cómo funciona:

    padre --os.write--> w ==== tubería ==== r --os.read--> hijo --print--> stdout

El padre envía N bytes por la tubería; el byte i vale 'a' + i % 26 ("abc...zabc...").
El hijo lee con os.read() hasta que devuelve b'' (fin de fichero), comprueba cada byte y
cuenta los recibidos; al final imprime "Hijo recibió N bytes\\n".

La tubería tiene un búfer limitado (64 KiB en Linux). Si N es mayor, os.write() bloquea al
padre hasta que el hijo lee: los dos procesos tienen que trabajar a la vez. Por eso el padre
crea al hijo antes de escribir nada y no lo espera hasta haber cerrado su extremo de
escritura. Y cada os.read() devuelve lo que haya en ese momento, como mucho lo pedido: un
solo os.read(r, 2048) no basta para un mensaje de 2100 bytes.

Nunca hace falta tener los N bytes en memoria: se envían y se comprueban por trozos. Para
comprobar un trozo sin recorrerlo byte a byte (lento en Python), se compara con el trozo del
patrón que empieza en la misma posición: PATRON_LARGO[i % 26 : i % 26 + len(trozo)].

Estado de salida: el del hijo, que es 0 si recibió exactamente N bytes y todos eran los
esperados, y 1 si no. También 1 si falla una llamada al sistema o si el hijo muere por una
señal. 2 si el uso es incorrecto (falta N, sobra algún argumento o N no es un entero decimal
sin signo).
"""
import os
import re
import sys

TROZO = 65536  # bytes que se envían o se leen de una vez
# "abcdefghijklmnopqrstuvwxyz" repetido, algo más largo que un trozo: el trozo del mensaje que
# empieza en la posición i es PATRON_LARGO[i % 26 : i % 26 + longitud].
PATRON_LARGO = bytes(range(ord("a"), ord("z") + 1)) * (TROZO // 26 + 2)


def esperado(inicio, longitud):
    """Los bytes que deben ocupar las posiciones inicio .. inicio + longitud - 1."""
    k = inicio % 26
    return PATRON_LARGO[k:k + longitud]


def escribir_todo(fd, datos):
    """Escribe todos los bytes de datos en fd: os.write() puede escribir menos de lo pedido.
    (Si una señal interrumpe la llamada, Python la repite solo: PEP 475.)"""
    vista = memoryview(datos)
    while vista:
        escritos = os.write(fd, vista)
        vista = vista[escritos:]


def hijo(r, n):
    """Lee de r hasta el fin de fichero comprobando cada trozo e imprime cuántos bytes
    recibió. Devuelve el estado de salida: 0 si recibió exactamente n bytes y todos eran los
    esperados; 1 si no."""
    recibidos = 0
    correcto = True
    # Los datos llegan en trozos de tamaño imprevisible: se lee en bucle hasta que
    # os.read() devuelva b'', es decir, hasta que no quede ningún extremo de escritura
    # abierto y la tubería esté vacía.
    while True:
        trozo = os.read(r, TROZO)
        if not trozo:
            break
        if trozo != esperado(recibidos, len(trozo)):
            correcto = False
        recibidos += len(trozo)
    os.close(r)
    print(f"Hijo recibió {recibidos} bytes")
    # El hijo termina con os._exit(), que no vacía los búferes de Python: sin flush(),
    # con la salida estándar en una tubería la línea se perdería.
    sys.stdout.flush()
    return 0 if correcto and recibidos == n else 1


def enviar(w, n):
    """Envía por w los n bytes del mensaje, trozo a trozo. Cuando la tubería está llena,
    os.write() bloquea hasta que el hijo lee."""
    enviados = 0
    while enviados < n:
        longitud = min(TROZO, n - enviados)
        escribir_todo(w, esperado(enviados, longitud))
        enviados += longitud


def padre(r, w, n, pid):
    """Envía el mensaje, cierra el extremo de escritura y espera al hijo. Aunque algo falle,
    cierra y espera igualmente. Devuelve el estado de salida del programa."""
    error = False
    os.close(r)  # el padre no lee de la tubería
    try:
        # Si el hijo muriera sin leerlo todo, os.write() lanzaría BrokenPipeError
        # (Python ignora SIGPIPE): se informa y se espera al hijo igualmente.
        enviar(w, n)
    except OSError as e:
        print(f"padre: write: {e}", file=sys.stderr)
        error = True
    # Cerrar el extremo de escritura es lo que provoca el fin de fichero en el hijo.
    os.close(w)
    # SOLO AHORA se espera al hijo: si el padre lo esperase antes de escribir, el hijo
    # esperaría datos y el padre al hijo, para siempre.
    _, status = os.waitpid(pid, 0)
    codigo = os.waitstatus_to_exitcode(status)  # -N si lo mató la señal N
    if codigo < 0:
        print(f"padre: el hijo murió por la señal {-codigo}", file=sys.stderr)
        return 1
    if error:
        return 1
    return codigo  # el estado del programa es el del hijo


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

    try:
        r, w = os.pipe()  # r: extremo de lectura; w: extremo de escritura
        # Primero se crea al hijo y después se escribe: si el padre escribiera antes, con
        # N mayor que el búfer de la tubería se bloquearía sin nadie que leyera.
        pid = os.fork()
    except OSError as e:
        print(f"pipe/fork: {e}", file=sys.stderr)
        return 1

    if pid == 0:
        # Hijo. Si no cerrara su copia del extremo de escritura, su os.read() nunca
        # devolvería b'' y se quedaría bloqueado.
        codigo = 1
        try:
            os.close(w)
            codigo = hijo(r, n)
        except OSError as e:
            print(f"hijo: {e}", file=sys.stderr)
        os._exit(codigo)  # el hijo termina aquí, sin volver al código del padre

    try:
        return padre(r, w, n, pid)
    except OSError as e:
        print(f"padre: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
