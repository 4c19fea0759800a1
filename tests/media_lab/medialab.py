"""The media lab: the shared agent -> router -> cloud topology, the responder and coturn.

The responder binds UDP 10000-20000, 8089 and 443 and its SIP mirror UDP and TCP
5060 on the instance address in the cloud namespace; coturn answers STUN on the two
STUN addresses (RFC 5780 needs two).
The product runs in the agent namespace as a whole process, as an agent would run it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.lab import netns
from tests.lab.netns import LabProcess, Topology, in_netns, nft_replace_table, run

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
INSTANCE_IP = netns.ACME_IP
STUN_A, STUN_B = netns.STUN_IPS
RTP_LOW, RTP_HIGH = 10000, 20000
SIP_PORT = 5060

_CHECKS = {
    "rtp-range": f"""
[[check]]
id = "rtp-range"
kind = "rtp-range"
group = "media"
title = "Voice media ports"
requirement = "UDP {RTP_LOW}-{RTP_HIGH} to the instance carries RTP"
severity = "required"
timeout_s = {{rtp_timeout}}
host = "{INSTANCE_IP}"
responder = "{INSTANCE_IP}"
presence_port = 8089
low_port = {RTP_LOW}
high_port = {RTP_HIGH}
mode = "{{rtp_mode}}"
sample_size = 64
sample_rate_pps = 100
full_rate_pps = {{full_rate}}
refine_rate_pps = 2000
wait_s = {{rtp_wait}}
retries = {{rtp_retries}}
""",
    "udp-8089": f"""
[[check]]
id = "udp-8089"
kind = "udp-probe"
group = "signalling"
title = "UDP 8089"
requirement = "UDP 8089 to the instance is open"
severity = "required"
timeout_s = 5
host = "{INSTANCE_IP}"
port = 8089
probe = "token"
purpose = "uContact signalling"
responder = "{INSTANCE_IP}"
presence_port = 10000
""",
    "udp-443": f"""
[[check]]
id = "udp-443"
kind = "udp-probe"
group = "signalling"
title = "UDP 443 (QUIC)"
requirement = "UDP 443 to the instance is open"
severity = "recommended"
timeout_s = 5
host = "{INSTANCE_IP}"
port = 443
probe = "quic"
purpose = "HTTP/3 (QUIC)"
responder = "{INSTANCE_IP}"
presence_port = 8089
""",
    "nat": f"""
[[check]]
id = "nat"
kind = "nat"
group = "media"
title = "NAT behaviour"
requirement = "The NAT is not symmetric"
severity = "recommended"
timeout_s = 8
stun_host = "{STUN_A}"
stun_port = 3478
{{nat_alternate}}
""",
    "quality": f"""
[[check]]
id = "quality"
kind = "quality"
group = "media"
title = "Call quality"
requirement = "RTT, jitter, loss and MOS meet the thresholds"
severity = "recommended"
timeout_s = {{quality_timeout}}
responder = "{INSTANCE_IP}"
port = {RTP_LOW}
stun_host = "{STUN_A}"
stun_port = 3478
duration_s = {{quality_duration}}
packets_per_second = 50
packet_bytes = 172
""",
    # The same stream parameters as quality, so both checks read one RTP stream.
    "ips": f"""
[[check]]
id = "ips"
kind = "ips"
group = "media"
title = "Voice packets not blocked (IPS)"
requirement = "No IPS or firewall cuts or drops RTP that random packets get through"
severity = "required"
timeout_s = {{quality_timeout}}
responder = "{INSTANCE_IP}"
port = {RTP_LOW}
stun_host = "{STUN_A}"
stun_port = 3478
duration_s = {{quality_duration}}
packets_per_second = 50
packet_bytes = 172
loss_margin_points = 5
loss_ratio = 2
""",
    "sip-alg": f"""
[[check]]
id = "sip-alg"
kind = "sip-alg"
group = "signalling"
title = "No SIP ALG on the path"
requirement = "No router or firewall on the path rewrites SIP on UDP or TCP 5060"
severity = "required"
timeout_s = 8
responder = "{INSTANCE_IP}"
port = {SIP_PORT}
local_port = {SIP_PORT}
wait_s = 1.0
retries = 2
""",
}

_HEADER = """
[profile]
name = "media lab"
instance_host = "{instance}.ucontact.test"

[run]
concurrency = 8
deadline_s = 30
dns_timeout_s = 2

