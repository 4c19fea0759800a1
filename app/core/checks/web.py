"""Web reachability ("web") and certificate authority downloads ("ca-download")."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from yarl import URL

from app.core import remedy
from app.core.checks import Check, register
from app.core.context import RunContext
from app.core.httpclient import (
    HttpClient,
    HttpResponse,
    budget_s,
    check_url,
)
from app.core.httpfailure import HttpFailure, describe, portal_remedy, remedy_for
from app.core.model import Outcome, Status
from app.core.profile import Table

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_MAX_TITLE = 60
_PEM_MARKER = b"-----BEGIN CERTIFICATE-----"
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


def is_html(response: HttpResponse) -> bool:
    """Tell whether `response` is an HTML page, by content type or by its first bytes."""
    if response.content_type.lower() in _HTML_TYPES:
        return True
    start = response.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<title"))


def page_title(body: bytes) -> str:
    """Return the <title> of an HTML body, whitespace collapsed and cut to 60 chars."""
    match = _TITLE.search(body)
    if match is None:
        return ""
    text = html.unescape(match.group(1).decode("utf-8", errors="replace"))
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= _MAX_TITLE else text[: _MAX_TITLE - 3] + "..."


def describe_page(response: HttpResponse) -> str:
    """Describe an HTML response: "an HTML page (text/html, 812 bytes, title 'Login')"."""
    parts = [] if response.status == 200 else [f"HTTP {response.status}"]
    parts.append(response.content_type or "no content type")
    size = f"{len(response.body)} bytes"
    parts.append(f"more than {size}" if response.truncated else size)
    title = page_title(response.body)
    if title:
        parts.append(f"title {title!r}")
    return f"an HTML page ({', '.join(parts)})"


def capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


@dataclass(frozen=True)
class Problem:
    summary: str
    remedy: str
    error: str = ""  # the evidence's error code


def _failure_evidence(failure: HttpFailure, time_ms: float) -> dict[str, Any]:
    return {
        "status": failure.status,
        "time_ms": time_ms,
        "bytes": 0,
        "redirects": list(failure.redirects),
        "error": failure.kind,
        "stage": failure.stage,
        "detail": failure.message,
    }


@register
class WebCheck(Check):
    """Each URL returns an HTTP(S) response of any status, sent no credentials."""

    kind = "web"

    def configure(self, params: Table) -> None:
        example = '["https://redirector.gvt1.com/"]'
        self.urls = params.str_list("urls", example=example)
        self.parsed = [
            check_url(params, "urls", url, ("http", "https"), example)
            for url in self.urls
        ]
        self.max_body_bytes = params.integer(
            "max_body_bytes", 65536, maximum=16 * 2**20, example="65536"
        )
        self.max_redirects = params.integer(
            "max_redirects", 3, minimum=0, maximum=20, example="3"
        )
        self.expect_content_type = params.str(
            "expect_content_type", "", example='"application/json"'
        ).lower()

    def hosts(self) -> list[str]:
        return list(dict.fromkeys(url.host for url in self.parsed if url.host))

    async def run(self, ctx: RunContext) -> Outcome:
        budget = budget_s(self.spec.timeout_s)
        probes = await asyncio.gather(
            *(self._probe(ctx, url, budget) for url in self.urls)
        )
        evidence = {"urls": {url: entry for url, entry, _ in probes}}
        problems = [(url, problem) for url, _, problem in probes if problem]
        if not problems:
            return Outcome(
                Status.PASS, self._pass_summary(evidence["urls"]), "", evidence
            )

        sentences = [problem.summary for _, problem in problems]
        if len(self.urls) > 1:
            sentences.insert(0, f"{len(problems)} of {len(self.urls)} URLs failed.")
        remedies = dict.fromkeys(problem.remedy for _, problem in problems)
        return Outcome(Status.FAIL, " ".join(sentences), " ".join(remedies), evidence)

    async def _probe(
        self, ctx: RunContext, url: str, budget: float
    ) -> tuple[str, dict[str, Any], Problem | None]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with HttpClient(ctx, budget) as client:
            answer = await client.fetch(
                url,
                max_body_bytes=self.max_body_bytes,
                max_redirects=self.max_redirects,
            )
        if isinstance(answer, HttpFailure):
            time_ms = round((loop.time() - started) * 1000, 1)
            problem = Problem(f"{url} failed: {describe(answer)}.", remedy_for(answer))
            return url, _failure_evidence(answer, time_ms), problem

        entry: dict[str, Any] = {
            "status": answer.status,
            "time_ms": answer.time_ms,
            "bytes": len(answer.body),
            "redirects": answer.redirects,
            "error": None,
            "content_type": answer.content_type,
            "address": answer.address,
            "truncated": answer.truncated,
            "redirect_limit_reached": answer.redirect_limit_reached,
        }
        if answer.url.startswith("https:"):
            entry["alpn"] = answer.alpn
        problem = self._portal_problem(url, answer)
        if problem is not None:
            entry["error"] = "portal"
        return url, entry, problem

    def _portal_problem(self, url: str, answer: HttpResponse) -> Problem | None:
        """Detect a plain-HTTP portal: a 200 HTML page where another type is expected."""
        expected = self.expect_content_type
        if (
            not answer.url.startswith("http:")
            or not expected
            or expected in _HTML_TYPES
        ):
            return None
        if answer.status != 200 or not is_html(answer):
            return None
        host, port = _host_port(answer.url)
        summary = (
            f"{url} failed: {describe_page(answer)} came back where "
            f"{expected} was expected, so a captive portal or web filter "
            f"answered for {host}."
        )
        return Problem(summary, portal_remedy(host, port, "HTTP"))

    @staticmethod
    def _pass_summary(entries: dict[str, dict[str, Any]]) -> str:
        answers = [
            f"{url} (HTTP {entry['status']}, {entry['time_ms']:g} ms)"
            for url, entry in entries.items()
        ]
        if len(answers) == 1:
            url, entry = next(iter(entries.items()))
            return f"{url} answered HTTP {entry['status']} in {entry['time_ms']:g} ms."
        return f"All {len(answers)} URLs answered: {', '.join(answers)}."


def _host_port(url: str) -> tuple[str, int]:
    parsed = URL(url)
    return parsed.host or "", parsed.port or 0


def parse_name(text: str) -> x509.Name:
    """Parse an RFC 4514 name, tolerating spaces around "," and "=" and lowercase keys.

    Raises ValueError if `text` is not a name.
    """
    parts = []
    for part in _UNESCAPED_COMMA.split(text):
        key, equals, value = part.partition("=")
        if not equals or not key.strip():
            raise ValueError(f"{part!r} is not an attribute=value pair")
        key = key.strip()
        parts.append(f"{key.upper() if key.isalpha() else key}={value.strip()}")
    return x509.Name.from_rfc4514_string(",".join(parts))


def load_certificate(body: bytes) -> x509.Certificate | None:
    """Parse `body` as one X.509 certificate in DER, or in PEM as a fallback."""
    try:
        return x509.load_der_x509_certificate(body)
    except ValueError:
        pass
    if _PEM_MARKER not in body:
        return None
    try:
        return x509.load_pem_x509_certificate(body[body.index(_PEM_MARKER) :])
    except ValueError:
        return None


def is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(
            x509.BasicConstraints
        )
    except x509.ExtensionNotFound:
        return False
    return constraints.value.ca


@register
class CaDownloadCheck(Check):
    """A plain-HTTP download returns the expected CA certificate, as AIA fetching needs."""

    kind = "ca-download"

    def configure(self, params: Table) -> None:
        example = '"http://cacerts.geotrust.com/GeoTrustRSACA2018.crt"'
        self.url = params.str("url", example=example)
        parsed = check_url(params, "url", self.url, ("http",), example)
        self.host, self.port = parsed.host or "", parsed.port or 80
        subject = params.str(
            "expected_subject", example='"CN=GeoTrust RSA CA 2018,O=DigiCert Inc,C=US"'
        )
        try:
            self.expected_subject = parse_name(subject)
        except ValueError as exc:
            raise params.error(
                "expected_subject",
                f"is not an RFC 4514 name ({exc or 'invalid syntax'})",
                'write it as expected_subject = "CN=...,O=...,C=US"',
            ) from None
        self.max_body_bytes = params.integer(
            "max_body_bytes", 65536, maximum=16 * 2**20, example="65536"
        )

    def hosts(self) -> list[str]:
        return [self.host]

    async def run(self, ctx: RunContext) -> Outcome:
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with HttpClient(ctx, budget_s(self.spec.timeout_s)) as client:
            # A redirect is reported, not followed: the real host sends the file itself.
            answer = await client.fetch(
                self.url, max_body_bytes=self.max_body_bytes, max_redirects=0
            )
        evidence: dict[str, Any] = {
            "url": self.url,
            "status": None,
            "content_type": None,
            "bytes": 0,
            "subject": None,
            "is_ca": None,
            "expected_subject": self.expected_subject.rfc4514_string(),
            "time_ms": round((loop.time() - started) * 1000, 1),
            "error": None,
        }
        if isinstance(answer, HttpFailure):
            evidence.update(
                error=answer.kind, stage=answer.stage, detail=answer.message
            )
            return Outcome(
                Status.FAIL,
                f"The download of {self.url} failed: {describe(answer)}.",
                remedy_for(answer),
                evidence,
            )

        evidence.update(
            status=answer.status,
            content_type=answer.content_type,
            bytes=len(answer.body),
            address=answer.address,
        )
        certificate, problem = self._examine(answer)
        if certificate is not None:
            evidence.update(
                subject=certificate.subject.rfc4514_string(), is_ca=is_ca(certificate)
            )
        if problem is not None:
            evidence["error"] = problem.error
            return Outcome(Status.FAIL, problem.summary, problem.remedy, evidence)
        return Outcome(
            Status.PASS,
            f"The CA certificate {evidence['subject']!r} "
            f"downloaded from {self.url} ({len(answer.body)} bytes).",
            "",
            evidence,
        )

    def _examine(
        self, answer: HttpResponse
    ) -> tuple[x509.Certificate | None, Problem | None]:
        """Return the certificate found, and the problem if the response is wrong."""
        portal = portal_remedy(self.host, self.port, "HTTP")
        impostor = f"a captive portal or web filter answered for {self.host}"
        location = answer.headers.get("Location")
        if answer.status in (301, 302, 303, 307, 308) and location:
            summary = (
                f"{self.host} answered HTTP {answer.status} redirecting to "
                f"{location[:200]} instead of sending the certificate: "
                f"{impostor}."
            )
            return None, Problem(summary, portal, "redirect")
        if is_html(answer):
            summary = (
                f"{capitalize(describe_page(answer))} came back instead of a "
                f"certificate: "
                f"{impostor}."
            )
            return None, Problem(summary, portal, "html")
        if answer.status != 200:
            status = f"HTTP {answer.status} {answer.reason}".rstrip()
            summary = f"{self.url} answered {status} instead of the certificate."
            allow = remedy.allow("TCP", self.port, self.host, "HTTP")
            return None, Problem(summary, allow, "status")

        kind = answer.content_type or "no content type"
        if answer.truncated:
            summary = (
                f"{self.url} sent more than {self.max_body_bytes} bytes "
                f"({kind}), too large for a certificate."
            )
            return None, Problem(summary, portal, "too-large")
        certificate = load_certificate(answer.body)
        if certificate is None:
            summary = (
                f"{len(answer.body)} bytes of {kind} came back from {self.url}, "
                "and they are not an X.509 certificate in DER or PEM: a web "
                "filter or proxy may have replaced them."
            )
            return None, Problem(summary, portal, "not-certificate")

        subject = certificate.subject.rfc4514_string()
        if not is_ca(certificate):
            summary = (
                f"The certificate from {self.url} ({subject!r}) is not a CA "
                "certificate, because its basicConstraints do not say CA."
            )
            return certificate, Problem(summary, portal, "not-ca")
        expected = self.expected_subject.rfc4514_string()
        if subject.casefold() != expected.casefold():
            summary = (
                f"The CA certificate from {self.url} is {subject!r}, not the "
                f"expected {expected!r}."
            )
            return certificate, Problem(summary, portal, "subject")
        return certificate, None
