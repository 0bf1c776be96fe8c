#!/usr/bin/env python3
"""Golden tests of the fakebill command line (suite 'cli'), as TAP.

    run.py FAKEBILL GROUP [--update]

Runs tests/cli/GROUP.t, a script of command lines, in a fresh temporary
directory, and compares what each command printed (stdout, stderr) and its
exit status with tests/cli/GROUP.expected. --update rewrites the expected
file from this run (review the diff before keeping it). The group 'demo'
also runs the demo's own checks (determinism, JSON, seeds) below.

Script lines (blank lines and lines starting with '#' are skipped):

    $ ARGS     run `fakebill ARGS` and record it
    = ARGS     the same, and the state file must come out byte-identical
    + ARGS     set-up: run it, it must exit 0, nothing is recorded
    ! WORDS    a built-in step, recorded:
                 write PATH TEXT   write TEXT (Python escapes: \\n) to PATH
                 head SRC DST N    copy the first N bytes of SRC to DST
                 cp SRC DST        copy a file
                 exists PATH       record whether PATH exists

ARGS are split as a POSIX shell would (shlex); $STATE is the group's state
file (absent at the start) and $TMP the temporary directory. Whatever a
command names with --state or --save is its state file: after every command
that exits non-zero (and after every '=' command) that file must be exactly
as it was before, or as absent as it was; the transcript records the check.
The temporary directory's path is written as $TMP in the transcript.
"""
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def digest(path):
    """The file's SHA-256, or None when it does not exist."""
    try:
        with open(path, 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        return 'directory'


def state_file(args):
    for i, a in enumerate(args):
        for opt in ('--state', '--save'):
            if a == opt and i + 1 < len(args):
                return args[i + 1]
            if a.startswith(opt + '='):
                return a[len(opt) + 1:]
    return None


class Run:
    def __init__(self, fakebill, tmp):
        self.fakebill = fakebill
        self.tmp = tmp
        self.vars = {'STATE': os.path.join(tmp, 'state.json'), 'TMP': tmp}
        self.env = dict(os.environ, LC_ALL='C')

    def expand(self, word):
        for name, value in self.vars.items():
            word = word.replace('$' + name, value)
        return word

    def fakebill_run(self, args):
        return subprocess.run([self.fakebill] + args, capture_output=True, env=self.env, timeout=60,
                              stdin=subprocess.DEVNULL)

    def hide_tmp(self, text):
        return text.replace(self.tmp, '$TMP')

    def command(self, kind, rest):
        """Runs one command line; returns (block, problem)."""
        args = [self.expand(w) for w in shlex.split(rest)]
        state = state_file(args)
        before = digest(state) if state else None
        p = self.fakebill_run(args)
        after = digest(state) if state else None
        out = p.stdout.decode('utf-8', 'replace')
        err = p.stderr.decode('utf-8', 'replace')
        if kind == '+':
            if p.returncode != 0:
                return None, 'set-up step failed (exit %d): %s\n%s%s' % (p.returncode, rest, out, err)
            return None, None
        lines = [('%s fakebill %s' % (kind, rest)).rstrip()]
        if out:
            lines += self.hide_tmp(out).rstrip('\n').split('\n')
            if not out.endswith('\n'):
                lines.append('(no newline at the end of stdout)')
        for line in self.hide_tmp(err).rstrip('\n').split('\n') if err else []:
            lines.append('2> ' + line)
        status = '[exit %d' % p.returncode
        problem = None
        if state and (p.returncode != 0 or kind == '='):
            if before == after:
                status += '; state unchanged'
            else:
                status += '; STATE CHANGED'
                problem = 'the state file changed'
        lines.append(status + ']')
        return '\n'.join(lines), problem

    def builtin(self, rest):
        words = [self.expand(w) for w in shlex.split(rest)]
        op = words[0]
        if op == 'write':
            with open(words[1], 'wb') as f:
                f.write(words[2].encode('utf-8').decode('unicode_escape').encode('latin-1'))
        elif op == 'head':
            with open(words[1], 'rb') as f:
                data = f.read(int(words[3]))
            with open(words[2], 'wb') as f:
                f.write(data)
        elif op == 'cp':
            shutil.copyfile(words[1], words[2])
        elif op == 'exists':
            return '! %s\n%s' % (rest, 'exists' if os.path.exists(words[1]) else 'absent')
        else:
            raise SystemExit('unknown built-in step: ' + rest)
        return '! ' + rest


def split_blocks(text):
    """The blocks of a transcript: each ends with its '[exit' line or is one built-in step."""
    blocks, cur = [], []
    for line in text.split('\n'):
        if not cur and not line:
            continue
        cur.append(line)
        if line.startswith('[exit ') or (cur[0].startswith('! ') and
                                          (not cur[0].startswith('! exists') or len(cur) == 2)):
            blocks.append('\n'.join(cur))
            cur = []
    if cur:
        blocks.append('\n'.join(cur))
    return blocks


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, name, detail=''):
        self.n += 1
        self.failed += not ok
        print('%s %d - %s' % ('ok' if ok else 'not ok', self.n, name))
        if not ok and detail:
            for line in detail.rstrip('\n').split('\n'):
                print('# ' + line)
        sys.stdout.flush()


