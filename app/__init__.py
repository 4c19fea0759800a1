"""uContact Network Check: tests whether this computer's network is ready for uContact."""

__version__ = "0.1.0"
