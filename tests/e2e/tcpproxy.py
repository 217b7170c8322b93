#!/usr/bin/python3
# tests/e2e/tcpproxy.py LISTEN_PORT UPSTREAM_PORT - a TCP forwarder on
# 127.0.0.1, stopped and started by the tests to make an RPC outage.
import asyncio
import sys


async def pipe(r, w):
    try:
        while True:
            d = await r.read(65536)
            if not d:
                break
            w.write(d)
            await w.drain()
    except Exception:
        pass
    finally:
        try:
            w.close()
        except Exception:
            pass


async def handle(cr, cw, up):
    try:
        ur, uw = await asyncio.open_connection("127.0.0.1", up)
    except Exception:
        cw.close()
        return
    await asyncio.gather(pipe(cr, uw), pipe(ur, cw))


async def main(port, up):
    srv = await asyncio.start_server(lambda r, w: handle(r, w, up),
                                     "127.0.0.1", port, reuse_address=True)
    async with srv:
        await srv.serve_forever()


asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
