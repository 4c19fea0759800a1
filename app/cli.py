"""Command line: `ucontact-netcheck [run ...|responder ...]`; without a command, the window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from app import __version__
from app.core.model import CheckResult, CheckSpec, Status
from app.core.report import (
    EXIT_CODES,
    ReportError,
    build_report,
    json_text,
    save_last_report,
    write_html,
    write_json,
)
from app.core.session import InputError, execute, new_event_loop, prepare

EXIT_INPUT = 3

log = logging.getLogger(__name__)

_LABELS = {
    Status.PASS: "PASS   ",
    Status.WARN: "WARN   ",
    Status.FAIL: "FAIL   ",
    Status.UNKNOWN: "UNKNOWN",
}


class ConsoleObserver:
    """Print one line per finished check, with the remedy under a non-green one."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def check_started(self, spec: CheckSpec) -> None:
        pass

    def check_finished(self, result: CheckResult) -> None:
        print(
            f"{_LABELS[result.status]} {result.id:<14} {result.title}: "
            f"{result.summary}",
            file=self.stream,
        )
        if result.remedy:
            print(f"        Fix: {result.remedy}", file=self.stream)
        self.stream.flush()


class Parser(argparse.ArgumentParser):
    """An argparse parser that exits with code 3 on invalid arguments."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="ucontact-netcheck",
        description="Check whether this computer's network is ready for uContact calls. "
        "Without a command, the window opens.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    window = parser.add_argument_group("window options (without a command)")
    window.add_argument(
        "--profile",
        dest="window_profile",
        type=Path,
        metavar="FILE",
        help="requirements profile (TOML) for the window's runs",
    )
    window.add_argument(
        "--public-roots",
        dest="window_public_roots",
        type=Path,
        metavar="PEM",
        help="PEM file used as the browser's trust "
        "store instead of the bundled Mozilla store",
    )
    window.add_argument(
        "--language",
        choices=["en", "es"],
        help="language of the window for this session",
    )
    commands = parser.add_subparsers(dest="command", parser_class=Parser)

    run = commands.add_parser("run", help="run the checks from the command line")
    run.add_argument(
        "--instance",
        required=True,
        help="uContact instance name (acme for acme.ucontactcloud.com); "
        "a pasted address works too",
    )
    run.add_argument(
        "--profile",
        type=Path,
        help="requirements profile (TOML) to use instead of the built-in one",
    )
    run.add_argument(
        "--json",
        metavar="FILE",
        help="write the JSON report to FILE, or to standard output with -",
    )
    run.add_argument("--html", type=Path, metavar="FILE", help="write the HTML report")
    run.add_argument(
        "--public-roots",
        type=Path,
        metavar="PEM",
        help="PEM file used as the browser's trust store instead of the "
        "bundled Mozilla store",
    )
    run.add_argument(
        "--redact",
        action="store_true",
        help="remove this computer's name and IP addresses from the reports",
    )
    run.add_argument(
        "--verbose", "-v", action="store_true", help="log details to stderr"
    )

    commands.add_parser(
        "responder",
        help="run the server-side responder",
        add_help=False,
        prefix_chars="\0",
    )
    return parser


def _check_output_path(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"Cannot write {path}: the folder {folder} does not exist.")
    if path.is_dir():
        raise InputError(f"Cannot write {path}: it is a folder; give a file name.")


def command_run(args: argparse.Namespace) -> int:
    json_to_stdout = args.json == "-"
    human = sys.stderr if json_to_stdout else sys.stdout
    try:
        for path in (
            args.html,
            None if json_to_stdout or not args.json else Path(args.json),
        ):
            if path is not None:
                _check_output_path(path)
        plan = prepare(args.instance, args.profile, args.public_roots)
    except InputError as exc:
        print(f"ucontact-netcheck: {exc}", file=sys.stderr)
        return EXIT_INPUT

    print(
        f"Checking uContact instance {plan.instance} with profile "
        f"{plan.profile.name!r}...",
        file=human,
    )
    try:
        with asyncio.Runner(loop_factory=new_event_loop) as runner:
            run = runner.run(execute(plan, ConsoleObserver(human)))
    except KeyboardInterrupt:
        print("Cancelled: no report was written.", file=sys.stderr)
        return EXIT_INPUT

    report = build_report(run, plan.profile, redact=args.redact)
    print(f"Verdict: {report['verdict']['text']}", file=human)

    status = EXIT_CODES[run.verdict]
    try:
        if json_to_stdout:
            sys.stdout.write(json_text(report))
        elif args.json:
            write_json(report, Path(args.json))
        if args.html:
            write_html(report, args.html)
    except ReportError as exc:
        print(f"ucontact-netcheck: {exc}", file=sys.stderr)
        return EXIT_INPUT
    try:
        save_last_report(report)
    except ReportError as exc:
        log.warning("last report not kept: %s", exc)
    return status


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    )


def command_window(args: argparse.Namespace) -> int:
    if not _has_display():
        print(
            "ucontact-netcheck: no display found; run the checks from the command "
            "line with: ucontact-netcheck run --instance NAME",
            file=sys.stderr,
        )
        return EXIT_INPUT
    try:
        from app.gui.main import main as window_main
    except ImportError as exc:
        print(
            f"ucontact-netcheck: the window cannot start ({exc}); use "
            "ucontact-netcheck run --instance NAME",
            file=sys.stderr,
        )
        return EXIT_INPUT
    window_args = []
    if args.window_profile:
        window_args += ["--profile", str(args.window_profile)]
    if args.window_public_roots:
        window_args += ["--public-roots", str(args.window_public_roots)]
    if args.language:
        window_args += ["--language", args.language]
    return window_main(window_args)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["responder"]:
        from app.responder.cli import main as responder_main

        return responder_main(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command == "run":
        return command_run(args)
    return command_window(args)


if __name__ == "__main__":
    raise SystemExit(main())
