"""Translate the core's English check texts with Qt Linguist templates.

The core writes titles, summaries and remedies in English with measured values inside.
Each template below is an English sentence with `{name}` fields; a text that matches a
template exactly is shown with the translated template and the same field values. A
text that matches no template stays in English and is reported as untranslated, so the
window never shows a guessed translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# Titles of the built-in profile's checks, translated only when the text matches.
TITLES = (
    QT_TRANSLATE_NOOP("CheckTitle", "Name resolution"),
    QT_TRANSLATE_NOOP("CheckTitle", "Web app over HTTPS (TCP 443)"),
    QT_TRANSLATE_NOOP("CheckTitle", "SIP over secure WebSocket (TCP 8089)"),
    QT_TRANSLATE_NOOP("CheckTitle", "STUN over UDP (3478)"),
    QT_TRANSLATE_NOOP("CheckTitle", "STUN over TCP (3478)"),
    QT_TRANSLATE_NOOP("CheckTitle", "Browser media candidates (ICE)"),
    QT_TRANSLATE_NOOP("CheckTitle", "TLS certificate of the web app (443)"),
    QT_TRANSLATE_NOOP("CheckTitle", "TLS certificate of SIP signalling (8089)"),
    QT_TRANSLATE_NOOP("CheckTitle", "Certificate authority download (GeoTrust)"),
    QT_TRANSLATE_NOOP("CheckTitle", "Chrome certificate updates (redirector.gvt1.com)"),
    QT_TRANSLATE_NOOP("CheckTitle", "Licence server"),
    QT_TRANSLATE_NOOP("CheckTitle", "Monitoring service"),
    QT_TRANSLATE_NOOP("CheckTitle", "Updates from GitHub"),
    QT_TRANSLATE_NOOP("CheckTitle", "Addresses used by Chrome"),
    QT_TRANSLATE_NOOP("CheckTitle", "Voice media ports (UDP 10000-20000)"),
    QT_TRANSLATE_NOOP("CheckTitle", "UDP 8089"),
    QT_TRANSLATE_NOOP("CheckTitle", "UDP 443 (QUIC)"),
    QT_TRANSLATE_NOOP("CheckTitle", "NAT behaviour (RFC 5780)"),
    QT_TRANSLATE_NOOP("CheckTitle", "Call quality (G.711 stream)"),
    QT_TRANSLATE_NOOP("CheckTitle", "Voice packets not blocked (IPS)"),
    QT_TRANSLATE_NOOP("CheckTitle", "No SIP ALG on the path"),
)

GROUPS = {
    "signalling": QT_TRANSLATE_NOOP("Group", "Signalling"),
    "media": QT_TRANSLATE_NOOP("Group", "Media (audio)"),
    "security": QT_TRANSLATE_NOOP("Group", "Security"),
    "services": QT_TRANSLATE_NOOP("Group", "Services"),
    "this computer": QT_TRANSLATE_NOOP("Group", "This computer"),
}

# Sentences of the runner, the DNS check and the remedy helpers. A field whose name
# ends in `_list` contains "; "-separated parts that are translated one by one.
SENTENCES = (
    # Requirements of the built-in profile, with its host names as fields.
    QT_TRANSLATE_NOOP(
        "Result", "Every uContact host resolves through this computer's DNS server"
    ),
    QT_TRANSLATE_NOOP("Result", "TCP 443 to {host} answers HTTPS"),
    QT_TRANSLATE_NOOP("Result", "TCP 8089 to {host} carries SIP over WebSocket"),
    QT_TRANSLATE_NOOP(
        "Result", "{transport} {port} to {host} answers STUN binding requests"
    ),
    QT_TRANSLATE_NOOP(
        "Result", "ICE gathering finds a server-reflexive candidate through {host}"
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "TLS 1.2 or newer, a 128-bit cipher and a certificate Chrome trusts on {address}",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "Browsers can download the {issuer} certificate to complete uContact's chain",
    ),
    QT_TRANSLATE_NOOP(
        "Result", "Chrome reaches {host} for its component and CRLSet updates"
    ),
    QT_TRANSLATE_NOOP("Result", "The uContact licence server answers over HTTPS"),
    QT_TRANSLATE_NOOP("Result", "{host} answers over HTTPS"),
    QT_TRANSLATE_NOOP("Result", "{first}, {second} and {third} answer over HTTPS"),
    QT_TRANSLATE_NOOP(
        "Result", "TCP 443 to {first} and {second}, and STUN on UDP {port} to {stun}"
    ),
    QT_TRANSLATE_NOOP("Result", "UDP {ports} to {host} carries RTP"),
    QT_TRANSLATE_NOOP("Result", "UDP {port} to {host} is open"),
    QT_TRANSLATE_NOOP(
        "Result", "The NAT keeps one public mapping per local port (not symmetric)"
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "Round-trip time, jitter, loss and MOS of a G.711-shaped stream meet the "
        "thresholds",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "An IPS or firewall neither cuts nor drops voice (RTP) packets that random "
        "packets of the same size get through",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "No router or firewall between this network and the responder rewrites SIP "
        "on UDP or TCP {port}",
    ),
    # Runner: timeouts, internal errors and the run deadline.
    QT_TRANSLATE_NOOP(
        "Result",
        "The check did not finish within its {timeout} s timeout, so it could not be "
        "verified.",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "Run the check again; if it repeats, send this report to the helpdesk.",
    ),
    QT_TRANSLATE_NOOP("Result", "Hosts involved: {hosts}."),
    QT_TRANSLATE_NOOP(
        "Result",
        "The check stopped with an internal error ({error}), so it could not be "
        "verified.",
    ),
    QT_TRANSLATE_NOOP("Result", "Send this report and the log file to the helpdesk."),
    QT_TRANSLATE_NOOP(
        "Result",
        "The run reached its {deadline} s deadline before this check finished.",
    ),
    QT_TRANSLATE_NOOP("Result", "Run the checks again."),
    # The window's report of a cancelled run.
    QT_TRANSLATE_NOOP("Result", "The run was cancelled before this check finished."),
    # DNS check.
    QT_TRANSLATE_NOOP("Result", "No host names to resolve."),
    QT_TRANSLATE_NOOP("Result", "All {count} hosts resolved (slowest {ms} ms)."),
    QT_TRANSLATE_NOOP(
        "Result", "{failed} of {count} hosts did not resolve: {reason_list}."
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "{host}: the DNS server says the name does not exist (NXDOMAIN)",
    ),
    QT_TRANSLATE_NOOP(
        "Result", "{host}: the name exists but has no IPv4 or IPv6 address"
    ),
    QT_TRANSLATE_NOOP("Result", "{host}: no DNS server answered in time"),
    QT_TRANSLATE_NOOP("Result", "{host}: the DNS server failed to answer (SERVFAIL)"),
    QT_TRANSLATE_NOOP("Result", "{host}: the DNS server refused the query (REFUSED)"),
    QT_TRANSLATE_NOOP("Result", "{host}: no DNS server is configured on this computer"),
    QT_TRANSLATE_NOOP("Result", "{host}: the name is not a valid host name"),
    # Passing web, STUN, SIP and Chrome-address checks.
    QT_TRANSLATE_NOOP("Result", "{url} (HTTP {status}, {ms} ms) answered."),
    QT_TRANSLATE_NOOP("Result", "All {count} URLs answered: {answers}."),
    QT_TRANSLATE_NOOP("Result", "{failed} of {count} URLs failed."),
    QT_TRANSLATE_NOOP(
        "Result",
        "STUN over {protocol} to {target} returned the mapped address {mapped} in "
        "{ms} ms.",
    ),
    QT_TRANSLATE_NOOP(
        "Result", '{url} answered the SIP OPTIONS with "{status}" in {ms} ms.'
    ),
    QT_TRANSLATE_NOOP("Result", "All {count} Chrome addresses answered: {answers}."),
    # Remedy helpers. A template with a purpose must come before its form without
    # one, because the shorter form also matches and would put "(purpose)" in {host}.
    QT_TRANSLATE_NOOP(
        "Result",
        "This computer's DNS server did not answer for {host}: allow DNS (UDP and "
        "TCP port 53) from this computer to its DNS server, and check that the "
        "server runs.",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "No DNS server is configured on this computer, so {host} cannot resolve: set "
        "one in the network settings or through DHCP (UDP/TCP port 53).",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "The DNS server failed to resolve {host} (SERVFAIL): check its forwarding and "
        "any DNS filter (UDP/TCP port 53).",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "The DNS server refused to resolve {host} (REFUSED): allow this computer to "
        "query it, or check the DNS filter (UDP/TCP port 53).",
    ),
    QT_TRANSLATE_NOOP("Result", "This computer's DNS servers are {servers}."),
    QT_TRANSLATE_NOOP(
        "Result",
        "This check then needs outbound {protocol} port {port} to {host} ({purpose}).",
    ),
    QT_TRANSLATE_NOOP(
        "Result", "This check then needs outbound {protocol} port {port} to {host}."
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "Make {host} resolve on this computer's DNS server (UDP/TCP port 53): check "
        "the DNS server or filter, or ask the uContact administrator for the right "
        "instance name.",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "Allow outbound {protocol} port {port} from this network to {host} "
        "({purpose}) on the firewall, proxy or security software.",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "Allow outbound {protocol} port {port} from this network to {host} on the "
        "firewall, proxy or security software.",
    ),
    # Instance name errors, with the profile's example host.
    QT_TRANSLATE_NOOP(
        "Result",
        "The instance name is empty: enter the first part of your uContact address, "
        "such as {example} for {example_host}.",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "{value} is not a valid instance name: use letters, digits and hyphens only, "
        "such as {example} for {example_host}.",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "{value} is not a uContact address: it should start with https:// or be a "
        "name such as {example} for {example_host}.",
    ),
    QT_TRANSLATE_NOOP(
        "Result",
        "The instance name is too long ({length} characters): a name has at most "
        "{maximum}, such as {example} for {example_host}.",
    ),
)

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Translated:
    """A text for the window and whether it was translated (or needed no translation)."""

    text: str
    translated: bool


def translate_title(title: str) -> Translated:
    return _lookup("CheckTitle", title, TITLES)


def translate_group(group: str) -> str:
    source = GROUPS.get(group)
    if source is None:
        return group
    return QCoreApplication.translate("Group", source)


def translate_text(text: str) -> Translated:
    """Translate a summary or remedy sentence by sentence; all or nothing."""
    text = text.strip()
    if not text:
        return Translated("", True)
    whole = _translate_sentence(text)
    if whole is not None:
        return Translated(whole, True)
    parts = []
    for sentence in _SENTENCE_BREAK.split(text):
        translated = _translate_sentence(sentence)
        if translated is None:
            return Translated(text, False)
        parts.append(translated)
    return Translated(" ".join(parts), True)


def _lookup(context: str, text: str, known: tuple[str, ...]) -> Translated:
    if text not in known:
        return Translated(text, False)
    return Translated(QCoreApplication.translate(context, text), True)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    pieces = []
    position = 0
    for match in _FIELD.finditer(template):
        pieces.append(re.escape(template[position : match.start()]))
        pieces.append(f"(?P<{match.group(1)}>.+?)")
        position = match.end()
    pieces.append(re.escape(template[position:]))
    return re.compile("^" + "".join(pieces) + "$", re.DOTALL)


def _translate_sentence(sentence: str) -> str | None:
    for template in SENTENCES:
        match = _pattern(template).match(sentence)
        if match is None:
            continue
        fields = {}
        for name, value in match.groupdict().items():
            if name.endswith("_list"):
                parts = [_translate_sentence(part) for part in value.split("; ")]
                if any(part is None for part in parts):
                    return None
                value = "; ".join(part for part in parts if part is not None)
            fields[name] = value
        translated = QCoreApplication.translate("Result", template)
        try:
            return translated.format(**fields)
        except (KeyError, IndexError, ValueError):
            # A translation with a mistyped field must not show a broken sentence.
            return None
    return None
