//! Deterministic, realistic seed data for a coffee / merch / software merchant,
//! the same for every dialect ([`Seeding`] says how many, from when, and in
//! which id style and market). Everything but the timestamps (which are
//! relative to start-up) is a pure function of the seed.

use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};

use super::common::test_cards;
use super::ledger::settlement::fees::PIN_FEES;
use super::ledger::settlement::{FeeModel, Schedule};
use super::ledger::{
    Card, CardRef, DisputeStatus, IdStyle, Ledger, NewCharge, NewCustomer, NewDispute, Outcome,
    Plan, Source, Subscription, SubscriptionState, pin_ids,
};
use super::rng::Rng;

const FIRST: [&str; 32] = [
    "Olivia",
    "Jack",
    "Charlotte",
    "Noah",
    "Amelia",
    "William",
    "Isla",
    "Oliver",
    "Mia",
    "Thomas",
    "Grace",
    "Lachlan",
    "Chloe",
    "James",
    "Ruby",
    "Liam",
    "Zoe",
    "Ethan",
    "Harper",
    "Lucas",
    "Aisha",
    "Wei",
    "Priya",
    "Mateo",
    "Sofia",
    "Hiro",
    "Ngaio",
    "Tane",
    "Fatima",
    "Daniel",
    "Ava",
    "Samuel",
];
const LAST: [&str; 32] = [
    "Smith",
    "Jones",
    "Williams",
    "Brown",
    "Wilson",
    "Taylor",
    "Nguyen",
    "Johnson",
    "Martin",
    "White",
    "Anderson",
    "Walker",
    "Thompson",
    "Harris",
    "Lee",
    "Ryan",
    "Robinson",
    "Kelly",
    "King",
    "Chen",
    "Patel",
    "Singh",
    "Kowalski",
    "Rossi",
    "Tanaka",
    "Wright",
    "Murphy",
    "O'Brien",
    "Hughes",
    "Campbell",
    "Papadopoulos",
    "Ngata",
];
const DOMAINS: [&str; 8] = [
    "gmail.com",
    "outlook.com",
    "icloud.com",
    "bigpond.com",
    "yahoo.com",
    "proton.me",
    "optusnet.com.au",
    "xtra.co.nz",
];
/// (description, low, high) in AUD cents.
const PRODUCTS: [(&str, i64, i64); 16] = [
    ("500g of single origin beans", 2_200, 3_800),
    ("1kg house blend beans", 3_900, 5_900),
    ("Flat white and croissant", 450, 1_250),
    ("Pour-over kit", 4_500, 8_900),
    ("Ceramic mug (set of 2)", 2_900, 4_900),
    ("Paydeck hoodie", 6_900, 9_900),
    ("Enamel pin pack", 1_200, 2_400),
    ("Espresso machine service", 12_000, 24_000),
    ("Home barista course", 14_900, 19_900),
    ("Gift card", 2_500, 20_000),
    ("Cold brew subscription box", 3_500, 6_500),
    ("Software licence - Team plan", 19_900, 45_000),
    ("Software licence - Solo plan", 2_900, 4_900),
    ("Grinder burr replacement", 5_500, 9_500),
    ("Wholesale beans 5kg", 18_000, 32_000),
    ("Catering - office coffee cart", 45_000, 250_000),
];
const PLACES: [(&str, &str, &str, &str); 8] = [
    ("Lathlain", "WA", "6454", "AU"),
    ("Fitzroy", "VIC", "3065", "AU"),
    ("Surry Hills", "NSW", "2010", "AU"),
    ("West End", "QLD", "4101", "AU"),
    ("Norwood", "SA", "5067", "AU"),
    ("Ponsonby", "AUK", "1011", "NZ"),
    ("Brooklyn", "NY", "11201", "US"),
    ("Shoreditch", "LND", "E1 6AN", "GB"),
];
const STREETS: [&str; 8] = [
    "Sevenoaks St",
    "Brunswick St",
    "Crown St",
    "Boundary St",
    "The Parade",
    "Ponsonby Rd",
    "Atlantic Ave",
    "Redchurch St",
];
const IP_PREFIXES: [&str; 6] = ["203.192", "101.160", "1.144", "49.180", "122.56", "198.51"];

/// A made-up person: (first, last, email).
pub(crate) fn person(rng: &mut Rng) -> (String, String, String) {
    let first = rng.pick(&FIRST).to_string();
    let last = rng.pick(&LAST).to_string();
    let local: String = format!("{}.{}", first, last)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    let n = rng.range(0..100);
    let email = format!("{local}{n}@{}", rng.pick(&DOMAINS));
    (first, last, email)
}

