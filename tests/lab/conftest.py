"""Fixtures for the network lab: three namespaces with real servers.

    agent (192.168.50.2, default route via the router, DNS 198.51.100.53)
      | veth a0 - r0, 192.168.50.0/24
    router (192.168.50.1 and 198.51.100.1; masquerades the agent out of r1;
            `table inet fw` contains a scenario's firewall rules, `table ip lab_dnat`
            its redirections to the TLS-intercepting relay or the captive portal)
      | veth r1 - c0, 198.51.100.0/24
    cloud (no default route):
      .20 acme.ucontact.test        HTTPS 443, WSS 8089 /ws (subprotocol sip)
      .21 .22 stun.ucontact.test    coturn STUN UDP+TCP 3478
      .30 cacerts.geotrust.test     HTTP 80, /LabRSACA2018.crt (DER intermediate)
      .31-.36                       HTTPS 443: redirector.gvt1.test,
                                    licence.cloudfunctions.test, monitor.ucontact.test,
                                    github.test, api.github.test, codeload.github.test
      .40 .41                       HTTPS 443 ("Chrome IPs"); .41 also STUN UDP 19302
      .53                           dnsmasq, authoritative for .test (others NXDOMAIN)

The router and the cloud have no default route, so no lab traffic leaves the machine.
The `lab` fixture builds this once per session; `scenario_lab` restores the healthy
scenario around each test, and `Lab.apply` switches scenarios by replacing nft tables
and restarting only the servers whose configuration changes.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab.lab import HEALTHY, Lab
from tests.lab.netns import missing_tools, netns_unavailable_reason


def lab_unavailable_reason() -> str | None:
    """Return why the lab cannot run on this machine, or None when it can."""
    if os.geteuid() != 0:
        return "lab tests need root to create network namespaces; run pytest as root"
    missing = missing_tools()
    if missing:
        return f"lab tests need these programs on PATH: {', '.join(missing)}"
    return netns_unavailable_reason()


@pytest.fixture(scope="session")
def lab(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Lab]:
    reason = lab_unavailable_reason()
    if reason:
        pytest.skip(f"network lab unavailable: {reason}")

    folder: Path = tmp_path_factory.mktemp("lab")
    lab = Lab(f"unc{os.getpid()}", folder)
    # Registered before building, so a half-built lab is torn down too. atexit
    # covers an interrupted session that skips fixture teardown.
    request.addfinalizer(lab.stop)
    atexit.register(lab.stop)
    lab.start()
    yield lab


@pytest.fixture
def scenario_lab(lab: Lab) -> Iterator[Lab]:
    """The lab in the healthy scenario; the test may apply another one."""
    lab.apply(HEALTHY)
    yield lab
    lab.apply(HEALTHY)
