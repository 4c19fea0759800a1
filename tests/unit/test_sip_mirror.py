"""The SIP parser, the mirror format and its size rule, and the request comparison."""

from __future__ import annotations

import base64
import os
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import sipmirror
from app.core.sipparse import (
    MAX_HEADERS,
    MAX_MESSAGE,
    canonical_name,
    framed_length,
    parse_message,
)
from app.core.sipprobe import PROBE_SIZE, build_request, compare
from app.responder.sip import build_response, mirror_response

TARGET = ("acme.ucontact.test", 5060)
LONGEST_SOURCE = "[2001:db8:1234:5678:9abc:def0:1234:5678]:65535"


def request(method: str = "OPTIONS", transport: str = "udp", ip: str = "192.168.50.2"):
    return build_request(method, transport, (ip, 5060), TARGET)


# --- parser ---------------------------------------------------------------------


def test_parse_request_headers_in_order() -> None:
    data = (
        b"OPTIONS sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
        b"Via: SIP/2.0/UDP p\r\ni: abc\r\nl: 2\r\n\r\nhixx"
    )
    message = parse_message(data)
    assert message is not None
    assert message.method == "OPTIONS"
    assert message.values("via") == ["SIP/2.0/UDP h;branch=z9hG4bK1", "SIP/2.0/UDP p"]
    assert message.first("Call-ID") == "abc"
    assert message.body == b"hi"


def test_parse_response_status() -> None:
    message = parse_message(b"SIP/2.0 603 Decline\r\nCSeq: 1 INVITE\r\n\r\n")
    assert message is not None
    assert not message.is_request
    assert message.status_code == 603


def test_parse_folded_header() -> None:
    message = parse_message(b"BYE sip:a SIP/2.0\r\nSubject: one\r\n two\r\n\r\n")
    assert message is not None
    assert message.first("subject") == "one two"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"OPTIONS sip:a SIP/2.0\r\nVia: x\r\n",  # no blank line
        b"HELLO\r\n\r\n",
        b"OPTIONS sip:a SIP/2.0\r\nno colon here\r\n\r\n",
        b"OPTIONS sip:a SIP/2.0\r\nContent-Length: 10\r\n\r\nshort",
        b"OPTIONS sip:a SIP/2.0\r\nContent-Length: -1\r\n\r\n",
        b"OPTIONS sip:a SIP/2.0\r\n folded first\r\n\r\n",
        b"OPTIONS sip:a SIP/2.0\r\nVia: \xff\xfe\r\n\r\n",
        b"OPTIONS sip:a SIP/2.0\r\n" + b"X: y\r\n" * (MAX_HEADERS + 1) + b"\r\n",
        b"OPTIONS sip:a SIP/2.0\r\nX: " + b"a" * MAX_MESSAGE + b"\r\n\r\n",
    ],
)
def test_parse_rejects_malformed(data: bytes) -> None:
    assert parse_message(data) is None


@given(st.binary(max_size=2 * MAX_MESSAGE))
def test_parse_never_raises(data: bytes) -> None:
    message = parse_message(data)
    if message is not None:
        assert len(message.headers) <= MAX_HEADERS
        assert len(message.body) <= len(data)


_TOKEN = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-", min_size=1)
_VALUE = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=60
).map(str.strip)


@given(st.lists(st.tuples(_TOKEN, _VALUE), max_size=20), st.binary(max_size=200))
def test_parse_round_trips_headers(headers: list[tuple[str, str]], body: bytes) -> None:
    headers = [
        (name, value)
        for name, value in headers
        if canonical_name(name) != "content-length"
    ]
    lines = ["INFO sip:x@y SIP/2.0"] + [f"{name}: {value}" for name, value in headers]
    lines.append(f"Content-Length: {len(body)}")
    data = "\r\n".join(lines).encode() + b"\r\n\r\n" + body
    message = parse_message(data)
    assert message is not None
    assert list(message.headers[:-1]) == headers
    assert message.body == body


