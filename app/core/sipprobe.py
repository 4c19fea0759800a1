"""SIP requests of the sip-alg check and the field-by-field comparison of a mirror.

The requests look like a softphone's: the computer's own (usually private) address
and port in Via, From and Contact, and for an INVITE an SDP offer whose c= and o=
lines carry that address, which is what SIP ALGs rewrite. Each request is padded
to PROBE_SIZE bytes with one header of zeros, so that the responder's compressed
mirror fits in a response no larger than the request.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from app.core.sipparse import HEAD_END, canonical_name

# Below a 1400-byte path MTU (VPNs included), so that no request is fragmented.
PROBE_SIZE = 1300
PADDING_HEADER = "X-Ucnc-Padding"
USER_AGENT = "uContact Network Check"

_DISPLAY = {
    "via": "Via",
    "from": "From",
    "to": "To",
    "contact": "Contact",
    "call-id": "Call-ID",
    "cseq": "CSeq",
    "content-length": "Content-Length",
    "content-type": "Content-Type",
}
# The fields a SIP ALG is known to rewrite, in the order the summary lists them.
KEY_FIELDS = (
    "request line",
    "Via",
    "From",
    "To",
    "Contact",
    "Call-ID",
    "CSeq",
    "Content-Length",
    "SDP c=",
    "SDP o=",
    "SDP m=",
)
ABSENT = "(absent)"
_SDP_LINE = re.compile(r"[a-z]=")


@dataclass(frozen=True)
class SipRequest:
    method: str
    data: bytes
    call_id: str


@dataclass(frozen=True)
class Difference:
    """One field that arrived other than it was sent."""

    field: str
    sent: str
    arrived: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "sent": self.sent, "arrived": self.arrived}


def _hostport(ip: str, port: int) -> str:
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _uri_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def build_sdp(local_ip: str, media_port: int) -> str:
    """Return a G.711 audio offer from `local_ip`, as a softphone sends in an INVITE."""
    family = "IP6" if ":" in local_ip else "IP4"
    session = secrets.randbelow(10**9)
    return (
        "v=0\r\n"
        f"o=- {session} {session} IN {family} {local_ip}\r\n"
        "s=uContact Network Check\r\n"
        f"c=IN {family} {local_ip}\r\n"
        "t=0 0\r\n"
        f"m=audio {media_port} RTP/AVP 0 8 101\r\n"
        "a=rtpmap:0 PCMU/8000\r\n"
        "a=rtpmap:8 PCMA/8000\r\n"
        "a=rtpmap:101 telephone-event/8000\r\n"
        "a=sendrecv\r\n"
    )


def build_request(
    method: str,
    transport: str,
    local: tuple[str, int],
    target: tuple[str, int],
    size: int = PROBE_SIZE,
) -> SipRequest:
    """Build an OPTIONS or INVITE from `local` (address, port) to `target` (host, port).

    `transport` is "udp" or "tcp". The request is `size` bytes long unless its
    headers alone are longer.
    """
    local_ip, local_port = local
    host, port = target
    wire = transport.upper()
    uri_transport = ";transport=tcp" if transport == "tcp" else ""
    call_id = f"{secrets.token_hex(10)}@{_uri_host(local_ip)}"
    body = ""
    if method == "INVITE":
        # An even RTP port in 16000-31998; nothing is sent to it or from it.
        body = build_sdp(local_ip, 2 * (secrets.randbelow(8000) + 8000))
    lines = [
        f"{method} sip:ucnc-mirror@{_uri_host(host)}:{port}{uri_transport} SIP/2.0",
        (
            f"Via: SIP/2.0/{wire} {_hostport(local_ip, local_port)}"
            f";branch=z9hG4bK{secrets.token_hex(8)};rport"
        ),
        "Max-Forwards: 70",
        (
            f'From: "{USER_AGENT}" <sip:agent@{_uri_host(local_ip)}>'
            f";tag={secrets.token_hex(5)}"
        ),
        f"To: <sip:ucnc-mirror@{_uri_host(host)}>",
        f"Call-ID: {call_id}",
        f"CSeq: 1 {method}",
        f"Contact: <sip:agent@{_hostport(local_ip, local_port)};transport={transport}>",
        f"User-Agent: {USER_AGENT}",
    ]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body.encode('utf-8'))}")

    unpadded = len(("\r\n".join(lines) + "\r\n\r\n" + body).encode("utf-8"))
    overhead = len(f"{PADDING_HEADER}: \r\n")
    padding = "0" * max(1, size - unpadded - overhead)
    lines.insert(-1 if not body else -2, f"{PADDING_HEADER}: {padding}")
    text = "\r\n".join(lines) + "\r\n\r\n" + body
    return SipRequest(method, text.encode("utf-8"), call_id)


def _fields(data: bytes, complete: bool) -> list[tuple[str, str]]:
    """Split a message into (field, value) pairs: request line, headers, SDP lines.

    A mirror cut short (`complete` false) loses its last, possibly partial, line.
    """
    text = data.decode("utf-8", errors="replace")
    head, separator, body = text.partition(HEAD_END.decode())
    lines = head.split("\r\n")
    body_lines = body.split("\r\n") if separator else []
    if not complete:
        if body_lines:
            body_lines = body_lines[:-1]
        else:
            lines = lines[:-1]

    fields: list[tuple[str, str]] = []
    if lines:
        fields.append(("request line", lines[0]))
    for line in lines[1:]:
        name, _, value = line.partition(":")
        canonical = canonical_name(name.strip())
        fields.append((_DISPLAY.get(canonical, name.strip()), value.strip()))
    for line in body_lines:
        if not line:
            continue
        label = f"SDP {line[:2]}" if _SDP_LINE.match(line) else "body"
        fields.append((label, line[2:] if label != "body" else line))
    return fields


def compare(sent: bytes, arrived: bytes, complete: bool = True) -> list[Difference]:
    """List the fields of `arrived` that differ from `sent`, key fields first.

    With `complete` false (a truncated mirror), fields missing from `arrived`
    are not counted as removed, because they may lie beyond the cut.
    """
    sent_fields = _fields(sent, True)
    arrived_fields = _fields(arrived, complete)
    names: list[str] = []
    for name, _ in sent_fields + arrived_fields:
        if name not in names:
            names.append(name)
    names.sort(key=lambda name: KEY_FIELDS.index(name) if name in KEY_FIELDS else 99)

    differences: list[Difference] = []
    for name in names:
        sent_values = [value for key, value in sent_fields if key == name]
        arrived_values = [value for key, value in arrived_fields if key == name]
        if not complete and not arrived_values:
            continue
        if sent_values == arrived_values:
            continue
        differences.append(
            Difference(
                name,
                " | ".join(sent_values) or ABSENT,
                " | ".join(arrived_values) or ABSENT,
            )
        )
    return differences
