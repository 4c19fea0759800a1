#!/usr/bin/env bash
# Set up a source checkout on Debian or Ubuntu: system packages, then a virtual
# environment in .venv with the project installed in editable mode.
#   installer/setup-dev.sh run    packages for the program and its window
#   installer/setup-dev.sh test   the same plus the lab's servers and tools
set -euo pipefail

mode=${1:-run}
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"

# Qt's xcb platform plugin needs these X11 and GL libraries; the rest is Python.
run_packages=(python3 python3-venv python3-pip libegl1 libgl1 libxkbcommon0
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0
  libxcb-xkb1 libfontconfig1 libdbus-1-3 fonts-dejavu-core)
# The lab: coturn (STUN), dnsmasq (DNS), nftables (firewall, NAT, SIP ALG), iproute2
# (namespaces); xvfb and poppler-utils let the window tests take screenshots and read
# the exported PDF; nmap is the reference for the UDP sweep benchmark.
test_packages=(coturn dnsmasq-base nftables iproute2 xvfb poppler-utils nmap)

packages=("${run_packages[@]}")
if [ "$mode" = test ]; then
  packages+=("${test_packages[@]}")
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing system packages (${missing[*]}) and no apt-get to install them;" \
      "install them with your package manager." >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "setup: run as root to install: ${missing[*]}" >&2
      exit 1
    fi
    sudo="sudo"
  fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  # The coturn package may start a system TURN server; it is disabled again below,
  # because the lab starts its own coturn inside network namespaces.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
  if [[ " ${missing[*]} " == *" coturn "* ]] && command -v systemctl >/dev/null \
    && [ -d /run/systemd/system ]; then
    $sudo systemctl disable --now coturn >/dev/null 2>&1 || true
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: $python is older than Python 3.11; install Python 3.11 or newer" \
    "and set PYTHON=/path/to/python3.11." >&2
  exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi

# Reinstall only when the dependencies changed.
extras=""
[ "$mode" = test ] && extras="[test]"
digest=$(sha256sum "$root/pyproject.toml" | cut -c1-16)
stamp="$venv/.installed-$mode-$digest"
# The test install is a superset of the run install, so it satisfies both.
if [ ! -e "$stamp" ] && [ ! -e "$venv/.installed-test-$digest" ]; then
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -e "$root$extras"
  touch "$stamp"
fi
