"""A webhook receiver for tests: verifies the signature of every POST it gets."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from logistics_adapters.errors import SecurityError


class WebhookReceiver:
    """Listens on loopback and records each POST with its verification outcome.

    ``scheme`` and ``secret`` check every request (401 when the signature is bad); valid
    requests get the ``statuses`` in turn, then 200, with a small JSON answer.
    """

    def __init__(self, scheme, secret, *, path="/hooks", statuses=()):
        self.statuses = list(statuses)
        self.received = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    verified, error = scheme.verify(self.headers, body, [secret]), None
                except SecurityError as exc:
                    verified, error = None, str(exc)
                with receiver.lock:
                    receiver.received.append(
                        {
                            "path": self.path,
                            "body": body,
                            "headers": dict(self.headers),
                            "verified": verified,
                            "error": error,
                        }
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    status = 401 if error else status
                answer = json.dumps({"ok": status == 200, "error": error}).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()

    def items(self):
        """Copies of the records received so far."""
        with self.lock:
            return list(self.received)

    def bodies(self):
        """The JSON bodies received so far."""
        return [json.loads(item["body"]) for item in self.items()]
