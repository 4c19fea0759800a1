"""Move one thread into a network namespace with libc setns.

Python 3.11 has no os.setns. setns(fd, CLONE_NEWNET) moves only the calling thread, so
a window's check thread can run in a lab namespace while the GUI thread stays put.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Callable

CLONE_NEWNET = 0x40000000


def enter_namespace(name: str) -> Callable[[], None]:
    """Return a function that moves the calling thread into network namespace `name`."""

    def enter() -> None:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        descriptor = os.open(f"/run/netns/{name}", os.O_RDONLY)
        try:
            if libc.setns(descriptor, CLONE_NEWNET) != 0:
                error = ctypes.get_errno()
                raise OSError(error, f"setns into {name}: {os.strerror(error)}")
        finally:
            os.close(descriptor)

    return enter
