"""Lab servers started from one JSON config, run inside a lab namespace.

    ip netns exec NS /work/main/.venv/bin/python tests/lab/servers.py CONFIG.json

The config is {"listeners": [...]}; each listener has "type", "host" and "port":
- "https": every path returns 200 text/plain (TLS from "cert" and "key").
- "wss": "/ws" upgrades to a WebSocket, echoing the subprotocol "sip" unless
  "echo_subprotocol" is false, and answers each SIP request frame with "SIP/2.0 200 OK".
- "file": plain HTTP serving "body_file" at "path" with "content_type", 404 elsewhere.
- "portal": plain HTTP answering every request with a 200 text/html sign-in page.
- "relay": TLS terminated with "cert"/"key", then a new TLS connection to "upstream_host"
  :"upstream_port", verified against "upstream_cafile" for "upstream_server_name";
  bytes are relayed both ways, as a TLS-inspecting firewall does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import ssl
import sys
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

logger = logging.getLogger("lab.servers")

PORTAL_PAGE = (
    "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head>"
    "<body><h1>Sign in to the guest Wi-Fi</h1><form><input name=room></form></body>"
    "</html>"
)
# SIP headers copied from a request into its response (RFC 3261 section 8.2.6.2),
# with their compact forms.
_COPIED_HEADERS = {
    "via": "Via",
    "v": "Via",
    "from": "From",
    "f": "From",
    "to": "To",
    "t": "To",
    "call-id": "Call-ID",
    "i": "Call-ID",
    "cseq": "CSeq",
}
_RELAY_CHUNK = 65536


def server_context(listener: dict[str, Any]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(listener["cert"], listener["key"])
    context.set_alpn_protocols(["http/1.1"])
    return context


def sip_response(request: str) -> str | None:
    """Build a 200 OK for a SIP request, or return None if `request` is not one."""
    head = request.split("\r\n\r\n", 1)[0]
    lines = head.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or parts[2] != "SIP/2.0":
        return None

    copied = []
    for line in lines[1:]:
        name, separator, value = line.partition(":")
        canonical = _COPIED_HEADERS.get(name.strip().lower())
        if not separator or canonical is None:
            continue
        value = value.strip()
        if canonical == "To" and ";tag=" not in value:
            value += ";tag=lab"
        copied.append(f"{canonical}: {value}")
    return "\r\n".join(
        ["SIP/2.0 200 OK", *copied, "Allow: OPTIONS", "Content-Length: 0", "", ""]
    )


async def answer_any(request: web.Request) -> web.Response:
    name = request.app["name"]
    logger.info(
        "%s: %s %s from %s", name, request.method, request.path_qs, request.remote
    )
    return web.Response(text=f"uContact lab server {name}\n")


async def answer_portal(request: web.Request) -> web.Response:
    logger.info(
        "portal: %s http://%s%s from %s",
        request.method,
        request.host,
        request.path_qs,
        request.remote,
    )
    return web.Response(text=PORTAL_PAGE, content_type="text/html")


async def answer_websocket(request: web.Request) -> web.WebSocketResponse:
    protocols = ("sip",) if request.app["echo_subprotocol"] else ()
    websocket = web.WebSocketResponse(protocols=protocols, max_msg_size=65536)
    await websocket.prepare(request)
    logger.info(
        "wss: upgrade from %s, subprotocol %r", request.remote, websocket.ws_protocol
    )
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        response = sip_response(message.data)
        logger.info("wss: frame %r", message.data.split("\r\n", 1)[0])
        if response is not None:
            await websocket.send_str(response)
    return websocket


def build_app(listener: dict[str, Any]) -> web.Application:
    app = web.Application()
    kind = listener["type"]
    app["name"] = listener.get("name", f"{listener['host']}:{listener['port']}")
    if kind == "https":
        app.router.add_route("*", "/{tail:.*}", answer_any)
    elif kind == "wss":
        app["echo_subprotocol"] = listener.get("echo_subprotocol", True)
        app.router.add_get("/ws", answer_websocket)
        app.router.add_route("*", "/{tail:.*}", answer_any)
    elif kind == "file":
        body = Path(listener["body_file"]).read_bytes()

        async def answer_file(request: web.Request) -> web.Response:
            logger.info(
                "file: %s %s from %s", request.method, request.path, request.remote
            )
            return web.Response(body=body, content_type=listener["content_type"])

        app.router.add_get(listener["path"], answer_file)
    elif kind == "portal":
        app.router.add_route("*", "/{tail:.*}", answer_portal)
    else:
        raise ValueError(f"unknown listener type {kind!r}")
    return app


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(_RELAY_CHUNK):
            writer.write(data)
            await writer.drain()
    except (OSError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def start_relay(listener: dict[str, Any]) -> asyncio.Server:
    upstream_context = ssl.create_default_context(cafile=listener["upstream_cafile"])
    upstream_context.set_alpn_protocols(["http/1.1"])
    upstream = (listener["upstream_host"], listener["upstream_port"])

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")
        try:
            up_reader, up_writer = await asyncio.wait_for(
                asyncio.open_connection(
                    *upstream,
                    ssl=upstream_context,
                    server_hostname=listener["upstream_server_name"],
                ),
                5,
            )
        except (OSError, ssl.SSLError, TimeoutError) as exc:
            logger.error("relay: %s -> %s:%d failed: %s", peer, *upstream, exc)
            writer.close()
            return
        logger.info("relay: %s -> %s:%d", peer, *upstream)
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    return await asyncio.start_server(
        relay, listener["host"], listener["port"], ssl=server_context(listener)
    )


async def serve(config: dict[str, Any]) -> None:
    runners: list[web.AppRunner] = []
    relays: list[asyncio.Server] = []
    for listener in config["listeners"]:
        if listener["type"] == "relay":
            relays.append(await start_relay(listener))
        else:
            runner = web.AppRunner(build_app(listener), access_log=None)
            await runner.setup()
            tls = listener["type"] in ("https", "wss")
            site = web.TCPSite(
                runner,
                listener["host"],
                listener["port"],
                ssl_context=server_context(listener) if tls else None,
            )
            await site.start()
            runners.append(runner)
        logger.info(
            "listening: %s on %s:%d",
            listener["type"],
            listener["host"],
            listener["port"],
        )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()

    for relay in relays:
        relay.close()
    for runner in runners:
        await runner.cleanup()
    logger.info("stopped")


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, stream=sys.stdout, format="%(asctime)s %(message)s"
    )
    config = json.loads(Path(sys.argv[1]).read_text())
    asyncio.run(serve(config))


if __name__ == "__main__":
    main()
