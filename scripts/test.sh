#!/usr/bin/env bash
# Builds libfake and runs every test. Works from any directory.
#
#   scripts/test.sh [meson setup options...]
#
# BUILD_DIR   build directory, relative to the repository root (default: build)
# TEST_ARGS   extra arguments for `meson test` (for example a test name: "threads")
#
# Options given on the command line go to `meson setup` the first time, and
# to `meson configure` when the build directory already exists. Installs
# missing Debian packages first (scripts/deps.sh). Exits non-zero when the
# build or any test fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/deps.sh
. scripts/deps.sh
fake_deps_ensure

BUILD_DIR=${BUILD_DIR:-build}
read -r -a test_args <<<"${TEST_ARGS:-}"

if [[ -f $BUILD_DIR/meson-private/coredata.dat ]]; then
	if (($# > 0)); then
		meson configure "$BUILD_DIR" "$@"
	fi
else
	meson setup "$BUILD_DIR" "$@"
fi

# Only this run's results go into the closing line.
rm -f "$BUILD_DIR"/meson-logs/testlog*.json

meson compile -C "$BUILD_DIR"

rc=0
meson test -C "$BUILD_DIR" --print-errorlogs "${test_args[@]}" || rc=$?

# One plain closing line: test cases counted from meson's log of this run.
label=${BUILD_DIR%/}
label=${label##*/}
python3 scripts/test-summary.py "${label:-tests}" "$BUILD_DIR/meson-logs/testlog.json" || true
exit "$rc"
