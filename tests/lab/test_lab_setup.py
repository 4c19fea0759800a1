"""The lab itself, probed from the agent namespace without the product.

These tests separate a broken lab from a broken check: each scenario's network
condition is shown to exist with the standard library or a real client.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.lab.lab import Lab, Scenario
from tests.lab.netns import ACME_IP, ROUTER_LAN_IP, in_netns, run

pytestmark = pytest.mark.lab

# Run in the agent: print the subject, issuer and number of certificates the server at
# HOST:PORT sends. The chain is read without verifying, because a lab probe must see
# whatever a broken server sends; verification is the product's job. Python 3.11 offers the chain only through
# the private _sslobj.get_unverified_chain (3.13 makes it public).
CHAIN_PROBE = """
import _ssl, socket, ssl, sys
from cryptography import x509
host, port = sys.argv[1], int(sys.argv[2])
context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
with socket.create_connection((host, port), timeout=5) as raw:
    with context.wrap_socket(raw, server_hostname=host) as tls:
        chain = tls._sslobj.get_unverified_chain()
leaf = x509.load_der_x509_certificate(chain[0].public_bytes(_ssl.ENCODING_DER))
print(leaf.subject.rfc4514_string())
print(leaf.issuer.rfc4514_string())
print(len(chain))
"""


def agent_python(lab: Lab, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        in_netns(lab.agent, sys.executable, "-c", textwrap.dedent(code), *args),
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_only_agent_has_default_route(lab: Lab) -> None:
    agent_routes = run(in_netns(lab.agent, "ip", "route")).stdout
    router_routes = run(in_netns(lab.router, "ip", "route")).stdout
    cloud_routes = run(in_netns(lab.cloud, "ip", "route")).stdout

    assert f"default via {ROUTER_LAN_IP}" in agent_routes
    assert "default" not in router_routes
    assert "default" not in cloud_routes


def test_agent_resolver_uses_lab_dns(lab: Lab) -> None:
    probe = agent_python(
        lab,
        """
        import dns.resolver
        resolver = dns.resolver.Resolver()
        print(sorted(a.to_text() for a in resolver.resolve("stun.ucontact.test", "A")))
        try:
            resolver.resolve("absent.ucontact.test", "A")
        except dns.resolver.NXDOMAIN:
            print("nxdomain")
    """,
    )

    assert "['198.51.100.21', '198.51.100.22']" in probe.stdout, probe
    assert "nxdomain" in probe.stdout, probe


def test_stunclient_sees_router_address(lab: Lab) -> None:
    result = run(
        in_netns(lab.agent, "turnutils_stunclient", "198.51.100.21"), timeout=15
    )

    assert "UDP reflexive addr: 198.51.100.1:" in result.stdout


def test_leaf_only_listener_sends_one_certificate(scenario_lab: Lab) -> None:
    scenario_lab.apply(Scenario(acme_443_cert="acme-leaf-only"))
    probe = agent_python(scenario_lab, CHAIN_PROBE, "acme.ucontact.test", "443")

    assert probe.stdout.splitlines()[-1:] == ["1"], probe


def test_healthy_listener_sends_chain(scenario_lab: Lab) -> None:
    probe = agent_python(scenario_lab, CHAIN_PROBE, "acme.ucontact.test", "8089")

    assert probe.stdout.splitlines()[-1:] == ["2"], probe


def test_interception_relay_presents_inspection_leaf(scenario_lab: Lab) -> None:
    scenario_lab.apply(
        Scenario(
            interception=True,
            dnat=(
                f"ip daddr {ACME_IP} tcp dport {{ 443, 8089 }} dnat to {ROUTER_LAN_IP}",
            ),
        )
    )
    probe = agent_python(scenario_lab, CHAIN_PROBE, "acme.ucontact.test", "443")
    relayed = agent_python(
        scenario_lab,
        """
        import ssl, sys, urllib.request
        context = ssl.create_default_context(cafile=sys.argv[1])
        with urllib.request.urlopen("https://acme.ucontact.test/", context=context,
                                    timeout=5) as response:
            print(response.status, response.read(200).decode())
    """,
        str(scenario_lab.files.os_store),
    )

    assert "CN=Corp Inspection Root" in probe.stdout, probe
    assert "200 uContact lab server acme.ucontact.test" in relayed.stdout, relayed


def test_captive_portal_answers_html(scenario_lab: Lab) -> None:
    scenario_lab.apply(
        Scenario(captive_portal=True, dnat=(f"tcp dport 80 dnat to {ROUTER_LAN_IP}",))
    )
    probe = agent_python(
        scenario_lab,
        """
        import urllib.request
        url = "http://cacerts.geotrust.test/LabRSACA2018.crt"
        with urllib.request.urlopen(url, timeout=5) as response:
            print(response.status, response.headers["Content-Type"])
    """,
    )

    assert probe.stdout.startswith("200 text/html"), probe


def test_aia_serves_intermediate_der(scenario_lab: Lab) -> None:
    probe = agent_python(
        scenario_lab,
        """
        import urllib.request
        from cryptography import x509
        url = "http://cacerts.geotrust.test/LabRSACA2018.crt"
        with urllib.request.urlopen(url, timeout=5) as response:
            content_type = response.headers["Content-Type"]
            body = response.read(100_000)
        print(content_type)
        print(x509.load_der_x509_certificate(body).subject.rfc4514_string())
    """,
    )

    assert probe.stdout.splitlines() == [
        "application/pkix-cert",
        scenario_lab.files.intermediate_subject,
    ], probe


def test_wss_echoes_sip_and_answers_options(scenario_lab: Lab) -> None:
    probe = agent_python(
        scenario_lab,
        """
        import asyncio, ssl, sys, aiohttp
        OPTIONS = ("OPTIONS sip:acme.ucontact.test SIP/2.0\\r\\n"
                   "Via: SIP/2.0/WSS probe.invalid;branch=z9hG4bKlab\\r\\n"
                   "From: <sip:probe@probe.invalid>;tag=1\\r\\n"
                   "To: <sip:acme.ucontact.test>\\r\\nCall-ID: lab-1\\r\\n"
                   "CSeq: 1 OPTIONS\\r\\nContent-Length: 0\\r\\n\\r\\n")
        async def main():
            context = ssl.create_default_context(cafile=sys.argv[1])
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(
                        "wss://acme.ucontact.test:8089/ws", protocols=("sip",),
                        ssl=context, timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws:
                    print(ws.protocol)
                    await ws.send_str(OPTIONS)
                    message = await ws.receive(timeout=5)
                    print(message.data.split("\\r\\n")[0])
                    print("Call-ID: lab-1" in message.data)
        asyncio.run(main())
    """,
        str(scenario_lab.files.public_roots),
    )

    assert probe.stdout.splitlines() == ["sip", "SIP/2.0 200 OK", "True"], probe
