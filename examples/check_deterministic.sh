#!/bin/sh
# Runs a program twice and fails unless it succeeds with the same output
# both times (used by `meson test` on the demo).
set -eu
first=$("$@")
second=$("$@")
if [ "$first" != "$second" ]; then
	echo "output differs between two runs of $*" >&2
	exit 1
fi
printf '%s\n' "$first"
