#!/usr/bin/env python3
# A TLS front for a plain-TCP Ignite node (the test node speaks plain TCP): accepts TLS connections, requires a
# client certificate signed by the given CA, and forwards the plaintext both ways. Tools/run-examples.sh runs the
# tls example through it with the test certificates of Tests/IgniteTLSTests/Certificates. Python 3 standard
# library only. Prints "ready port=<p>" once it listens; runs until killed.
import argparse
import select
import socket
import ssl
import sys
import threading


def forward(client, upstream):
    """Copies bytes both ways on one thread (an SSL object must not be read and written from two threads)."""
    try:
        while True:
            readable = [client] if client.pending() else select.select([client, upstream], [], [])[0]
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (upstream if source is client else client).sendall(data)
    except (OSError, ssl.SSLError):
        return
    finally:
        for sock in (client, upstream):
            try:
                sock.close()
            except OSError:
                pass


def serve(connection, context, target):
    try:
        client = context.wrap_socket(connection, server_side=True)
    except (ssl.SSLError, OSError) as error:
        print(f"handshake refused: {error}", flush=True)
        connection.close()
        return
    try:
        upstream = socket.create_connection(target)
    except OSError as error:
        print(f"cannot reach {target}: {error}", flush=True)
        client.close()
        return
    forward(client, upstream)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cert", required=True, help="server certificate (PEM)")
    parser.add_argument("--key", required=True, help="server private key (PEM)")
    parser.add_argument("--ca", help="CA of the client certificates; when given, a client certificate is required")
    parser.add_argument("--target", required=True, help="host:port of the plain-TCP node")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    arguments = parser.parse_args()
    host, _, port = arguments.target.rpartition(":")
    target = (host, int(port))

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(arguments.cert, arguments.key)
    if arguments.ca:
        context.load_verify_locations(arguments.ca)
        context.verify_mode = ssl.CERT_REQUIRED

    listener = socket.create_server(("127.0.0.1", arguments.port))
    print(f"ready port={listener.getsockname()[1]}", flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve, args=(connection, context, target), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
