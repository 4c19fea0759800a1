"""Facts about this computer for the report: operating system and interfaces."""

from __future__ import annotations

import logging
import platform
import socket
from typing import Any

import ifaddr

from app import __version__

log = logging.getLogger(__name__)


def interfaces() -> list[dict[str, Any]]:
    """List network adapters with their IP addresses, loopback left out."""
    found = []
    try:
        adapters = ifaddr.get_adapters()
    except OSError as exc:
        log.warning("cannot list network interfaces: %s", exc)
        return []
    for adapter in adapters:
        addresses = []
        for ip in adapter.ips:
            address = ip.ip[0] if isinstance(ip.ip, tuple) else ip.ip
            if address in ("127.0.0.1", "::1"):
                continue
            addresses.append(f"{address}/{ip.network_prefix}")
        if addresses:
            found.append(
                {"name": adapter.nice_name or adapter.name, "addresses": addresses}
            )
    return found


def machine_facts() -> dict[str, Any]:
    return {
        "hostname": socket.gethostname(),
        "os": f"{platform.system()} {platform.release()}",
        "os_version": platform.version(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "tool_version": __version__,
        "interfaces": interfaces(),
    }
