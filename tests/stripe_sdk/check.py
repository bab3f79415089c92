"""Drive paydeck's Stripe simulator with the official `stripe` Python SDK.

Usage (see README.md):
    PAYDECK_SIM_STRIPE_URL=http://127.0.0.1:PORT/stripe \
    PAYDECK_SIM_STRIPE_KEY=sk_test_sim_... python3 tests/stripe_sdk/check.py

Exits non-zero on the first failed expectation; prints
`stripe sdk: ok N charges` when everything held.
"""

import os
import sys

import stripe


def main() -> int:
    url = os.environ.get("PAYDECK_SIM_STRIPE_URL")
    key = os.environ.get("PAYDECK_SIM_STRIPE_KEY")
    if not url or not key:
        print("set PAYDECK_SIM_STRIPE_URL and PAYDECK_SIM_STRIPE_KEY", file=sys.stderr)
        return 2
    if key.startswith("sk_live_"):
        print("refusing to run with a live key", file=sys.stderr)
        return 2
    stripe.api_key = key
    stripe.api_base = url
    stripe.max_network_retries = 0

    # Every charge, through the SDK's cursor auto-paging.
    count = 0
    seen = set()
    first = None
    for ch in stripe.Charge.list(limit=100).auto_paging_iter():
        assert ch.object == "charge", ch.object
        assert ch.id not in seen, f"duplicate {ch.id} while paging"
        seen.add(ch.id)
        first = first or ch
        count += 1
    assert count > 0, "no charges listed"

    got = stripe.Charge.retrieve(first.id)
    assert got.id == first.id and got.amount == first.amount, got

    # An authorisation, captured in part; the remainder is released.
    ch = stripe.Charge.create(
        amount=2000,
        currency="aud",
        source="tok_visa",
        capture=False,
        description="paydeck sdk check",
    )
    assert ch.captured is False and ch.status == "succeeded" and ch.paid, ch
    ch = stripe.Charge.capture(ch.id, amount=1500)
    assert ch.captured and ch.amount_captured == 1500, ch
    assert ch.amount_refunded == 500 and not ch.refunded, ch

    # Refund what was captured.
    re = stripe.Refund.create(charge=ch.id)
    assert re.object == "refund" and re.amount == 1500 and re.charge == ch.id, re
    ch = stripe.Charge.retrieve(ch.id)
    assert ch.refunded and ch.amount_refunded == 2000, ch
    # The events feed tells the refund, carrying the charge.
    assert any(e.data.object.id == ch.id for e in stripe.Event.list(type="charge.refunded", limit=100).auto_paging_iter()), "no charge.refunded event"

    # A decline is a CardError naming the stored, failed charge.
    try:
        stripe.Charge.create(amount=1000, currency="aud", source="tok_chargeDeclined")
        raise AssertionError("decline expected")
    except stripe.error.CardError as e:
        assert e.http_status == 402 and e.code == "card_declined", e
        failed = stripe.Charge.retrieve(e.error.charge)
        assert failed.status == "failed", failed

    # Search pages through next_page.
    found = 0
    for _ in stripe.Charge.search(query="status:'succeeded' AND amount>1000", limit=50).auto_paging_iter():
        found += 1
        if found >= 120:
            break
    assert found > 0, "search found nothing"

    # Payouts from the settlement books, through the SDK's auto-paging; each
    # payout's balance transactions (its own `payout` one nets them to zero),
    # one retrieved by id, a charge's balance transaction expanded, the balance.
    payouts = list(stripe.Payout.list(limit=3).auto_paging_iter())
    assert payouts, "no payouts in the seeded history"
    assert all(a.created >= b.created for a, b in zip(payouts, payouts[1:])), "not newest first"
    expanded = 0
    for listed in payouts[:5]:
        po = stripe.Payout.retrieve(listed.id)
        assert po.amount == listed.amount and po.arrival_date >= po.created, po
        txns = list(stripe.BalanceTransaction.list(payout=po.id, limit=100).auto_paging_iter())
        assert sum(t.net for t in txns) == 0, f"{po.id}: its transactions do not net to zero"
        own = [t for t in txns if t.type == "payout"]
        assert len(own) == 1 and own[0].net == -po.amount, own
        assert all(t.amount - t.fee == t.net for t in txns), txns
        line = next((t for t in txns if t.type == "charge"), None)
        if line is None:
            continue
        assert stripe.BalanceTransaction.retrieve(line.id).net == line.net
        ch = stripe.Charge.retrieve(line.source, expand=["balance_transaction"])
        assert ch.balance_transaction.id == line.id and ch.balance_transaction.fee == line.fee, ch
        expanded += 1
    assert expanded > 0, "no payout had a charge line"
    balance = stripe.Balance.retrieve()
    assert balance.object == "balance" and balance.available and balance.pending, balance

    print(f"stripe sdk: ok {count} charges, {len(payouts)} payouts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
