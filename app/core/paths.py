"""Locations of the bundled resources and the user's data and log folders."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "ucontact-netcheck"


def resources_dir() -> Path:
    """Return the `resources/` folder of a source checkout or a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def builtin_profile_path() -> Path:
    return resources_dir() / "profiles" / "ucontact.toml"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
