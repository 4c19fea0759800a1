"""The product run as a whole in the lab's agent namespace, one test per scenario."""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest

from tests.lab.files import AIA_URL
from tests.lab.lab import Lab, Scenario
from tests.lab.netns import (
    ACME_IP,
    DNS_IP,
    GITHUB_IPS,
    ROUTER_LAN_IP,
    ROUTER_PUBLIC_IP,
    in_netns,
)
from tests.lab.product import checks_by_id, run_product

pytestmark = pytest.mark.lab

CHECK_IDS = (
    "dns",
    "https",
    "sip-wss",
    "stun-udp",
    "stun-tcp",
    "ice",
    "tls-443",
    "tls-8089",
    "aia-geotrust",
    "redirector",
    "licence",
    "monitor",
    "updates",
    "chrome-ips",
)
ACME = "acme.ucontact.test"
STUN = "stun.ucontact.test"
AIA_HOST = "cacerts.geotrust.test"
GITHUB_HOSTS = ("github.test", "api.github.test", "codeload.github.test")

# The host(s), port and protocols a remedy must name when the check does not pass.
REMEDY_TARGETS: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {
    "dns": ((ACME,), "53", ("UDP", "TCP")),
    "https": ((ACME,), "443", ("TCP",)),
    "sip-wss": ((ACME,), "8089", ("TCP",)),
    "stun-udp": ((STUN,), "3478", ("UDP",)),
    "stun-tcp": ((STUN,), "3478", ("TCP",)),
    "ice": ((STUN,), "3478", ("UDP",)),
    "tls-443": ((ACME,), "443", ("TCP",)),
    "tls-8089": ((ACME,), "8089", ("TCP",)),
    "aia-geotrust": ((AIA_HOST,), "80", ("TCP",)),
    "redirector": (("redirector.gvt1.test",), "443", ("TCP",)),
    "licence": (("licence.cloudfunctions.test",), "443", ("TCP",)),
    "monitor": (("monitor.ucontact.test",), "443", ("TCP",)),
    "updates": (GITHUB_HOSTS, "443", ("TCP",)),
    "chrome-ips": (("198.51.100.",), "443", ("TCP",)),
}


def expect_statuses(
    changed: dict[str, str], *, unasserted: tuple[str, ...] = ()
) -> dict[str, str]:
    """Every check passes except those in `changed`; `unasserted` ones are left out."""
    expected = {check_id: "pass" for check_id in CHECK_IDS}
    expected.update(changed)
    for check_id in unasserted:
        del expected[check_id]
    return expected


def describe(check: dict[str, Any]) -> str:
    return (
        f"{check['id']}: {check['status']} - {check['summary']!r}; remedy "
        f"{check.get('remedy')!r}; evidence {check.get('evidence')!r}"
    )


def assert_statuses(
    checks: dict[str, dict[str, Any]], expected: dict[str, str]
) -> None:
    for check_id, status in expected.items():
        assert check_id in checks, f"check {check_id} missing from the report"
        assert checks[check_id]["status"] == status, describe(checks[check_id])


def assert_remedies_name_targets(
    checks: dict[str, dict[str, Any]],
    overrides: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] | None = None,
) -> None:
    """Check that every non-pass remedy names host, port and protocol."""
    targets = {**REMEDY_TARGETS, **(overrides or {})}
    for check_id, check in checks.items():
        if check["status"] == "pass":
            continue
        remedy = check.get("remedy") or ""
        hosts, port, protocols = targets[check_id]
        for host in hosts:
            assert host in remedy, f"remedy does not name {host}: {describe(check)}"
        assert re.search(rf"\b{port}\b", remedy), (
            f"remedy does not name port {port}: {describe(check)}"
        )
        assert any(re.search(rf"\b{p}\b", remedy, re.IGNORECASE) for p in protocols), (
            f"remedy does not name {' or '.join(protocols)}: {describe(check)}"
        )


def run_scenario(lab: Lab, scenario: Scenario) -> tuple[int, dict[str, dict[str, Any]]]:
    lab.apply(scenario)
    code, report, _stdout, _stderr = run_product(lab)
    return code, checks_by_id(report)


