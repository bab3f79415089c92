"""Drive paydeck's Openpay simulator with the official `openpay` Python bindings.

The bindings cannot be pointed at another host by configuration: `get_api_base()` is
hard-wired to Openpay's hosts. This script replaces that one function, from outside,
and leaves the library's code as it is. Usage:

    PAYDECK_SIM_OPENPAY_URL=http://127.0.0.1:PORT/openpay/v1/MERCHANT \
    PAYDECK_SIM_OPENPAY_KEY=sk_... python3 tests/openpay_sdk/check.py

The bindings need an old setuptools to install (see README.md).
"""

import os
import sys

import openpay


def main() -> int:
    url = os.environ["PAYDECK_SIM_OPENPAY_URL"]
    root, merchant = url.split("/openpay/v1/")
    openpay.api_key = os.environ["PAYDECK_SIM_OPENPAY_KEY"]
    openpay.merchant_id = merchant
    openpay.country = "mx"
    openpay.production = False
    openpay.get_api_base = lambda: root + "/openpay"

    listed = openpay.Charge.all(limit=10)
    assert len(listed.data) == 10, listed
    first = openpay.Charge.retrieve_as_merchant(listed.data[0].id)
    assert first.id == listed.data[0].id

    charge = openpay.Charge.create_as_merchant(
        method="card",
        amount="100.00",
        currency="MXN",
        description="paydeck check",
        order_id="paydeck-check-" + os.urandom(4).hex(),
        capture=False,
        device_session_id="paydeck",
        card={
            "card_number": "4111111111111111",
            "holder_name": "Juan Perez",
            "expiration_year": "30",
            "expiration_month": "12",
            "cvv2": "110",
        },
        customer={"name": "Juan", "email": "juan@example.com"},
    )
    assert charge.status == "in_progress", charge
    charge = openpay.Charge.retrieve_as_merchant(charge.id)
    charge.capture(merchant=True, amount="60.00")
    charge = openpay.Charge.retrieve_as_merchant(charge.id)
    assert charge.status == "completed", charge
    charge.refund(merchant=True, amount="10.50", description="paydeck check")
    charge = openpay.Charge.retrieve_as_merchant(charge.id)
    refunded = charge["refund"]["amount"]
    assert str(refunded) in ("10.5", "10.50"), refunded
    print(f"openpay sdk: ok, {charge.id} {charge.status}, refunded {refunded}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
