"""A bounded SIP message parser: start line, headers in order, body (RFC 3261 7).

Used on data from the network by the responder's SIP mirror and by the sip-alg
check, so it never raises on input: anything malformed, over MAX_MESSAGE bytes or
over MAX_HEADERS headers returns None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MESSAGE = 8192
MAX_HEADERS = 64
HEAD_END = b"\r\n\r\n"

_REQUEST_LINE = re.compile(r"([A-Z]{2,20}) (\S{1,400}) SIP/2\.0")
_STATUS_LINE = re.compile(r"SIP/2\.0 ([1-6][0-9]{2})(?: [^\r\n]{0,200})?")
_TOKEN = re.compile(r"[A-Za-z0-9.!%*_+`'~-]{1,64}")

# RFC 3261 7.3.3 compact forms, so that "v:" and "Via:" compare as one header.
_COMPACT = {
    "i": "call-id",
    "m": "contact",
    "e": "content-encoding",
    "l": "content-length",
    "c": "content-type",
    "f": "from",
    "s": "subject",
    "k": "supported",
    "t": "to",
    "v": "via",
}


def canonical_name(name: str) -> str:
    """Return the lower-case long form of a header name ("v" and "Via" give "via")."""
    lowered = name.lower()
    return _COMPACT.get(lowered, lowered)


@dataclass(frozen=True)
class SipMessage:
    """A parsed SIP request or response."""

    start_line: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def is_request(self) -> bool:
        return not self.start_line.startswith("SIP/2.0 ")

    @property
    def method(self) -> str:
        """The request's method, or "" for a response."""
        match = _REQUEST_LINE.fullmatch(self.start_line)
        return match.group(1) if match else ""

    @property
    def status_code(self) -> int:
        """The response's status code, or 0 for a request."""
        match = _STATUS_LINE.fullmatch(self.start_line)
        return int(match.group(1)) if match else 0

    def values(self, name: str) -> list[str]:
        """Return the values of every header called `name`, compact forms included."""
        wanted = canonical_name(name)
        return [value for key, value in self.headers if canonical_name(key) == wanted]

    def first(self, name: str) -> str | None:
        values = self.values(name)
        return values[0] if values else None


def head_length(data: bytes) -> int | None:
    """Return the size of the start line and headers with their blank line, or None.

    None means the blank line is not within the first MAX_MESSAGE bytes.
    """
    end = data.find(HEAD_END, 0, MAX_MESSAGE)
    return None if end < 0 else end + len(HEAD_END)


def parse_content_length(value: str | None) -> int | None:
    """Parse a Content-Length value; None when it is missing or not a small number."""
    if value is None:
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 5:
        return None
    return int(text)


def parse_message(data: bytes) -> SipMessage | None:
    """Parse one SIP message of at most MAX_MESSAGE bytes, or return None.

    The body is the Content-Length bytes after the blank line; without that header
    it is the rest of `data`, as RFC 3261 18.3 allows over UDP. A Content-Length
    beyond the data makes the message invalid.
    """
    if len(data) > MAX_MESSAGE:
        return None
    end = head_length(data)
    if end is None:
        return None
    try:
        head = data[: end - len(HEAD_END)].decode("utf-8")
    except UnicodeDecodeError:
        return None

    lines = head.split("\r\n")
    start_line = lines[0]
    if not (_REQUEST_LINE.fullmatch(start_line) or _STATUS_LINE.fullmatch(start_line)):
        return None
    headers = _parse_headers(lines[1:])
    if headers is None:
        return None

    rest = data[end:]
    lengths = [
        value for key, value in headers if canonical_name(key) == "content-length"
    ]
    if not lengths:
        return SipMessage(start_line, headers, rest)
    length = parse_content_length(lengths[0])
    if length is None or length > len(rest):
        return None
    return SipMessage(start_line, headers, rest[:length])


def _parse_headers(lines: list[str]) -> tuple[tuple[str, str], ...] | None:
    headers: list[tuple[str, str]] = []
    for line in lines:
        if line[:1] in (" ", "\t"):
            # A folded line continues the previous header's value (RFC 3261 7.3.1).
            if not headers:
                return None
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, colon, value = line.partition(":")
        name = name.rstrip(" \t")
        if not colon or not _TOKEN.fullmatch(name):
            return None
        if any(char in value for char in "\r\n\0"):
            return None
        headers.append((name, value.strip(" \t")))
        if len(headers) > MAX_HEADERS:
            return None
    return tuple(headers)


_CONTENT_LENGTH = re.compile(
    rb"^(?:content-length|l)[ \t]*:[ \t]*([0-9]{1,5})[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)


def framed_length(data: bytes) -> int | None:
    """Return the whole size of the message at the start of a TCP stream, or None.

    None means the head is not complete yet. The size is the head plus its
    Content-Length (0 when missing, although RFC 3261 18.3 requires it over TCP).
    """
    end = head_length(data)
    if end is None:
        return None
    match = _CONTENT_LENGTH.search(data, 0, end)
    return end + (int(match.group(1)) if match else 0)
