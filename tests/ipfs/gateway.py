#!/usr/bin/python3
"""gateway.py - a small trustless IPFS gateway for tests, that can lie.

Serves raw blocks: GET /ipfs/<cid>?format=raw (or Accept:
application/vnd.ipld.raw) answers the block whose sha2-256 digest the CID
names, from the files under --dir (any names; each file is one block).
Requests for anything but a raw block get 406, unknown blocks 404.

  gateway.py --dir DIR --port-file FILE [--mode MODE] [--log FILE]

MODE says how it answers a block it has:
  ok         the block, application/vnd.ipld.raw
  wrong      the block with one byte changed
  truncated  a Content-Length for the whole block, then half of it
  slow       nothing for --delay seconds (default 5), then the block
  500        HTTP 500
  html       200 with an HTML error page as text/html
  htmlraw    an HTML page labelled application/vnd.ipld.raw
  flaky      503 for every other request, the block otherwise
  huge       the block followed by 3 MiB of zeros
It writes its port to --port-file once listening, and a line per request
(path and Accept header) to --log.
"""
import argparse
import base64
import hashlib
import http.server
import os
import sys
import threading
import time

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(s):
    n = 0
    for ch in s:
        n = n * 58 + B58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    zeros = len(s) - len(s.lstrip("1"))
    return b"\0" * zeros + body


def varint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def digest_of_cid(text):
    """The sha2-256 digest a CID names, or None."""
    if text.startswith("Qm"):
        mh = b58decode(text)
    elif text.startswith("b"):
        s = text[1:].upper()
        raw = base64.b32decode(s + "=" * (-len(s) % 8))
        version, i = varint(raw, 0)
        if version != 1:
            return None
        _codec, i = varint(raw, i)
        mh = raw[i:]
    elif text.startswith("z"):
        raw = b58decode(text[1:])
        _version, i = varint(raw, 0)
        _codec, i = varint(raw, i)
        mh = raw[i:]
    else:
        return None
    if len(mh) != 34 or mh[0] != 0x12 or mh[1] != 32:
        return None
    return mh[2:]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, ctype, body, length=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        srv = self.server
        path, _, query = self.path.partition("?")
        accept = self.headers.get("Accept", "")
        if srv.log:
            with srv.lock, open(srv.log, "a") as f:
                f.write("%s accept=%s\n" % (self.path, accept))
        if not path.startswith("/ipfs/"):
            return self.send(404, "text/plain", b"not found\n")
        if "format=raw" not in query and "application/vnd.ipld.raw" not in accept:
            return self.send(406, "text/plain", b"only raw blocks here\n")
        try:
            digest = digest_of_cid(path[len("/ipfs/"):])
        except (ValueError, IndexError):
            digest = None
        if digest is None:
            return self.send(400, "text/plain", b"bad cid\n")
        block = srv.blocks.get(digest)
        if block is None:
            return self.send(404, "text/plain", b"no such block\n")
        mode = srv.mode
        if mode == "flaky":
            with srv.lock:
                srv.count += 1
                fail = srv.count % 2 == 1
            if fail:
                return self.send(503, "text/plain", b"try again\n")
            mode = "ok"
        if mode == "huge":
            return self.send(200, "application/vnd.ipld.raw", block + bytes(3 << 20))
        if mode == "ok":
            return self.send(200, "application/vnd.ipld.raw", block)
        if mode == "wrong":
            bad = bytearray(block) or bytearray(b"\0")
            bad[len(bad) // 2] ^= 0x55
            return self.send(200, "application/vnd.ipld.raw", bytes(bad))
        if mode == "truncated":
            self.send(200, "application/vnd.ipld.raw", block[: len(block) // 2], len(block))
            self.close_connection = True
            return
        if mode == "slow":
            time.sleep(srv.delay)
            return self.send(200, "application/vnd.ipld.raw", block)
        if mode == "500":
            return self.send(500, "text/plain", b"internal error\n")
        page = b"<!DOCTYPE html><html><body><h1>504 Gateway Time-out</h1></body></html>\n"
        if mode == "html":
            return self.send(200, "text/html; charset=utf-8", page)
        if mode == "htmlraw":
            return self.send(200, "application/vnd.ipld.raw", page)
        return self.send(500, "text/plain", b"unknown mode\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--mode", default="ok",
                    choices=["ok", "wrong", "truncated", "slow", "500", "html",
                             "htmlraw", "flaky", "huge"])
    ap.add_argument("--delay", type=float, default=5.0)
    ap.add_argument("--log")
    a = ap.parse_args()
    blocks = {}
    for root, _dirs, files in os.walk(a.dir):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                data = f.read()
            blocks[hashlib.sha256(data).digest()] = data
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.blocks, srv.mode, srv.delay, srv.log = blocks, a.mode, a.delay, a.log
    srv.lock = threading.Lock()
    srv.count = 0
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