pub(crate) fn ip(rng: &mut Rng) -> String {
    format!(
        "{}.{}.{}",
        rng.pick(&IP_PREFIXES),
        rng.range(0..256),
        rng.range(1..255)
    )
}

/// A masked card (no number is ever generated beyond the last four).
pub(crate) fn card(rng: &mut Rng, name: &str, now: DateTime<Utc>, expired: bool) -> Card {
    let (scheme, country) = match rng.range(0..10) {
        0..=5 => ("visa", "AU"),
        6..=8 => ("master", "AU"),
        _ => ("american_express", "US"),
    };
    let last4 = format!("{:04}", rng.range(0..10_000));
    let year = if expired {
        now.year() - 1 - rng.range(0..3) as i32
    } else {
        now.year() + 1 + rng.range(0..5) as i32
    };
    let (city, state, postcode, addr_country) = *rng.pick(&PLACES);
    Card {
        token: String::new(),
        scheme: scheme.into(),
        display_number: format!("XXXX-XXXX-XXXX-{last4}"),
        last4,
        issuing_country: country.into(),
        expiry_month: 1 + rng.range(0..12) as u32,
        expiry_year: year,
        name: name.to_string(),
        address_line1: format!("{} {}", rng.range(1..300), rng.pick(&STREETS)),
        address_line2: None,
        address_city: city.into(),
        address_postcode: Some(postcode.into()),
        address_state: Some(state.into()),
        address_country: addr_country.into(),
        customer_token: None,
        primary: None,
        used: false,
        decline_code: None,
        challenge: false,
        refunds_pending: false,
    }
}

/// Mostly AUD; some USD/NZD/GBP/EUR and a few JPY (exponent 0).
pub(crate) fn money(rng: &mut Rng) -> (String, String, i64) {
    let &(desc, lo, hi) = rng.pick(&PRODUCTS);
    let mut cents = rng.range_i64(lo..hi + 1);
    if rng.chance(1, 50) {
        cents *= 1 + rng.range_i64(2..6);
    }
    cents = cents / 5 * 5;
    let currency = match rng.range(0..100) {
        0..=74 => "AUD",
        75..=82 => "USD",
        83..=88 => "NZD",
        89..=92 => "GBP",
        93..=96 => "EUR",
        _ => "JPY",
    };
    let amount = if currency == "JPY" {
        // Roughly 1 AUD ≈ 100 JPY, so cents map to yen; JPY has no minor unit.
        (cents / 10 * 10).max(100)
    } else {
        cents.max(100)
    };
    (desc.to_string(), currency.to_string(), amount)
}

/// Which currencies a dialect's seeded and live charges use: turns a drawn
/// currency and amount (minor units) into the market's. The random draws are
/// the same for every market, so the data still depends only on the seed.
pub type Market = fn(String, i64) -> (String, i64);

/// The draws as they are: mostly AUD; some USD/NZD/GBP/EUR and a few JPY.
pub fn as_drawn(currency: String, amount: i64) -> (String, i64) {
    (currency, amount)
}

/// What kind of charge to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Captured,
    Authorised,
    Declined,
    Authenticate,
}

/// Create one charge of `kind` at the ledger's current time, using a customer's
/// primary card about half the time.
/// Amounts and currencies follow `market`.
pub(crate) fn charge_in(
    l: &mut Ledger,
    rng: &mut Rng,
    customers: &[String],
    kind: Kind,
    source: Source,
    market: Market,
) -> String {
    let now = l.now();
    let (desc, currency, amount) = money(rng);
    let (currency, amount) = market(currency, amount);
    let existing = (!customers.is_empty() && rng.chance(55, 100))
        .then(|| rng.pick(customers).clone())
        .and_then(|cus| {
            let card = l.primary_card(&cus).ok()?;
            let email = l.customer(&cus).ok()?.email.clone();
            Some((card, email))
        });
    let (card, email) = match existing {
        Some(found) => found,
        None => {
            let (first, last, email) = person(rng);
            let c = card(rng, &format!("{first} {last}"), now, false);
            let t = l.create_card_token(c);
            match l.card_for_charge(&t) {
                Ok(c) => (c, email),
                Err(_) => (Card::default(), email),
            }
        }
    };
    let outcome = match kind {
        Kind::Captured | Kind::Authorised => Outcome::Approved,
        Kind::Authenticate => Outcome::Authenticate,
        Kind::Declined => {
            // card_declined dominates real decline mixes.
            let code = if rng.chance(1, 2) {
                "card_declined"
            } else {
                rng.pick(&test_cards::DECLINE_CODES)
            };
            test_cards::declined(code)
        }
    };
    let mut metadata = Vec::new();
    if rng.chance(2, 3) {
        metadata.push((
            "OrderNumber".to_string(),
            format!("ORD-{:06}", rng.range(0..1_000_000)),
        ));
    }
    l.create_charge(
        NewCharge {
            amount,
            currency,
            description: desc,
            email,
            ip_address: ip(rng),
            customer_token: card.customer_token.clone(),
            card,
            capture: kind != Kind::Authorised,
            metadata,
            outcome,
            callback_url: None,
            reference: None,
        },
        source,
    )
}

