"""Network namespaces, nftables rule sets and lab processes, driven through iproute2.

Every command here acts on namespaces that this module created. None of them gets a
route off the machine (the router and the cloud have no default route at all).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

AGENT_LAN = "192.168.50.0/24"
AGENT_IP = "192.168.50.2"
ROUTER_LAN_IP = "192.168.50.1"
ROUTER_PUBLIC_IP = "198.51.100.1"
CLOUD_PREFIX_LEN = 24

# Cloud addresses: each lab host name gets its own, as a real deployment would.
ACME_IP = "198.51.100.20"
STUN_IPS = ("198.51.100.21", "198.51.100.22")
AIA_IP = "198.51.100.30"
REDIRECTOR_IP = "198.51.100.31"
LICENCE_IP = "198.51.100.32"
MONITOR_IP = "198.51.100.33"
GITHUB_IPS = ("198.51.100.34", "198.51.100.35", "198.51.100.36")
CHROME_IPS = ("198.51.100.40", "198.51.100.41")
DNS_IP = "198.51.100.53"
CLOUD_IPS = (
    ACME_IP,
    *STUN_IPS,
    AIA_IP,
    REDIRECTOR_IP,
    LICENCE_IP,
    MONITOR_IP,
    *GITHUB_IPS,
    *CHROME_IPS,
    DNS_IP,
)

REQUIRED_TOOLS = ("ip", "nft", "ss", "turnserver", "turnutils_stunclient", "dnsmasq")


class LabCommandError(RuntimeError):
    """A lab setup command failed; the message carries its output."""


def run(
    args: list[str],
    *,
    timeout: float = 10.0,
    check: bool = True,
    stdin_text: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `args`, raising LabCommandError with stdout and stderr if it fails."""
    result = subprocess.run(
        args,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin_text,
    )
    if check and result.returncode != 0:
        raise LabCommandError(
            f"{' '.join(args)} exited with {result.returncode}: "
            f"{result.stderr.strip() or result.stdout.strip()}"
        )
    return result


def in_netns(namespace: str, *args: str) -> list[str]:
    return ["ip", "netns", "exec", namespace, *args]


def missing_tools() -> list[str]:
    return [tool for tool in REQUIRED_TOOLS if shutil.which(tool) is None]


def netns_unavailable_reason() -> str | None:
    """Return why namespaces cannot be made here, or None when they can."""
    probe = f"uncprobe{time.monotonic_ns() % 1_000_000}"
    result = run(["ip", "netns", "add", probe], check=False)
    if result.returncode != 0:
        return f"`ip netns add` failed: {result.stderr.strip()}"
    run(["ip", "netns", "del", probe], check=False)
    return None


def nft_replace_table(family: str, table: str, body: str) -> str:
    """Return an nft script that replaces `family table` in one transaction.

    Declaring the table first makes the delete valid when the table does not exist
    yet. nft applies the whole file as one transaction, so no packet meets a half
    rule set.
    """
    return (
        f"table {family} {table}\n"
        f"delete table {family} {table}\n"
        f"table {family} {table} {{\n{body}}}\n"
    )


