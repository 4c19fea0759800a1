"""Export a report as JSON, HTML or PDF; the PDF is the HTML report printed by Qt."""

from __future__ import annotations

import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from app.core.report import ReportError, write_html, write_json
from app.core.report.html import render_html

log = logging.getLogger(__name__)

FORMATS = ("pdf", "html", "json")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_file_name(report: dict[str, Any], extension: str) -> str:
    """Return a name holding the run's date and time and the computer name."""
    started = str(report.get("started", ""))
    stamp = re.sub(r"[^0-9]", "", started)[:12]
    date = f"{stamp[:8]}-{stamp[8:12]}" if len(stamp) >= 12 else "undated"
    hostname = str(report.get("machine", {}).get("hostname") or "computer")
    hostname = _UNSAFE.sub("-", hostname).strip("-.") or "computer"
    return f"ucontact-netcheck-{date}-{hostname}.{extension}"


def format_of(path: Path) -> str:
    """Return the export format named by the file's extension."""
    extension = path.suffix.lower().lstrip(".")
    if extension == "htm":
        extension = "html"
    if extension not in FORMATS:
        raise ReportError(
            f"Cannot export to {path.name}: the name must end in .pdf, .html or .json."
        )
    return extension


def export_report(report: dict[str, Any], path: Path) -> None:
    """Write the report in the format its extension names; raises ReportError."""
    kind = format_of(path)
    if kind == "json":
        write_json(report, path)
    elif kind == "html":
        write_html(report, path)
    else:
        write_pdf(report, path)
    log.info("report exported to %s", path)


def write_pdf(report: dict[str, Any], path: Path) -> None:
    """Print the HTML report to an A4 PDF at `path` through a temporary file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        descriptor, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".pdf", dir=folder
        )
    except OSError as exc:
        raise ReportError(
            f"Cannot write {path}: {exc.strerror or exc}; choose a folder you can write to."
        ) from None
    os.close(descriptor)

    # NOTE: QTextDocument supports only part of CSS: the report's borders, padding and
    # coloured check edges are lost, so the PDF has the HTML report's text and colours
    # of the status words but a plainer layout.
    document = QTextDocument()
    document.setHtml(render_html(report))
    writer = QPdfWriter(temp_name)
    writer.setTitle(f"uContact Network Check: {report['verdict']['text']}")
    writer.setCreator("ucontact-netcheck")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(writer)
    del writer  # the PDF is complete once the writer is destroyed

    temp = Path(temp_name)
    try:
        if temp.stat().st_size == 0:
            raise ReportError(f"Cannot write {path}: Qt produced an empty PDF.")
        os.replace(temp, path)
    except OSError as exc:
        raise ReportError(
            f"Cannot write {path}: {exc.strerror or exc}; choose a folder you can write to."
        ) from None
    finally:
        temp.unlink(missing_ok=True)
