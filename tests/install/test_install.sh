#!/usr/bin/env bash
# Install test, run by `meson test` (TAP):
#   test_install.sh BUILD_DIR CONSUMER_C [B_SANITIZE]
# Installs the build into a temporary DESTDIR with `meson install`, builds
# CONSUMER_C with the flags `pkg-config --cflags --libs libfake` gives for
# that installation, and runs it against the installed shared library.
# Environment: CC (default cc), PKG_CONFIG (default pkg-config).
set -uo pipefail

build_dir=$1
consumer=$2
sanitize=${3:-none}
cc=${CC:-cc}
pkg_config=${PKG_CONFIG:-pkg-config}

dest=$(mktemp -d "${TMPDIR:-/tmp}/libfake-install.XXXXXX") || exit 1
trap 'rm -rf "$dest"' EXIT

echo "1..4"

if meson install -C "$build_dir" --destdir "$dest" --no-rebuild --quiet >"$dest.log" 2>&1; then
	echo "ok 1 - meson install into a DESTDIR"
else
	echo "not ok 1 - meson install into a DESTDIR"
	sed 's/^/# /' "$dest.log"
	rm -f "$dest.log"
	exit 1
fi
rm -f "$dest.log"

pc=$(find "$dest" -name libfake.pc -path '*/pkgconfig/*' | head -n 1)
if [[ -n $pc ]] && find "$dest" -path '*/include/fake/fake.h' | grep -q .; then
	echo "ok 2 - libfake.pc and <fake/fake.h> installed (${pc#"$dest"})"
else
	echo "not ok 2 - libfake.pc and <fake/fake.h> installed"
	find "$dest" | sed 's/^/# /'
	exit 1
fi

# Flags from the installed .pc, with every path moved under DESTDIR. System
# directories are kept in the output, since under DESTDIR they are not system
# directories any more.
export PKG_CONFIG_PATH=${pc%/*}
export PKG_CONFIG_LIBDIR=${pc%/*}:$("$pkg_config" --variable pc_path pkg-config)
export PKG_CONFIG_SYSROOT_DIR=$dest
export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
if ! flags=$("$pkg_config" --cflags --libs libfake 2>&1); then
	echo "not ok 3 - consumer builds with pkg-config"
	echo "# pkg-config: $flags"
	sed 's/^/# /' "$pc"
	exit 1
fi
read -r -a flag_array <<<"$flags"
read -r -a cc_array <<<"$cc"
san_flags=()
if [[ $sanitize != none && -n $sanitize ]]; then
	san_flags=("-fsanitize=$sanitize")
fi
if out=$("${cc_array[@]}" -std=c99 -Wall -Werror "${san_flags[@]}" -o "$dest/consumer" "$consumer" \
	"${flag_array[@]}" 2>&1); then
	echo "ok 3 - consumer builds with pkg-config ($flags)"
else
	echo "not ok 3 - consumer builds with pkg-config ($flags)"
	sed 's/^/# /' <<<"$out"
	sed 's/^/# /' "$pc"
	exit 1
fi

# pkgconf applies the sysroot to --variable too; pkg-config may not.
libdir=$("$pkg_config" --variable=libdir libfake)
[[ $libdir == "$dest"/* ]] || libdir=$dest$libdir
if out=$(LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$dest/consumer" 2>&1); then
	echo "ok 4 - consumer runs against the installed library: $out"
else
	echo "not ok 4 - consumer runs against the installed library"
	sed 's/^/# /' <<<"$out"
	exit 1
fi
