//! The simulator's seed data as a stream of domain charges, for stores of millions:
//! the same per-charge draws as a seeded ledger ([`seeded_charge`]), the same states,
//! reported as a gateway adapter reports them, one charge at a time and never a
//! ledger in memory. Only the customers (a few thousand cards and emails) are held.
//!
//! What differs from a seeded ledger: times are spread evenly over `days` (oldest
//! first) instead of drawn and sorted, and ids come from a stream of their own, so a
//! stream is not the simulator's answer charge for charge; the mix of amounts,
//! currencies, statuses, buyers, refunds and disputes is the same.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::ledger::{AUTHORISATION_WINDOW, Card, ChargeState, IdStyle, Outcome, REFUND_SETTLEMENT};
use super::rng::Rng;
use super::seed_data::{self, Fate, Kind, Market, draw_customer, draw_extra_cards, seeded_charge};
use crate::domain::{CardSummary, Charge, ChargeStatus, Failure, RawJson};
use crate::gateway::card_wire::card_brand;
use crate::money::{Currency, Money};

/// Whose words a stream reports charges in: the adapter it imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamGateway {
    Pin,
}

impl StreamGateway {
    pub const ALL: [StreamGateway; 1] = [StreamGateway::Pin];

    /// `pin`: a profile's `gateway`.
    pub fn name(self) -> &'static str {
        match self {
            StreamGateway::Pin => "pin",
        }
    }

    pub fn from_name(name: &str) -> Option<StreamGateway> {
        StreamGateway::ALL
            .into_iter()
            .find(|g| g.name().eq_ignore_ascii_case(name))
    }

    fn ids(self) -> IdStyle {
        match self {
            StreamGateway::Pin => super::pin::DIALECT.ids,
        }
    }

    fn market(self) -> Market {
        match self {
            StreamGateway::Pin => super::pin::DIALECT.market,
        }
    }
}

/// What to stream: `charges` charges of `seed`, over the `days` before `start`.
#[derive(Clone, Copy, Debug)]
pub struct StreamSeeding {
    pub seed: u64,
    pub charges: u64,
    pub customers: usize,
    pub days: u32,
    pub start: DateTime<Utc>,
    pub gateway: StreamGateway,
}

impl StreamSeeding {
    /// `charges` charges over the 30 days before now, one customer per ten charges
    /// (at most 20,000), in Pin's words.
    pub fn new(seed: u64, charges: u64) -> StreamSeeding {
        StreamSeeding {
            seed,
            charges,
            customers: usize::try_from((charges / 10).min(20_000)).unwrap_or(20_000),
            days: 30,
            start: seed_data::start_instant(),
            gateway: StreamGateway::Pin,
        }
    }

    pub fn stream(&self) -> SeedStream {
        SeedStream::new(*self)
    }
}

/// A returning buyer: what a charge on their primary card carries.
struct Buyer {
    card: Card,
    email: String,
}

/// The charges of a [`StreamSeeding`], oldest first.
pub struct SeedStream {
    seeding: StreamSeeding,
    rng: Rng,
    ids: Rng,
    buyers: Vec<Buyer>,
    next: u64,
}

impl SeedStream {
    fn new(seeding: StreamSeeding) -> SeedStream {
        // The seed's own streams, as a seeded ledger uses them: 2 for the data, 1 for ids.
        let mut rng = Rng::derive(seeding.seed, 2);
        let mut ids = Rng::derive(seeding.seed, 1);
        let id_style = seeding.gateway.ids();
        let buyers = (0..seeding.customers)
            .map(|_| {
                let drawn = draw_customer(&mut rng, seeding.start);
                let _ = draw_extra_cards(&mut rng, &drawn.card.name, seeding.start);
                // Only what a charge reports of the card is kept.
                let card = Card {
                    customer_token: Some(id_style(&mut ids, "cus", drawn.at)),
                    token: id_style(&mut ids, "card", drawn.at),
                    primary: Some(true),
                    name: String::new(),
                    address_line1: String::new(),
                    address_city: String::new(),
                    address_country: String::new(),
                    address_postcode: None,
                    address_state: None,
                    ..drawn.card
                };
                Buyer {
                    card,
                    email: drawn.customer.email,
                }
            })
            .collect();
        SeedStream {
            seeding,
            rng,
            ids,
            buyers,
            next: 0,
        }
    }

