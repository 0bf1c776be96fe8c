#!/usr/bin/env bash
# Builds libfake and runs the demo program (examples/demo.c), which drives a
# processor and prints what happened. Works from any directory; installs
# missing Debian packages first (scripts/deps.sh). Build directory: build/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
fake_deps_ensure

if [[ ! -f build/meson-private/coredata.dat ]]; then
	meson setup build >&2
fi
meson compile -C build demo >&2
exec build/examples/demo "$@"
