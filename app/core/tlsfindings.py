"""The TLS check's requirements applied to one inspection, as findings with remedies."""

from __future__ import annotations

import logging
import math
import platform
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from app.core import remedy
from app.core.model import Outcome, Status
from app.core.profile import DistrustedRoot, Profile
from app.core.tlschain import (
    find_distrusted,
    hostname_matches,
    issuer_of,
    normalize_name,
    san_names,
    sha256_of,
    subject_of,
)
from app.core.tlsinspect import Inspection

log = logging.getLogger(__name__)

MIN_CIPHER_BITS = 128
_VERSION_RANK = {"SSLv3": 0, "TLSv1": 1, "TLSv1.1": 2, "TLSv1.2": 3, "TLSv1.3": 4}
_SEVERITY_ORDER = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.WARN: 2, Status.PASS: 3}


@dataclass(frozen=True)
class Finding:
    status: Status
    summary: str  # one sentence, ending with a period
    remedy: str = ""


def common_name(subject: str) -> str:
    """Return the CN of an RFC 4514 name, or the whole name if it has none."""
    for part in subject.split(","):
        key, _, value = part.partition("=")
        if key.strip().upper() == "CN" and value.strip():
            return value.strip()
    return subject


def os_store_label() -> str:
    return {"Windows": "Windows", "Darwin": "macOS"}.get(
        platform.system(), "this computer's operating system"
    )