    /// The age of the `i`-th charge: the span split evenly, oldest first.
    fn age(&self, i: u64) -> u64 {
        let span = u64::from(self.seeding.days.max(1)) * 86_400;
        let n = self.seeding.charges.max(1);
        let offset = (u128::from(span) * u128::from(2 * i + 1) / u128::from(2 * n)) as u64;
        span.saturating_sub(offset).max(1)
    }

    /// The ledger's charge the `i`-th draws make, in its state at the start, and
    /// whether a refund of it is still pending then.
    fn ledger_charge(&mut self, i: u64) -> (super::ledger::Charge, bool) {
        let start = self.seeding.start;
        let age = self.age(i);
        let at = start - secs(age);
        let buyers = &self.buyers;
        let drawn = seeded_charge(
            &mut self.rng,
            age,
            at,
            buyers.len(),
            |b| buyers.get(b).map(|b| (b.card.clone(), b.email.clone())),
            self.seeding.gateway.market(),
        );
        let id_style = self.seeding.gateway.ids();
        let token = id_style(&mut self.ids, "ch", at);
        let mut card = drawn.request.card;
        if drawn.new_card {
            card.token = id_style(&mut self.ids, "card", at);
        }
        let amount = drawn.request.amount;
        let mut charge = super::ledger::Charge {
            token,
            amount,
            currency: drawn.request.currency,
            description: drawn.request.description,
            email: drawn.request.email,
            ip_address: drawn.request.ip_address,
            created_at: at,
            customer_token: card.customer_token.clone(),
            card,
            state: ChargeState::Captured,
            capture_requested: drawn.request.capture,
            captured_amount: amount,
            captured_at: Some(at),
            refunded_amount: 0,
            released_amount: 0,
            refund_tokens: Vec::new(),
            metadata: drawn.request.metadata,
            active_chargebacks: false,
            session_token: None,
            callback_url: None,
            reference: None,
        };
        let uncaptured = |c: &mut super::ledger::Charge, state: ChargeState| {
            c.state = state;
            c.captured_amount = 0;
            c.captured_at = None;
        };
        match (drawn.kind, drawn.request.outcome) {
            (_, Outcome::Declined { code, message }) => {
                uncaptured(&mut charge, ChargeState::Declined { code, message });
            }
            (Kind::Authenticate, _) | (_, Outcome::Authenticate) => {
                uncaptured(&mut charge, ChargeState::PendingAuthentication);
                charge.session_token = Some(id_style(&mut self.ids, "se", at));
            }
            (Kind::Authorised, _) => {
                let state = if matches!(drawn.fate, Fate::Voided { .. }) {
                    ChargeState::Voided
                } else if at + AUTHORISATION_WINDOW <= start {
                    ChargeState::Expired
                } else {
                    ChargeState::Authorised
                };
                uncaptured(&mut charge, state);
            }
            _ => {}
        }
        let mut pending = false;
        match drawn.fate {
            Fate::Refunded {
                after,
                part,
                second,
            } if charge.state == ChargeState::Captured => {
                charge.refunded_amount = part.unwrap_or(amount) + second.unwrap_or(0);
                pending = at + secs(after) + REFUND_SETTLEMENT > start;
            }
            Fate::Chargeback => charge.active_chargebacks = true,
            _ => {}
        }
        (charge, pending)
    }
}

impl Iterator for SeedStream {
    type Item = Charge;

    fn next(&mut self) -> Option<Charge> {
        while self.next < self.seeding.charges {
            let i = self.next;
            self.next += 1;
            let (charge, refund_pending) = self.ledger_charge(i);
            if let Some(reported) = report(self.seeding.gateway, &charge, refund_pending) {
                return Some(reported);
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.seeding.charges - self.next).unwrap_or(usize::MAX);
        (0, Some(left))
    }
}

fn secs(n: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(n).unwrap_or(i64::MAX / 1000))
}

/// A ledger charge as `gateway`'s adapter reports it when the simulator serves it
/// (`refund_pending`: a refund of it has not settled); `None` for a currency the
/// adapter would refuse.
pub fn report(
    gateway: StreamGateway,
    c: &super::ledger::Charge,
    refund_pending: bool,
) -> Option<Charge> {
    match gateway {
        StreamGateway::Pin => pin_report(c, refund_pending),
    }
}

