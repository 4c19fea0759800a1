"""Turn what a user types or pastes into an instance name."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_SCHEMES = ("http", "https", "ws", "wss")
_MAX_LABEL = 63  # RFC 1035: a DNS label has at most 63 characters


class InstanceError(ValueError):
    """The text is not an instance name; the message is one sentence for the user."""


def normalize_instance(text: str, domain: str) -> str:
    """Return the instance name in `text`, which may be a name, host or pasted URL.

    `domain` is the profile's suffix, such as ".ucontactcloud.com": "acme",
    "acme.ucontactcloud.com" and "https://acme.ucontactcloud.com/agent" all give "acme".
    """
    value = text.strip()
    if not value:
        raise InstanceError(
            "The instance name is empty: enter the first part of your uContact address, "
            f"such as acme for acme{domain}."
        )
    host = value
    if "://" in value:
        scheme = value.split("://", 1)[0].lower()
        if scheme not in _SCHEMES:
            raise InstanceError(
                f"{value!r} is not a uContact address: it should start with https:// "
                f"or be a name such as acme for acme{domain}."
            )
    if "://" in value or "/" in value or ":" in value:
        try:
            host = urlsplit(value if "://" in value else f"//{value}").hostname or ""
        except ValueError:
            host = ""
    host = host.strip().rstrip(".").lower()
    domain = domain.lower()
    if domain and host.endswith(domain):
        host = host[: -len(domain)]
    if len(host) > _MAX_LABEL and "." not in host:
        raise InstanceError(
            f"The instance name is too long ({len(host)} characters): a name has at "
            f"most {_MAX_LABEL}, such as acme for acme{domain}."
        )
    if not _LABEL.match(host):
        raise InstanceError(
            f"{text.strip()!r} is not a valid instance name: use letters, digits and "
            f"hyphens only, such as acme for acme{domain}."
        )
    return host