fn secs(n: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(n).unwrap_or(0))
}

/// Now, to the second: the instant seeding counts back from.
pub fn start_instant() -> DateTime<Utc> {
    Utc::now().with_nanosecond(0).unwrap_or_else(Utc::now)
}

/// How to seed a ledger: `Seeding::new(seed, customers, charges)` gives
/// `customers` customers and `charges` charges over the 30 days before now,
/// Pin ids, charges as drawn; [`Seeding::at`], [`Seeding::ids`] and
/// [`Seeding::market`] change one of those, and [`Seeding::ledger`] seeds.
/// The data (amounts, people, states, times) depends only on the seed and the
/// start, not on the id style.
#[derive(Clone, Copy, Debug)]
pub struct Seeding {
    pub seed: u64,
    pub customers: usize,
    pub charges: usize,
    /// The instant seeding counts back from.
    pub start: DateTime<Utc>,
    pub ids: IdStyle,
    pub market: Market,
    /// What the ledger settles with: its gateway's fees and the payout schedule.
    pub fees: FeeModel,
    pub schedule: Schedule,
}

impl Seeding {
    pub fn new(seed: u64, customers: usize, charges: usize) -> Self {
        Seeding {
            seed,
            customers,
            charges,
            start: start_instant(),
            ids: pin_ids,
            market: as_drawn,
            fees: PIN_FEES,
            schedule: Schedule::default(),
        }
    }

    /// Counting back from `start` (tests compare two seeds at one instant).
    pub fn at(self, start: DateTime<Utc>) -> Self {
        Seeding { start, ..self }
    }

    /// Tokens spelled in `ids` style.
    pub fn ids(self, ids: IdStyle) -> Self {
        Seeding { ids, ..self }
    }

    /// Charges in `market`'s currencies.
    pub fn market(self, market: Market) -> Self {
        Seeding { market, ..self }
    }

    /// Settled with `fees` on `schedule` (Pin's fees, daily:2 otherwise).
    pub fn settle(self, fees: FeeModel, schedule: Schedule) -> Self {
        Seeding {
            fees,
            schedule,
            ..self
        }
    }

