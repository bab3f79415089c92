// Drive paydeck's Stripe simulator with the official `stripe` Node library,
// unchanged: the release that pins API version 2026-06-24.dahlia, as the adapter
// does. Only its HTTP client is wrapped, to put the simulator's `/stripe` prefix
// in front of every path (the library takes a host and port but no base path).
//
// Usage: PAYDECK_SIM_STRIPE_URL=http://127.0.0.1:PORT/stripe \
//        PAYDECK_SIM_STRIPE_KEY=sk_test_sim_... node tests/stripe_node/check.js
// Prints `stripe node: ok ...` when every expectation held; exits 1 otherwise.
'use strict';

const assert = require('node:assert/strict');
const lib = require('stripe');

const Stripe = lib.Stripe || lib.default || lib;

async function main() {
  const base = process.env.PAYDECK_SIM_STRIPE_URL;
  const key = process.env.PAYDECK_SIM_STRIPE_KEY;
  if (!base || !key) throw new Error('set PAYDECK_SIM_STRIPE_URL and PAYDECK_SIM_STRIPE_KEY');
  if (key.startsWith('sk_live_')) throw new Error('refusing to run with a live key');
  const url = new URL(base);
  const inner = Stripe.createNodeHttpClient();
  class Prefixed extends Stripe.HttpClient {
    getClientName() {
      return inner.getClientName();
    }
    makeRequest(host, port, path, method, headers, data, protocol, timeout) {
      return inner.makeRequest(host, port, url.pathname + path, method, headers, data, protocol, timeout);
    }
  }
  const stripe = new Stripe(key, {
    host: url.hostname,
    port: url.port,
    protocol: 'http',
    httpClient: new Prefixed(),
    maxNetworkRetries: 0,
  });

  // Every charge, through the library's cursor auto-paging (100 a page).
  const seen = new Set();
  let first = null;
  for await (const ch of stripe.charges.list({ limit: 100 })) {
    assert.equal(ch.object, 'charge');
    assert.ok(!seen.has(ch.id), `duplicate ${ch.id} while paging`);
    seen.add(ch.id);
    first = first || ch;
  }
  assert.ok(seen.size > 100, `only ${seen.size} charges listed`);
  const page = await stripe.charges.list({ limit: 10 });
  assert.equal(page.data.length, 10);
  assert.equal(page.has_more, true);

  const got = await stripe.charges.retrieve(first.id, { expand: ['customer'] });
  assert.equal(got.id, first.id);
  assert.equal(got.amount, first.amount);
  if (first.customer) assert.equal(got.customer.id, first.customer);

  // An authorisation, captured in part; the rest is released.
  let ch = await stripe.charges.create({
    amount: 2000,
    currency: 'aud',
    source: 'tok_visa',
    capture: false,
    description: 'paydeck node check',
  });
  assert.equal(ch.captured, false);
  assert.equal(ch.status, 'succeeded');
  assert.ok(ch.payment_method_details.card.capture_before > 0);
  ch = await stripe.charges.capture(ch.id, { amount: 1500 });
  assert.equal(ch.captured, true);
  assert.equal(ch.amount_captured, 1500);
  assert.equal(ch.amount_refunded, 500);
  assert.equal(ch.refunded, false);

  // A refund of an ordinary test card succeeds at once.
  const re = await stripe.refunds.create({ charge: ch.id, amount: 1000 });
  assert.equal(re.object, 'refund');
  assert.equal(re.amount, 1000);
  assert.equal(re.status, 'succeeded');
  const refunds = await stripe.refunds.list({ charge: ch.id, limit: 10 });
  assert.ok(refunds.data.some((r) => r.id === re.id));

  // A decline: the library throws a StripeCardError with the stored charge.
  let declined = null;
  try {
    await stripe.charges.create({ amount: 900, currency: 'aud', source: 'tok_chargeDeclinedIncorrectCvc' });
  } catch (e) {
    declined = e;
  }
  assert.ok(declined, 'the declined charge did not throw');
  assert.equal(declined.type, 'StripeCardError');
  assert.equal(declined.statusCode, 402);
  assert.equal(declined.code, 'incorrect_cvc');
  assert.equal(declined.decline_code, 'incorrect_cvc');
  assert.equal(declined.param, 'cvc');
  assert.ok(declined.requestId && declined.requestId.startsWith('req_'));
  const failed = await stripe.charges.retrieve(declined.raw.charge);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.outcome.type, 'issuer_declined');

  // Capturing twice is refused with Stripe's error.
  let twice = null;
  try {
    await stripe.charges.capture(ch.id);
  } catch (e) {
    twice = e;
  }
  assert.ok(twice && twice.type === 'StripeInvalidRequestError', String(twice));
  assert.equal(twice.code, 'charge_already_captured');
  // The events feed tells the capture, carrying the charge.
  const captured = await stripe.events.list({ types: ['charge.captured', 'charge.expired'], limit: 100 });
  assert.ok(captured.data.some((e) => e.type === 'charge.captured' && e.data.object.id === ch.id), 'no charge.captured event');

  // Payouts from the settlement books, through async auto-paging; each payout's
  // balance transactions (its own `payout` one nets them to zero), a charge's
  // balance transaction expanded, and the balance.
  const payouts = [];
  for await (const p of stripe.payouts.list({ limit: 3 })) payouts.push(p);
  assert.ok(payouts.length > 0, 'no payouts in the seeded history');
  let expanded = 0;
  for (const listed of payouts.slice(0, 5)) {
    const po = await stripe.payouts.retrieve(listed.id);
    assert.equal(po.amount, listed.amount);
    const txns = [];
    for await (const t of stripe.balanceTransactions.list({ payout: po.id, limit: 100 })) txns.push(t);
    assert.equal(txns.reduce((sum, t) => sum + t.net, 0), 0, `${po.id}: its transactions do not net to zero`);
    const own = txns.filter((t) => t.type === 'payout');
    assert.equal(own.length, 1);
    assert.equal(own[0].net, -po.amount);
    const line = txns.find((t) => t.type === 'charge');
    if (!line) continue;
    const charge = await stripe.charges.retrieve(line.source, { expand: ['balance_transaction'] });
    assert.equal(charge.balance_transaction.id, line.id);
    assert.equal(charge.balance_transaction.net, line.net);
    expanded += 1;
  }
  assert.ok(expanded > 0, 'no payout had a charge line');
  const balance = await stripe.balance.retrieve();
  assert.equal(balance.object, 'balance');
  assert.ok(balance.available.length > 0 && balance.pending.length > 0);

  console.log(`stripe node: ok ${seen.size} charges, ${payouts.length} payouts, api ${Stripe.API_VERSION || 'pinned'}`);
}

main().catch((e) => {
  console.error('stripe node: FAILED', e && e.stack ? e.stack : e);
  process.exit(1);
});
