"""Command line: `ucontact-netcheck [run ...|responder ...]`; without a command, the window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from app import __version__
from app.core.model import STATUS_WORDS, CheckResult, CheckSpec, Status
from app.core.report import (
    EXIT_CODES,
    ReportError,
    build_report,
    json_text,
    redact_text,
    save_last_report,
    write_html,
    write_json,
)
from app.core.session import InputError, Plan, execute, new_event_loop, prepare

EXIT_INPUT = 3

log = logging.getLogger(__name__)


class Console:
    """Human-readable output that survives a closed pipe (`... | head`)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def line(self, text: str = "") -> None:
        try:
            print(text, file=self.stream, flush=True)
        except BrokenPipeError:
            # The reader went away; keep running so reports and the exit code stay.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)


class ConsoleObserver:
    """Print one line per check as it finishes; the fixes come at the end.

    With `redact`, each line goes through it first, as the reports do with --redact.
    """

    def __init__(
        self, console: Console, redact: Callable[[str], str] | None = None
    ) -> None:
        self.console = console
        self.redact = redact

    def check_started(self, spec: CheckSpec) -> None:
        pass

    def check_finished(self, result: CheckResult) -> None:
        line = (
            f"{STATUS_WORDS[result.status]:<12} {result.id:<14} {result.title}: "
            f"{result.summary}"
        )
        self.console.line(self.redact(line) if self.redact else line)


def print_fixes(console: Console, fixes: list[dict[str, Any]]) -> None:
    """Print the report's fixes: one per cause, in check order."""
    if not fixes:
        return
    console.line()
    console.line("What to fix, in check order:")
    for number, fix in enumerate(fixes, start=1):
        word = STATUS_WORDS[Status(fix["status"])]
        console.line(f"{number:>3}. {word} {fix['title']}: {fix['summary']}")
        if fix["remedy"]:
            console.line(f"     Fix: {fix['remedy']}")
        if fix["also"]:
            titles = ", ".join(other["title"] for other in fix["also"])
            console.line(f"     The same cause also fails: {titles}.")


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
        help="remove this computer's name and addresses from the reports and the "
        "printed lines; the servers' addresses stay",
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


def _redactor(plan: Plan) -> Callable[[str], str]:
    """Return a redaction of printed lines that keeps the servers resolved so far."""
    hostname = socket.gethostname()

    def redact(text: str) -> str:
        return redact_text(text, hostname, plan.context.resolver.known_addresses())

    return redact


def _check_output_path(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"Cannot write {path}: the folder {folder} does not exist.")
    if path.is_dir():
        raise InputError(f"Cannot write {path}: it is a folder; give a file name.")


def _output_paths(args: argparse.Namespace) -> tuple[Path | None, Path | None]:
    """Return the JSON and HTML report files, raising InputError for unusable ones."""
    if args.json == "" or (args.html is not None and str(args.html) in ("", ".")):
        raise InputError("A report option was given an empty file name; name a file.")
    json_path = None if args.json in (None, "-") else Path(args.json)
    for path in (json_path, args.html):
        if path is not None:
            _check_output_path(path)
    if json_path and args.html and json_path.resolve() == args.html.resolve():
        raise InputError(
            f"--json and --html both name {json_path}; give each report its own file."
        )
    return json_path, args.html


def command_run(args: argparse.Namespace) -> int:
    json_to_stdout = args.json == "-"
    console = Console(sys.stderr if json_to_stdout else sys.stdout)
    try:
        json_path, html_path = _output_paths(args)
        plan = prepare(args.instance, args.profile, args.public_roots)
    except InputError as exc:
        print(f"ucontact-netcheck: {exc}", file=sys.stderr)
        return EXIT_INPUT

    console.line(
        f"Checking uContact instance {plan.instance} with profile "
        f"{plan.profile.name!r}..."
    )
    try:
        with asyncio.Runner(loop_factory=new_event_loop) as runner:
            observer = ConsoleObserver(
                console, _redactor(plan) if args.redact else None
            )
            run = runner.run(execute(plan, observer))
    except KeyboardInterrupt:
        print("Cancelled: no report was written.", file=sys.stderr)
        return EXIT_INPUT

    report = build_report(run, plan.profile, redact=args.redact)
    print_fixes(console, report["fixes"])
    console.line()
    console.line(f"Verdict: {report['verdict']['text']}")

    status = EXIT_CODES[run.verdict]
    try:
        if json_to_stdout:
            Console(sys.stdout).line(json_text(report).rstrip("\n"))
        elif json_path:
            write_json(report, json_path)
        if html_path:
            write_html(report, html_path)
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
