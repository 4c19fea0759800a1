"""Traffic lights: a colour, a shape and a word per status, so colour is never alone."""

from __future__ import annotations

import math
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)

from app.core.model import Status


class Light(StrEnum):
    """What a check row shows: a final status, or waiting and running."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"
    WAITING = "waiting"
    RUNNING = "running"
    SKIPPED = "skipped"  # the run was cancelled before the check finished

    @classmethod
    def of(cls, status: Status) -> Light:
        return cls(status.value)


# Colours with at least 4.5:1 contrast against white text or a white background.
COLOURS = {
    Light.PASS: "#1e7e34",
    Light.WARN: "#8a5800",
    Light.FAIL: "#b3261e",
    Light.UNKNOWN: "#5f6368",
    Light.WAITING: "#5f6368",
    Light.RUNNING: "#1a5fb4",
    Light.SKIPPED: "#5f6368",
}

BANNER_BACKGROUNDS = {
    Light.PASS: "#e6f4ea",
    Light.WARN: "#fff4d6",
    Light.FAIL: "#fdecea",
    Light.UNKNOWN: "#eeeeee",
    Light.WAITING: "#eeeeee",
    Light.RUNNING: "#e8f0fe",
    Light.SKIPPED: "#eeeeee",
}


def light_word(light: Light) -> str:
    """Return the translated word shown beside the light."""
    words = {
        Light.PASS: QCoreApplication.translate("Light", "Passed"),
        Light.WARN: QCoreApplication.translate("Light", "Warning"),
        Light.FAIL: QCoreApplication.translate("Light", "Failed"),
        Light.UNKNOWN: QCoreApplication.translate("Light", "Not verified"),
        Light.WAITING: QCoreApplication.translate("Light", "Waiting"),
        Light.RUNNING: QCoreApplication.translate("Light", "Checking"),
        Light.SKIPPED: QCoreApplication.translate("Light", "Not run"),
    }
    return words[light]


_ICON_CACHE: dict[Light, QIcon] = {}
_PIXELS = 64


def light_icon(light: Light) -> QIcon:
    """Return the icon: a circle with a tick, a triangle, an octagon with a cross, or ?."""
    icon = _ICON_CACHE.get(light)
    if icon is None:
        icon = QIcon(_paint(light, _PIXELS))
        _ICON_CACHE[light] = icon
    return icon


def _paint(light: Light, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(COLOURS[light])
    box = QRectF(4, 4, size - 8, size - 8)
    mark = QPen(
        QColor("white"),
        size / 10,
        Qt.PenStyle.SolidLine,
        Qt.PenCapStyle.RoundCap,
        Qt.PenJoinStyle.RoundJoin,
    )

    if light is Light.WARN:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(size / 2, 3),
                    QPointF(size - 3, size - 6),
                    QPointF(3, size - 6),
                ]
            )
        )
        painter.setPen(mark)
        painter.drawLine(QPointF(size / 2, size * 0.32), QPointF(size / 2, size * 0.6))
        painter.drawPoint(QPointF(size / 2, size * 0.76))
    elif light is Light.FAIL:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(_octagon(box))
        painter.setPen(mark)
        inset = size * 0.33
        painter.drawLine(QPointF(inset, inset), QPointF(size - inset, size - inset))
        painter.drawLine(QPointF(size - inset, inset), QPointF(inset, size - inset))
    elif light is Light.PASS:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(box)
        painter.setPen(mark)
        tick = QPainterPath(QPointF(size * 0.28, size * 0.52))
        tick.lineTo(QPointF(size * 0.44, size * 0.68))
        tick.lineTo(QPointF(size * 0.72, size * 0.36))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)
    elif light is Light.UNKNOWN:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(box)
        painter.setPen(QColor("white"))
        font = painter.font()
        font.setPixelSize(int(size * 0.6))
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "?")
    else:
        # Waiting is an empty ring, running a ring with a filled quarter, and
        # skipped a ring with a dash.
        painter.setPen(QPen(colour, size / 12))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box.adjusted(3, 3, -3, -3))
        if light is Light.RUNNING:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPie(box.adjusted(3, 3, -3, -3), 90 * 16, -90 * 16)
        elif light is Light.SKIPPED:
            painter.drawLine(
                QPointF(size * 0.32, size / 2), QPointF(size * 0.68, size / 2)
            )
    painter.end()
    return pixmap


def _octagon(box: QRectF) -> QPolygonF:
    centre = box.center()
    radius = box.width() / 2
    return QPolygonF(
        [
            QPointF(
                centre.x() + radius * math.cos(math.radians(22.5 + 45 * i)),
                centre.y() + radius * math.sin(math.radians(22.5 + 45 * i)),
            )
            for i in range(8)
        ]
    )
