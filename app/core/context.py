"""Shared state of one run: the profile, the instance, trust stores and cached answers."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import certifi
import truststore
from cryptography import x509

from app.core.profile import Profile
from app.core.resolve import HostResolver, Resolution

T = TypeVar("T")


class TrustStoreError(Exception):
    """The --public-roots file cannot be used; the message is one sentence."""


def load_roots(path: Path) -> list[x509.Certificate]:
    """Load the PEM certificates at `path`, raising TrustStoreError if there are none."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustStoreError(
            f"{path}: the trust store cannot be read ({exc.strerror or exc}); fix: pass "
            "a readable PEM file with --public-roots."
        ) from None
    if b"-----BEGIN CERTIFICATE-----" in data:
        try:
            return x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise TrustStoreError(
                f"{path}: a certificate in the file is invalid ({exc}); fix: export "
                "the roots again as PEM."
            ) from None
    try:
        roots = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise TrustStoreError(
            f"{path}: no PEM certificate found; fix: pass a file of "
            "-----BEGIN CERTIFICATE----- blocks with --public-roots."
        ) from None
    return roots


class RunContext:
    """The state that every check of one run shares.

    The browser store stands for Chrome's public root store: certifi's Mozilla bundle,
    or the file given with --public-roots. The OS store is the platform's, through
    truststore (on Linux it is OpenSSL's default, which follows SSL_CERT_FILE).
    """

    def __init__(
        self,
        profile: Profile,
        instance: str,
        *,
        public_roots: Path | None = None,
        resolver: HostResolver | None = None,
    ) -> None:
        self.profile = profile
        self.instance = instance
        self.public_roots_path = public_roots
        self.resolver = resolver or HostResolver(profile.dns_timeout_s)
        # Host name -> the severity of the most important check that uses it.
        self.hosts: dict[str, str] = {}
        self._browser_roots: list[x509.Certificate] | None = None
        self._shared: dict[str, asyncio.Future[Any]] = {}

    async def resolve(self, host: str) -> Resolution:
        return await self.resolver.resolve(host)

    def browser_roots(self) -> list[x509.Certificate]:
        if self._browser_roots is None:
            path = self.public_roots_path or Path(certifi.where())
            self._browser_roots = load_roots(path)
        return self._browser_roots

    def browser_store_name(self) -> str:
        if self.public_roots_path:
            return f"the public roots in {self.public_roots_path}"
        return "the Mozilla root store (certifi)"

    def os_ssl_context(self, extra_cadata: str | None = None) -> ssl.SSLContext:
        """Return a verifying client context on the OS store, as the browser would use it.

        `extra_cadata` adds PEM intermediates (fetched from AIA) for chain building.
        """
        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        if extra_cadata:
            context.load_verify_locations(cadata=extra_cadata)
        return context

    async def shared(self, key: str, factory: Callable[[], Awaitable[T]]) -> T:
        """Run `factory` once per run for `key` and give every caller its result."""
        future = self._shared.get(key)
        if future is None:
            future = asyncio.ensure_future(factory())
            self._shared[key] = future
        return await asyncio.shield(future)

    def close(self) -> None:
        """Cancel shared work still pending, at the end or on cancellation of a run."""
        self.resolver.cancel()
        for future in self._shared.values():
            future.cancel()
