#!/usr/bin/env bash
# Builds libfake and its command line tool, fakebill, and runs `fakebill
# demo`: a simulated SaaS on test clocks (200 customers, 12 months),
# printed month by month with a summary (docs/cli.md). Arguments go to the
# demo: scripts/demo.sh --customers 50 --months 6 --seed 7 (or --json).
# Works from any directory; installs missing Debian packages first
# (scripts/deps.sh). Build directory: build/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
fake_deps_ensure

if [[ ! -f build/meson-private/coredata.dat ]]; then
	meson setup build >&2
fi
meson compile -C build fakebill >&2
exec build/tools/fakebill demo "$@"
