"""SIP messages for the WebSocket probe: an OPTIONS request and the response status line.

The request follows RFC 7118 (SIP over WebSocket): the Via transport is WSS, the
client's own host is a random `.invalid` name, and the Contact carries
`transport=ws`. Parsing reads only the first line, within a fixed number of bytes.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

# A status line is short: "SIP/2.0 " plus 3 digits plus a reason phrase.
MAX_FIRST_LINE = 512
MAX_REASON = 80

_STATUS_LINE = re.compile(r"SIP/2\.0 ([1-6][0-9][0-9])(?: ([^\r\n]*))?")
_REQUEST_LINE = re.compile(r"[A-Z]{2,20} \S{1,400} SIP/2\.0")


@dataclass(frozen=True)
class SipOptions:
    """A SIP OPTIONS request with the identifiers its response should echo."""

    text: str
    call_id: str
    branch: str


@dataclass(frozen=True)
class SipStatus:
    """The status line of a SIP response."""

    code: int
    reason: str

    def __str__(self) -> str:
        return f"{self.code} {self.reason}".rstrip()


def _token(size: int = 8) -> str:
    return secrets.token_hex(size)


def build_options(host: str, scheme: str = "wss") -> SipOptions:
    """Build an OPTIONS request for the registrar at `host`, one WebSocket text frame."""
    uri_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    transport = "WSS" if scheme.lower() == "wss" else "WS"
    client_host = f"{_token(6)}.invalid"
    user = _token(4)
    branch = f"z9hG4bK{_token(8)}"
    call_id = _token(12)
    target = f"sip:{user}@{uri_host}"
    lines = [
        f"OPTIONS {target} SIP/2.0",
        f"Via: SIP/2.0/{transport} {client_host};branch={branch}",
        "Max-Forwards: 70",
        f"To: <{target}>",
        f"From: <sip:{user}@{uri_host}>;tag={_token(5)}",
        f"Call-ID: {call_id}",
        "CSeq: 1 OPTIONS",
        f"Contact: <sip:{user}@{client_host};transport=ws>",
        "Accept: application/sdp",
        "User-Agent: uContact Network Check",
        "Content-Length: 0",
    ]
    return SipOptions("\r\n".join(lines) + "\r\n\r\n", call_id, branch)


def first_line(message: str | bytes) -> str:
    """Return the first line of `message`, reading at most MAX_FIRST_LINE characters."""
    if isinstance(message, bytes):
        message = message[:MAX_FIRST_LINE].decode("utf-8", errors="replace")
    head = message[:MAX_FIRST_LINE]
    return head.split("\n", 1)[0].rstrip("\r")


def parse_status_line(message: str | bytes) -> SipStatus | None:
    """Return the status of a SIP response, or None if `message` is not one.

    The line must be exactly "SIP/2.0 NNN Reason" (RFC 3261 section 7.2) with a
    code from 100 to 699. Unprintable characters of the reason phrase become "?",
    and the phrase is cut to MAX_REASON characters.
    """
    match = _STATUS_LINE.fullmatch(first_line(message))
    if match is None:
        return None
    reason = "".join(
        char if char.isprintable() else "?" for char in (match.group(2) or "").strip()
    )[:MAX_REASON]
    return SipStatus(int(match.group(1)), reason)


def is_request(message: str | bytes) -> bool:
    """Tell whether `message` starts with a SIP request line, such as the server's own."""
    return _REQUEST_LINE.fullmatch(first_line(message)) is not None
