"""Time whole runs of the product (process start to exit) in the network lab.

Scenarios: the healthy lab; a router that drops every forwarded packet, DNS
included; and one that drops everything but DNS, so that every check meets a silent
network and must end by its own timeout. Needs root.

    sudo .venv/bin/python -m bench.run_lab [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.lab.lab import HEALTHY, Lab, Scenario
from tests.lab.netns import in_netns

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = {
    "healthy": HEALTHY,
    "all dropped": Scenario(firewall=("drop",)),
    "all dropped but DNS": Scenario(
        firewall=(
            "ct state established,related accept",
            "udp dport 53 accept",
            "tcp dport 53 accept",
            "drop",
        )
    ),
}


def run_once(lab: Lab) -> tuple[float, int]:
    files = lab.files
    assert files is not None
    command = in_netns(
        lab.agent,
        "env",
        f"SSL_CERT_FILE={files.os_store}",
        f"SSL_CERT_DIR={files.empty_cert_dir}",
        f"PYTHONPATH={ROOT}",
        sys.executable,
        "-m",
        "app",
        "run",
        "--instance",
        "acme",
        "--profile",
        str(files.profile),
        "--public-roots",
        str(files.public_roots),
        "--json",
        os.devnull,
    )
    started = time.perf_counter()
    completed = subprocess.run(
        command, check=False, capture_output=True, timeout=120, cwd=ROOT
    )
    return time.perf_counter() - started, completed.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per scenario")
    args = parser.parse_args()

    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory(prefix="unc-bench-") as folder:
        lab = Lab(f"unb{os.getpid() % 100000}", Path(folder))
        try:
            lab.start()
            for name, scenario in SCENARIOS.items():
                lab.apply(scenario)
                samples = [run_once(lab) for _ in range(args.runs)]
                seconds = [elapsed for elapsed, _ in samples]
                codes = sorted({code for _, code in samples})
                print(
                    f"{name}: median {statistics.median(seconds):.2f} s, "
                    f"min {min(seconds):.2f} s, max {max(seconds):.2f} s, "
                    f"exit codes {codes}, runs {args.runs}"
                )
        finally:
            lab.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
