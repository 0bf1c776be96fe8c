# fakebill demo: small runs as goldens, and its usage errors. run.py checks
# the default run (deterministic, 40 to 120 lines), --json, and --seed.

$ demo --customers 5 --months 2
$ demo --customers 1 --months 1 --seed 3
$ demo --customers 3 --months 2 --json
$ demo --customers=12 --months=3 --seed=42

$ demo --customers 0
$ demo --customers 2001
$ demo --customers -1
$ demo --months 0
$ demo --months 37
$ demo --seed -1
$ demo --seed 9223372036854775808
$ demo --seed x
$ demo extra
$ demo --save ""
$ demo --state x.json
$ demo --json=1

# --save writes the final state: the other commands read it
$ demo --customers 2 --months 1 --save $STATE
= clocks list --state $STATE
