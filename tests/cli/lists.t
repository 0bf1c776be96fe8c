# customers, subscriptions, invoices and events list, on the state a small
# demo leaves (fakebill demo --save): tables, --json, paging, filters.
# As Stripe, customers on test clocks are listed only with --test-clock.

+ demo --customers 6 --months 2 --seed 7 --save $STATE
= clocks list --state $STATE
= customers list --state $STATE
= customers list --state $STATE --test-clock clock_fake_00001
= customers list --state $STATE --test-clock clock_fake_00002 --json
= customers list --state $STATE --test-clock clock_nope
= customers list --state $STATE --test-clock clock_fake_00003 --email customer0003@example.com
= customers list --state $STATE --test-clock clock_fake_00003 --email nobody@example.com

= subscriptions list --state $STATE
= subscriptions list --state $STATE --status all
= subscriptions list --state $STATE --test-clock clock_fake_00001
= subscriptions list --state $STATE --test-clock clock_fake_00002
= subscriptions list --state $STATE --test-clock clock_fake_00002 --status all --json
= subscriptions list --state $STATE --test-clock clock_nope
= subscriptions list --state $STATE --customer cus_fake_00004 --status all
= subscriptions list --state $STATE --status ended --limit 2
= subscriptions list --state $STATE --status bogus

= invoices list --state $STATE --limit 5
= invoices list --state $STATE --limit 5 --starting-after in_fake_00010
= invoices list --state $STATE --customer cus_fake_00001
= invoices list --state $STATE --customer cus_fake_00001 --limit 1 --json
= invoices list --state $STATE --status open
= invoices list --state $STATE --status void --limit 2
= invoices list --state $STATE --subscription sub_nope

= events list --state $STATE --limit 8
= events list --state $STATE --type invoice.paid --limit 3
= events list --state $STATE --type "customer.subscription.*" --limit 4 --ending-before evt_fake_00020
= events list --state $STATE --limit 1 --json
= events list --state $STATE --limit 3 --starting-after evt_nope
