"""hello.py: solución de referencia del ejercicio py01-hello.

Uso: python3 hello.py [MENSAJE]

Cómo funciona:

    padre --os.write--> w ==== tubería ==== r --os.read--> hijo --write--> stdout

1. El padre crea la tubería con os.pipe() y después el hijo con os.fork(): los dos
   procesos tienen los dos extremos.
2. Cada uno cierra el extremo que no usa: el hijo, el de escritura; el padre, el de lectura.
3. El padre escribe el mensaje, cierra el extremo de escritura y espera al hijo con
   os.waitpid().
4. El hijo lee con os.read() hasta que devuelve b'' (fin de fichero), lo que solo ocurre
   cuando ya no queda abierto ningún extremo de escritura, e imprime
   "Hijo recibió: MENSAJE\\n". Termina con os._exit(), después de vaciar su búfer de salida.

Por la tubería viajan bytes: el mensaje se pasa a bytes con os.fsencode(), que devuelve
exactamente los bytes del argumento (UTF-8 o no), y el hijo escribe bytes en
sys.stdout.buffer.

Estado de salida: 0 si todo fue bien; 1 si falló una llamada al sistema (OSError) en el
padre o en el hijo; 2 si el uso es incorrecto.
"""
import os
import sys

MENSAJE_POR_DEFECTO = "Hola desde el padre!"
PREFIJO = "Hijo recibió: ".encode("utf-8")


def escribir_todo(fd, datos):
    """Escribe todos los bytes de datos en fd: os.write() puede escribir menos de lo pedido.
    (Si una señal interrumpe la llamada, Python la repite solo: PEP 475.)"""
    vista = memoryview(datos)
    while vista:
        escritos = os.write(fd, vista)
        vista = vista[escritos:]


def hijo(r):
    """Lee de r hasta el fin de fichero e imprime la línea. Devuelve el estado de salida."""
    trozos = []
    # El mensaje puede llegar en varios trozos: se lee en bucle hasta que os.read()
    # devuelva b'' (fin de fichero: el padre cerró su extremo de escritura).
    while True:
        trozo = os.read(r, 4096)
        if not trozo:
            break
        trozos.append(trozo)
    os.close(r)
    salida = sys.stdout.buffer
    salida.write(PREFIJO + b"".join(trozos) + b"\n")
    # os._exit() no vacía los búferes de Python: sin flush(), con la salida estándar en
    # una tubería (no en un terminal) la línea se perdería.
    salida.flush()
    return 0


def padre(r, w, mensaje, pid):
    """Envía el mensaje, cierra el extremo de escritura y espera al hijo. Aunque algo falle,
    cierra y espera igualmente. Devuelve el estado de salida del programa."""
    estado = 0
    os.close(r)  # el padre no lee de la tubería
    try:
        # Si el hijo muriera sin leer, os.write() lanzaría BrokenPipeError (Python ignora
        # SIGPIPE): se informa y se espera al hijo igualmente.
        escribir_todo(w, mensaje)
    except OSError as e:
        print(f"padre: write: {e}", file=sys.stderr)
        estado = 1
    # Cerrar el extremo de escritura es lo que provoca el fin de fichero en el hijo.
    os.close(w)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        estado = 1
    return estado


def main():
    if len(sys.argv) > 2:
        print(f"uso: {sys.argv[0]} [MENSAJE]", file=sys.stderr)
        return 2
    if len(sys.argv) == 2:
        mensaje = os.fsencode(sys.argv[1])  # los bytes del argumento, tal cual
    else:
        mensaje = MENSAJE_POR_DEFECTO.encode("utf-8")

    try:
        r, w = os.pipe()  # r: extremo de lectura; w: extremo de escritura
        pid = os.fork()
    except OSError as e:
        print(f"pipe/fork: {e}", file=sys.stderr)
        return 1

    if pid == 0:
        # Hijo. Si no cerrara su copia del extremo de escritura, la tubería seguiría
        # abierta para escribir y su os.read() nunca devolvería b'': se bloquearía.
        codigo = 1
        try:
            os.close(w)
            codigo = hijo(r)
        except OSError as e:
            print(f"hijo: {e}", file=sys.stderr)
        # os._exit(): el hijo termina aquí mismo, sin volver al código del padre.
        os._exit(codigo)

    try:
        return padre(r, w, mensaje, pid)
    except OSError as e:
        print(f"padre: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
