"""Time the RTP range sweep in the media lab, beside nmap on the same path.

Measures, from the agent namespace to the responder on 198.51.100.20:
1. the full 10,001-port sweep with the responder answering, and
   `nmap -sU --data-length 16 -p10000-20000` on the same path;
2. the full sweep with every RTP port silently dropped by the router;
3. the default 64-port sample with the responder answering.
Sweep times are the check's own `elapsed_s` evidence (the sweep alone) and its
`duration_s` (the whole check, the responder presence probe included). Needs root.

    sudo .venv/bin/python -m bench.rtp_sweep [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from tests.lab.netns import in_netns
from tests.media_lab.medialab import INSTANCE_IP, MediaLab, checks_by_id, write_profile


def sweep_times(lab: MediaLab, profile: Path) -> tuple[float, float, str, dict]:
    check = checks_by_id(lab.run_product(profile))["rtp-range"]
    return (
        check["evidence"]["elapsed_s"],
        check["duration_s"],
        check["status"],
        check["evidence"]["counts"],
    )


def nmap_seconds(lab: MediaLab) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        in_netns(
            lab.topology.agent,
            "nmap",
            "-n",
            "-Pn",
            "-sU",
            "--data-length",
            "16",
            "-p10000-20000",
            INSTANCE_IP,
        ),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    wall = time.perf_counter() - started
    scanned = re.search(r"scanned in ([\d.]+) seconds", result.stdout)
    opened = len(re.findall(r"^\d+/udp\s+open\s", result.stdout, re.MULTILINE))
    return (float(scanned.group(1)) if scanned else wall), f"{opened} ports open"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="rtp-bench-"))
    lab = MediaLab(f"ucb{os.getpid() % 100000}", folder)
    rows: list[str] = []
    try:
        lab.start()
        full = write_profile(folder / "full.toml", ["rtp-range"], rtp_mode="full")
        sample = write_profile(folder / "sample.toml", ["rtp-range"])

        healthy = [sweep_times(lab, full) for _ in range(args.runs)]
        nmap = [nmap_seconds(lab) for _ in range(args.runs)]
        sample_runs = [sweep_times(lab, sample) for _ in range(args.runs)]
        lab.set_firewall(["udp dport 10000-20000 drop"])
        dropped = [sweep_times(lab, full) for _ in range(args.runs)]
        lab.set_firewall([])

        sweep_median = statistics.median(run[0] for run in healthy)
        nmap_median = statistics.median(run[0] for run in nmap)
        rows.append(
            f"| full sweep, responder answers | {sweep_median:.3f} s sweep, "
            f"{statistics.median(r[1] for r in healthy):.3f} s check | "
            f"{healthy[0][2]} {healthy[0][3]} |"
        )
        rows.append(
            f"| nmap -sU --data-length 16, same path | {nmap_median:.3f} s | "
            f"{nmap[0][1]} |"
        )
        rows.append(
            f"| ratio sweep / nmap | {sweep_median / nmap_median:.2f} | "
            "target at most 2 |"
        )
        rows.append(
            f"| full sweep, all RTP silently dropped | "
            f"{statistics.median(r[0] for r in dropped):.3f} s sweep, "
            f"{statistics.median(r[1] for r in dropped):.3f} s check | "
            f"{dropped[0][2]} {dropped[0][3]}, target 5 s |"
        )
        rows.append(
            f"| default sample (64 ports at 100/s) | "
            f"{statistics.median(r[0] for r in sample_runs):.3f} s sweep, "
            f"{statistics.median(r[1] for r in sample_runs):.3f} s check | "
            f"{sample_runs[0][2]} {sample_runs[0][3]}, target 1 s |"
        )
    finally:
        lab.stop()

    print(
        f"Median of {args.runs} runs; {platform.platform()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}."
    )
    print("| measurement | time | result |")
    print("|---|---|---|")
    for row in rows:
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
