"""Guards against Qt bindings that corrupt the interpreter during a long session."""

import sys

from PySide6.QtWidgets import QLabel


def test_qt_calls_keep_none_refcount(qapp):
    # PySide6-Essentials 6.12.0 dropped one reference to None per call of a method
    # returning nothing; Python 3.11 aborts when the count reaches zero.
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert abs(sys.getrefcount(None) - before) < 50
