#!/usr/bin/env bash
# Set up this checkout if needed, then start uContact Network Check. Without
# arguments the window opens; with no display, pass a command, for example:
#   ./run.sh run --instance acme
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/installer/setup-dev.sh" run
exec "$root/.venv/bin/ucontact-netcheck" "$@"
