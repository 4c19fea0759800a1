"""A certificate authority hierarchy generated at test time (cryptography).

Names mirror the public ones they stand for: a public root that plays a browser-trusted
root, an intermediate that plays GeoTrust RSA CA 2018, and an inspection root that only
the "OS store" trusts, as a TLS-inspecting proxy's root would be.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

NOW = dt.datetime.now(dt.UTC)


def name(common_name: str, org: str = "uContact Lab") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "UY"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class Authority:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def subject(self) -> str:
        return self.cert.subject.rfc4514_string()


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _ski(key: ec.EllipticCurvePrivateKey) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(key.public_key())


def make_root(common_name: str, org: str = "uContact Lab") -> Authority:
    key = _key()
    subject = name(common_name, org)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=365))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(_ski(key), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Authority(cert, key)


def make_intermediate(
    parent: Authority, common_name: str, org: str = "uContact Lab"
) -> Authority:
    key = _key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name(common_name, org))
        .issuer_name(parent.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=300))
        .not_valid_after(NOW + dt.timedelta(days=3000))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(_ski(key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(parent.key.public_key()),
            critical=False,
        )
        .sign(parent.key, hashes.SHA256())
    )
    return Authority(cert, key)


@dataclass
class Leaf:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    chain: list[x509.Certificate]  # intermediates the server sends after the leaf

    def write(
        self, folder: Path, stem: str, *, send_chain: bool = True
    ) -> tuple[Path, Path]:
        """Write `stem.pem` (leaf, then the chain unless omitted) and `stem.key`."""
        folder.mkdir(parents=True, exist_ok=True)
        certs = [self.cert] + (self.chain if send_chain else [])
        cert_path = folder / f"{stem}.pem"
        key_path = folder / f"{stem}.key"
        cert_path.write_bytes(
            b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)
        )
        key_path.write_bytes(
            self.key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_path, key_path


def make_leaf(
    issuer: Authority,
    hosts: list[str],
    *,
    aia_url: str | None = None,
    expired: bool = False,
    chain: list[Authority] | None = None,
) -> Leaf:
    """Issue a server certificate for `hosts` (DNS names or IP addresses)."""
    key = _key()
    if expired:
        not_before, not_after = NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=2)
    else:
        not_before, not_after = (
            NOW - dt.timedelta(days=10),
            NOW + dt.timedelta(days=200),
        )
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(hosts[0]))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
            critical=False,
        )
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(_ski(key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    )
    if aia_url:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(aia_url),
                    ),
                ]
            ),
            critical=False,
        )
    cert = builder.sign(issuer.key, hashes.SHA256())
    chain_certs = [a.cert for a in (chain if chain is not None else [issuer])]
    return Leaf(cert, key, chain_certs)


@dataclass
class LabPki:
    public_root: Authority  # plays a browser-trusted public root
    intermediate: Authority  # plays GeoTrust RSA CA 2018 under it
    inspection_root: Authority  # a TLS-inspecting proxy's root, OS store only

    def write_stores(self, folder: Path) -> tuple[Path, Path]:
        """Write `public-roots.pem` (browser store) and `os-store.pem` (OS store)."""
        folder.mkdir(parents=True, exist_ok=True)
        public = folder / "public-roots.pem"
        os_store = folder / "os-store.pem"
        public.write_bytes(self.public_root.pem)
        os_store.write_bytes(self.public_root.pem + self.inspection_root.pem)
        return public, os_store


def make_lab_pki() -> LabPki:
    public_root = make_root("Lab Public Root CA")
    intermediate = make_intermediate(public_root, "Lab RSA CA 2018")
    inspection_root = make_root("Corp Inspection Root", org="Corp Firewall")
    return LabPki(public_root, intermediate, inspection_root)