[thresholds]
rtt_ms = [150, 400]
jitter_ms = [30, 50]
loss_percent = [1, 3]
mos = [3.8, 3.1]
"""

DEFAULTS = {
    "rtp_mode": "sample",
    "rtp_timeout": 8,
    "rtp_wait": 1.0,
    "rtp_retries": 2,
    "full_rate": 40000,
    "quality_duration": 8,
    "quality_timeout": 14,
    "nat_alternate": "",
}


def write_profile(path: Path, checks: list[str], **settings: Any) -> Path:
    values = {**DEFAULTS, **settings}
    body = _HEADER + "".join(_CHECKS[name].format(**values) for name in checks)
    path.write_text(body)
    return path


class MediaLab:
    """The topology plus the responder and coturn, switched between scenarios."""

    def __init__(self, prefix: str, folder: Path) -> None:
        self.folder = folder
        self.topology = Topology(prefix)
        self.responder: LabProcess | None = None
        self.coturn: LabProcess | None = None

    def start(self) -> None:
        self.topology.build()
        self.start_coturn()
        self.start_responder()

    def stop(self) -> None:
        for process in (self.responder, self.coturn):
            if process is not None:
                process.stop()
        self.topology.destroy()

    def start_responder(self, sip: bool = True) -> None:
        """Start the responder unless it runs; `sip` false starts it without the mirror."""
        if self.responder is not None and self.responder.alive():
            return
        expected = [
            ("udp", f"{INSTANCE_IP}:8089"),
            ("udp", f"{INSTANCE_IP}:443"),
            ("udp", f"{INSTANCE_IP}:{RTP_LOW}"),
            ("udp", f"{INSTANCE_IP}:{RTP_HIGH}"),
        ]
        if sip:
            expected += [
                ("udp", f"{INSTANCE_IP}:{SIP_PORT}"),
                ("tcp", f"{INSTANCE_IP}:{SIP_PORT}"),
            ]
        self.responder = LabProcess(
            "responder",
            in_netns(
                self.topology.cloud,
                "env",
                f"PYTHONPATH={REPO}",
                PYTHON,
                "-m",
                "app",
                "responder",
                "--bind",
                INSTANCE_IP,
                "--rtp-range",
                f"{RTP_LOW}-{RTP_HIGH}",
                "--port",
                "8089",
                "--port",
                "443",
                "--burst",
                "40000",
                "--rate",
                "20000",
                *([] if sip else ["--no-sip"]),
            ),
            self.folder / "responder.log",
        )
        self.responder.start()
        netns.wait_listening(
            self.topology,
            self.responder,
            self.topology.cloud,
            expected,
            timeout_s=20,
        )

    def stop_responder(self) -> None:
        if self.responder is not None:
            self.responder.stop()

    def start_coturn(self) -> None:
        self.coturn = LabProcess(
            "coturn",
            in_netns(
                self.topology.cloud,
                "turnserver",
                # -n skips /etc/turnserver.conf, whose no-rfc5780 would drop
                # OTHER-ADDRESS from the responses.
                "-n",
                f"--listening-ip={STUN_A}",
                f"--listening-ip={STUN_B}",
                "--listening-port=3478",
                "--stun-only",
                "--no-cli",
                "--no-tls",
                "--no-dtls",
                "--log-file=stdout",
                "--simple-log",
            ),
            self.folder / "coturn.log",
        )
        self.coturn.start()
        netns.wait_listening(
            self.topology,
            self.coturn,
            self.topology.cloud,
            [
                ("udp", f"{STUN_A}:3478"),
                ("udp", f"{STUN_B}:3478"),
            ],
        )

    def set_firewall(self, rules: list[str]) -> None:
        self.topology.set_firewall(rules)

    def set_masquerade(self, flags: str = "") -> None:
        """Replace the router's NAT; "random" makes it symmetric (port per destination)."""
        self.topology.nft(
            self.topology.router,
            nft_replace_table(
                "ip",
                "nat",
                (
                    "  chain post {\n"
                    "    type nat hook postrouting priority srcnat;\n"
                    f'    oifname "r1" masquerade {flags}\n'
                    "  }\n"
                ),
            ),
        )

    def set_sip_alg(self, protocols: tuple[str, ...] = ("udp",)) -> None:
        """Put Linux's SIP helper (nf_conntrack_sip, nf_nat_sip) on SIP_PORT before
        the masquerade, as a router with its SIP ALG on does."""
        helpers = "".join(
            f'  ct helper sip-{protocol} {{\n    type "sip" protocol {protocol};\n  }}\n'
            for protocol in protocols
        )
        assignments = "".join(
            f'    {protocol} dport {SIP_PORT} ct helper set "sip-{protocol}"\n'
            for protocol in protocols
        )
        self.topology.nft(
            self.topology.router,
            nft_replace_table(
                "ip",
                "nat",
                helpers + "  chain pre {\n"
                "    type filter hook prerouting priority filter;\n"
                + assignments
                + "  }\n"
                "  chain post {\n"
                "    type nat hook postrouting priority srcnat;\n"
                '    oifname "r1" masquerade\n'
                "  }\n",
            ),
        )
        self.flush_conntrack()

    def flush_conntrack(self) -> None:
        """Delete the router's connection tracking entries.

        A helper is attached when a connection is first tracked, so without this a
        SIP flow from port 5060 keeps the helper (or its absence) of an earlier
        scenario for as long as its entry lives (Linux's defaults: 30 s for UDP, 120 s
        once replies flow).
        """
        run(in_netns(self.topology.router, PYTHON, "-c", _FLUSH_CONNTRACK))

    def run_product(self, profile: Path, timeout: float = 60) -> dict[str, Any]:
        """Run `app run` in the agent namespace and return its JSON report."""
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        result = subprocess.run(
            in_netns(
                self.topology.agent,
                PYTHON,
                "-m",
                "app",
                "run",
                "--instance",
                "acme",
                "--profile",
                str(profile),
                "--json",
                "-",
            ),
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=REPO,
        )
        if not result.stdout.strip():
            raise AssertionError(
                f"no report (exit {result.returncode}): {result.stderr[-2000:]}"
            )
        report = json.loads(result.stdout)
        report["exit_code"] = result.returncode
        return report


# An IPCTNL_MSG_CT_DELETE request without attributes flushes the IPv4 table over
# NETLINK_NETFILTER (12); the kernel acknowledges it with error 0.
_FLUSH_CONNTRACK = """
import socket, struct
sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)
header = struct.pack("=IHHII", 20, (1 << 8) | 2, 1 | 4, 1, 0)
sock.send(header + struct.pack("=BBH", socket.AF_INET, 0, 0))
error = struct.unpack_from("=i", sock.recv(4096), 16)[0]
raise SystemExit(f"conntrack flush failed: error {error}" if error else 0)
"""


def checks_by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["id"]: check for check in report["checks"]}