    /// The seeded ledger.
    pub fn ledger(&self) -> Ledger {
        let Seeding {
            seed,
            customers,
            charges,
            start,
            ids,
            market,
            fees,
            schedule,
        } = *self;
        let mut l = Ledger::with_ids(seed, ids);
        l.settle_with(fees, schedule);
        l.hold_batches(true);
        let mut rng = Rng::derive(seed, 2);
        let day = 86_400u64;

        l.pin_clock(Some(start - TimeDelta::days(200)));
        let plans = [
            ("Coffee Club Monthly", 2_900, 0),
            ("Paydeck Pro", 4_900, 14),
        ]
        .map(|(name, amount, trial)| {
            l.create_plan(Plan {
                token: String::new(),
                name: name.into(),
                amount,
                currency: "AUD".into(),
                interval: 1,
                interval_unit: "month".into(),
                trial_interval: trial,
                trial_interval_unit: if trial > 0 {
                    "day".into()
                } else {
                    String::new()
                },
                created_at: start - TimeDelta::days(200),
            })
        });

        let mut cus_tokens = Vec::with_capacity(customers);
        for _ in 0..customers {
            let at = start - TimeDelta::days(31) - secs(rng.range(0..150 * day));
            l.pin_clock(Some(at));
            let (first, last, email) = person(&mut rng);
            let name = format!("{first} {last}");
            let new = NewCustomer {
                email,
                first_name: Some(first),
                last_name: Some(last),
                phone_number: rng
                    .chance(1, 2)
                    .then(|| format!("04{:08}", rng.range(0..100_000_000))),
                company: rng
                    .chance(1, 5)
                    .then(|| format!("{} Roasters", rng.pick(&LAST))),
                notes: None,
            };
            let primary = card(&mut rng, &name, start, false);
            let Ok(cus) = l.create_customer(new, CardRef::New(Box::new(primary)), Source::Api)
            else {
                continue;
            };
            for _ in 0..rng.range(0..3) {
                let expired = rng.chance(1, 3);
                let extra = card(&mut rng, &name, start, expired);
                let _ = l.add_card(&cus, CardRef::New(Box::new(extra)), Source::Api);
            }
            cus_tokens.push(cus);
        }

        // Ages in seconds, oldest first; about 1% within the last quarter hour.
        let mut ages: Vec<u64> = (0..charges)
            .map(|_| {
                if rng.chance(1, 100) {
                    rng.range(5..900)
                } else {
                    rng.range(900..30 * day)
                }
            })
            .collect();
        ages.sort_unstable_by(|a, b| b.cmp(a));
        for age in ages {
            let at = start - secs(age);
            l.pin_clock(Some(at));
            let roll = rng.range(0..1000);
            let kind = match roll {
                0..=699 => Kind::Captured,
                700..=779 => Kind::Authorised,
                780..=859 => Kind::Declined,
                860..=929 => Kind::Captured,
                930..=969 => Kind::Authorised,
                970..=974 if age < day => Kind::Authenticate,
                _ => Kind::Captured,
            };
            let token = charge_in(&mut l, &mut rng, &cus_tokens, kind, Source::Api, market);
            match roll {
                860..=929 => {
                    // Refund later: recent charges get refunds still pending.
                    let delay = if age < 900 {
                        age.saturating_sub(30)
                    } else {
                        rng.range(600..(age.min(5 * day)))
                    };
                    l.pin_clock(Some(at + secs(delay)));
                    let amount = l.charge(&token).map(|c| c.amount).unwrap_or(0);
                    let part = rng.chance(2, 5).then(|| (amount / 2).max(1));
                    let _ = l.refund(&token, part, Source::Api);
                    if part.is_some() && rng.chance(1, 4) {
                        let _ = l.refund(&token, Some((amount / 4).max(1)), Source::Api);
                    }
                }
                930..=969 => {
                    l.pin_clock(Some(at + secs(rng.range(60..(age.clamp(61, day))))));
                    let _ = l.void(&token, Source::Api);
                }
                _ if kind == Kind::Captured && rng.chance(1, 100) => {
                    let _ = l.set_chargeback(&token, true);
                }
                _ => {}
            }
        }

        for cus in cus_tokens.iter() {
            if !rng.chance(35, 100) {
                continue;
            }
            let plan = rng.pick(&plans).clone();
            let state = match rng.range(0..100) {
                0..=14 => SubscriptionState::Trial,
                15..=64 => SubscriptionState::Active,
                65..=79 => SubscriptionState::Cancelling,
                _ => SubscriptionState::Cancelled,
            };
            let created = start - TimeDelta::days(30) - secs(rng.range(0..120 * day));
            let (started, len) = match state {
                SubscriptionState::Trial => {
                    (start - secs(rng.range(0..13 * day)), TimeDelta::days(14))
                }
                SubscriptionState::Cancelled => (
                    start - TimeDelta::days(30) - secs(rng.range(day..60 * day)),
                    TimeDelta::days(30),
                ),
                _ => (start - secs(rng.range(0..29 * day)), TimeDelta::days(30)),
            };
            let finishes = started + len;
            let billing = matches!(state, SubscriptionState::Trial | SubscriptionState::Active);
            l.insert_subscription(Subscription {
                token: String::new(),
                plan_token: plan,
                customer_token: cus.clone(),
                card_token: None,
                state,
                created_at: created.min(started),
                active_interval_started_at: started,
                active_interval_finishes_at: finishes,
                next_billing_date: billing.then_some(finishes),
                cancelled_at: (state == SubscriptionState::Cancelled).then_some(finishes),
            });
        }

        seed_disputes(&mut l, seed, start);
        l.hold_batches(false);
        l.pin_clock(Some(start));
        l.tick();
        l.pin_clock(None);
        l
    }
}

const DISPUTE_REASONS: [&str; 8] = [
    "fraudulent",
    "product_not_received",
    "duplicate",
    "subscription_canceled",
    "unrecognized",
    "credit_not_processed",
    "product_unacceptable",
    "general",
];

