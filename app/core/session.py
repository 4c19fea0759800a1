"""Prepare and execute one run from user input; shared by the CLI and the window."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

from app.core.checks import Check, build_checks
from app.core.context import RunContext, TrustStoreError, load_roots
from app.core.instance import InstanceError, normalize_instance
from app.core.machine import machine_facts
from app.core.paths import builtin_profile_path
from app.core.profile import Profile, ProfileError, load_profile
from app.core.runner import Observer, RunResult, run_profile


def new_event_loop() -> asyncio.AbstractEventLoop:
    """Return the event loop for a run: a selector loop on every platform.

    The proactor loop of Windows mishandles UDP sockets that receive ICMP errors.
    """
    if sys.platform == "win32":
        return asyncio.SelectorEventLoop()
    return asyncio.new_event_loop()


class InputError(Exception):
    """Invalid input that stops a run before it starts; the message is one sentence."""


@dataclass
class Plan:
    profile: Profile
    instance: str
    context: RunContext
    checks: list[Check]


def prepare(
    instance_text: str,
    profile_path: Path | None = None,
    public_roots: Path | None = None,
) -> Plan:
    """Load the profile, normalise the instance name and build the checks.

    Raises InputError with a sentence for the user on any invalid input.
    """
    try:
        profile = load_profile(profile_path or builtin_profile_path())
        instance = normalize_instance(instance_text, profile.instance_domain())
        if public_roots is not None:
            load_roots(public_roots)
        checks = build_checks(profile, instance)
    except (ProfileError, InstanceError, TrustStoreError) as exc:
        raise InputError(str(exc)) from None
    context = RunContext(profile, instance, public_roots=public_roots)
    return Plan(profile, instance, context, checks)


async def execute(plan: Plan, observer: Observer | None = None) -> RunResult:
    """Run the plan's checks and attach the machine facts to the result."""
    result = await run_profile(plan.context, plan.checks, observer)
    result.facts = machine_facts()
    result.server_addresses = plan.context.resolver.known_addresses()
    return result
