#!/usr/bin/env bash
# Set up this checkout and the lab's tools if needed, then run the tests.
# The network lab needs root (network namespaces); arguments go to pytest.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
"$root/installer/setup-dev.sh" test
cd "$root"
exec "$root/.venv/bin/python" -m pytest "$@"
