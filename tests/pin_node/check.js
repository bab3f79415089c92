// Drive paydeck's Pin simulator with `pinjs`, the Pin Payments client on npm.
// Its `setup()` hard-wires Pin's two hosts into a `got.extend({prefixUrl})` call;
// this script wraps `got.extend`, from outside and before loading pinjs, so the
// prefix is the simulator's. The library's code is left as it is.
// pinjs has no call that lists charges, so paging is not exercised here; its
// transfer calls ask for the first page only, and it has no call for the balance.
//
// Usage: PAYDECK_SIM_PIN_URL=http://127.0.0.1:PORT/pin/1 \
//        PAYDECK_SIM_PIN_KEY=pin_sim_... node tests/pin_node/check.js
// Prints `pin node: ok ...` when every expectation held; exits 1 otherwise.
'use strict';

const assert = require('node:assert/strict');
const got = require('got');

const url = process.env.PAYDECK_SIM_PIN_URL;
const key = process.env.PAYDECK_SIM_PIN_KEY;
if (!url || !key) {
  console.error('set PAYDECK_SIM_PIN_URL and PAYDECK_SIM_PIN_KEY');
  process.exit(2);
}
const extend = got.extend.bind(got);
// pinjs asks for paths like `/1/charges`; the simulator serves Pin at `/pin/1/`.
got.extend = (options) => extend({ ...options, prefixUrl: url.replace(/\/1\/?$/, '') });
const pin = require('pinjs').setup({ key, production: false });

/** pinjs's callback API as a promise: the body, or a rejection carrying the
 * HTTP status and Pin's error body. */
function call(method, ...args) {
  return new Promise((resolve, reject) => {
    pin[method](...args, (error, response, body) => {
      if (error) {
        reject(Object.assign(new Error(`${method}: ${error.message}`), { body, status: response && response.statusCode }));
      } else {
        resolve(body);
      }
    });
  });
}

const card = {
  number: '5520000000000000',
  expiry_month: '05',
  expiry_year: String(new Date().getFullYear() + 3),
  cvc: '123',
  name: 'Roland Robot',
  address_line1: '42 Sevenoaks St',
  address_city: 'Lathlain',
  address_postcode: '6454',
  address_state: 'WA',
  address_country: 'Australia',
};

async function main() {
  // An authorisation, captured, then refunded in part.
  const created = await call('createCharge', {
    email: 'roland@pinpayments.com',
    description: 'paydeck pinjs check',
    amount: 400,
    currency: 'AUD',
    ip_address: '203.192.1.172',
    card,
    capture: false,
  });
  const auth = created.response;
  assert.equal(auth.success, true);
  assert.equal(auth.captured, false);
  const captured = (await call('captureCharge', auth.token)).response;
  assert.equal(captured.captured, true);
  assert.equal(captured.amount, 400);
  const refund = (await call('refundCharge', auth.token, { amount: 150 })).response;
  assert.equal(refund.amount, 150);
  assert.equal(refund.charge, auth.token);
  const refunds = await call('retrieveChargeRefunds', auth.token);
  assert.ok(refunds.response.some((r) => r.token === refund.token));
  const again = (await call('retrieveCharge', auth.token)).response;
  assert.equal(again.amount_refunded, 150);

  // A card token, a customer with it, and the customer's cards.
  const token = (await call('createCard', card)).response.token;
  const customer = (await call('createCustomer', { email: 'roland@pinpayments.com', card_token: token })).response;
  assert.ok(customer.token.startsWith('cus_'));
  const cards = await call('retrieveCustomerCards', customer.token);
  assert.equal(cards.response.length, 1);

  // A decline: 400 with Pin's error body.
  let declined = null;
  try {
    await call('createCharge', {
      email: 'roland@pinpayments.com',
      description: 'paydeck pinjs decline',
      amount: 400,
      currency: 'AUD',
      ip_address: '203.192.1.172',
      card: { ...card, number: '4100000000000001' },
    });
  } catch (e) {
    declined = e;
  }
  assert.ok(declined, 'the declined charge did not fail');
  assert.equal(declined.status, 400);
  assert.equal(declined.body.error, 'card_declined');
  assert.ok(declined.body.error_description);
  assert.ok(declined.body.charge_token, JSON.stringify(declined.body));

  // Transfers (Pin's payouts) from the seeded history, and one's line items.
  const transfers = await call('getTransfersList');
  assert.ok(transfers.response.length > 0, 'no transfer in the seeded history');
  assert.equal(transfers.pagination.current, 1);
  const listed = transfers.response[0];
  const transfer = (await call('getTransferDetails', listed.token)).response;
  assert.deepEqual(transfer, listed);
  assert.equal(transfer.amount, transfer.total_credits - transfer.total_debits);
  const lines = await call('getTransferLineItems', transfer.token);
  assert.equal(lines.count, transfer.line_items_count);
  if (lines.response.length === lines.count) {
    const sum = lines.response.reduce((total, line) => total + line.amount, 0);
    assert.equal(sum, transfer.amount, JSON.stringify(lines.response));
  }

  console.log(`pin node: ok ${auth.token} captured and refunded 150, decline ${declined.body.error}, transfer ${transfer.token} of ${lines.count} line items`);
}

main().catch((e) => {
  console.error('pin node: FAILED', e && e.stack ? e.stack : e, e && e.body ? JSON.stringify(e.body) : '');
  process.exit(1);
});
