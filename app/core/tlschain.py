"""Certificate chain facts: names, hostname match, AIA, browser-store verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from app.core.profile import DistrustedRoot


def subject_of(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string()


def issuer_of(cert: x509.Certificate) -> str:
    return cert.issuer.rfc4514_string()


def normalize_name(name: str) -> str:
    """Return an RFC 4514 name in a form that compares equal despite case and spaces."""
    parts = []
    for part in name.split(","):
        key, _, value = part.partition("=")
        parts.append(f"{key.strip().lower()}={value.strip().lower()}")
    return ",".join(parts)


def sha256_of(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest()


def san_names(cert: x509.Certificate) -> list[str]:
    """Return the DNS names and IP addresses of the subjectAltName extension."""
    try:
        san = cert.extensions.get_extension_for_oid(
            ExtensionOID.SUBJECT_ALTERNATIVE_NAME
        ).value
    except x509.ExtensionNotFound:
        return []
    names = list(san.get_values_for_type(x509.DNSName))
    names += [str(address) for address in san.get_values_for_type(x509.IPAddress)]
    return names


def hostname_matches(cert: x509.Certificate, host: str) -> bool:
    """Match `host` against the subjectAltName only, as Chrome does (RFC 6125).

    A wildcard stands for exactly one whole left-most label; the subject's common
    name is ignored.
    """
    host = host.rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for name in san_names(cert):
        if address is not None:
            try:
                if ipaddress.ip_address(name) == address:
                    return True
            except ValueError:
                continue
            continue
        pattern = name.rstrip(".").lower()
        if pattern == host:
            return True
        if pattern.startswith("*.") and "." in host:
            first, rest = host.split(".", 1)
            if first and rest == pattern[2:]:
                return True
    return False


def ca_issuers_url(cert: x509.Certificate) -> str | None:
    """Return the first http:// caIssuers URL of the AIA extension, as Chrome uses."""
    try:
        aia = cert.extensions.get_extension_for_oid(
            ExtensionOID.AUTHORITY_INFORMATION_ACCESS
        ).value
    except x509.ExtensionNotFound:
        return None
    for description in aia:
        if description.access_method != AuthorityInformationAccessOID.CA_ISSUERS:
            continue
        location = description.access_location
        is_uri = isinstance(location, x509.UniformResourceIdentifier)
        if is_uri and location.value.lower().startswith("http://"):
            return location.value
    return None


def top_of_chain(
    leaf: x509.Certificate, intermediates: Sequence[x509.Certificate]
) -> x509.Certificate:
    """Follow issuer names from `leaf` through `intermediates` to the last link."""
    top = leaf
    for _ in range(len(intermediates)):
        if top.subject == top.issuer:
            break
        parent = next(
            (c for c in intermediates if c.subject == top.issuer and c is not top),
            None,
        )
        if parent is None:
            break
        top = parent
    return top


def issuer_missing(top: x509.Certificate, roots: Iterable[x509.Certificate]) -> bool:
    """Return True when neither the chain nor `roots` contains the issuer of `top`."""
    if top.subject == top.issuer:
        return False
    return not any(root.subject == top.issuer for root in roots)


def parse_certificate(body: bytes) -> x509.Certificate | None:
    """Parse an AIA download: DER, PEM or a PKCS #7 bundle (its first certificate)."""
    loaders = (
        x509.load_der_x509_certificate,
        x509.load_pem_x509_certificate,
        lambda data: pkcs7.load_der_pkcs7_certificates(data)[0],
        lambda data: pkcs7.load_pem_pkcs7_certificates(data)[0],
    )
    for load in loaders:
        try:
            return load(body)
        except (ValueError, IndexError):
            continue
    return None


@dataclass
class BrowserTrust:
    """Verification against the browser store, the way Chrome builds a chain.

    `trusted` ignores the host name and the validity dates, which the TLS check
    judges separately, so that a name mismatch is not reported as an unknown root.
    """

    trusted: bool
    path: list[x509.Certificate] = field(default_factory=list)
    error: str = ""

    @property
    def root(self) -> x509.Certificate | None:
        return self.path[-1] if self.path else None


def _verification_name(leaf: x509.Certificate, host: str) -> x509.GeneralName:
    name = host if hostname_matches(leaf, host) else next(iter(san_names(leaf)), host)
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def verify_browser(
    roots: Sequence[x509.Certificate],
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    host: str,
    now: dt.datetime,
) -> BrowserTrust:
    """Verify the chain against `roots` with cryptography's web PKI verifier.

    The verifier checks a name the leaf carries and a time inside the leaf's
    validity, so that only the chain itself decides `trusted`.
    """
    when = min(max(now, leaf.not_valid_before_utc), leaf.not_valid_after_utc)
    verifier = (
        PolicyBuilder()
        .store(Store(list(roots)))
        .time(when)
        .build_server_verifier(_verification_name(leaf, host))
    )
    try:
        path = verifier.verify(leaf, list(intermediates))
    except VerificationError as exc:
        return BrowserTrust(False, [], str(exc))
    return BrowserTrust(True, list(path))


def find_distrusted(
    distrusted: Sequence[DistrustedRoot],
    fingerprints: Iterable[str],
    names: Iterable[str],
) -> DistrustedRoot | None:
    """Return the profile entry whose SHA-256 or subject appears in the chain."""
    fingerprint_set = {value.lower() for value in fingerprints}
    name_set = {normalize_name(value) for value in names}
    for entry in distrusted:
        if entry.sha256 in fingerprint_set:
            return entry
        if normalize_name(entry.subject) in name_set:
            return entry
    return None
