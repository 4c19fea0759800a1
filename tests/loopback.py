"""Real servers on 127.0.0.1 for unit tests: dnsmasq for names, TLS server contexts."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

import dns.asyncresolver

from app.core.resolve import HostResolver
from tests.pki import Leaf


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def start_dnsmasq(records: Mapping[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """Start dnsmasq on a free 127.0.0.1 port answering `records` (name -> address).

    Other names under .test get NXDOMAIN. Retries when another process takes the port
    first; waits until dnsmasq has bound it.
    """
    assert shutil.which("dnsmasq"), "dnsmasq is not installed"
    error = b""
    for _ in range(5):
        port = free_port(socket.SOCK_DGRAM)
        args = [
            "dnsmasq",
            "--keep-in-foreground",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            f"--port={port}",
            "--pid-file=",
            "--user=root",
            "--local=/test/",
        ]
        args += [f"--address=/{name}/{address}" for name, address in records.items()]
        process = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and process.poll() is None:
            if _port_taken(port):
                return process, port
            time.sleep(0.05)
        process.kill()
        process.wait(5)
        error = process.stderr.read() if process.stderr else b""
    raise AssertionError(f"dnsmasq did not start: {error.decode(errors='replace')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(5)
    if process.stderr:
        process.stderr.close()


def loopback_resolver(dns_port: int, timeout_s: float = 2.0) -> HostResolver:
    """Return a run resolver that asks the dnsmasq on `dns_port` only."""
    resolver = dns.asyncresolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = dns_port
    return HostResolver(timeout_s, resolver)


def server_context(
    leaf: Leaf, folder: Path, stem: str = "server", *, send_chain: bool = True
) -> ssl.SSLContext:
    """Return a TLS server context presenting `leaf` (and its chain unless omitted)."""
    cert, key = leaf.write(folder, stem, send_chain=send_chain)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
