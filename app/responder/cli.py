"""`ucontact-netcheck responder`: options, logging and the server's lifetime."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import math
import sys

from app.responder.server import Responder, ResponderError

EXIT_INPUT = 3
MAX_RATE = 1_000_000.0
MAX_BURST = 1_000_000
DEFAULT_SIP_RATE = 20.0
# The sip-alg check sends 4 requests per run: OPTIONS and INVITE over UDP and TCP.
DEFAULT_SIP_BURST = 8
log = logging.getLogger("app.responder")


class _Parser(argparse.ArgumentParser):
    """An argparse parser that exits with code 3 on invalid arguments."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def parse_range(text: str) -> list[int]:
    """Parse "10000-20000" (or one port) into the list of its ports."""
    first, _, last = text.partition("-")
    try:
        low = int(first)
        high = int(last) if last else low
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid port range {text!r}; write it as 10000-20000"
        ) from None
    if not 1 <= low <= high <= 65535:
        raise argparse.ArgumentTypeError(
            f"invalid port range {text!r}; ports go from 1 to 65535, low to high"
        )
    return list(range(low, high + 1))


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"invalid port {text!r}; give one port from 1 to 65535"
        )
    return port


def _address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid address {text!r}; give an IPv4 or IPv6 address such as 0.0.0.0"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ucontact-netcheck responder",
        description="Answer the agents' UDP probes on a port range and mirror their "
        "SIP requests on UDP and TCP 5060, so that their checks get definitive "
        "results. Run it next to the PBX.",
    )
    parser.add_argument(
        "--bind",
        type=_address,
        required=True,
        metavar="ADDR",
        help="local address to bind (0.0.0.0 for every IPv4 address)",
    )
    parser.add_argument(
        "--rtp-range",
        type=parse_range,
        default=[],
        metavar="LOW-HIGH",
        help="UDP port range to answer on, such as 10000-20000",
    )
    parser.add_argument(
        "--port",
        type=_port,
        action="append",
        default=[],
        help="another UDP port to answer on, such as 8089 or 443 (repeatable)",
    )
    parser.add_argument(
        "--sip-port",
        type=_port,
        default=5060,
        metavar="N",
        help="UDP and TCP port of the SIP mirror, which returns each SIP request "
        "as received so the sip-alg check can spot a SIP ALG (default 5060)",
    )
    parser.add_argument(
        "--no-sip",
        action="store_true",
        help="do not run the SIP mirror",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=1000.0,
        metavar="PPS",
        help="datagrams per second answered per source address (default 1000)",
    )
    parser.add_argument(
        "--burst",
        type=int,
        default=12000,
        metavar="N",
        help="datagrams a source may send at once above the rate; "
        "a full sweep of 10,001 ports needs about 10,500 (default 12000)",
    )
    parser.add_argument(
        "--sip-rate",
        type=float,
        default=DEFAULT_SIP_RATE,
        metavar="RPS",
        help="SIP requests and TCP connections per second answered per source "
        f"address by the SIP mirror (default {DEFAULT_SIP_RATE:g})",
    )
    parser.add_argument(
        "--sip-burst",
        type=int,
        default=DEFAULT_SIP_BURST,
        metavar="N",
        help="SIP requests a source may send at once above --sip-rate; one run of "
        f"the sip-alg check sends 4 (default {DEFAULT_SIP_BURST})",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="lowest level written to standard error (default info)",
    )
    return parser


def check_limits(args: argparse.Namespace) -> str | None:
    """Return the error for a rate or burst out of range, or None when all are valid.

    float() accepts "nan" and "inf", and a NaN rate compares false with everything,
    which would turn the limit off.
    """
    for option, rate in (("--rate", args.rate), ("--sip-rate", args.sip_rate)):
        if not (math.isfinite(rate) and 0 < rate <= MAX_RATE):
            return (
                f"{option} must be a finite number above 0 and at most "
                f"{MAX_RATE:,.0f} (got {rate:g})"
            )
    for option, burst in (("--burst", args.burst), ("--sip-burst", args.sip_burst)):
        if not 1 <= burst <= MAX_BURST:
            return (
                f"{option} must be a whole number from 1 to {MAX_BURST:,} (got {burst})"
            )
    return None


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    ports = sorted(set(args.rtp_range) | set(args.port))
    sip_port = None if args.no_sip else args.sip_port
    if not ports:
        print(
            "ucontact-netcheck responder: no UDP port to answer on; fix: give "
            "--rtp-range LOW-HIGH, --port N, or both",
            file=sys.stderr,
        )
        return EXIT_INPUT
    if sip_port in ports:
        print(
            f"ucontact-netcheck responder: UDP port {sip_port} is both an echo port "
            "and the SIP mirror's port; fix: remove it from --rtp-range and --port, "
            "or give --no-sip or another --sip-port",
            file=sys.stderr,
        )
        return EXIT_INPUT
    problem = check_limits(args)
    if problem:
        print(f"ucontact-netcheck responder: {problem}", file=sys.stderr)
        return EXIT_INPUT

    responder = Responder(
        args.bind,
        ports,
        args.rate,
        args.burst,
        sip_port,
        sip_rate=args.sip_rate,
        sip_burst=args.sip_burst,
    )
    try:
        responder.open()
    except ResponderError as exc:
        log.error("responder not started: %s", exc)
        return EXIT_INPUT
    responder.install_signal_handlers()
    try:
        responder.serve()
    except Exception:
        log.exception("responder stopped on an unexpected error")
        return 1
    return 0
