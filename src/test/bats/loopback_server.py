"""A release server for the bundle tests, on 127.0.0.1 only: serves a directory, writes the port it got to a file,
and logs the path of every request to a file (one line each), so tests can count downloads.

A file with a sibling FILE.cut-at (holding a byte count N) is announced with its full Content-Length, but the
connection closes after N bytes: a download that breaks off mid-way.

    python3 loopback_server.py DIRECTORY PORT_FILE LOG_FILE
"""
import functools
import http.server
import os
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_GET(self):
        with open(self.server.request_log, "a") as log:
            log.write(self.path + "\n")
        path = self.translate_path(self.path)
        cut = path + ".cut-at"
        if os.path.isfile(path) and os.path.isfile(cut):
            with open(cut) as f:
                keep = int(f.read().strip())
            with open(path, "rb") as f:
                data = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:keep])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


def main():
    directory, port_file, log_file = sys.argv[1:4]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=directory))
    server.request_log = log_file
    with open(port_file + ".part", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".part", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
