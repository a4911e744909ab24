#!/usr/bin/env python3
"""The local HTTP mirror of the kb sync tests: Python's http.server on 127.0.0.1 and a free
port, plus what a real mirror does and the tests need (Range requests, so an interrupted
transfer can resume) and the failures they provoke (a server that stops mid-file, a slow
one, a proxy that refuses). Every request is logged as "METHOD PATH RANGE STATUS"."""
import argparse
import http.server
import os
import socketserver
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--port", type=int, default=0, help="0: a free port")
    ap.add_argument("--log", required=True)
    ap.add_argument("--match", default="primary", help="paths the failure modes apply to")
    ap.add_argument("--cut-after", type=int, default=-1,
                    help="send this many bytes of a matching file, then close the connection")
    ap.add_argument("--throttle", type=int, default=0,
                    help="bytes per second for matching files (0: full speed)")
    ap.add_argument("--refuse", action="store_true",
                    help="answer every request 403, as a proxy that refuses")
    a = ap.parse_args()
    root = os.path.abspath(a.root)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kw):
            super().__init__(*args, directory=root, **kw)

        def log_message(self, fmt, *args):  # keep stderr quiet; the log file is the record
            pass

        def record(self, status):
            with open(a.log, "a") as f:
                f.write("%s %s %s %d\n" % (self.command, self.path,
                                           self.headers.get("Range", "-"), status))

        def do_CONNECT(self):
            self.record(403)
            self.send_error(403, "proxy refuses")

        def do_GET(self):
            if a.refuse:
                self.record(403)
                self.send_error(403, "proxy refuses")
                return
            path = self.translate_path(self.path)
            if not os.path.isfile(path):
                self.record(404)
                self.send_error(404)
                return
            size = os.path.getsize(path)
            start = 0
            rng = self.headers.get("Range")
            if rng and rng.startswith("bytes="):
                first = rng[6:].split("-")[0]
                start = int(first) if first else 0
            if start >= size and size > 0:
                self.record(416)
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % size)
                self.end_headers()
                return
            status = 206 if rng else 200
            self.record(status)
            self.send_response(status)
            self.send_header("Content-Length", str(size - start))
            if rng:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
            self.send_header("Accept-Ranges", "bytes")
            self.end_headers()
            matching = a.match in self.path
            with open(path, "rb") as f:
                f.seek(start)
                sent = 0
                while True:
                    chunk = f.read(256 if matching and a.throttle else 65536)
                    if not chunk:
                        break
                    if matching and a.cut_after >= 0 and start + sent + len(chunk) > a.cut_after:
                        chunk = chunk[: max(0, a.cut_after - start - sent)]
                        self.wfile.write(chunk)
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    self.wfile.write(chunk)
                    sent += len(chunk)
                    if matching and a.throttle:
                        self.wfile.flush()
                        time.sleep(len(chunk) / a.throttle)

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

        def handle_error(self, request, client_address):
            pass  # a client that goes away mid-file (the tests kill it) is not an error here

    httpd = Server(("127.0.0.1", a.port), Handler)
    with open(a.port_file + ".tmp", "w") as f:
        f.write(str(httpd.server_address[1]))
    os.rename(a.port_file + ".tmp", a.port_file)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
