"""hello.py: esqueleto del ejercicio py01-hello (lee README.md).

Uso: python3 hello.py [MENSAJE]

El padre crea una tubería y un hijo, escribe MENSAJE (por defecto "Hola desde el padre!")
en la tubería, cierra su extremo de escritura y espera al hijo. El hijo lee de la tubería
hasta el fin de fichero e imprime "Hijo recibió: MENSAJE" y un salto de línea.

Se ejecuta con: python3 hello.py [MENSAJE]   (Python 3.11 o posterior)
"""
import os
import sys

MENSAJE_POR_DEFECTO = "Hola desde el padre!"


def main():
    if len(sys.argv) > 2:
        print(f"uso: {sys.argv[0]} [MENSAJE]", file=sys.stderr)
        return 2
    # Por la tubería viajan bytes, no str: os.fsencode() devuelve los bytes exactos del
    # argumento (con letras UTF-8 de varios bytes incluidas).
    if len(sys.argv) == 2:
        mensaje = os.fsencode(sys.argv[1])
    else:
        mensaje = MENSAJE_POR_DEFECTO.encode("utf-8")

    # TODO 1: crea la tubería con os.pipe(), que devuelve (r, w): r es el extremo de
    # lectura y w el de escritura. Si falla lanza OSError: captúrala, informa en stderr
    # y termina con estado 1.

    # TODO 2: crea el hijo con os.fork() (también puede lanzar OSError). Devuelve 0 en el
    # hijo y el pid del hijo en el padre. A partir de aquí los dos procesos tienen los
    # dos extremos de la tubería.

    # TODO 3 (hijo, cuando os.fork() devolvió 0):
    #  - cierra el extremo de escritura con os.close(w), que no usa: si no lo cierras,
    #    os.read() nunca devolverá b'' y el hijo se quedará bloqueado para siempre;
    #  - lee en bucle con os.read(r, 4096) hasta que devuelva b'' (fin de fichero),
    #    juntando los trozos: el mensaje puede llegar en varios;
    #  - cierra r y escribe "Hijo recibió: " + mensaje + "\n" en la salida estándar
    #    (con bytes: sys.stdout.buffer.write(...));
    #  - vacía la salida con sys.stdout.flush() y termina con os._exit(0) (o con 1 si
    #    algo falló). os._exit() termina el hijo en ese mismo punto, sin seguir por el
    #    código del padre, pero NO vacía los búferes de Python: sin el flush(), con la
    #    salida en una tubería, la línea se pierde.

    # TODO 4 (padre):
    #  - cierra el extremo de lectura, que no usa;
    #  - escribe todo el mensaje en w (os.write() devuelve cuántos bytes escribió y
    #    puede escribir menos de lo pedido: repite con lo que falte);
    #  - cierra w: eso es lo que le da al hijo el fin de fichero;
    #  - espera al hijo con os.waitpid(pid, 0) y termina con 0 si el hijo terminó con 0
    #    (os.waitstatus_to_exitcode() convierte el estado en su código de salida).

    del mensaje  # quita esta línea cuando uses el mensaje
    return 0


if __name__ == "__main__":
    sys.exit(main())