def run_script(fakebill, group, update, tap):
    script = os.path.join(HERE, group + '.t')
    expected_path = os.path.join(HERE, group + '.expected')
    if not os.path.exists(script):
        return
    with tempfile.TemporaryDirectory(prefix='fakebill-cli-') as tmp:
        r = Run(fakebill, tmp)
        blocks = []
        with open(script, encoding='utf-8') as f:
            for lineno, line in enumerate(f, 1):
                line = line.rstrip('\n')
                if not line.strip() or line.startswith('#'):
                    continue
                kind, rest = line[0], line[2:]
                if kind == '!':
                    blocks.append((lineno, r.builtin(rest), None))
                elif kind in '$=+':
                    block, problem = r.command(kind, rest)
                    if block is not None or problem:
                        blocks.append((lineno, block, problem))
                else:
                    raise SystemExit('%s:%d: a line starts with $, =, +, ! or #' % (script, lineno))
    actual = '\n\n'.join(b for _, b, _ in blocks if b is not None) + '\n'
    if update:
        with open(expected_path, 'w', encoding='utf-8') as f:
            f.write(actual)
    try:
        with open(expected_path, encoding='utf-8') as f:
            expected = split_blocks(f.read())
    except FileNotFoundError:
        expected = []
    i = 0
    for lineno, block, problem in blocks:
        name = '%s.t:%d' % (group, lineno)
        if block is None:
            tap.result(False, name, problem)
            continue
        want = expected[i] if i < len(expected) else '(missing from %s.expected)' % group
        i += 1
        first = block.split('\n', 1)[0]
        if block != want:
            tap.result(False, '%s %s' % (name, first),
                       'expected:\n' + want + '\nactual:\n' + block)
        elif problem:
            tap.result(False, '%s %s' % (name, first), problem)
        else:
            tap.result(True, '%s %s' % (name, first))
    if i < len(expected):
        tap.result(False, '%s.expected has %d more block(s) than the script' % (group, len(expected) - i))


def demo_checks(fakebill, tap):
    env = dict(os.environ, LC_ALL='C')

    def demo(*args):
        return subprocess.run([fakebill, 'demo'] + list(args), capture_output=True, env=env, timeout=60,
                              stdin=subprocess.DEVNULL)

    a, b = demo(), demo()
    tap.result(a.returncode == 0 and not a.stderr, 'demo: the default run exits 0, nothing on stderr',
               a.stderr.decode())
    tap.result(a.stdout == b.stdout and a.stdout, 'demo: two default runs print the same bytes')
    n = a.stdout.count(b'\n')
    tap.result(40 <= n <= 120, 'demo: the default output is 40 to 120 lines (%d)' % n)
    s1 = demo('--seed', '1')
    tap.result(s1.stdout == a.stdout, 'demo: --seed 1 is the default')
    s2 = demo('--seed', '2')
    tap.result(s2.returncode == 0 and s2.stdout != a.stdout, 'demo: --seed 2 changes the output')

    j1, j2 = demo('--json'), demo('--json')
    tap.result(j1.returncode == 0 and j1.stdout == j2.stdout, 'demo: --json twice, the same bytes')
    try:
        doc = json.loads(j1.stdout)
    except ValueError as e:
        tap.result(False, 'demo: --json parses', str(e))
        return
    tap.result(True, 'demo: --json parses')
    tl = doc['timeline']
    checks = [
        ('the options are echoed', (doc['seed'], doc['customers'], doc['months']) == (1, 200, 12)),
        ('10 test clocks', doc['test_clocks'] == 10),
        ('one timeline entry per month', len(tl) == 12 and tl[0]['month'] == '2026-01'
         and tl[-1]['month'] == '2026-12'),
        ('every customer signed up once', sum(m['signups'] for m in tl) == 200),
        ('subscriptions by status add up to the customers', sum(doc['subscriptions'].values()) == 200),
        ('revenue by month adds up to the total',
         sum(m['amount_paid'] for m in doc['revenue']['by_month']) == doc['revenue']['total']),
        ('the event log and the invoices agree on revenue',
         sum(m['revenue'] for m in tl) == doc['revenue']['total']),
        ('dunning churn is the canceled after failed payments',
         doc['churn']['dunning'] == sum(m['canceled_dunning'] for m in tl)),
        ('canceled subscriptions are dunning plus voluntary',
         doc['subscriptions']['canceled'] == doc['churn']['dunning'] + doc['churn']['voluntary']),
        ('something of each kind happened', all(sum(m[k] for m in tl) > 0 for k in (
            'trials_converted', 'payments_failed', 'recovered', 'canceled_dunning', 'canceled_voluntary',
            'expired_unpaid', 'cards_expired'))),
        ('paid invoices are there', doc['invoices']['paid'] > 0 and doc['revenue']['total'] > 0),
    ]
    for name, ok in checks:
        tap.result(bool(ok), 'demo --json: ' + name)
    text_total = [l for l in a.stdout.decode().split('\n') if l.strip().startswith('revenue ')]
    want = '{:,}.{:02d} USD'.format(doc['revenue']['total'] // 100, doc['revenue']['total'] % 100)
    tap.result(len(text_total) == 1 and text_total[0].endswith(want),
               'demo: the text and the JSON give the same revenue (%s)' % want)
    big = demo('--customers', '2000', '--months', '36', '--json')
    tap.result(big.returncode == 0 and not big.stderr and json.loads(big.stdout)['customers'] == 2000,
               'demo: the largest run (2000 customers, 36 months) works, no progress bar off a terminal')


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    fakebill, group = os.path.abspath(sys.argv[1]), sys.argv[2]
    update = '--update' in sys.argv[3:]
    tap = Tap()
    run_script(fakebill, group, update, tap)
    if group == 'demo':
        demo_checks(fakebill, tap)
    print('1..%d' % tap.n)
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
