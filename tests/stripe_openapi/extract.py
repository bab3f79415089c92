#!/usr/bin/env python3
"""Extract the subset of Stripe's API description that tests/stripe_openapi.rs checks
the Stripe dialect against: the charge, refund, dispute, customer, card, payout,
balance transaction and balance objects (and every object nested in them) of API
version 2026-06-24.dahlia, the version the adapter pins (src/gateway/stripe/mod.rs, API_VERSION).

Source: the type declarations of the official Node library `stripe` 22.3.2, the
release whose ApiVersion is 2026-06-24.dahlia; they are generated from Stripe's
OpenAPI description of that version (stripe/openapi, openapi/spec3.json), whose
spec file is too large to be kept here. Per field: optional (`name?:`, i.e. not in
the spec's `required`), nullable (`| null`), its JSON kinds, the nested object it
refers to, and its enum values.

Usage: extract.py [PATH_TO_UNPACKED_stripe_PACKAGE] > tests/stripe_openapi/schema.json
Without a path it runs `npm pack stripe@22.3.2` in a temporary directory.
"""
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

VERSION = "22.3.2"
API_VERSION = "2026-06-24.dahlia"
# (schema name, file, interface) of each root object.
ROOTS = [
    ("charge", "Charges.d.ts", "Charge"),
    ("refund", "Refunds.d.ts", "Refund"),
    ("dispute", "Disputes.d.ts", "Dispute"),
    ("customer", "Customers.d.ts", "Customer"),
    ("card", "Cards.d.ts", "Card"),
    ("payout", "Payouts.d.ts", "Payout"),
    ("balance_transaction", "BalanceTransactions.d.ts", "BalanceTransaction"),
    ("balance", "Balance.d.ts", "Balance"),
]

PROP = re.compile(r"^\s*([a-z_0-9]+)(\?)?: (.+);$")
OPEN = re.compile(r"^\s*(?:export )?(?:declare )?(namespace|interface) ([A-Za-z0-9_]+)(?: extends [^{]+)? \{$")
ALIAS = re.compile(r"^\s*(?:export )?type ([A-Za-z0-9_]+) = (.+);$")


def parse(path):
    """Interfaces and type aliases of one .d.ts file, keyed by dotted path."""
    interfaces, aliases, stack = {}, {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip()
            m = OPEN.match(line)
            if m:
                stack.append((m.group(1), m.group(2)))
                if m.group(1) == "interface":
                    interfaces[".".join(n for _, n in stack)] = {}
                continue
            if line.strip() == "}" and stack:
                stack.pop()
                continue
            if line.strip().startswith(("*", "/*", "/**")):
                continue
            m = ALIAS.match(line)
            if m and stack and all(k == "namespace" for k, _ in stack):
                aliases[".".join([n for _, n in stack] + [m.group(1)])] = m.group(2)
                continue
            m = PROP.match(line)
            if m and stack and stack[-1][0] == "interface":
                interfaces[".".join(n for _, n in stack)][m.group(1)] = (m.group(2) == "?", m.group(3))
    return interfaces, aliases


def literals(text):
    parts = [p.strip() for p in text.split("|")]
    if parts and all(re.fullmatch(r"'[^']*'", p) for p in parts):
        return [p[1:-1] for p in parts]
    return None


def resolve(name, scope, interfaces, aliases):
    """The dotted path `name` means inside `scope` (innermost namespace first)."""
    parts = scope.split(".")
    for i in range(len(parts), -1, -1):
        cand = ".".join(parts[:i] + [name])
        if cand in interfaces or cand in aliases:
            return cand
    return None


def field(optional, text, scope, interfaces, aliases, wanted):
    kinds, ref, enum, nullable = set(), None, None, False
    lits = literals(text)
    if lits is not None:
        return {"optional": optional, "nullable": False, "kinds": ["string"], "ref": None, "enum": lits}
    for part in [p.strip() for p in text.split("|")]:
        if part == "null":
            nullable = True
        elif part in ("string", "OtherString") or re.fullmatch(r"'[^']*'", part):
            kinds.add("string")
        elif part == "number":
            kinds.add("number")
        elif part == "boolean":
            kinds.add("boolean")
        elif part.startswith("Array<") or part.endswith("[]"):
            kinds.add("array")
        elif part.startswith("ApiList<"):
            kinds.add("object")
            item = part.removeprefix("ApiList<").removesuffix(">")
            ref = ref or "list:" + CROSS_FILE.get(item, item)
        elif part.startswith("Stripe.") or re.fullmatch(r"[A-Z][A-Za-z0-9_.]*", part):
            target = resolve(part.removeprefix("Stripe."), scope, interfaces, aliases)
            if target in aliases:
                inner = field(optional, aliases[target], target.rsplit(".", 1)[0], interfaces, aliases, wanted)
                kinds.update(inner["kinds"])
                enum = inner["enum"]
                nullable = nullable or inner["nullable"]
            elif target is not None:
                kinds.add("object")
                ref = ref or target
                wanted.append(target)
            else:
                kinds.add("object")
                ref = ref or CROSS_FILE.get(part.removeprefix("Stripe."))
        else:
            kinds.add("object")
    return {"optional": optional, "nullable": nullable, "kinds": sorted(kinds), "ref": ref, "enum": enum}


# Objects of other files that the roots refer to, by the schema name that
# describes them here (a customer source is, in this dialect, always a card).
CROSS_FILE = {"Address": "Address", "Metadata": "Metadata", "Customer": "Customer",
              "Charge": "Charge", "Refund": "Refund", "Card": "Card", "CustomerSource": "Card"}
# Objects with one optional member per payment method (or destination type).
PER_METHOD = re.compile(r"\.(PaymentMethodDetails|DestinationDetails)$")


def main():
    pkg = sys.argv[1] if len(sys.argv) > 1 else None
    tmp = None
    if pkg is None:
        tmp = tempfile.mkdtemp()
        subprocess.run(["npm", "pack", f"stripe@{VERSION}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        with tarfile.open(os.path.join(tmp, f"stripe-{VERSION}.tgz")) as t:
            t.extractall(tmp, filter="data")
        pkg = os.path.join(tmp, "package")
    cjs = os.path.join(pkg, "cjs")
    with open(os.path.join(cjs, "apiVersion.js"), encoding="utf-8") as f:
        assert f"'{API_VERSION}'" in f.read(), "not the pinned API version"
    out = {"api_version": API_VERSION, "source": f"stripe (npm) {VERSION} type declarations", "objects": {}}
    # Shared objects: Address and Metadata.
    interfaces, aliases = parse(os.path.join(cjs, "shared.d.ts"))
    for name in ("Address",):
        out["objects"][name] = {k: field(o, t, "", interfaces, aliases, [])
                                for k, (o, t) in interfaces[name].items()}
    out["objects"]["Metadata"] = "map of strings"
    for schema, file, root in ROOTS:
        interfaces, aliases = parse(os.path.join(cjs, "resources", file))
        wanted, seen = [root], set()
        while wanted:
            name = wanted.pop()
            if name in seen:
                continue
            seen.add(name)
            fields = {}
            for k, (o, t) in interfaces[name].items():
                # Inside interface X, names resolve from namespace X outwards.
                nested = []
                fields[k] = field(o, t, name, interfaces, aliases, nested)
                # Of the per-payment-method objects only the card's is kept.
                if not (PER_METHOD.search(name) and k not in ("card", "type")):
                    wanted.extend(nested)
            out["objects"][name] = fields
        out["roots"] = out.get("roots", {})
        out["roots"][schema] = root
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
