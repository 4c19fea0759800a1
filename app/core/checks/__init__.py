"""The check registry: each profile `kind` maps to one Check class."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar

from app.core.model import CheckSpec, Outcome
from app.core.profile import Table

if TYPE_CHECKING:
    from app.core.context import RunContext
    from app.core.profile import Profile

CHECK_KINDS: dict[str, type[Check]] = {}

# Modules that register check kinds when imported.
_MODULES = (
    "dns",
    "tls",
    "https",
    "web",
    "sipws",
    "stun",
    "ice",
    "chrome",
    "rtp",
    "udpprobe",
    "nat",
    "quality",
    "ips",
    "sipalg",
)


class Check(ABC):
    """One probe for one requirement. `run` never raises for network conditions."""

    kind: ClassVar[str]

    def __init__(self, spec: CheckSpec, profile: Profile, where: str = "") -> None:
        self.spec = spec
        self.profile = profile
        params = Table(spec.params, profile.path, where or f"check (id {spec.id})")
        self.configure(params)
        params.finish()

    def configure(self, params: Table) -> None:
        """Read the kind's parameters from `params`; unread keys are rejected."""

    def hosts(self) -> list[str]:
        """Return the host names this check connects to, for the DNS check."""
        return []

    @abstractmethod
    async def run(self, ctx: RunContext) -> Outcome: ...


def register(cls: type[Check]) -> type[Check]:
    CHECK_KINDS[cls.kind] = cls
    return cls


def load_kinds() -> dict[str, type[Check]]:
    for name in _MODULES:
        importlib.import_module(f"app.core.checks.{name}")
    return CHECK_KINDS


def build_checks(profile: Profile, instance: str) -> list[Check]:
    """Instantiate the profile's checks for `instance`, validating their parameters."""
    kinds = load_kinds()
    checks = []
    for index, spec in enumerate(profile.specs_for(instance)):
        # The same key path as the profile's own messages: check[3] (id tls-443).port
        where = f"check[{index}] (id {spec.id})"
        cls = kinds.get(spec.kind)
        if cls is None:
            raise Table({}, profile.path, where).error(
                "kind",
                f"names the unknown kind {spec.kind!r}",
                f"use one of {', '.join(sorted(kinds))}",
            )
        checks.append(cls(spec, profile, where))
    return checks
