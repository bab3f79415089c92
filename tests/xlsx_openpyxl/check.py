"""Reads a workbook paydeck wrote (tests/recon_export.rs, a_workbook_for_openpyxl)
with openpyxl and checks what a spreadsheet user would see: the sheets, that money
is numbers in its currency's format, that guarded text is text with its apostrophe,
and that the clearing journal balances and pays each payout its amount."""

import sys
from collections import defaultdict
from decimal import Decimal

import openpyxl

# ISO 4217 minor units where they are not 2, written out here so that the check
# does not take them from paydeck.
ZERO = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()
THREE = "BHD IQD JOD KWD LYD OMR TND".split()
FOUR = "CLF UYW".split()
FORMAT = {0: "0", 2: "0.00", 3: "0.000", 4: "0.0000"}


def exponent_of(currency):
    return 0 if currency in ZERO else 3 if currency in THREE else 4 if currency in FOUR else 2


def fail(message):
    print(f"openpyxl check: FAILED: {message}")
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def money(cell, currency):
    """A money cell as an exact Decimal: a number, in its currency's format."""
    if cell.value is None:
        return Decimal(0)
    check(cell.data_type == "n" and isinstance(cell.value, (int, float)),
          f"{cell.coordinate} is {cell.value!r} ({cell.data_type}), not a number")
    exponent = exponent_of(currency)
    check(cell.number_format == FORMAT[exponent],
          f"{cell.coordinate}: format {cell.number_format!r} for {currency}")
    # A float read from the exact decimal text: its shortest repr is that text.
    return Decimal(repr(cell.value)).quantize(Decimal(1).scaleb(-exponent))


def text(cell):
    check(cell.data_type == "s" and isinstance(cell.value, str),
          f"{cell.coordinate} is {cell.value!r} ({cell.data_type}), not text")
    return cell.value


def main(path):
    book = openpyxl.load_workbook(path)
    check(book.sheetnames == ["Journal", "Payouts", "Guard"], f"sheets {book.sheetnames}")

    payouts = {}
    for row in book["Payouts"].iter_rows(min_row=2):
        currency = text(row[2])
        payouts[text(row[0])] = (money(row[1], currency), currency)
    check(payouts, "no payouts")

    journal = book["Journal"]
    header = [c.value for c in journal[1]]
    check(header == ["date", "profile", "payout", "account", "debit", "credit", "currency", "memo"],
          f"journal header {header}")
    sides = defaultdict(lambda: [Decimal(0), Decimal(0)])
    by_account = defaultdict(Decimal)
    rows = 0
    for row in journal.iter_rows(min_row=2):
        rows += 1
        date, _profile, payout, account, debit, credit, currency, _memo = row
        currency = text(currency)
        d, c = money(debit, currency), money(credit, currency)
        check((d == 0) != (c == 0), f"row {debit.row}: one side each")
        check(len(text(date)) == 10, f"{date.coordinate}: an ISO date")
        key = (text(payout), currency)
        sides[key][0] += d
        sides[key][1] += c
        by_account[(text(payout), text(account))] += d - c
    for key, (d, c) in sides.items():
        check(d == c, f"{key}: debits {d} but credits {c}")
    totals = defaultdict(Decimal)
    for payout, (amount, currency) in payouts.items():
        check(by_account[(payout, "Gateway clearing")] == 0, f"{payout}: clearing does not clear")
        check(by_account[(payout, "Bank")] == amount,
              f"{payout}: the bank got {by_account[(payout, 'Bank')]}, the payout is {amount}")
        check(by_account[(payout, "Suspense")] == 0, f"{payout}: suspense")
        totals[currency] += amount

    guard = book["Guard"]
    expected = ["'=1+1", "'+SUM(A1:A2)", "'-2+3", "'@cmd", "'\t=1", "'\r=1", 'plain <&> "text"']
    found = [text(row[0]) for row in guard.iter_rows(min_row=2)]
    check(found == expected, f"guarded texts {found!r}")
    numbers = [(money(row[1], text(row[2])), text(row[2])) for row in guard.iter_rows(min_row=2)]
    check(numbers[:3] == [(Decimal("-12.50"), "AUD"), (Decimal("1200"), "JPY"), (Decimal("1.250"), "KWD")],
          f"guard amounts {numbers[:3]}")
    counts = [guard.cell(row=r, column=4) for r in (2, 3, 4)]
    check([c.value for c in counts] == [-3, 0, 42] and all(c.data_type == "n" for c in counts),
          "counts are numbers")
    check(text(guard["E2"]) == "2026-11-30", "dates are ISO text")
    for row in guard.iter_rows():
        for cell in row:
            check(not (isinstance(cell.value, str) and cell.value.startswith("=")),
                  f"{cell.coordinate} would run as a formula")

    paid = ", ".join(f"{currency} {amount}" for currency, amount in sorted(totals.items()))
    print(f"openpyxl check: ok, {rows} journal rows over {len(payouts)} payouts balance and clear; "
          f"the bank gets {paid}; {len(expected) - 1} guarded texts are text, "
          f"{len(numbers)} amounts and 3 counts are numbers")


if __name__ == "__main__":
    main(sys.argv[1])