@given(st.binary(max_size=300), st.integers(0, 99999))
def test_framed_length_counts_content_length(noise: bytes, length: int) -> None:
    head = b"OPTIONS sip:a SIP/2.0\r\nl: %d\r\n\r\n" % length
    assert framed_length(head + noise) == len(head) + length


def test_framed_length_waits_for_head() -> None:
    assert framed_length(b"OPTIONS sip:a SIP/2.0\r\nVia: x\r\n") is None


# --- mirror format and the size rule --------------------------------------------


@pytest.mark.parametrize("method", ["OPTIONS", "INVITE"])
@pytest.mark.parametrize("transport", ["udp", "tcp"])
@pytest.mark.parametrize("ip", ["192.168.50.2", "fd00:1234:5678:9abc:def0:1:2:3"])
def test_probe_is_mirrored_whole(method: str, transport: str, ip: str) -> None:
    sent = request(method, transport, ip)
    built = mirror_response(sent.data, transport, LONGEST_SOURCE)
    assert built is not None
    response, mirrored = built
    assert len(sent.data) == PROBE_SIZE
    assert len(response) <= len(sent.data)
    assert mirrored == len(sent.data)
    message = parse_message(response)
    assert message is not None
    mirror = sipmirror.decode_body(message.body)
    assert mirror is not None
    assert mirror.request == sent.data
    assert mirror.matches(sent.data)
    assert mirror.source == LONGEST_SOURCE
    assert mirror.transport == transport


def test_response_copies_dialog_headers() -> None:
    sent = request("OPTIONS")
    response = parse_message(build_response(sent.data, "udp", "198.51.100.1:5060"))
    original = parse_message(sent.data)
    assert response is not None and original is not None
    assert response.start_line == "SIP/2.0 200 OK"
    for name in ("via", "from", "call-id", "cseq"):
        assert response.values(name) == original.values(name), name
    assert response.first("to") == original.first("to") + ";tag=ucnc-mirror"
    assert response.first("content-type") == sipmirror.CONTENT_TYPE
    assert response.values("contact") == []


def test_invite_gets_final_decline() -> None:
    response = parse_message(build_response(request("INVITE").data, "udp", "a:1"))
    assert response is not None
    assert response.status_code == 603


def test_body_has_no_sdp_looking_line() -> None:
    response = build_response(request("INVITE").data, "udp", "198.51.100.1:5060")
    body = parse_message(response).body
    assert b"\n" not in body
    assert b"\r" not in body


@pytest.mark.parametrize(
    "data",
    [
        b"SIP/2.0 200 OK\r\nVia: x\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 1 X\r\n\r\n",
        b"ACK sip:a SIP/2.0\r\nVia: x\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\n"
        b"CSeq: 1 ACK\r\n\r\n" + b"0" * 2000,
        b"OPTIONS sip:a SIP/2.0\r\nFrom: a\r\nTo: b\r\nCall-ID: c\r\nCSeq: 1 X\r\n\r\n"
        + b"0" * 2000,
        b"not sip at all" * 100,
    ],
    ids=["response", "ack", "no-via", "garbage"],
)
def test_no_answer_to_non_requests(data: bytes) -> None:
    assert build_response(data, "udp", "198.51.100.1:5060") is None


def test_short_request_gets_truncated_mirror() -> None:
    sent = build_request("OPTIONS", "udp", ("192.168.50.2", 5060), TARGET, size=700)
    built = mirror_response(sent.data, "udp", "198.51.100.1:5060")
    assert built is not None
    response, mirrored = built
    assert len(response) <= len(sent.data)
    assert 0 < mirrored < len(sent.data)
    mirror = sipmirror.decode_body(parse_message(response).body)
    assert mirror is not None
    assert mirror.truncated
    assert mirror.matches(sent.data)
    assert sent.data.startswith(mirror.request)


