// Drive paydeck's Openpay simulator with Openpay's Node library `openpay`,
// unchanged. The library builds every URL from `Openpay.SANDBOX_URL` (a public
// property, 'https://sandbox-api.openpay.mx' by default) + '/v1/'; pointing that
// property at the simulator is all this script changes.
//
// Usage: PAYDECK_SIM_OPENPAY_URL=http://127.0.0.1:PORT/openpay/v1/MERCHANT \
//        PAYDECK_SIM_OPENPAY_KEY=sk_... node tests/openpay_node/check.js
// Prints `openpay node: ok ...` when every expectation held; exits 1 otherwise.
'use strict';

const assert = require('node:assert/strict');
const Openpay = require('openpay');

/** The library's callback API as a promise: resolves with the body, or rejects
 * with the error body Openpay sent (and the HTTP status). */
function call(fn, ...args) {
  return new Promise((resolve, reject) => {
    fn(...args, (error, body, res) => {
      if (error) {
        reject(Object.assign(new Error(JSON.stringify(error)), { body: error, status: res && res.statusCode }));
      } else {
        resolve(body);
      }
    });
  });
}

async function main() {
  const url = process.env.PAYDECK_SIM_OPENPAY_URL;
  const key = process.env.PAYDECK_SIM_OPENPAY_KEY;
  if (!url || !key) throw new Error('set PAYDECK_SIM_OPENPAY_URL and PAYDECK_SIM_OPENPAY_KEY');
  const [root, merchant] = url.split('/openpay/v1/');
  Openpay.SANDBOX_URL = `${root}/openpay`;
  const openpay = new Openpay(merchant, key, false);
  const charges = openpay.charges;

  // Every charge, page by page (offset/limit, 100 a page).
  const seen = new Set();
  for (let offset = 0; ; offset += 100) {
    const page = await call(charges.list.bind(charges), { offset, limit: 100 });
    assert.ok(Array.isArray(page));
    for (const c of page) {
      assert.ok(!seen.has(c.id), `duplicate ${c.id} while paging`);
      seen.add(c.id);
    }
    if (page.length < 100) break;
  }
  assert.ok(seen.size >= 400, `only ${seen.size} charges listed`);
  const [firstId] = seen;
  const first = await call(charges.get.bind(charges), firstId);
  assert.equal(first.id, firstId);

  // An authorisation, captured in part, then a partial refund.
  const card = {
    card_number: '4111111111111111',
    holder_name: 'Juan Perez',
    expiration_year: '30',
    expiration_month: '12',
    cvv2: '110',
  };
  const order = `paydeck-node-${process.pid}-${Date.now()}`;
  let ch = await call(charges.create.bind(charges), {
    method: 'card',
    amount: 100,
    currency: 'MXN',
    description: 'paydeck node check',
    order_id: order,
    capture: false,
    device_session_id: 'paydeck',
    card,
    customer: { name: 'Juan', email: 'juan@example.com' },
  });
  assert.equal(ch.status, 'in_progress');
  ch = await call(charges.capture.bind(charges), ch.id, { amount: 60 });
  assert.equal(ch.status, 'completed');
  assert.equal(Number(ch.amount), 60);
  ch = await call(charges.refund.bind(charges), ch.id, { amount: 10.5, description: 'paydeck node check' });
  assert.equal(Number(ch.refund.amount), 10.5);
  const again = await call(charges.get.bind(charges), ch.id);
  assert.equal(Number(again.refund.amount), 10.5);

  // A decline: Openpay's error object, with its numeric code.
  let declined = null;
  try {
    await call(charges.create.bind(charges), {
      method: 'card',
      amount: 50,
      currency: 'MXN',
      description: 'paydeck node decline',
      device_session_id: 'paydeck',
      card: { ...card, card_number: '4000000000000119' },
      customer: { name: 'Juan', email: 'juan@example.com' },
    });
  } catch (e) {
    declined = e;
  }
  assert.ok(declined, 'the declined charge did not fail');
  assert.equal(declined.status, 402);
  assert.equal(declined.body.error_code, 3004);
  assert.equal(declined.body.http_code, 402);
  assert.equal(declined.body.category, 'gateway');
  assert.ok(declined.body.description);
  assert.ok(declined.body.request_id);

  // Payouts (seeded history is paid out day by day): the list, newest first,
  // one read back, and the merchant's balance (the library reaches no report).
  const payouts = openpay.payouts;
  const paid = await call(payouts.list.bind(payouts), { offset: 0, limit: 100 });
  assert.ok(Array.isArray(paid) && paid.length > 0, 'no payouts listed');
  for (const p of paid) {
    assert.equal(p.transaction_type, 'payout');
    assert.equal(p.fee, null);
  }
  const dates = paid.map((p) => p.creation_date);
  assert.deepEqual(dates, [...dates].sort().reverse(), 'payouts newest first');
  const one = await call(payouts.get.bind(payouts), paid[0].id);
  assert.equal(one.id, paid[0].id);
  assert.equal(Number(one.amount), Number(paid[0].amount));
  const merchantObject = await call(openpay.merchant.get.bind(openpay.merchant));
  assert.equal(typeof merchantObject.balance, 'number');

  console.log(`openpay node: ok ${seen.size} charges, ${ch.id} ${ch.status}, refunded ${ch.refund.amount}, ${paid.length} payouts`);
}

main().catch((e) => {
  console.error('openpay node: FAILED', e && e.stack ? e.stack : e);
  process.exit(1);
});
