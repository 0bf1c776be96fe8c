# fakebill's command line itself: --version, --help on every command and
# subcommand, unknown commands and options, missing --state. No usage error
# creates the state file.

$ --version
$ --help
$ -h
$
$ nope
$ --nope
$ clocks
$ clocks --help
$ clocks nope
$ clocks create --help
$ clocks list --help
$ clocks advance --help
$ clocks delete --help
$ clocks cleanup --help
$ clocks cleanup -h
$ clock --help
$ clock now --help
$ clock advance --help
$ customers --help
$ customers list --help
$ subscriptions list --help
$ invoices list --help
$ events list --help
$ demo --help
$ demo -h

# --help wins over what follows it, not over an unknown option before it
$ clocks cleanup --help --older-than nonsense
$ clocks cleanup --bogus --help

# --state is required and needs a file name
$ clocks list
$ clocks list --state
$ clocks list --state=
$ clock now --state ""
! exists $STATE

# unknown options, stray arguments, bad paging values: exit 2, no state file
$ clocks list --state $STATE --nope
$ clocks list --state $STATE -x
$ clocks list --state $STATE extra
$ clocks list --state $STATE --limit 0
$ clocks list --state $STATE --limit 101
$ clocks list --state $STATE --limit x
$ clocks list --state $STATE --limit=-1
$ clocks list --state $STATE --json=yes
$ customers list --state $STATE --status active
$ events list --state $STATE --limit
! exists $STATE

# GNU long options: --opt=value and --opt value, and unambiguous prefixes
$ clock now --state=$STATE
$ clock now --sta $STATE
! exists $STATE
