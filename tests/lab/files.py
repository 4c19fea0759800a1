"""Files the lab writes at test time: PKI (from tests/pki.py) and the lab profile."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

from tests.lab import netns
from tests.pki import make_lab_pki, make_leaf

AIA_URL = "http://cacerts.geotrust.test/LabRSACA2018.crt"
ACME_HOST = "acme.ucontact.test"
# Every HTTPS name and address of the cloud except the instance, on one certificate.
SERVICE_HOSTS = [
    "redirector.gvt1.test",
    "licence.cloudfunctions.test",
    "monitor.ucontact.test",
    "github.test",
    "api.github.test",
    "codeload.github.test",
    *netns.CHROME_IPS,
]
TEMPLATE = Path(__file__).with_name("profile.toml.template")


@dataclass
class LabFiles:
    """Paths of the generated trust stores, certificates and profile."""

    public_roots: Path  # the browser store, for --public-roots
    os_store: Path  # the OS store, for SSL_CERT_FILE
    empty_cert_dir: Path  # for SSL_CERT_DIR, so the OS store is os_store alone
    intermediate_der: Path
    intermediate_subject: str
    certs: dict[str, tuple[Path, Path]]  # certificate option -> (cert, key)
    profile: Path


def write_lab_files(folder: Path) -> LabFiles:
    """Generate the lab PKI and profile under `folder`.

    Certificate options: "acme-full" (leaf and intermediate), "acme-leaf-only" (the
    intermediate omitted, so clients need AIA), "acme-expired", "services" and
    "inspection" (a leaf from Corp Inspection Root, as an intercepting firewall sends).
    """
    pki = make_lab_pki()
    pki_folder = folder / "pki"
    public_roots, os_store = pki.write_stores(pki_folder)
    empty_cert_dir = folder / "empty-cert-dir"
    empty_cert_dir.mkdir(parents=True, exist_ok=True)

    acme = make_leaf(pki.intermediate, [ACME_HOST], aia_url=AIA_URL)
    expired = make_leaf(pki.intermediate, [ACME_HOST], aia_url=AIA_URL, expired=True)
    services = make_leaf(pki.intermediate, SERVICE_HOSTS, aia_url=AIA_URL)
    inspection = make_leaf(pki.inspection_root, [ACME_HOST], chain=[])
    certs = {
        "acme-full": acme.write(pki_folder, "acme-full"),
        "acme-leaf-only": acme.write(pki_folder, "acme-leaf-only", send_chain=False),
        "acme-expired": expired.write(pki_folder, "acme-expired"),
        "services": services.write(pki_folder, "services"),
        "inspection": inspection.write(pki_folder, "inspection"),
    }

    intermediate_der = pki_folder / "LabRSACA2018.crt"
    intermediate_der.write_bytes(pki.intermediate.der)

    profile = folder / "lab-profile.toml"
    profile.write_text(
        Template(TEMPLATE.read_text()).substitute(
            intermediate_subject=pki.intermediate.subject
        )
    )
    return LabFiles(
        public_roots,
        os_store,
        empty_cert_dir,
        intermediate_der,
        pki.intermediate.subject,
        certs,
        profile,
    )