/// What `gateway::pin::wire::charge` makes of `sim::pin::render::charge`.
fn pin_report(c: &super::ledger::Charge, refund_pending: bool) -> Option<Charge> {
    let currency = Currency::from_code(&c.currency).ok()?;
    let money = |minor: i64| Money::from_minor(minor, currency);
    let captured = c.is_captured();
    let status = match &c.state {
        ChargeState::Declined { .. } => ChargeStatus::Declined,
        _ if c.active_chargebacks => ChargeStatus::Disputed,
        ChargeState::Voided => ChargeStatus::Voided,
        ChargeState::Expired => ChargeStatus::Expired,
        ChargeState::PendingAuthentication => ChargeStatus::Pending3ds,
        ChargeState::Authorised => ChargeStatus::Authorised,
        ChargeState::Captured if c.refunded_amount >= c.amount && c.refunded_amount > 0 => {
            ChargeStatus::Refunded
        }
        ChargeState::Captured if c.refunded_amount > 0 => ChargeStatus::PartiallyRefunded,
        ChargeState::Captured => ChargeStatus::Captured,
    };
    let failure = match &c.state {
        ChargeState::Declined { message, .. } => Some(Failure {
            code: "Declined".into(),
            message: message.clone(),
        }),
        _ => None,
    };
    Some(Charge {
        id: c.token.clone(),
        created: c.created_at,
        amount: money(c.amount),
        captured: money(if captured { c.amount } else { 0 }),
        released: money(
            if matches!(status, ChargeStatus::Voided | ChargeStatus::Expired) {
                c.amount
            } else {
                0
            },
        ),
        refunded: money(c.refunded_amount),
        status,
        refund_pending,
        captured_at: c.captured_at,
        authorisation_expires: (status == ChargeStatus::Authorised)
            .then(|| c.created_at + AUTHORISATION_WINDOW),
        email: Some(c.email.clone()),
        description: Some(c.description.clone()),
        card: Some(CardSummary {
            brand: card_brand(Some(&c.card.scheme)),
            last4: c.card.last4.clone(),
            expiry_month: u8::try_from(c.card.expiry_month).unwrap_or(0),
            expiry_year: u16::try_from(c.card.expiry_year).unwrap_or(0),
        }),
        customer_id: c.card.customer_token.clone(),
        ip: Some(c.ip_address.clone()),
        metadata: c.metadata.iter().cloned().collect::<BTreeMap<_, _>>(),
        failure,
        three_d_secure_session: c.session_token.clone(),
        raw: RawJson::default(),
    })
}

/// Every charge of the ledger the simulator seeds for `gateway` (`seed`,
/// `customers`, `charges`, counting back from `start`), as [`report`] has the
/// adapter report it: what a test holds the adapter's real answers against.
pub fn seeded_reports(
    gateway: StreamGateway,
    seed: u64,
    customers: usize,
    charges: usize,
    start: DateTime<Utc>,
) -> Vec<Charge> {
    let l = seed_data::Seeding::new(seed, customers, charges)
        .at(start)
        .ids(gateway.ids())
        .market(gateway.market())
        .ledger();
    l.charges()
        .iter()
        .filter_map(|c| report(gateway, c, l.refund_pending(&c.token)))
        .collect()
}

/// Charges per write: what the stream holds at once while filling a store.
pub const BATCH: usize = 20_000;

/// Writes every charge of `seeding` into a new store at `out` (which must not exist)
/// through the store's bulk load, `BATCH` at a time, telling `progress` how many are
/// written after each batch; answers how many.
pub fn fill_store(
    seeding: &StreamSeeding,
    out: &std::path::Path,
    mut progress: impl FnMut(u64),
) -> crate::store::Result<u64> {
    let mut load = crate::store::BulkLoad::create(out, seeding.start)?;
    let mut stream = seeding.stream();
    loop {
        let batch: Vec<Charge> = stream.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        load.append(&batch)?;
        progress(load.loaded());
    }
    let written = load.loaded();
    load.finish()?;
    Ok(written)
}
