#!/usr/bin/python3
"""Checks a libfake webhook signature with the official Stripe SDK.

usage: webhook_sdk.py FILE SECRET
FILE holds the payload on its first line and the Stripe-Signature header on
its second. Exit 0 when stripe.Webhook.construct_event accepts it, 1 when
it raises SignatureVerificationError, 2 on any other problem. tolerance is
None: libfake signs with processor time, not the real time the SDK reads.
"""
import sys

import stripe

try:
    with open(sys.argv[1], encoding="utf-8") as f:
        payload, header = f.read().split("\n")[:2]
    stripe.Webhook.construct_event(payload, header, sys.argv[2], tolerance=None)
except stripe.error.SignatureVerificationError:
    sys.exit(1)
except Exception as e:  # noqa: BLE001 - any other failure is a broken check
    print(f"webhook_sdk.py: {e}", file=sys.stderr)
    sys.exit(2)
sys.exit(0)
