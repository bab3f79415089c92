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

/// One charge as seeding draws it, before any ledger holds it: the request (its
/// card still unregistered when the buyer is new) and what happens to it later.
/// A pure function of the random stream, so the ledger and [`super::seed_stream`]
/// make the same charges from the same draws.
#[derive(Clone, Debug)]
pub(crate) struct ChargeDraw {
    pub kind: Kind,
    pub request: NewCharge,
    /// The buyer is not a customer: `request.card` is a fresh card to register.
    pub new_card: bool,
    pub fate: Fate,
}

/// What happens to a seeded charge after it is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    Kept,
    /// Refunded `after` seconds later: all of it (`part` `None`), or `part` and
    /// then possibly `second` more.
    Refunded {
        after: u64,
        part: Option<i64>,
        second: Option<i64>,
    },
    /// The authorisation voided `after` seconds later.
    Voided {
        after: u64,
    },
    /// Flagged for a chargeback (a dispute is opened on it at the end).
    Chargeback,
}

const DAY: u64 = 86_400;

/// The kind of a seeded charge of `age` seconds from its roll (0..1000).
fn seeded_kind(roll: u64, age: u64) -> Kind {
    match roll {
        0..=699 => Kind::Captured,
        700..=779 => Kind::Authorised,
        780..=859 => Kind::Declined,
        860..=929 => Kind::Captured,
        930..=969 => Kind::Authorised,
        970..=974 if age < DAY => Kind::Authenticate,
        _ => Kind::Captured,
    }
}

/// A seeded charge made `age` seconds before the start, at `at`, among
/// `customers` customers (`known(i)` gives the i-th one's primary card and
/// email, if it has them).
pub(crate) fn seeded_charge(
    rng: &mut Rng,
    age: u64,
    at: DateTime<Utc>,
    customers: usize,
    known: impl FnOnce(usize) -> Option<(Card, String)>,
    market: Market,
) -> ChargeDraw {
    let roll = rng.range(0..1000);
    let kind = seeded_kind(roll, age);
    let (request, new_card) = draw_request(rng, at, kind, customers, known, market);
    let fate = match roll {
        860..=929 => {
            // Refund later: recent charges get refunds still pending.
            let after = if age < 900 {
                age.saturating_sub(30)
            } else {
                rng.range(600..(age.min(5 * DAY)))
            };
            let amount = request.amount;
            let part = rng.chance(2, 5).then(|| (amount / 2).max(1));
            let second = (part.is_some() && rng.chance(1, 4)).then(|| (amount / 4).max(1));
            Fate::Refunded {
                after,
                part,
                second,
            }
        }
        930..=969 => Fate::Voided {
            after: rng.range(60..(age.clamp(61, DAY))),
        },
        _ if kind == Kind::Captured && rng.chance(1, 100) => Fate::Chargeback,
        _ => Fate::Kept,
    };
    ChargeDraw {
        kind,
        request,
        new_card,
        fate,
    }
}

