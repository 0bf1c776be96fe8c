#!/usr/bin/env python3
"""Counts test cases in meson test logs and prints one closing line.

    test-summary.py LABEL [--failed N] TESTLOG.json...

A TAP test (one whose output has a plan line, 1..N) counts each of its
`ok` / `not ok` lines; any other test counts once, by its result. A TAP
test that failed with every line ok (a crash after the last case, a missing
case) counts one extra failure. Prints `LABEL: N passed, N failed, N skipped`.
"""
import json
import re
import sys

TAP_LINE = re.compile(r"^(not )?ok\b(.*)$")
PLAN = re.compile(r"^1\.\.\d+", re.M)


def count(path, totals):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            test = json.loads(line)
            result = test.get("result")
            ok = result in ("OK", "EXPECTEDFAIL")
            out = test.get("stdout") or ""
            if PLAN.search(out):
                before = totals["failed"]
                for tap in out.splitlines():
                    m = TAP_LINE.match(tap)
                    if not m:
                        continue
                    directive = m.group(2).upper()
                    if "# SKIP" in directive:
                        totals["skipped"] += 1
                    elif m.group(1) and "# TODO" not in directive:
                        totals["failed"] += 1
                    else:
                        totals["passed"] += 1
                if not ok and totals["failed"] == before:
                    totals["failed"] += 1
            elif ok:
                totals["passed"] += 1
            elif result == "SKIP":
                totals["skipped"] += 1
            else:
                totals["failed"] += 1


def main():
    label, paths = sys.argv[1], sys.argv[2:]
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    if paths[:1] == ["--failed"]:
        totals["failed"] += int(paths[1])
        paths = paths[2:]
    for path in paths:
        try:
            count(path, totals)
        except FileNotFoundError:
            pass
    print(f"{label}: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")


if __name__ == "__main__":
    main()