def test_healthy_lab_all_pass(scenario_lab: Lab) -> None:
    code, checks = run_scenario(scenario_lab, Scenario())

    assert sorted(checks) == sorted(CHECK_IDS)
    assert_statuses(checks, expect_statuses({}))
    assert code == 0


def test_udp_3478_dropped(scenario_lab: Lab) -> None:
    code, checks = run_scenario(
        scenario_lab, Scenario(firewall=("udp dport 3478 drop",))
    )

    assert_statuses(checks, expect_statuses({"stun-udp": "fail", "ice": "fail"}))
    assert_remedies_name_targets(checks)
    assert code == 2


def test_tcp_3478_dropped(scenario_lab: Lab) -> None:
    code, checks = run_scenario(
        scenario_lab, Scenario(firewall=("tcp dport 3478 drop",))
    )

    assert_statuses(checks, expect_statuses({"stun-tcp": "fail"}))
    assert_remedies_name_targets(checks)
    assert code == 2


def test_tcp_8089_reset(scenario_lab: Lab) -> None:
    code, checks = run_scenario(
        scenario_lab, Scenario(firewall=("tcp dport 8089 reject with tcp reset",))
    )

    assert_statuses(checks, expect_statuses({"sip-wss": "fail", "tls-8089": "fail"}))
    assert_remedies_name_targets(checks)
    assert code == 2


def test_instance_nxdomain(scenario_lab: Lab) -> None:
    code, checks = run_scenario(scenario_lab, Scenario(dns_omitted=(ACME,)))

    assert_statuses(
        checks,
        expect_statuses(
            {
                "dns": "fail",
                "https": "fail",
                "sip-wss": "fail",
                "tls-443": "fail",
                "tls-8089": "fail",
            }
        ),
    )
    dns_hosts = checks["dns"]["evidence"]["hosts"]
    assert dns_hosts[ACME]["error"] == "nxdomain", describe(checks["dns"])
    assert_remedies_name_targets(checks)
    assert code == 2


def test_intermediate_omitted_aia_reachable(scenario_lab: Lab) -> None:
    code, checks = run_scenario(scenario_lab, Scenario(acme_443_cert="acme-leaf-only"))

    assert_statuses(checks, expect_statuses({}))
    assert checks["tls-443"]["evidence"]["aia_fetched"] == AIA_URL, describe(
        checks["tls-443"]
    )
    assert code == 0


def test_intermediate_omitted_aia_blocked(scenario_lab: Lab) -> None:
    scenario = Scenario(
        acme_443_cert="acme-leaf-only",
        firewall=("ip daddr 198.51.100.30 tcp dport 80 drop",),
    )
    code, checks = run_scenario(scenario_lab, scenario)

    # The https check may or may not complete the chain on its own; not asserted here.
    assert_statuses(
        checks,
        expect_statuses(
            {"tls-443": "fail", "aia-geotrust": "fail"}, unasserted=("https",)
        ),
    )
    assert_remedies_name_targets(
        checks,
        {
            "tls-443": ((AIA_HOST,), "80", ("TCP",)),
            "https": ((ACME,), "443", ("TCP",)),
        },
    )
    assert code == 2


def test_expired_certificate_on_8089(scenario_lab: Lab) -> None:
    code, checks = run_scenario(scenario_lab, Scenario(acme_8089_cert="acme-expired"))

    assert_statuses(checks, expect_statuses({"tls-8089": "fail", "sip-wss": "fail"}))
    assert "expired" in checks["tls-8089"]["summary"].lower(), describe(
        checks["tls-8089"]
    )
    assert_remedies_name_targets(checks)
    assert code == 2


def test_tls_interception(scenario_lab: Lab) -> None:
    scenario = Scenario(
        interception=True,
        dnat=(f"ip daddr {ACME_IP} tcp dport {{ 443, 8089 }} dnat to {ROUTER_LAN_IP}",),
    )
    code, checks = run_scenario(scenario_lab, scenario)

    # A warning: Chrome accepts a root installed on the computer, so calls work.
    assert_statuses(checks, expect_statuses({"tls-443": "warn", "tls-8089": "warn"}))
    assert checks["tls-443"]["evidence"]["interception"] is True, describe(
        checks["tls-443"]
    )
    assert checks["tls-8089"]["evidence"]["interception"] is True, describe(
        checks["tls-8089"]
    )
    assert_remedies_name_targets(checks)
    assert code == 1