/// The request for one charge of `kind` made at `at`, paid about half the time
/// with a customer's primary card (`known(i)`), otherwise with a new card
/// (`true`). Amounts and currencies follow `market`.
pub(crate) fn draw_request(
    rng: &mut Rng,
    at: DateTime<Utc>,
    kind: Kind,
    customers: usize,
    known: impl FnOnce(usize) -> Option<(Card, String)>,
    market: Market,
) -> (NewCharge, bool) {
    let (desc, currency, amount) = money(rng);
    let (currency, amount) = market(currency, amount);
    let existing = (customers > 0 && rng.chance(55, 100))
        .then(|| (rng.range(0..customers as u64) as usize).min(customers - 1))
        .and_then(known);
    let (card, email, new_card) = match existing {
        Some((card, email)) => (card, email, false),
        None => {
            let (first, last, email) = person(rng);
            (
                card(rng, &format!("{first} {last}"), at, false),
                email,
                true,
            )
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
    let request = NewCharge {
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
    };
    (request, new_card)
}

/// Make a drawn request in the ledger at its current time: a new buyer's card is
/// registered first, as a card form would.
fn make_charge(
    l: &mut Ledger,
    (mut request, new_card): (NewCharge, bool),
    source: Source,
) -> String {
    if new_card {
        let token = l.create_card_token(request.card);
        request.card = l.card_for_charge(&token).unwrap_or_default();
        request.customer_token = request.card.customer_token.clone();
    }
    l.create_charge(request, source)
}

/// A customer's primary card and email, as a returning buyer pays with them.
fn returning_buyer(l: &Ledger, customer: &str) -> Option<(Card, String)> {
    let card = l.primary_card(customer).ok()?;
    let email = l.customer(customer).ok()?.email.clone();
    Some((card, email))
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
    let request = draw_request(
        rng,
        now,
        kind,
        customers.len(),
        |i| returning_buyer(l, &customers[i]),
        market,
    );
    make_charge(l, request, source)
}

/// A seeded customer before any ledger holds it.
pub(crate) struct CustomerDraw {
    /// When it signed up: between 31 and 181 days before the start.
    pub at: DateTime<Utc>,
    pub customer: NewCustomer,
    /// Its primary card, in its name.
    pub card: Card,
}

/// One seeded customer, from the same draws whoever holds it.
pub(crate) fn draw_customer(rng: &mut Rng, start: DateTime<Utc>) -> CustomerDraw {
    let at = start - TimeDelta::days(31) - secs(rng.range(0..150 * DAY));
    let (first, last, email) = person(rng);
    let name = format!("{first} {last}");
    let customer = NewCustomer {
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
    let card = card(rng, &name, start, false);
    CustomerDraw { at, customer, card }
}

/// A seeded customer's other cards (none to two, a third of them expired).
pub(crate) fn draw_extra_cards(rng: &mut Rng, name: &str, start: DateTime<Utc>) -> Vec<Card> {
    (0..rng.range(0..3))
        .map(|_| {
            let expired = rng.chance(1, 3);
            card(rng, name, start, expired)
        })
        .collect()
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
        let day = DAY;

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
            let drawn = draw_customer(&mut rng, start);
            l.pin_clock(Some(drawn.at));
            let name = drawn.card.name.clone();
            let Ok(cus) = l.create_customer(
                drawn.customer,
                CardRef::New(Box::new(drawn.card)),
                Source::Api,
            ) else {
                continue;
            };
            for extra in draw_extra_cards(&mut rng, &name, start) {
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
            let drawn = seeded_charge(
                &mut rng,
                age,
                at,
                cus_tokens.len(),
                |i| returning_buyer(&l, &cus_tokens[i]),
                market,
            );
            let token = make_charge(&mut l, (drawn.request, drawn.new_card), Source::Api);
            match drawn.fate {
                Fate::Refunded {
                    after,
                    part,
                    second,
                } => {
                    l.pin_clock(Some(at + secs(after)));
                    let _ = l.refund(&token, part, Source::Api);
                    if second.is_some() {
                        let _ = l.refund(&token, second, Source::Api);
                    }
                }
                Fate::Voided { after } => {
                    l.pin_clock(Some(at + secs(after)));
                    let _ = l.void(&token, Source::Api);
                }
                Fate::Chargeback => {
                    let _ = l.set_chargeback(&token, true);
                }
                Fate::Kept => {}
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
    /// Everything seeding decides, as one number: any change to the draws or to
    /// the order they are made in changes it.
    fn fingerprint(l: &Ledger) -> u64 {
        let mut text = String::new();
        for c in l.charges().iter() {
            text.push_str(&format!(
                "{}|{}|{}|{}|{}|{}|{:?}|{}|{}|{}|{:?}|{:?}|{}|{}|{}|{}\n",
                c.token,
                c.created_at.timestamp(),
                c.amount,
                c.currency,
                c.description,
                c.email,
                c.state,
                c.captured_amount,
                c.refunded_amount,
                c.released_amount,
                c.metadata,
                c.customer_token,
                c.card.last4,
                c.card.scheme,
                c.ip_address,
                c.active_chargebacks,
            ));
        }
        for r in l.refunds().iter() {
            text.push_str(&format!(
                "{}|{}|{}|{:?}\n",
                r.token, r.charge, r.amount, r.state
            ));
        }
        for c in l.customers().iter() {
            text.push_str(&format!("{}|{}|{}\n", c.token, c.email, c.primary_card));
        }
        for d in l.disputes().iter() {
            text.push_str(&format!("{}|{}|{:?}\n", d.token, d.charge, d.status));
        }
        crate::sim::common::digest::fnv1a(&text)
    }

    #[test]
    fn seeding_makes_the_same_ledger_it_always_has() {
        let start = DateTime::from_timestamp(1_790_000_000, 0).unwrap();
        let l = Seeding::new(42, 60, 2000).at(start).ledger();
        assert_eq!(fingerprint(&l), 14_575_454_150_228_039_512);
    }
}
