# clocks cleanup: every combination of --dry-run / --no-dry-run / --yes,
# with and without --name-prefix, with candidates and with none; the
# duration grammar (valid and invalid); deletion only with both
# --no-dry-run and --yes, and the state file untouched otherwise.
#
# The state: three clocks created at 2026-01-01T00:00:00Z (ci_old_a,
# other_old, one without a name), then the processor clock moved 2 hours,
# then ci_new; base.json keeps it so that each deleting run starts over.

+ clocks create --state $STATE --frozen-time 2026-01-01 --name ci_old_a
+ clocks create --state $STATE --frozen-time 2026-01-01 --name other_old
+ clocks create --state $STATE --frozen-time 2026-01-01
+ clock advance --state $STATE --by 2h
+ clocks create --state $STATE --frozen-time 2026-01-01 --name ci_new
! cp $STATE $TMP/base.json
= clocks list --state $STATE
= clock now --state $STATE

# with candidates (the default 1h), without a prefix
= clocks cleanup --state $STATE
= clocks cleanup --state $STATE --dry-run
= clocks cleanup --state $STATE --no-dry-run
= clocks cleanup --state $STATE --yes
$ clocks cleanup --state $STATE --no-dry-run --yes
= clocks list --state $STATE
! cp $TMP/base.json $STATE
= clocks cleanup --state $STATE --dry-run --yes
$ clocks cleanup --state $STATE --yes --no-dry-run
= clocks list --state $STATE
! cp $TMP/base.json $STATE

# with candidates (the default 1h), with --name-prefix ci_
= clocks cleanup --state $STATE --name-prefix ci_
= clocks cleanup --state $STATE --name-prefix ci_ --dry-run
= clocks cleanup --state $STATE --name-prefix ci_ --no-dry-run
= clocks cleanup --state $STATE --name-prefix ci_ --yes
$ clocks cleanup --state $STATE --name-prefix ci_ --no-dry-run --yes
= clocks list --state $STATE
! cp $TMP/base.json $STATE
= clocks cleanup --state $STATE --name-prefix ci_ --dry-run --yes
$ clocks cleanup --state $STATE --name-prefix ci_ --yes --no-dry-run
= clocks list --state $STATE
! cp $TMP/base.json $STATE

# with none (older than 3h), without a prefix
= clocks cleanup --state $STATE --older-than 3h
= clocks cleanup --state $STATE --older-than 3h --dry-run
= clocks cleanup --state $STATE --older-than 3h --no-dry-run
= clocks cleanup --state $STATE --older-than 3h --yes
= clocks cleanup --state $STATE --older-than 3h --no-dry-run --yes
= clocks list --state $STATE
! cp $TMP/base.json $STATE
= clocks cleanup --state $STATE --older-than 3h --dry-run --yes
= clocks cleanup --state $STATE --older-than 3h --yes --no-dry-run
= clocks list --state $STATE
! cp $TMP/base.json $STATE

# with none (older than 3h), with --name-prefix ci_
= clocks cleanup --state $STATE --older-than 3h --name-prefix ci_
= clocks cleanup --state $STATE --older-than 3h --name-prefix ci_ --dry-run
= clocks cleanup --state $STATE --older-than 3h --name-prefix ci_ --no-dry-run
= clocks cleanup --state $STATE --older-than 3h --name-prefix ci_ --yes
= clocks cleanup --state $STATE --older-than 3h --name-prefix ci_ --no-dry-run --yes
= clocks list --state $STATE
! cp $TMP/base.json $STATE
= clocks cleanup --state $STATE --older-than 3h --name-prefix ci_ --dry-run --yes
= clocks cleanup --state $STATE --older-than 3h --name-prefix ci_ --yes --no-dry-run
= clocks list --state $STATE
! cp $TMP/base.json $STATE

# deleting twice: the second run finds nothing
$ clocks cleanup --state $STATE --no-dry-run --yes
$ clocks cleanup --state $STATE --no-dry-run --yes
! cp $TMP/base.json $STATE

# --dry-run and --no-dry-run together: a usage error
= clocks cleanup --state $STATE --dry-run --no-dry-run --yes
= clocks cleanup --state $STATE --no-dry-run --dry-run --yes

# other prefixes: the empty prefix matches every named clock; none matches nothing
= clocks cleanup --state $STATE --name-prefix ""
= clocks cleanup --state $STATE --name-prefix=other --no-dry-run
= clocks cleanup --state $STATE --name-prefix nomatch --no-dry-run --yes

# valid durations, and how the threshold prints (days, else hours, minutes, seconds)
= clocks cleanup --state $STATE --older-than 30s
= clocks cleanup --state $STATE --older-than 30m
= clocks cleanup --state $STATE --older-than 1h
= clocks cleanup --state $STATE --older-than 2h
= clocks cleanup --state $STATE --older-than 24h
= clocks cleanup --state $STATE --older-than 7d
= clocks cleanup --state $STATE --older-than 60m
= clocks cleanup --state $STATE --older-than 0s
= clocks cleanup --state $STATE --older-than 90m
= clocks cleanup --state $STATE --older-than 3600s
= clocks cleanup --state $STATE --older-than 0120m
= clocks cleanup --state $STATE --older-than 7200s
= clocks cleanup --state $STATE --older-than 7201s
= clocks cleanup --state $STATE --older-than 121m
= clocks cleanup --state $STATE --older-than 86400s
= clocks cleanup --state $STATE --older-than 1d
= clocks cleanup --state $STATE --older-than 45s
= clocks cleanup --state $STATE --older-than 106751991167300d
= clocks cleanup --state $STATE --older-than=2h --name-prefix ci_

# invalid durations: exit 2, the reference's message, nothing deleted even with --no-dry-run --yes
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 1h30m
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 1.5h
= clocks cleanup --state $STATE --no-dry-run --yes --older-than -1h
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 1H
= clocks cleanup --state $STATE --no-dry-run --yes --older-than " 1h"
= clocks cleanup --state $STATE --no-dry-run --yes --older-than "1h "
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 1
= clocks cleanup --state $STATE --no-dry-run --yes --older-than ""
= clocks cleanup --state $STATE --no-dry-run --yes --older-than h
= clocks cleanup --state $STATE --no-dry-run --yes --older-than +1h
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 1w
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 1d1
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 0x10s
= clocks cleanup --state $STATE --no-dry-run --yes --older-than １h
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 99999999999999999999d
= clocks cleanup --state $STATE --no-dry-run --yes --older-than 106751991167301d
= clocks cleanup --state $STATE --older-than

# a fresh state: nothing to clean up, and the file is created
! exists $TMP/fresh.json
$ clocks cleanup --state $TMP/fresh.json --no-dry-run --yes
! exists $TMP/fresh.json

# usage errors
= clocks cleanup --state $STATE extra
= clocks cleanup --state $STATE --yes=1
$ clocks cleanup --no-dry-run --yes
