"""Load and validate a requirements profile (TOML).

Every problem is a ProfileError whose message names the file, the key and the fix, so
a helpdesk that edits an on-premise profile can correct it without reading code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.model import CheckSpec, Severity

GROUPS = ("signalling", "media", "security", "services", "this computer")
GROUP_TITLES = {
    "signalling": "Signalling",
    "media": "Media (audio)",
    "security": "Security",
    "services": "Services",
    "this computer": "This computer",
}
_CHECK_KEYS = {"id", "kind", "title", "requirement", "severity", "group", "timeout_s"}


class ProfileError(Exception):
    """An unreadable or invalid profile; the message is one sentence for the user."""


@dataclass(frozen=True)
class DistrustedRoot:
    subject: str
    sha256: str
    removed: dt.date
    removed_by: str
    source: str


@dataclass(frozen=True)
class Profile:
    name: str
    path: Path
    sha256: str
    instance_host: str
    concurrency: int
    deadline_s: float
    dns_timeout_s: float
    expected_issuers: tuple[str, ...]
    distrusted_roots: tuple[DistrustedRoot, ...]
    checks: tuple[CheckSpec, ...]
    thresholds: Mapping[str, Any] = field(default_factory=dict)

    def specs_for(self, instance: str) -> list[CheckSpec]:
        """Return the checks with `{instance}` replaced in every string parameter."""
        return [
            CheckSpec(
                id=spec.id,
                kind=spec.kind,
                title=spec.title,
                requirement=spec.requirement.replace("{instance}", instance),
                severity=spec.severity,
                group=spec.group,
                timeout_s=spec.timeout_s,
                params=_substitute(spec.params, instance),
            )
            for spec in self.checks
        ]

    def instance_domain(self) -> str:
        """Return the suffix after `{instance}`, such as ".ucontactcloud.com"."""
        return self.instance_host.split("{instance}", 1)[1]


def _substitute(value: Any, instance: str) -> Any:
    if isinstance(value, str):
        return value.replace("{instance}", instance)
    if isinstance(value, list):
        return [_substitute(item, instance) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item, instance) for key, item in value.items()}
    return value


_MISSING: Any = object()


class Table:
    """Typed reads from one TOML table, raising ProfileError that names file and key."""

    def __init__(self, data: Mapping[str, Any], file: Path, where: str) -> None:
        self.data = data
        self.file = file
        self.where = where
        self._read: set[str] = set()

    def error(self, key: str, problem: str, fix: str) -> ProfileError:
        name = f"{self.where}.{key}" if self.where else key
        return ProfileError(f"{self.file}: key '{name}' {problem}; fix: {fix}.")

    def _get(self, key: str, default: Any, example: str) -> Any:
        self._read.add(key)
        if key not in self.data:
            if default is _MISSING:
                raise self.error(key, "is missing", f"add it, for example {example}")
            return default
        return self.data[key]

    def str(self, key: str, default: Any = _MISSING, example: str = '"text"') -> Any:
        value = self._get(key, default, f"{key} = {example}")
        if key not in self.data:
            return value
        if not isinstance(value, str) or not value.strip():
            raise self.error(
                key,
                f"must be non-empty text (got {value!r})",
                f"write it as {key} = {example}",
            )
        return value

    def number(
        self,
        key: str,
        default: Any = _MISSING,
        *,
        minimum: float = 0.0,
        maximum: float = float("inf"),
        example: str = "3",
    ) -> float:
        value = self._get(key, default, f"{key} = {example}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(
                key,
                f"must be a number (got {value!r})",
                f"write it as {key} = {example}",
            )
        if not minimum < value <= maximum:
            raise self.error(
                key,
                f"must be above {minimum:g} and at most {maximum:g} (got {value!r})",
                f"write it as {key} = {example}",
            )
        return float(value)

    def integer(
        self,
        key: str,
        default: Any = _MISSING,
        *,
        minimum: int = 1,
        maximum: int = 2**31,
        example: str = "1",
    ) -> int:
        value = self._get(key, default, f"{key} = {example}")
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(
                key,
                f"must be a whole number (got {value!r})",
                f"write it as {key} = {example}",
            )
        if not minimum <= value <= maximum:
            raise self.error(
                key,
                f"must be from {minimum} to {maximum} (got {value})",
                f"write it as {key} = {example}",
            )
        return value

    def port(self, key: str, default: Any = _MISSING) -> int:
        example = "443" if default is _MISSING else str(default)
        return self.integer(key, default, minimum=1, maximum=65535, example=example)

    def boolean(self, key: str, default: Any = _MISSING) -> bool:
        value = self._get(key, default, f"{key} = true")
        if not isinstance(value, bool):
            raise self.error(
                key,
                f"must be true or false (got {value!r})",
                f"write it as {key} = true",
            )
        return value

    def str_list(
        self,
        key: str,
        default: Any = _MISSING,
        example: str = '["a", "b"]',
        allow_empty: bool = False,
    ) -> list[str]:
        value = self._get(key, default, f"{key} = {example}")
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise self.error(
                key,
                f"must be a list of non-empty texts (got {value!r})",
                f"write it as {key} = {example}",
            )
        if not value and not allow_empty:
            raise self.error(key, "must not be empty", f"write it as {key} = {example}")
        return list(value)

    def table(self, key: str) -> Table:
        value = self._get(key, {}, f"[{key}]")
        if not isinstance(value, dict):
            raise self.error(key, "must be a table", f"write it as [{key}]")
        where = f"{self.where}.{key}" if self.where else key
        return Table(value, self.file, where)

    def finish(self) -> None:
        """Reject keys nobody read, which are usually typing mistakes."""
        for key in self.data:
            if key not in self._read:
                raise self.error(
                    key,
                    "is not a known setting here",
                    "remove it or correct its spelling",
                )


def load_profile(path: Path) -> Profile:
    """Read, parse and validate the profile at `path`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ProfileError(
            f"{path}: the profile cannot be read ({reason}); fix: pass an existing, "
            "readable TOML file with --profile."
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProfileError(
            f"{path}: the profile is not UTF-8 text; fix: save it as UTF-8 TOML."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(
            f"{path}: the profile is not valid TOML ({exc}); fix: correct the syntax "
            "at that line."
        ) from None
    except RecursionError:
        raise ProfileError(
            f"{path}: the profile nests arrays or tables too deeply to read; fix: "
            "use a profile of plain tables and lists."
        ) from None

    top = Table(data, path, "")
    meta = top.table("profile")
    name = meta.str("name", example='"uContact cloud"')
    instance_host = meta.str("instance_host", example='"{instance}.ucontactcloud.com"')
    if "{instance}" not in instance_host:
        raise meta.error(
            "instance_host",
            "must contain {instance}",
            'write it as instance_host = "{instance}.ucontactcloud.com"',
        )
    meta.finish()

    run = top.table("run")
    concurrency = run.integer("concurrency", 16, minimum=1, maximum=256, example="16")
    deadline_s = run.number("deadline_s", 12.0, maximum=3600, example="12")
    dns_timeout_s = run.number("dns_timeout_s", 2.0, maximum=60, example="2")
    run.finish()

    trust = top.table("trust")
    expected_issuers = tuple(
        trust.str_list(
            "expected_issuers",
            [],
            example='["CN=GeoTrust RSA CA 2018,O=DigiCert Inc,C=US"]',
            allow_empty=True,
        )
    )
    distrusted = tuple(_distrusted_roots(trust, path))
    trust.finish()

    thresholds = top.table("thresholds").data
    top._read.add("thresholds")

    checks = tuple(_checks(top, path))
    top.finish()

    profile = Profile(
        name=name,
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        instance_host=instance_host,
        concurrency=concurrency,
        deadline_s=deadline_s,
        dns_timeout_s=dns_timeout_s,
        expected_issuers=expected_issuers,
        distrusted_roots=distrusted,
        checks=checks,
        thresholds=thresholds,
    )
    _validate_check_params(profile)
    return profile


def _distrusted_roots(trust: Table, path: Path) -> list[DistrustedRoot]:
    entries = trust._get("distrusted_roots", [], "[[trust.distrusted_roots]]")
    if not isinstance(entries, list):
        raise trust.error(
            "distrusted_roots",
            "must be an array of tables",
            "write each entry as [[trust.distrusted_roots]]",
        )
    roots = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise trust.error(
                f"distrusted_roots[{index}]",
                "must be a table",
                "write each entry as [[trust.distrusted_roots]]",
            )
        table = Table(entry, path, f"trust.distrusted_roots[{index}]")
        sha256 = table.str("sha256", example='"4348A0E9..."').replace(":", "").lower()
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise table.error(
                "sha256",
                "must be a SHA-256 fingerprint of 64 hex digits",
                "copy it from `openssl x509 -fingerprint -sha256`",
            )
        removed = table._get("removed", _MISSING, "removed = 2026-04-15")
        if not isinstance(removed, dt.date) or isinstance(removed, dt.datetime):
            raise table.error(
                "removed",
                f"must be a TOML date (got {removed!r})",
                "write it as removed = 2026-04-15, without quotes",
            )
        roots.append(
            DistrustedRoot(
                subject=table.str("subject", example='"CN=...,O=...,C=US"'),
                sha256=sha256,
                removed=removed,
                removed_by=table.str("removed_by", example='"Chrome and Mozilla"'),
                source=table.str("source", "", example='"vendor notice"'),
            )
        )
        table.finish()
    return roots


def _checks(top: Table, path: Path) -> list[CheckSpec]:
    entries = top._get("check", _MISSING, "[[check]]")
    if not isinstance(entries, list) or not entries:
        raise top.error(
            "check",
            "must list at least one check",
            "add [[check]] tables with id, kind and title",
        )
    specs = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise top.error(
                f"check[{index}]", "must be a table", "write each check as [[check]]"
            )
        table = Table(entry, path, f"check[{index}]")
        check_id = table.str("id", example='"dns"')
        table.where = f"check[{index}] (id {check_id})"
        if check_id in seen:
            raise table.error(
                "id", f"repeats the id {check_id!r}", "give every check a unique id"
            )
        seen.add(check_id)
        severity_text = table.str("severity", "required", example='"required"')
        try:
            severity = Severity(severity_text)
        except ValueError:
            raise table.error(
                "severity",
                f"must be required or recommended (got {severity_text!r})",
                'write severity = "required"',
            ) from None
        group = table.str("group", example='"signalling"')
        if group not in GROUPS:
            raise table.error(
                "group",
                f"must be one of {', '.join(GROUPS)} (got {group!r})",
                'write group = "signalling"',
            )
        specs.append(
            CheckSpec(
                id=check_id,
                kind=table.str("kind", example='"dns"'),
                title=table.str("title", example='"Name resolution"'),
                requirement=table.str("requirement", example='"Every host resolves"'),
                severity=severity,
                group=group,
                timeout_s=table.number("timeout_s", example="5", maximum=600),
                params={
                    key: value for key, value in entry.items() if key not in _CHECK_KEYS
                },
            )
        )
    return specs


def _validate_check_params(profile: Profile) -> None:
    """Build every check once with a sample instance, so bad parameters fail at load."""
    from app.core.checks import build_checks

    build_checks(profile, "example")
