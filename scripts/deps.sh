# shellcheck shell=bash
# Sourced by scripts/demo.sh and scripts/test.sh (and usable on its own:
# `. scripts/deps.sh && fake_deps_ensure`).
#
# Makes sure the Debian packages libfake's build, tests, demo and CI need are
# installed. It asks dpkg-query which are missing and installs only those
# (apt-get update once, then apt-get install), through sudo when not root.
# When nothing is missing it makes no apt call at all, so it is quick to run
# before every build. Set FAKE_SKIP_DEPS=1 to skip the check entirely (for
# example on a machine that is not Debian).

FAKE_DEPS_PACKAGES=(
	meson ninja-build pkg-config gcc g++
	libcmocka-dev libjansson-dev libssl-dev
	python3 python3-jsonschema python3-stripe
	valgrind
)

# Prints the packages of FAKE_DEPS_PACKAGES that are not installed, one a line.
fake_deps_missing() {
	local installed pkg
	# One dpkg-query call for all of them; unknown packages only go to stderr.
	installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${FAKE_DEPS_PACKAGES[@]}" 2>/dev/null |
		awk '$2 == "installed" { print $1 }') || true
	for pkg in "${FAKE_DEPS_PACKAGES[@]}"; do
		if ! grep -qxF -- "$pkg" <<<"$installed"; then
			printf '%s\n' "$pkg"
		fi
	done
}

# Installs whatever is missing. Returns non-zero when installing failed.
fake_deps_ensure() {
	if [[ ${FAKE_SKIP_DEPS:-0} == 1 ]]; then
		return 0
	fi
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "deps: dpkg-query not found (not Debian?): install by hand: ${FAKE_DEPS_PACKAGES[*]}" >&2
		return 0
	fi

	local missing=()
	mapfile -t missing < <(fake_deps_missing)
	if ((${#missing[@]} == 0)); then
		return 0
	fi

	local sudo=()
	if [[ $(id -u) != 0 ]]; then
		if ! command -v sudo >/dev/null 2>&1; then
			echo "deps: missing ${missing[*]}, and not root and no sudo: install them by hand" >&2
			return 1
		fi
		sudo=(sudo)
	fi

	echo "deps: installing ${missing[*]}" >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null >&2 || return 1
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" </dev/null >&2 || return 1
}
