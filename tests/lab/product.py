"""Run the product as a whole process in the agent namespace and read its JSON report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.lab.lab import Lab
from tests.lab.netns import in_netns

REPO = Path(__file__).resolve().parents[2]
PRODUCT_TIMEOUT_S = 60


def run_product(lab: Lab, *args: str) -> tuple[int, dict[str, Any], str, str]:
    """Run `app run --instance acme` on the lab profile; return code, report, output.

    The OS store is exactly os-store.pem: SSL_CERT_DIR points at an empty folder so
    the machine's own CA folder does not add roots.
    """
    assert lab.files is not None
    command = in_netns(
        lab.agent,
        "env",
        f"SSL_CERT_FILE={lab.files.os_store}",
        f"SSL_CERT_DIR={lab.files.empty_cert_dir}",
        sys.executable,
        "-m",
        "app",
        "run",
        "--instance",
        "acme",
        "--profile",
        str(lab.files.profile),
        "--public-roots",
        str(lab.files.public_roots),
        "--json",
        "-",
        *args,
    )
    result = subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=PRODUCT_TIMEOUT_S,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(
            f"the product's stdout is not a JSON report ({exc}); exit code "
            f"{result.returncode}\nstdout:\n{result.stdout[-3000:]}\n"
            f"stderr:\n{result.stderr[-3000:]}"
        ) from None
    return result.returncode, report, result.stdout, result.stderr


def checks_by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["id"]: check for check in report["checks"]}