def test_wss_subprotocol_not_echoed(scenario_lab: Lab) -> None:
    code, checks = run_scenario(scenario_lab, Scenario(echo_subprotocol=False))

    assert_statuses(checks, expect_statuses({"sip-wss": "fail"}))
    summary = checks["sip-wss"]["summary"]
    assert "sip" in summary, describe(checks["sip-wss"])
    assert "echo" in summary.lower(), describe(checks["sip-wss"])
    assert_remedies_name_targets(checks)
    assert code == 2


def test_github_blocked_warns(scenario_lab: Lab) -> None:
    addresses = ", ".join(GITHUB_IPS)
    scenario = Scenario(firewall=(f"ip daddr {{ {addresses} }} tcp dport 443 drop",))
    code, checks = run_scenario(scenario_lab, scenario)

    assert_statuses(checks, expect_statuses({"updates": "warn"}))
    assert checks["updates"]["severity"] == "recommended", describe(checks["updates"])
    assert checks["updates"]["evidence"]["measured_status"] == "fail", describe(
        checks["updates"]
    )
    assert_remedies_name_targets(checks)
    assert code == 1


def test_captive_portal_on_port_80(scenario_lab: Lab) -> None:
    scenario = Scenario(
        captive_portal=True, dnat=(f"tcp dport 80 dnat to {ROUTER_LAN_IP}",)
    )
    code, checks = run_scenario(scenario_lab, scenario)

    assert_statuses(checks, expect_statuses({"aia-geotrust": "fail"}))
    assert "html" in checks["aia-geotrust"]["summary"].lower(), describe(
        checks["aia-geotrust"]
    )
    assert_remedies_name_targets(checks)
    assert code == 2


def test_stun_mapped_address_matches_stunclient(scenario_lab: Lab) -> None:
    _code, checks = run_scenario(scenario_lab, Scenario())
    stunclient = subprocess.run(
        in_netns(scenario_lab.agent, "turnutils_stunclient", "198.51.100.21"),
        check=False,
        capture_output=True,
        text=True,
        timeout=15,
    )

    found = re.search(r"UDP reflexive addr: ([\d.]+):(\d+)", stunclient.stdout)
    assert found, f"no reflexive address in turnutils_stunclient output:\n{stunclient}"
    mapped = checks["stun-udp"]["evidence"]["mapped_address"]
    mapped_ip, _, mapped_port = mapped.rpartition(":")
    assert found.group(1) == ROUTER_PUBLIC_IP
    assert mapped_ip == found.group(1), describe(checks["stun-udp"])
    assert 0 < int(mapped_port) < 65536, describe(checks["stun-udp"])


def test_redact_keeps_server_targets(scenario_lab: Lab) -> None:
    scenario_lab.apply(Scenario(firewall=("ip daddr 198.51.100.40 drop",)))
    code, report, stdout, printed = run_product(scenario_lab, "--redact")
    checks = checks_by_id(report)

    assert code == 1
    assert "198.51.100.40" in checks["chrome-ips"]["remedy"]
    assert ROUTER_PUBLIC_IP not in stdout
    assert ROUTER_PUBLIC_IP not in printed
    assert "198.51.100.40" in printed
    assert "192.168.50.2" not in stdout
    assert report["machine"]["hostname"] == "[redacted]"
    assert checks["stun-udp"]["evidence"]["mapped_address"].startswith("[redacted]:")


def test_dns_server_unreachable(scenario_lab: Lab) -> None:
    scenario = Scenario(firewall=("udp dport 53 drop", "tcp dport 53 drop"))
    scenario_lab.apply(scenario)
    code, report, _, _ = run_product(scenario_lab)
    checks = checks_by_id(report)

    dns = checks["dns"]
    assert dns["status"] == "fail", describe(dns)
    assert dns["evidence"]["hosts"][ACME]["error"] == "timeout", describe(dns)
    assert DNS_IP in dns["remedy"], describe(dns)
    assert "port 53" in dns["remedy"], describe(dns)
    assert "instance name" not in dns["remedy"], describe(dns)
    assert code == 2