def test_incompressible_request_fits_in_few_compressions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = os.urandom(8000)
    data = (
        b"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
        b"From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\n"
        b"CSeq: 1 OPTIONS\r\nContent-Length: 8000\r\n\r\n" + body
    )
    calls = []
    encode_body = sipmirror.encode_body

    def counted(*args: object) -> bytes:
        calls.append(args[3])
        return encode_body(*args)

    monkeypatch.setattr(sipmirror, "encode_body", counted)
    built = mirror_response(data, "udp", LONGEST_SOURCE)
    assert built is not None
    response, mirrored = built
    assert len(response) <= len(data)
    # The whole request, then the scaled prefix and the compressBound prefix.
    assert len(calls) <= 3
    # Base64 of incompressible bytes leaves room for about 3/4 of the request.
    assert mirrored > len(data) * 0.65


def test_request_too_short_gets_no_answer() -> None:
    data = b"OPTIONS sip:a SIP/2.0\r\nv: x\r\nf: a\r\nt: b\r\ni: c\r\nCSeq: 1 OPTIONS\r\n\r\n"
    assert build_response(data, "udp", "198.51.100.1:5060") is None


_HEADER_VALUE = st.text(
    st.characters(min_codepoint=33, max_codepoint=0x2FFF, blacklist_categories=("Cs",)),
    min_size=1,
    max_size=300,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(_HEADER_VALUE, min_size=5, max_size=5),
    st.binary(max_size=3000),
    st.sampled_from(["OPTIONS", "INVITE", "BYE", "REGISTER"]),
)
def test_response_never_larger_than_request(
    values: list[str], body: bytes, method: str
) -> None:
    names = ("Via", "From", "To", "Call-ID", "CSeq")
    head = f"{method} sip:a@b SIP/2.0\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in zip(names, values)
    )
    data = head.encode() + f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    response = build_response(data, "udp", LONGEST_SOURCE)
    if response is not None:
        assert len(response) <= len(data)


def test_decode_rejects_inflation_bomb() -> None:
    envelope = b"UCNC-MIRROR/1\r\n" + b"0" * (10 * MAX_MESSAGE)
    body = base64.b64encode(zlib.compress(envelope, 9))
    assert len(body) < MAX_MESSAGE
    assert sipmirror.decode_body(body) is None


@pytest.mark.parametrize(
    "body",
    [b"", b"!!!", base64.b64encode(b"not zlib"), base64.b64encode(zlib.compress(b"x"))],
)
def test_decode_rejects_malformed(body: bytes) -> None:
    assert sipmirror.decode_body(body) is None


@given(st.binary(max_size=MAX_MESSAGE), st.integers(0, MAX_MESSAGE))
def test_envelope_round_trips(data: bytes, mirrored: int) -> None:
    mirrored = min(mirrored, len(data))
    mirror = sipmirror.decode_body(
        sipmirror.encode_body(data, "tcp", "192.0.2.1:5060", mirrored)
    )
    assert mirror is not None
    assert mirror.request == data[:mirrored]
    assert mirror.length == len(data)
    assert mirror.matches(data)


# --- comparison -----------------------------------------------------------------


def test_compare_identical_is_empty() -> None:
    sent = request("INVITE").data
    assert compare(sent, sent) == []


def test_compare_names_rewritten_fields() -> None:
    sent = request("INVITE").data
    arrived = sent.replace(b"192.168.50.2", b"198.51.100.1")
    fields = [difference.field for difference in compare(sent, arrived)]
    assert fields == ["Via", "From", "Contact", "Call-ID", "SDP c=", "SDP o="]


def test_compare_reports_added_header() -> None:
    sent = request().data
    arrived = sent.replace(
        b"Max-Forwards: 70\r\n", b"Max-Forwards: 70\r\nRecord-Route: <sip:r>\r\n"
    )
    differences = compare(sent, arrived)
    assert [d.field for d in differences] == ["Record-Route"]
    assert differences[0].sent == "(absent)"
    assert differences[0].arrived == "<sip:r>"


def test_compare_truncated_skips_missing_fields() -> None:
    sent = request("INVITE").data
    cut = sent[: sent.index(b"CSeq:") + 3]
    assert compare(sent, cut, complete=False) == []
