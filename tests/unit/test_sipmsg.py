"""The SIP OPTIONS builder and the bounded status-line parser."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from app.core.sipmsg import (
    MAX_FIRST_LINE,
    MAX_REASON,
    build_options,
    is_request,
    parse_status_line,
)


def headers_of(text: str) -> dict[str, str]:
    head, _, _ = text.partition("\r\n\r\n")
    lines = head.split("\r\n")[1:]
    return dict(line.split(": ", 1) for line in lines)


def test_options_request_line() -> None:
    options = build_options("acme.ucontact.test")

    request_line = options.text.split("\r\n", 1)[0]
    assert re.fullmatch(
        r"OPTIONS sip:[0-9a-f]+@acme\.ucontact\.test SIP/2\.0", request_line
    )


def test_options_headers_follow_rfc7118() -> None:
    options = build_options("acme.ucontact.test")

    headers = headers_of(options.text)
    assert re.fullmatch(
        r"SIP/2\.0/WSS [0-9a-f]+\.invalid;branch=z9hG4bK[0-9a-f]+", headers["Via"]
    )
    assert headers["Max-Forwards"] == "70"
    assert re.fullmatch(r"<sip:[0-9a-f]+@acme\.ucontact\.test>", headers["To"])
    assert re.fullmatch(
        r"<sip:[0-9a-f]+@acme\.ucontact\.test>;tag=[0-9a-f]+", headers["From"]
    )
    assert headers["Call-ID"] == options.call_id
    assert headers["CSeq"] == "1 OPTIONS"
    assert re.fullmatch(
        r"<sip:[0-9a-f]+@[0-9a-f]+\.invalid;transport=ws>", headers["Contact"]
    )
    assert headers["Content-Length"] == "0"
    assert options.branch in headers["Via"]


def test_options_ends_with_blank_line() -> None:
    assert build_options("acme.ucontact.test").text.endswith("\r\n\r\n")


def test_options_plain_ws_transport() -> None:
    headers = headers_of(build_options("pbx.test", "ws").text)

    assert headers["Via"].startswith("SIP/2.0/WS ")


def test_options_ipv6_host_bracketed() -> None:
    text = build_options("2001:db8::1").text

    assert text.startswith("OPTIONS sip:")
    assert "@[2001:db8::1] SIP/2.0\r\n" in text


def test_options_identifiers_random() -> None:
    first, second = build_options("a.test"), build_options("a.test")

    assert first.call_id != second.call_id
    assert first.branch != second.branch


def test_status_line_parsed() -> None:
    status = parse_status_line("SIP/2.0 200 OK\r\nVia: x\r\n\r\n")

    assert status is not None
    assert status.code == 200
    assert status.reason == "OK"
    assert str(status) == "200 OK"


def test_status_line_from_bytes() -> None:
    status = parse_status_line(b"SIP/2.0 404 Not Found\r\n\r\n")

    assert status is not None
    assert status.code == 404


def test_status_line_empty_reason() -> None:
    status = parse_status_line("SIP/2.0 503\r\n")

    assert status is not None
    assert status.code == 503
    assert status.reason == ""


def test_status_line_rejects() -> None:
    for text in (
        "",
        "HTTP/1.1 200 OK\r\n",
        "SIP/2.0 099 Low\r\n",
        "SIP/2.0 700 High",
        "SIP/2.0 2000 OK",
        "sip/2.0 200 OK",
        " SIP/2.0 200 OK",
        "OPTIONS sip:a@b SIP/2.0\r\n",
        "SIP/2.0 20 OK",
        "HELLO",
    ):
        assert parse_status_line(text) is None, text


def test_status_line_reason_bounded() -> None:
    status = parse_status_line("SIP/2.0 200 " + "A" * (10 * MAX_FIRST_LINE))

    assert status is not None
    assert len(status.reason) <= MAX_REASON


def test_status_line_control_characters() -> None:
    status = parse_status_line("SIP/2.0 200 O\x00K\x1b[31m\r\n")

    assert status is not None
    assert status.reason.isprintable()


def test_request_line_recognised() -> None:
    assert is_request("OPTIONS sip:ucontact@10.0.0.1:5060 SIP/2.0\r\nVia: x\r\n")
    assert not is_request("SIP/2.0 200 OK\r\n")
    assert not is_request("GET / HTTP/1.1\r\n")


@given(st.text(max_size=2000))
def test_status_line_random_text(text: str) -> None:
    status = parse_status_line(text)

    if status is not None:
        assert 100 <= status.code <= 699
        assert len(status.reason) <= MAX_REASON
    assert isinstance(is_request(text), bool)


@given(st.binary(max_size=2000))
def test_status_line_random_bytes(data: bytes) -> None:
    status = parse_status_line(data)

    if status is not None:
        assert 100 <= status.code <= 699


@given(
    st.integers(100, 699),
    st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=60),
)
def test_status_line_round_trip(code: int, reason: str) -> None:
    status = parse_status_line(f"SIP/2.0 {code} {reason}\r\nCSeq: 1 OPTIONS\r\n\r\n")

    assert status is not None
    assert status.code == code


@given(
    st.sampled_from(["SIP/2.0 200 OK", "SIP/2.0 486 Busy Here"]), st.text(max_size=500)
)
def test_status_line_ignores_rest(line: str, rest: str) -> None:
    status = parse_status_line(f"{line}\r\n{rest}")

    assert status is not None
    assert str(status) == line.removeprefix("SIP/2.0 ")
