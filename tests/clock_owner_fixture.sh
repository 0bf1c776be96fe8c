#!/bin/sh
# Runs test_clock_owner_fixture (its path is $1), a cmocka group whose tests
# 1 and 3 fail on purpose after creating test clocks through a per-test
# owner, and reports as TAP that cmocka saw exactly those two fail and test
# 2 pass, and that the group teardown verified every clock deleted in
# creation order. The program's own output follows as TAP comments.
out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$1" 2>&1)
status=$?
n=0
check() {
	n=$((n + 1))
	if eval "$2"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
	fi
}
has_line() {
	printf '%s\n' "$out" | grep -qx "$1"
}
echo "1..6"
check "two tests reported failed: exit status 2 (got $status)" '[ "$status" -eq 2 ]'
check "the test that fails after creating clocks is reported as failed" \
	'has_line "not ok 1 - test_owner_fixture_fails_after_creating_clocks"'
check "the passing test is reported as passed" 'has_line "ok 2 - test_owner_fixture_passes"'
check "the test that fails in a helper is reported as failed" \
	'has_line "not ok 3 - test_owner_fixture_fails_in_a_helper"'
check "the group teardown verified every clock deleted in creation order" \
	'has_line "# owner fixture verified: 7 clocks deleted in creation order by 3 teardowns"'
check "no fixture failed" '! printf "%s\n" "$out" | grep -qi "setup failed\|teardown failed\|could not run"'
printf '%s\n' "$out" | sed 's/^/# /'
