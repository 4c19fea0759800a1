"""The HTML report: one self-contained, printable page rendered with Jinja2."""

from __future__ import annotations

import json
from typing import Any

import jinja2

from app.core.model import STATUS_WORDS, Status
from app.core.paths import resources_dir
from app.core.profile import GROUP_TITLES

_SYMBOLS = {
    Status.PASS: "\u2714",
    Status.WARN: "\u25b2",
    Status.FAIL: "\u2716",
    Status.UNKNOWN: "?",
}
STATUS_LABELS = {
    status.value: (STATUS_WORDS[status], symbol) for status, symbol in _SYMBOLS.items()
}

_environment: jinja2.Environment | None = None


def _env() -> jinja2.Environment:
    global _environment
    if _environment is None:
        _environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(resources_dir() / "templates"),
            autoescape=jinja2.select_autoescape(["html", "j2"]),
            undefined=jinja2.StrictUndefined,
        )
        _environment.filters["evidence"] = lambda value: json.dumps(
            value, indent=2, ensure_ascii=False
        )
    return _environment


def render_html(report: dict[str, Any]) -> str:
    template = _env().get_template("report.html.j2")
    return template.render(report=report, labels=STATUS_LABELS, groups=GROUP_TITLES)
