# The state file: created when absent (by a command that succeeds), never
# written by a usage error or a failure, byte-identical after them; a
# corrupt file is an error (exit 1) that names the fault and leaves it.

# absent: a fresh processor; the first command that succeeds writes it
! exists $STATE
$ clocks list --state $STATE
! exists $STATE
= clock now --state $STATE

# a usage error or a failure on an absent file does not create it
$ clock now --state $TMP/never.json --bogus
$ clocks delete --state $TMP/never.json clock_fake_00001
$ clocks advance --state $TMP/never.json clock_fake_00001 --by 1d
! exists $TMP/never.json

# read-only commands leave the file as it is
+ clocks create --state $STATE --frozen-time 2026-01-01 --name keep
= clocks list --state $STATE
= clocks list --state $STATE --json
= clocks cleanup --state $STATE --older-than 0s
= customers list --state $STATE
= events list --state $STATE

# failures leave it byte-identical
$ clocks create --state $STATE --frozen-time 0
$ clocks delete --state $STATE clock_fake_00002
$ clock advance --state $STATE --to 2025-12-31

# corrupt state files: exit 1, the error record (snapshot_invalid, the
# JSON path or the position of the fault), the file untouched
! write $TMP/notjson.json "this is not JSON\n"
$ clocks list --state $TMP/notjson.json
$ clocks create --state $TMP/notjson.json --frozen-time 2026-01-01
! write $TMP/other.json "{\"not\": \"a snapshot\"}\n"
$ clocks list --state $TMP/other.json
$ clocks cleanup --state $TMP/other.json --no-dry-run --yes
! head $STATE $TMP/truncated.json 200
$ clocks list --state $TMP/truncated.json
! write $TMP/empty.json ""
$ clock now --state $TMP/empty.json
! cp $STATE $TMP/copy.json
= clocks list --state $TMP/copy.json

# a file that cannot be read, and one that cannot be written: exit 1,
# nothing printed on stdout, nothing changed
$ clocks list --state $TMP
$ clocks create --state $TMP/no/such/dir/state.json --frozen-time 2026-01-01
! exists $TMP/no
