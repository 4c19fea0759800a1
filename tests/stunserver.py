"""A real coturn STUN server for tests, on loopback or inside a test's own namespace."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aioice import stun

BINDING_REQUEST = bytes(stun.Message(stun.Method.BINDING, stun.Class.REQUEST))


def _port_free(address: str, port: int) -> bool:
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as sock:
            try:
                sock.bind((address, port))
            except OSError:
                return False
    return True


def free_port_pair(addresses: tuple[str, ...] = ("127.0.0.1", "127.0.0.2")) -> int:
    """Return a port P such that P and P + 1 are free on UDP and TCP at `addresses`.

    coturn listens on P and uses P + 1 as its RFC 5780 alternative port.
    """
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind((addresses[0], 0))
            port = sock.getsockname()[1]
        if port < 65535 and all(
            _port_free(a, p) for a in addresses for p in (port, port + 1)
        ):
            return port
    raise RuntimeError("no free pair of ports on loopback")


@dataclass
class Coturn:
    process: subprocess.Popen[bytes]
    addresses: tuple[str, ...]
    port: int
    log_path: Path

    @property
    def alt_port(self) -> int:
        return self.port + 1

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:]


def _answers_udp(address: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.2)
        try:
            sock.sendto(BINDING_REQUEST, (address, port))
            sock.recvfrom(2048)
        except OSError:
            return False
    return True


def _listens_in_netns(netns: str, port: int) -> bool:
    output = subprocess.run(
        ["ip", "netns", "exec", netns, "ss", "-Hlun", f"sport = :{port}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return bool(output.strip())


@contextmanager
def coturn(
    tmp_path: Path,
    addresses: tuple[str, ...] = ("127.0.0.1", "127.0.0.2"),
    port: int | None = None,
    netns: str | None = None,
) -> Iterator[Coturn]:
    """Run coturn in STUN-only mode until the block ends, then end it by its PID.

    An empty config file replaces /etc/turnserver.conf, whose Debian default sets
    no-rfc5780 and would hide OTHER-ADDRESS.
    """
    port = port or free_port_pair(addresses)
    config = tmp_path / "turnserver.conf"
    config.write_text("")
    log_path = tmp_path / f"coturn-{port}.log"
    command = [
        "turnserver",
        "-c",
        str(config),
        f"--pidfile={tmp_path / 'turnserver.pid'}",
        *(f"--listening-ip={a}" for a in addresses),
        f"--listening-port={port}",
        "--stun-only",
        "--no-cli",
        "--no-tls",
        "--no-dtls",
        "--log-file=stdout",
        "--simple-log",
    ]
    if netns:
        command = ["ip", "netns", "exec", netns, *command]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    server = Coturn(process, addresses, port, log_path)
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"coturn exited: {server.log()}")
            if netns:
                ready = _listens_in_netns(netns, port)
            else:
                ready = all(_answers_udp(a, port) for a in addresses)
            if ready:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"coturn did not listen in 10 s: {server.log()}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@contextmanager
def veth_namespaces(prefix: str, agent_interface: str) -> Iterator[tuple[str, str]]:
    """Create an agent and a server namespace joined by one veth pair.

    The agent gets 198.51.100.2/24 on `agent_interface`, and the server 198.51.100.21
    and .22 on `s0`. Neither namespace has a default route, so nothing leaves them.
    """
    agent, server = f"{prefix}-a", f"{prefix}-s"
    _ip("netns", "add", agent)
    try:
        _ip("netns", "add", server)
        _ip(
            "link",
            "add",
            agent_interface,
            "netns",
            agent,
            "type",
            "veth",
            "peer",
            "name",
            "s0",
            "netns",
            server,
        )
        _ip("-n", agent, "addr", "add", "198.51.100.2/24", "dev", agent_interface)
        _ip("-n", server, "addr", "add", "198.51.100.21/24", "dev", "s0")
        _ip("-n", server, "addr", "add", "198.51.100.22/24", "dev", "s0")
        for namespace, interface in ((agent, agent_interface), (server, "s0")):
            _ip("-n", namespace, "link", "set", "lo", "up")
            _ip("-n", namespace, "link", "set", interface, "up")
        yield agent, server
    finally:
        subprocess.run(["ip", "netns", "del", server], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "del", agent], capture_output=True, check=False)