class TlsJudgement:
    """Apply the profile's TLS requirements to one inspection."""

    def __init__(
        self, inspection: Inspection, profile: Profile, warn_days: int, store_name: str
    ):
        self.ins = inspection
        self.profile = profile
        self.warn_days = warn_days
        self.store_name = store_name
        self.host, self.port = inspection.host, inspection.port
        self.where = f"{self.host}:{self.port}"

        leaf = inspection.leaf
        now = inspection.checked_at
        self.hostname_ok = hostname_matches(leaf, self.host)
        seconds_left = (leaf.not_valid_after_utc - now).total_seconds()
        self.days_left = math.floor(seconds_left / 86400)
        self.expired = seconds_left <= 0
        self.not_yet_valid = leaf.not_valid_before_utc > now
        self.distrusted = self._distrusted_root()
        self.distrust_active = (
            self.distrusted is not None and now.date() >= self.distrusted.removed
        )
        self.interception = (
            inspection.os.chain_trusted is True
            and not inspection.browser.trusted
            and self.distrusted is None
        )
        expected = {normalize_name(name) for name in self.profile.expected_issuers}
        self.expected_issuer_ok = (
            normalize_name(issuer_of(leaf)) in expected if expected else None
        )

    def _distrusted_root(self) -> DistrustedRoot | None:
        ins = self.ins
        roots = [r for r in (ins.browser.root, ins.os.root) if r is not None]
        fingerprints = [sha256_of(c) for c in [*ins.handshake.chain, *roots]]
        names = [issuer_of(ins.top), *(subject_of(r) for r in roots)]
        return find_distrusted(self.profile.distrusted_roots, fingerprints, names)

    def root_name(self) -> str:
        """Return the subject of the root the chain ends at, as far as it is known."""
        root = self.ins.os.root or self.ins.browser.root
        return subject_of(root) if root is not None else issuer_of(self.ins.top)

    # Findings, each one requirement

    def findings(self) -> list[Finding]:
        found = [
            *self._protocol_findings(),
            *self._validity_findings(),
            *self._trust_findings(),
        ]
        if self.expected_issuer_ok is False and not self.interception:
            found.append(self._unexpected_issuer())
        return sorted(found, key=lambda f: _SEVERITY_ORDER[f.status])

    def _protocol_findings(self) -> list[Finding]:
        handshake = self.ins.handshake
        found = []
        fix = (
            f"Ask the uContact administrator to enable TLS 1.2 or 1.3 with 128-bit or "
            f"stronger ciphers on {self.host} TCP port {self.port}; if the server has "
            f"them, a TLS-inspecting device on this network weakens the connection: "
            f"exempt {self.host} TCP port {self.port} from TLS inspection."
        )
        if _VERSION_RANK.get(handshake.version, 4) < _VERSION_RANK["TLSv1.2"]:
            found.append(
                Finding(
                    Status.FAIL,
                    f"{self.where} negotiated "
                    f"{handshake.version}, older than the TLS 1.2 that "
                    "Chrome requires.",
                    fix,
                )
            )
        if handshake.cipher_bits < MIN_CIPHER_BITS:
            found.append(
                Finding(
                    Status.FAIL,
                    f"{self.where} chose the cipher "
                    f"{handshake.cipher} with {handshake.cipher_bits}-bit "
                    f"keys, below {MIN_CIPHER_BITS} bits.",
                    fix,
                )
            )
        return found

    def _validity_findings(self) -> list[Finding]:
        leaf = self.ins.leaf
        found = []
        renew = (
            f"Check this computer's date and time; if they are right, ask the uContact "
            f"administrator to renew the certificate of {self.host} (TLS on TCP port "
            f"{self.port})."
        )
        if self.expired:
            found.append(
                Finding(
                    Status.FAIL,
                    f"The certificate of {self.where} expired "
                    f"on {leaf.not_valid_after_utc:%Y-%m-%d}.",
                    renew,
                )
            )
        elif self.not_yet_valid:
            found.append(
                Finding(
                    Status.FAIL,
                    f"The certificate of {self.where} is not "
                    f"valid before {leaf.not_valid_before_utc:%Y-%m-%d}.",
                    renew,
                )
            )
        elif self.days_left <= self.warn_days:
            found.append(
                Finding(
                    Status.WARN,
                    f"The certificate of {self.where} expires "
                    f"in {self.days_left} days, on "
                    f"{leaf.not_valid_after_utc:%Y-%m-%d}.",
                    renew,
                )
            )
        if not self.hostname_ok:
            names = ", ".join(san_names(leaf)) or "no host name"
            found.append(
                Finding(
                    Status.FAIL,
                    f"The certificate of {self.where} is for {names}, not {self.host}.",
                    f"Ask the uContact administrator to install a certificate for "
                    f"{self.host} on TCP port {self.port} (TLS). If a proxy or "
                    f"firewall answers in its place, exempt {self.host} TCP port "
                    f"{self.port} from TLS inspection.",
                )
            )
        return found

    def _trust_findings(self) -> list[Finding]:
        ins = self.ins
        found = []
        if self.distrusted is not None:
            found.append(self._distrusted_finding(self.distrusted))
        if self.interception:
            found.append(self._interception())
        elif not ins.browser.trusted and not self.distrust_active:
            found.append(self._untrusted_chain())
        elif ins.browser.trusted and ins.os.chain_trusted is False:
            found.append(self._os_untrusted())
        elif (
            ins.browser.trusted
            and ins.os.chain_trusted is None
            and not self._protocol_findings()
        ):
            # The OS context rejects a version or cipher below the minimum, so a
            # protocol finding already explains a failed OS handshake.
            found.append(self._os_unverified())
        return found

    def _distrusted_finding(self, entry: DistrustedRoot) -> Finding:
        name = common_name(entry.subject)
        fix = (
            f"Ask the uContact administrator to reissue the certificate of {self.host} "
            f"(TLS on TCP port {self.port}) under a current root that Chrome trusts; "
            f"the removal of {name} by {entry.removed_by} takes effect on "
            f"{entry.removed:%Y-%m-%d}."
        )
        if not self.distrust_active:
            return Finding(
                Status.WARN,
                f"{self.where} chains to {name}, which "
                f"{entry.removed_by} will remove on "
                f"{entry.removed:%Y-%m-%d}: Chrome will then reject it.",
                fix,
            )
        os_side = (
            f" while {os_store_label()} still accepts it"
            if self.ins.os.chain_trusted
            else ""
        )
        return Finding(
            Status.FAIL,
            f"{self.where} chains to {name}, which "
            f"{entry.removed_by} removed on {entry.removed:%Y-%m-%d}: "
            f"Chrome rejects it{os_side}.",
            fix,
        )

    def _interception(self) -> Finding:
        root = self.root_name()
        # A warning, not a failure: Chrome honours roots installed on the computer
        # by an administrator, so calls usually work through the inspection.
        return Finding(
            Status.WARN,
            f"The certificate of {self.where} comes from {common_name(root)} ({root}), "
            f"which only this computer's store trusts, not {self.store_name}: a proxy, "
            "firewall or antivirus decrypts this TLS traffic. Chrome usually accepts "
            "such a locally installed root, but the inspection can break or delay "
            "the WebSocket signalling, and uContact's traffic should be exempt.",
            f"Exempt {self.host} on TCP port {self.port} (TLS) from TLS inspection "
            f"(HTTPS decryption) on the proxy, firewall or antivirus that signs with "
            f"{common_name(root)}.",
        )

    def _untrusted_chain(self) -> Finding:
        ins = self.ins
        install_chain = (
            f"Ask the uContact administrator to install the full certificate chain "
            f"(leaf and intermediates) on {self.host} TCP port {self.port} (TLS), so "
            "browsers need no download."
        )
        top = ins.top
        if ins.aia.url and not ins.aia.fetched:
            host, port = _url_host_port(ins.aia.url)
            return Finding(
                Status.FAIL,
                f"{self.where} omits its intermediate certificate "
                f"({issuer_of(top)}), and Chrome cannot download it from "
                f"{ins.aia.url}: {ins.aia.error}.",
                remedy.allow(
                    "TCP",
                    port,
                    host,
                    f"HTTP download of the intermediate certificate of {self.host}",
                )
                + " "
                + install_chain,
            )
        if top.subject != top.issuer:
            missing = issuer_of(top)
            return Finding(
                Status.FAIL,
                f"The chain of {self.where} stops before {missing}, which neither "
                f"{self.store_name} nor this computer's store has: the server omits "
                "that intermediate certificate and names no AIA URL for it, or "
                f"{common_name(missing)} is a private certificate authority.",
                f"{install_chain} The chain must end at a root that Chrome trusts.",
            )
        return Finding(
            Status.FAIL,
            f"The chain of {self.where} ends at {subject_of(top)}, which neither "
            f"{self.store_name} nor this computer's store trusts.",
            f"Ask the uContact administrator to install on {self.host} TCP port "
            f"{self.port} (TLS) a certificate from a public certificate authority that "
            "Chrome trusts, with its full chain.",
        )

    def _os_untrusted(self) -> Finding:
        return Finding(
            Status.WARN,
            f"The chain of {self.where} is trusted by {self.store_name}, but not by "
            f"this computer's store ({self.ins.os.error}).",
            f"Update this computer's root certificates (Windows Update or the system's "
            f"CA package); if that does not help, ask the uContact administrator to "
            f"install the full chain on {self.host} TCP port {self.port} (TLS).",
        )

    def _os_unverified(self) -> Finding:
        return Finding(
            Status.WARN,
            f"The chain of {self.where} is trusted by {self.store_name}, but the "
            f"verifying handshake with this computer's store failed "
            f"({self.ins.os.error}).",
            f"Check that no proxy, firewall or antivirus interrupts TLS to {self.host} "
            f"on TCP port {self.port}, then run the check again.",
        )

    def _unexpected_issuer(self) -> Finding:
        issuer = issuer_of(self.ins.leaf)
        expected = "; ".join(self.profile.expected_issuers)
        return Finding(
            Status.WARN,
            f"The certificate of {self.where} is issued by {issuer}, not by the "
            f"expected {expected}.",
            f"Check whether a proxy, firewall or antivirus inspects TLS to {self.host} "
            f"on TCP port {self.port} and exempt it; if none does, ask the uContact "
            "administrator whether the certificate authority changed.",
        )

    # The outcome

    def evidence(self) -> dict[str, Any]:
        ins, handshake, leaf = self.ins, self.ins.handshake, self.ins.leaf
        return {
            "address": handshake.address,
            "version": handshake.version,
            "cipher": handshake.cipher,
            "cipher_bits": handshake.cipher_bits,
            "alpn": handshake.alpn,
            "hostname_ok": self.hostname_ok,
            "subject": subject_of(leaf),
            "issuer": issuer_of(leaf),
            "not_after": leaf.not_valid_after_utc.isoformat(),
            "days_left": self.days_left,
            "chain_sent": [subject_of(c) for c in handshake.chain],
            "root": self.root_name(),
            "browser_trusted": ins.browser.trusted,
            "browser_error": ins.browser.error or None,
            "os_trusted": ins.os.chain_trusted,
            "os_error": ins.os.error or None,
            "interception": self.interception,
            "distrusted_root": self.distrusted.subject if self.distrusted else None,
            "aia_url": ins.aia.url,
            "aia_fetched": ins.aia.fetched[0] if ins.aia.fetched else None,
            "aia_error": ins.aia.error or None,
            "expected_issuer_ok": self.expected_issuer_ok,
            "handshake_ms": handshake.handshake_ms,
        }

    def outcome(self) -> Outcome:
        found = self.findings()
        notes = []
        if self.ins.aia.fetched and self.ins.browser.trusted:
            notes.append(
                f"The server omits its intermediate certificate; Chrome completes the "
                f"chain from {self.ins.aia.fetched[0]}."
            )
        evidence = self.evidence()
        if not found:
            handshake = self.ins.handshake
            summary = (
                f"{self.where} uses {handshake.version} with {handshake.cipher} "
                f"({handshake.cipher_bits}-bit); its certificate is valid for "
                f"{self.days_left} more days and both {self.store_name} and this "
                "computer's store trust the chain."
            )
            return Outcome(Status.PASS, " ".join([summary, *notes]), "", evidence)
        status = found[0].status
        summary = " ".join([*(f.summary for f in found), *notes])
        remedies = list(dict.fromkeys(f.remedy for f in found if f.remedy))
        log.info("TLS %s: %s", self.where, summary)
        return Outcome(status, summary, " ".join(remedies), evidence)


def _url_host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or url, parts.port or 80
