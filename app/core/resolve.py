"""Name resolution through the system's resolver configuration (dnspython)."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import time
from dataclasses import dataclass, field

import dns.asyncresolver
import dns.exception
import dns.name
import dns.rcode
import dns.resolver

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Resolution:
    """The answer for one host. `error` is None, or one of the ERRORS keys."""

    host: str
    addresses: tuple[str, ...] = ()
    error: str | None = None
    detail: str = ""
    elapsed_ms: float = 0.0
    nameservers: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.addresses)

    def describe(self) -> str:
        """Return a sentence for a failed resolution, naming the host."""
        return (
            f"{self.host} does not resolve: {ERRORS.get(self.error or '', self.detail)}"
        )


ERRORS = {
    "nxdomain": "the DNS server says the name does not exist (NXDOMAIN)",
    "no-answer": "the name exists but has no IPv4 or IPv6 address",
    "timeout": "no DNS server answered in time",
    "servfail": "the DNS server failed to answer (SERVFAIL)",
    "refused": "the DNS server refused the query (REFUSED)",
    "no-nameservers": "no DNS server is configured on this computer",
    "invalid": "the name is not a valid host name",
}


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class HostResolver:
    """Resolve each host once per run and share the answer between checks."""

    def __init__(
        self, timeout_s: float, resolver: dns.asyncresolver.Resolver | None = None
    ):
        self.timeout_s = timeout_s
        self._resolver = resolver
        self._resolver_error = ""
        self._pending: dict[str, asyncio.Future[Resolution]] = {}

    def _system_resolver(self) -> dns.asyncresolver.Resolver | None:
        if self._resolver is None and not self._resolver_error:
            try:
                self._resolver = dns.asyncresolver.Resolver()
            except dns.resolver.NoResolverConfiguration as exc:
                self._resolver_error = str(exc) or "no resolver configuration"
                log.warning("system resolver configuration unusable: %s", exc)
        if self._resolver is not None:
            self._resolver.lifetime = self.timeout_s
            self._resolver.timeout = min(self.timeout_s, 1.0)
        return self._resolver

    async def resolve(self, host: str) -> Resolution:
        future = self._pending.get(host)
        if future is None:
            future = asyncio.ensure_future(self._lookup(host))
            self._pending[host] = future
        return await asyncio.shield(future)

    def known_addresses(self) -> set[str]:
        """Return every address that a finished lookup of this run returned."""
        found: set[str] = set()
        for future in self._pending.values():
            if future.done() and not future.cancelled() and future.exception() is None:
                found.update(future.result().addresses)
        return found

    def cancel(self) -> None:
        for future in self._pending.values():
            future.cancel()

    async def _lookup(self, host: str) -> Resolution:
        if is_ip_literal(host):
            return Resolution(host=host, addresses=(host,))
        resolver = self._system_resolver()
        if resolver is None:
            return Resolution(
                host=host, error="no-nameservers", detail=self._resolver_error
            )
        nameservers = tuple(str(ns) for ns in resolver.nameservers)
        started = time.perf_counter()
        results = await asyncio.gather(
            self._query(resolver, host, "A"),
            self._query(resolver, host, "AAAA"),
        )
        elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
        addresses = tuple(addr for found, _, _ in results for addr in found)
        if addresses:
            return Resolution(host, addresses, None, "", elapsed_ms, nameservers)
        # The A answer decides the error: an IPv6-less name is normal.
        _, error, detail = results[0]
        log.info("DNS %s failed: %s %s", host, error, detail)
        return Resolution(
            host, (), error or "no-answer", detail, elapsed_ms, nameservers
        )

    @staticmethod
    async def _query(
        resolver: dns.asyncresolver.Resolver, host: str, rdtype: str
    ) -> tuple[list[str], str | None, str]:
        try:
            answer = await resolver.resolve(host, rdtype, search=False)
        except dns.resolver.NXDOMAIN:
            return [], "nxdomain", ""
        except dns.resolver.NoAnswer:
            return [], "no-answer", ""
        except dns.resolver.LifetimeTimeout as exc:
            return [], "timeout", str(exc)
        except dns.resolver.NoNameservers as exc:
            return [], _rcode_error(exc), str(exc)
        except dns.name.NameTooLong:
            return [], "invalid", "name too long"
        except (dns.exception.DNSException, OSError) as exc:
            return [], "servfail", f"{type(exc).__name__}: {exc}"
        return [record.to_text() for record in answer], None, ""


def _rcode_error(exc: dns.resolver.NoNameservers) -> str:
    """Tell SERVFAIL from REFUSED in the answers the servers gave."""
    errors = exc.kwargs.get("errors") or []
    for *_, answer in errors:
        rcode = getattr(answer, "rcode", None)
        if callable(rcode) and rcode() == dns.rcode.REFUSED:
            return "refused"
    return "servfail"
