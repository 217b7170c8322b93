#!/usr/bin/python3
"""A loopback JSON-RPC server that misbehaves on request, for test_rpc.

Prints the port it listens on (127.0.0.1, chosen by the kernel) and serves
until killed or its stdin closes. The URL path picks the behaviour:

  /ok          answers eth_chainId 0x7a69, eth_blockNumber 0x10; eth_call
               fails with code 3 "execution reverted" and data 0xdeadbeef;
               any other method fails with -32601
  /batch       as /ok, and answers batches in reverse order
  /flaky/T     503 for the first two requests with token T, then as /ok
  /429         always HTTP 429
  /retryafter/T  429 with Retry-After: 1 for the first request, then /ok
  /500html     always HTTP 500 with an HTML body
  /500rpc      HTTP 500 whose body is a JSON-RPC error (code -32000)
  /garbage     200 with a body that is not JSON
  /slow        waits 3 s, then as /ok
  /close       closes the connection without a reply
  /badid       answers with id + 1
  /both        a reply with both result and error
  /v1          "jsonrpc": "1.0"
  /big         a 2 MiB string result
  /batchshort  a batch reply missing its last element
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts = {}
lock = threading.Lock()


def answer(req):
    m, i = req.get("method"), req.get("id")
    if m == "eth_chainId":
        return {"jsonrpc": "2.0", "id": i, "result": "0x7a69"}
    if m == "eth_blockNumber":
        return {"jsonrpc": "2.0", "id": i, "result": "0x10"}
    if m == "eth_call":
        return {"jsonrpc": "2.0", "id": i, "error": {
            "code": 3, "message": "execution reverted",
            "data": "0xdeadbeef"}}
    return {"jsonrpc": "2.0", "id": i, "error": {
        "code": -32601, "message": "the method %s does not exist" % m}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/json"):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        req = json.loads(self.rfile.read(n))
        p = self.path
        if p.startswith("/flaky/"):
            with lock:
                counts[p] = counts.get(p, 0) + 1
                k = counts[p]
            if k <= 2:
                return self.send(503, b"busy", "text/plain")
            p = "/ok"
        if p == "/429":
            return self.send(429, b"slow down", "text/plain")
        if p.startswith("/retryafter/"):
            with lock:
                counts[p] = counts.get(p, 0) + 1
                k = counts[p]
            if k == 1:
                self.send_response(429)
                self.send_header("Retry-After", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            p = "/ok"
        if p == "/500html":
            return self.send(500, b"<html>oops</html>", "text/html")
        if p == "/500rpc":
            return self.send(500, {"jsonrpc": "2.0", "id": req.get("id"),
                                   "error": {"code": -32000,
                                             "message": "header not found"}})
        if p == "/garbage":
            return self.send(200, b"<html>not json</html>", "text/html")
        if p == "/slow":
            time.sleep(3)
        if p == "/close":
            self.close_connection = True
            self.wfile.flush()
            self.connection.close()
            return
        if isinstance(req, list):
            out = [answer(r) for r in req]
            if p == "/batch":
                out.reverse()
            if p == "/batchshort":
                out = out[:-1]
            return self.send(200, out)
        a = answer(req)
        if p == "/badid":
            a["id"] = req.get("id") + 1
        if p == "/both":
            a["result"] = "0x1"
            a["error"] = {"code": 1, "message": "x"}
        if p == "/v1":
            a["jsonrpc"] = "1.0"
        if p == "/big":
            a = {"jsonrpc": "2.0", "id": req.get("id"),
                 "result": "0x" + "ab" * (1 << 20)}
        return self.send(200, a)


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.handle_error = lambda request, address: None
    print(srv.server_address[1], flush=True)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    # Stop when the test closes our stdin (or dies).
    sys.stdin.read()
    srv.shutdown()


if __name__ == "__main__":
    main()
