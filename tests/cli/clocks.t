# clocks create, list, advance and delete (tables and --json), the time
# grammar, unknown ids, advancing backwards; clock now and clock advance.

# create: the time as YYYY-MM-DD, unix seconds, YYYY-MM-DDTHH:MM:SSZ
$ clocks create --state $STATE --frozen-time 2026-01-01 --name first
$ clocks create --state=$STATE --frozen-time=1767225600 --json
$ clocks create --state $STATE --frozen-time 2026-02-03T04:05:06Z --name "with space"
$ clocks create --state $STATE --name leap --frozen-time 2028-02-29T23:59:59Z

# times the CLI cannot read: exit 2
$ clocks create --state $STATE --frozen-time 2026-02-30
$ clocks create --state $STATE --frozen-time 2026-1-1
$ clocks create --state $STATE --frozen-time 2026-01-01T00:00:00
$ clocks create --state $STATE --frozen-time 2026-01-01T24:00:00Z
$ clocks create --state $STATE --frozen-time 1969-12-31
$ clocks create --state $STATE --frozen-time -5
$ clocks create --state $STATE --frozen-time ""
$ clocks create --state $STATE --frozen-time 253402300800
$ clocks create --state $STATE
$ clocks create --state $STATE --frozen-time 2026-01-01 stray

# values libfake refuses: exit 1 with the error record
$ clocks create --state $STATE --frozen-time 0
$ clocks create --state $STATE --frozen-time 2026-01-01 --name xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx

# list: newest first, one page at a time
= clocks list --state $STATE
= clocks list --state $STATE --limit 2
= clocks list --state $STATE --limit 2 --starting-after clock_fake_00003
= clocks list --state $STATE --limit 1 --ending-before clock_fake_00002
= clocks list --state $STATE --json --limit 2
= clocks list --state $STATE --starting-after clock_fake_99999
= clocks list --state $STATE --starting-after clock_fake_00001 --ending-before clock_fake_00002

# advance: --to T or --by DUR, the ID before or after the options
$ clocks advance --state $STATE clock_fake_00001 --to 2026-01-15
$ clocks advance --state $STATE clock_fake_00001 --by 1d --json
$ clocks advance --state $STATE --by 36h clock_fake_00001
$ clocks advance --state $STATE clock_fake_00001 --by=30m

# backwards, to the same time, too far: exit 1
$ clocks advance --state $STATE clock_fake_00001 --to 2026-01-01
$ clocks advance --state $STATE clock_fake_00001 --to 2026-01-17T12:30:00Z
$ clocks advance --state $STATE clock_fake_00001 --by 0s
$ clocks advance --state $STATE clock_fake_00001 --to 2030-01-01

# unknown ids: exit 1
$ clocks advance --state $STATE clock_nope --by 1d
$ clocks advance --state $STATE clock_nope --to 2026-03-01

# usage: exit 2
$ clocks advance --state $STATE clock_fake_00001 --by 1.5h
$ clocks advance --state $STATE clock_fake_00001 --by 1H
$ clocks advance --state $STATE clock_fake_00001 --to yesterday
$ clocks advance --state $STATE clock_fake_00001
$ clocks advance --state $STATE clock_fake_00001 --to 2026-02-01 --by 1d
$ clocks advance --state $STATE --to 2026-02-01
$ clocks advance --state $STATE clock_fake_00001 clock_fake_00002 --by 1d

# delete
$ clocks delete --state $STATE clock_fake_00002
$ clocks delete --state $STATE clock_fake_00002
$ clocks delete --state $STATE clock_fake_00003 --json
$ clocks delete --state $STATE nope
$ clocks delete --state $STATE
$ clocks advance --state $STATE clock_fake_00002 --by 1d
= clocks list --state $STATE

# the processor clock
= clock now --state $STATE
$ clock advance --state $STATE --by 90m
$ clock advance --state $STATE --to 2026-01-01
$ clock advance --state $STATE --to 2026-01-01T01:30:00Z
$ clock advance --state $STATE --to 2026-01-02
$ clock advance --state $STATE
$ clock advance --state $STATE --to 2026-01-03 --by 1d
$ clock advance --state $STATE --by 1w
$ clock advance --state $STATE --by 106751991167300d
$ clock advance --state $STATE --by 99999999999999999999s
= clock now --state $STATE

# a clock is deleted once the processor clock passes its deletes_after (7 days)
$ clock advance --state $STATE --by 7d
= clocks list --state $STATE
= events list --state $STATE --limit 4