@dataclass
class Topology:
    """The three namespaces agent -> router -> cloud and the veth pairs between them."""

    prefix: str
    agent: str = field(init=False)
    router: str = field(init=False)
    cloud: str = field(init=False)
    created: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.agent = f"{self.prefix}-agent"
        self.router = f"{self.prefix}-router"
        self.cloud = f"{self.prefix}-cloud"

    @property
    def resolv_folder(self) -> Path:
        return Path("/etc/netns") / self.agent

    def build(self) -> None:
        """Create namespaces, links, addresses, routes, masquerade and the agent DNS."""
        for namespace in (self.agent, self.router, self.cloud):
            run(["ip", "netns", "add", namespace])
            self.created.append(namespace)
            run(["ip", "-n", namespace, "link", "set", "lo", "up"])

        run(
            [
                "ip",
                "link",
                "add",
                "a0",
                "netns",
                self.agent,
                "type",
                "veth",
                "peer",
                "name",
                "r0",
                "netns",
                self.router,
            ]
        )
        run(
            [
                "ip",
                "link",
                "add",
                "r1",
                "netns",
                self.router,
                "type",
                "veth",
                "peer",
                "name",
                "c0",
                "netns",
                self.cloud,
            ]
        )

        run(["ip", "-n", self.agent, "addr", "add", f"{AGENT_IP}/24", "dev", "a0"])
        run(
            ["ip", "-n", self.router, "addr", "add", f"{ROUTER_LAN_IP}/24", "dev", "r0"]
        )
        run(
            [
                "ip",
                "-n",
                self.router,
                "addr",
                "add",
                f"{ROUTER_PUBLIC_IP}/{CLOUD_PREFIX_LEN}",
                "dev",
                "r1",
            ]
        )
        for address in CLOUD_IPS:
            run(
                [
                    "ip",
                    "-n",
                    self.cloud,
                    "addr",
                    "add",
                    f"{address}/{CLOUD_PREFIX_LEN}",
                    "dev",
                    "c0",
                ]
            )
        for namespace, link in (
            (self.agent, "a0"),
            (self.router, "r0"),
            (self.router, "r1"),
            (self.cloud, "c0"),
        ):
            run(["ip", "-n", namespace, "link", "set", link, "up"])

        # Only the agent has a default route, and it points at the router. The router
        # reaches 198.51.100.0/24 on-link and nothing else, so nothing leaves the lab.
        run(["ip", "-n", self.agent, "route", "add", "default", "via", ROUTER_LAN_IP])
        run(in_netns(self.router, "sysctl", "-qw", "net.ipv4.ip_forward=1"))

        self.nft(
            self.router,
            nft_replace_table(
                "ip",
                "nat",
                (
                    "  chain post {\n"
                    "    type nat hook postrouting priority srcnat;\n"
                    '    oifname "r1" masquerade\n'
                    "  }\n"
                ),
            ),
        )
        self.set_firewall([])
        self.set_dnat([])

        self.resolv_folder.mkdir(parents=True, exist_ok=True)
        (self.resolv_folder / "resolv.conf").write_text(f"nameserver {DNS_IP}\n")
        logger.info(
            "lab %s built: %s -> %s -> %s",
            self.prefix,
            self.agent,
            self.router,
            self.cloud,
        )

    def destroy(self) -> None:
        """Delete the namespaces (their veths go with them) and the agent DNS folder."""
        for namespace in reversed(self.created):
            result = run(["ip", "netns", "del", namespace], check=False)
            if result.returncode != 0:
                logger.error(
                    "deleting namespace %s failed: %s", namespace, result.stderr.strip()
                )
        self.created.clear()
        shutil.rmtree(self.resolv_folder, ignore_errors=True)

    def nft(self, namespace: str, script: str) -> None:
        """Load `script` with `nft -f` in `namespace` (one transaction)."""
        with tempfile.NamedTemporaryFile("w", suffix=".nft", delete=False) as handle:
            handle.write(script)
            path = Path(handle.name)
        try:
            run(in_netns(namespace, "nft", "-f", str(path)))
        except LabCommandError as exc:
            raise LabCommandError(f"{exc}\n--- script ---\n{script}") from None
        finally:
            path.unlink(missing_ok=True)

    def set_firewall(self, rules: list[str]) -> None:
        """Replace `table inet fw` on the router: forwarded traffic meets `rules`."""
        body = (
            "  chain forward {\n"
            "    type filter hook forward priority 0; policy accept;\n"
            + "".join(f"    {rule}\n" for rule in rules)
            + "  }\n"
        )
        self.nft(self.router, nft_replace_table("inet", "fw", body))

    def set_dnat(self, rules: list[str]) -> None:
        """Replace `table ip lab_dnat` on the router: agent traffic meets `rules`."""
        body = (
            "  chain pre {\n"
            "    type nat hook prerouting priority dstnat;\n"
            + "".join(f'    iifname "r0" {rule}\n' for rule in rules)
            + "  }\n"
        )
        self.nft(self.router, nft_replace_table("ip", "lab_dnat", body))

    def listening(self, namespace: str, protocol: str) -> set[str]:
        """Return the "address:port" sockets listening on `protocol` in `namespace`."""
        flag = "-Hltn" if protocol == "tcp" else "-Hlun"
        output = run(in_netns(namespace, "ss", flag)).stdout
        sockets = set()
        for line in output.splitlines():
            columns = line.split()
            if len(columns) >= 4:
                sockets.add(columns[3])
        return sockets


@dataclass
class LabProcess:
    """A server started inside a namespace, ended by its own PID."""

    name: str
    args: list[str]
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        # `ip netns exec` execs the command, so the PID is the server's own.
        self.popen = subprocess.Popen(
            self.args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        log.close()
        logger.info(
            "started %s (pid %d): %s", self.name, self.popen.pid, " ".join(self.args)
        )

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=3)
        logger.info(
            "stopped %s (pid %d, exit %s)",
            self.name,
            self.popen.pid,
            self.popen.returncode,
        )
        self.popen = None


def wait_listening(
    topology: Topology,
    process: LabProcess,
    namespace: str,
    expected: list[tuple[str, str]],
    timeout_s: float = 10.0,
) -> None:
    """Poll `ss` until every (protocol, "address:port") in `expected` is listening."""
    deadline = time.monotonic() + timeout_s
    missing = list(expected)
    while time.monotonic() < deadline:
        if not process.alive():
            raise LabCommandError(
                f"{process.name} exited before listening; log:\n{process.log_tail()}"
            )
        tcp = topology.listening(namespace, "tcp")
        udp = topology.listening(namespace, "udp")
        missing = [
            (protocol, socket)
            for protocol, socket in expected
            if socket not in (tcp if protocol == "tcp" else udp)
        ]
        if not missing:
            return
        time.sleep(0.05)
    raise LabCommandError(
        f"{process.name} did not listen on {missing} within {timeout_s:g} s; "
        f"log:\n{process.log_tail()}"
    )