/// A dispute on every charge flagged `active_chargebacks`, topped up to at least
/// one per status (when there are enough captured, unrefunded charges). The first
/// six cycle through every status; the rest are mostly open. Uses its own random
/// stream, so adding disputes shifts no other seeded data.
fn seed_disputes(l: &mut Ledger, seed: u64, start: DateTime<Utc>) {
    let mut rng = Rng::derive(seed, 4);
    let statuses = [
        DisputeStatus::NeedsResponse,
        DisputeStatus::WarningNeedsResponse,
        DisputeStatus::UnderReview,
        DisputeStatus::Won,
        DisputeStatus::Lost,
        DisputeStatus::WarningUnderReview,
    ];
    let mut flagged: Vec<String> = l
        .charges()
        .iter()
        .filter(|c| c.active_chargebacks && c.is_captured())
        .map(|c| c.token.clone())
        .collect();
    let spare: Vec<String> = l
        .charges()
        .iter()
        .filter(|c| c.is_captured() && !c.active_chargebacks && c.refunded_amount == 0)
        .filter(|c| c.created_at < start - TimeDelta::days(1))
        .map(|c| c.token.clone())
        .collect();
    let mut spare = spare.into_iter().rev();
    while flagged.len() < statuses.len() {
        match spare.next() {
            Some(t) => flagged.push(t),
            None => break,
        }
    }
    for (i, charge) in flagged.iter().enumerate() {
        let Ok(c) = l.charge(charge) else { continue };
        let charge_at = c.created_at;
        let status = match statuses.get(i) {
            Some(s) => *s,
            None => match rng.range(0..10) {
                0..=3 => DisputeStatus::NeedsResponse,
                4 => DisputeStatus::WarningNeedsResponse,
                5..=6 => DisputeStatus::UnderReview,
                7..=8 => DisputeStatus::Won,
                _ => DisputeStatus::Lost,
            },
        };
        let reason = if status == DisputeStatus::WarningNeedsResponse {
            "general"
        } else {
            *rng.pick(&DISPUTE_REASONS)
        };
        let open = !matches!(status, DisputeStatus::Won | DisputeStatus::Lost);
        // Open disputes are recent enough that evidence is not yet due.
        let created = if open {
            (start - secs(rng.range(3_600..12 * 86_400))).max(charge_at + TimeDelta::hours(1))
        } else {
            (charge_at + secs(rng.range(3_600..7 * 86_400))).min(start - TimeDelta::hours(1))
        };
        let (evidence, submissions) = match status {
            DisputeStatus::UnderReview | DisputeStatus::WarningUnderReview | DisputeStatus::Won => {
                (
                    vec![(
                        "uncategorized_text".to_string(),
                        "Order shipped with tracking; customer confirmed receipt by email."
                            .to_string(),
                    )],
                    1,
                )
            }
            _ => (Vec::new(), 0),
        };
        l.pin_clock(Some(created));
        let _ = l.set_chargeback(charge, true);
        let _ = l.open_dispute(
            NewDispute {
                charge: charge.clone(),
                reason: reason.to_string(),
                status,
                evidence,
                submission_count: submissions,
            },
            Source::Api,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ledger::ChargeState;

    #[test]
    fn deterministic_and_mixed() {
        let start = Utc::now().with_nanosecond(0).unwrap_or_else(Utc::now);
        let a = Seeding::new(42, 300, 3000).at(start).ledger();
        let b = Seeding::new(42, 300, 3000).at(start).ledger();
        let key = |l: &Ledger| {
            l.charges()
                .iter()
                .map(|c| {
                    (
                        c.token.clone(),
                        c.amount,
                        c.currency.clone(),
                        c.email.clone(),
                        c.state.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(key(&a), key(&b));
        assert_eq!(a.charges().len(), 3000);
        assert!(a.operations_since(0).is_empty(), "seeding is not logged");
        let count =
            |f: &dyn Fn(&ChargeState) -> bool| a.charges().iter().filter(|c| f(&c.state)).count();
        let captured = count(&|s| *s == ChargeState::Captured);
        assert!((1900..2500).contains(&captured), "captured {captured}");
        assert!(count(&|s| *s == ChargeState::Authorised) > 20);
        assert!(count(&|s| *s == ChargeState::Expired) > 20);
        assert!(count(&|s| *s == ChargeState::Voided) > 50);
        assert!(count(&|s| matches!(s, ChargeState::Declined { .. })) > 150);
        assert!(a.charges().iter().any(|c| c.currency == "JPY"));
        assert!(a.charges().iter().any(|c| c.active_chargebacks));
        assert!(a.refunds().len() > 100);
        // Authorised charges are all within the authorisation window.
        assert!(
            a.charges()
                .iter()
                .filter(|c| c.state == ChargeState::Authorised)
                .all(|c| c.created_at + crate::sim::ledger::AUTHORISATION_WINDOW > start)
        );
        let c = Seeding::new(43, 30, 100).at(start).ledger();
        assert_ne!(key(&a)[0].0, key(&c)[0].0);
    }
}
