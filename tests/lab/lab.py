"""The running lab: topology, servers and the scenario currently applied."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.lab import netns
from tests.lab.files import ACME_HOST, LabFiles, write_lab_files
from tests.lab.netns import LabProcess, Topology, in_netns, wait_listening

logger = logging.getLogger(__name__)

SERVERS_SCRIPT = Path(__file__).with_name("servers.py")

# Lab DNS records: every name the lab profile uses, nothing else under .test.
DNS_RECORDS: dict[str, tuple[str, ...]] = {
    ACME_HOST: (netns.ACME_IP,),
    "stun.ucontact.test": netns.STUN_IPS,
    "cacerts.geotrust.test": (netns.AIA_IP,),
    "redirector.gvt1.test": (netns.REDIRECTOR_IP,),
    "licence.cloudfunctions.test": (netns.LICENCE_IP,),
    "monitor.ucontact.test": (netns.MONITOR_IP,),
    "github.test": (netns.GITHUB_IPS[0],),
    "api.github.test": (netns.GITHUB_IPS[1],),
    "codeload.github.test": (netns.GITHUB_IPS[2],),
}


@dataclass(frozen=True)
class Scenario:
    """What differs from the healthy lab; the default value is the healthy lab."""

    firewall: tuple[str, ...] = ()  # rules of the router's forward chain
    dnat: tuple[str, ...] = ()  # prerouting rules for traffic from the agent
    dns_omitted: tuple[str, ...] = ()  # names that get NXDOMAIN from dnsmasq
    acme_443_cert: str = "acme-full"  # a certificate option of write_lab_files
    acme_8089_cert: str = "acme-full"
    echo_subprotocol: bool = True  # WSS echoes "sip" in Sec-WebSocket-Protocol
    interception: bool = False  # relay on the router with the inspection leaf
    captive_portal: bool = False  # portal on the router for plain HTTP


HEALTHY = Scenario()


class Lab:
    """The agent -> router -> cloud lab with its servers, switched between scenarios."""

    def __init__(self, prefix: str, folder: Path) -> None:
        self.folder = folder
        self.topology = Topology(prefix)
        self.files: LabFiles | None = None
        self.processes: dict[str, LabProcess] = {}
        self._configs: dict[str, Any] = {}
        self._firewall: tuple[str, ...] | None = None
        self._dnat: tuple[str, ...] | None = None
        self.scenario: Scenario | None = None

    @property
    def agent(self) -> str:
        return self.topology.agent

    @property
    def router(self) -> str:
        return self.topology.router

    @property
    def cloud(self) -> str:
        return self.topology.cloud

    def start(self) -> None:
        self.files = write_lab_files(self.folder)
        self.topology.build()
        self._start_coturn()
        self.apply(HEALTHY)

    def stop(self) -> None:
        """Stop every lab process by PID and delete the namespaces (safe to repeat)."""
        for process in self.processes.values():
            process.stop()
        self.processes.clear()
        self._configs.clear()
        self.topology.destroy()

    def apply(self, scenario: Scenario) -> None:
        """Switch to `scenario`, touching only the rules and servers that differ."""
        if scenario.firewall != self._firewall:
            self.topology.set_firewall(list(scenario.firewall))
            self._firewall = scenario.firewall
        if scenario.dnat != self._dnat:
            self.topology.set_dnat(list(scenario.dnat))
            self._dnat = scenario.dnat

        self._ensure_dnsmasq(scenario.dns_omitted)
        self._ensure_servers("web", self.cloud, self._web_config(scenario))
        self._ensure_servers("wss", self.cloud, self._wss_config(scenario))
        self._ensure_servers(
            "relay",
            self.router,
            self._relay_config() if scenario.interception else None,
        )
        self._ensure_servers(
            "portal",
            self.router,
            self._portal_config() if scenario.captive_portal else None,
        )
        self.scenario = scenario
        logger.info("lab %s: scenario %s", self.topology.prefix, scenario)

    # Servers

    def _cert(self, option: str) -> dict[str, str]:
        assert self.files is not None
        cert, key = self.files.certs[option]
        return {"cert": str(cert), "key": str(key)}

    def _web_config(self, scenario: Scenario) -> dict[str, Any]:
        assert self.files is not None
        listeners: list[dict[str, Any]] = [
            {
                "type": "https",
                "host": netns.ACME_IP,
                "port": 443,
                "name": ACME_HOST,
                **self._cert(scenario.acme_443_cert),
            },
        ]
        for host, addresses in DNS_RECORDS.items():
            if addresses[0] in (netns.ACME_IP, netns.AIA_IP, *netns.STUN_IPS):
                continue
            listeners.append(
                {
                    "type": "https",
                    "host": addresses[0],
                    "port": 443,
                    "name": host,
                    **self._cert("services"),
                }
            )
        for address in netns.CHROME_IPS:
            listeners.append(
                {
                    "type": "https",
                    "host": address,
                    "port": 443,
                    "name": address,
                    **self._cert("services"),
                }
            )
        listeners.append(
            {
                "type": "file",
                "host": netns.AIA_IP,
                "port": 80,
                "path": "/LabRSACA2018.crt",
                "body_file": str(self.files.intermediate_der),
                "content_type": "application/pkix-cert",
            }
        )
        return {"listeners": listeners}

    def _wss_config(self, scenario: Scenario) -> dict[str, Any]:
        return {
            "listeners": [
                {
                    "type": "wss",
                    "host": netns.ACME_IP,
                    "port": 8089,
                    "name": "wss",
                    "echo_subprotocol": scenario.echo_subprotocol,
                    **self._cert(scenario.acme_8089_cert),
                }
            ]
        }

    def _relay_config(self) -> dict[str, Any]:
        assert self.files is not None
        return {
            "listeners": [
                {
                    "type": "relay",
                    "host": netns.ROUTER_LAN_IP,
                    "port": port,
                    "upstream_host": netns.ACME_IP,
                    "upstream_port": port,
                    "upstream_server_name": ACME_HOST,
                    "upstream_cafile": str(self.files.public_roots),
                    **self._cert("inspection"),
                }
                for port in (443, 8089)
            ]
        }

    def _portal_config(self) -> dict[str, Any]:
        return {
            "listeners": [
                {"type": "portal", "host": netns.ROUTER_LAN_IP, "port": 80},
            ]
        }

    def _ensure_servers(
        self, name: str, namespace: str, config: dict[str, Any] | None
    ) -> None:
        """Run servers.py with `config` as process `name`, or no process if None."""
        running = self.processes.get(name)
        if (
            running is not None
            and running.alive()
            and self._configs.get(name) == config
        ):
            return
        if running is not None:
            running.stop()
            del self.processes[name]
            self._configs.pop(name, None)
        if config is None:
            return

        config_path = self.folder / f"{name}.json"
        config_path.write_text(json.dumps(config, indent=2))
        process = LabProcess(
            name,
            in_netns(namespace, sys.executable, str(SERVERS_SCRIPT), str(config_path)),
            self.folder / "logs" / f"{name}.log",
        )
        self.processes[name] = process
        process.start()
        expected = [
            ("tcp", f"{item['host']}:{item['port']}") for item in config["listeners"]
        ]
        wait_listening(self.topology, process, namespace, expected)
        self._configs[name] = config

    def _ensure_dnsmasq(self, omitted: tuple[str, ...]) -> None:
        config = {"omitted": omitted}
        running = self.processes.get("dnsmasq")
        if (
            running is not None
            and running.alive()
            and self._configs.get("dnsmasq") == config
        ):
            return
        if running is not None:
            running.stop()

        args = [
            "dnsmasq",
            "--no-daemon",
            "--conf-file=/dev/null",
            "--no-resolv",
            "--no-hosts",
            "--local=/test/",
            f"--listen-address={netns.DNS_IP}",
            "--bind-interfaces",
            "--port=53",
            "--log-queries",
            "--log-facility=-",
            f"--pid-file={self.folder / 'dnsmasq.pid'}",
        ]
        for host, addresses in DNS_RECORDS.items():
            if host not in omitted:
                args.extend(f"--host-record={host},{address}" for address in addresses)
        process = LabProcess(
            "dnsmasq", in_netns(self.cloud, *args), self.folder / "logs" / "dnsmasq.log"
        )
        self.processes["dnsmasq"] = process
        process.start()
        wait_listening(
            self.topology,
            process,
            self.cloud,
            [("udp", f"{netns.DNS_IP}:53"), ("tcp", f"{netns.DNS_IP}:53")],
        )
        self._configs["dnsmasq"] = config

    def _start_coturn(self) -> None:
        """Start coturn on .21/.22:3478 (RFC 5780 needs two addresses) and .41:19302."""
        servers = {
            "coturn-3478": (netns.STUN_IPS, 3478),
            "coturn-19302": ((netns.CHROME_IPS[1],), 19302),
        }
        for name, (addresses, port) in servers.items():
            args = [
                # -n: no configuration file, so the machine's /etc/turnserver.conf
                # cannot change the lab. RFC 5780 stays off as Debian's default
                # file sets it: with it on, turnutils_stunclient behind the lab's
                # NAT waits forever for the CHANGE-REQUEST answers.
                "turnserver",
                "-n",
                "--no-rfc5780",
                *(f"--listening-ip={address}" for address in addresses),
                f"--listening-port={port}",
                "--stun-only",
                "--no-cli",
                "--no-tls",
                "--no-dtls",
                "--log-file=stdout",
                "--simple-log",
                f"--pidfile={self.folder / (name + '.pid')}",
            ]
            process = LabProcess(
                name, in_netns(self.cloud, *args), self.folder / "logs" / f"{name}.log"
            )
            self.processes[name] = process
            process.start()
            expected = [
                (protocol, f"{address}:{port}")
                for address in addresses
                for protocol in ("udp", "tcp")
            ]
            wait_listening(self.topology, process, self.cloud, expected)
