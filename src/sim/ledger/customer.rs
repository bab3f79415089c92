//! Customers, cards (masked only: card numbers are never stored), plans and
//! subscriptions.

use std::fmt;

use chrono::{DateTime, Utc};

use super::{ClockChange, Ledger, LedgerError, Record, Source, Table};

/// A stored card: masked number, last four, scheme and expiry, never the PAN.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Card {
    /// Assigned by the ledger when stored; leave empty when building one.
    pub token: String,
    pub scheme: String,
    pub display_number: String,
    pub last4: String,
    pub issuing_country: String,
    pub expiry_month: u32,
    pub expiry_year: i32,
    pub name: String,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub address_city: String,
    pub address_postcode: Option<String>,
    pub address_state: Option<String>,
    pub address_country: String,
    pub customer_token: Option<String>,
    pub primary: Option<bool>,
    /// Unattached tokens are single use.
    pub used: bool,
    /// What the simulated network answers for this card (test cards), if it
    /// declines; kept instead of the number, which is never stored.
    pub decline_code: Option<String>,
    /// The card asks for a 3-D Secure challenge when the charge enables it.
    pub challenge: bool,
    /// Refunds of its charges stay pending until the clock settles them
    /// (Stripe's asynchronous-refund test card); others settle at once there.
    pub refunds_pending: bool,
}

impl Card {
    /// The card with the billing address a request gives, its fields named in
    /// the dialect's words: line 1, line 2, city, postcode, state, country.
    pub fn with_address(self, names: [&str; 6], field: impl Fn(&str) -> Option<String>) -> Card {
        let [line1, line2, city, postcode, state, country] = names.map(field);
        Card {
            address_line1: line1.unwrap_or_default(),
            address_line2: line2,
            address_city: city.unwrap_or_default(),
            address_postcode: postcode,
            address_state: state,
            address_country: country.unwrap_or_default(),
            ..self
        }
    }
}

/// A card given either in full (already masked by the dialect) or by token.
#[derive(Clone, Debug)]
pub enum CardRef {
    New(Box<Card>),
    Token(String),
}

#[derive(Clone, Debug)]
pub struct Customer {
    pub token: String,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub company: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Card tokens in the order they were added.
    pub cards: Vec<String>,
    /// Empty for a customer without cards (Stripe allows that; Pin does not).
    pub primary_card: String,
    pub deleted: bool,
    pub metadata: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default)]
pub struct NewCustomer {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub company: Option<String>,
    pub notes: Option<String>,
}

/// Contact fields to overwrite (`Some`) and an optional change of cards.
#[derive(Clone, Debug, Default)]
pub struct CustomerUpdate {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub company: Option<String>,
    pub notes: Option<String>,
    pub cards: Option<CardChange>,
}

#[derive(Clone, Debug)]
pub enum CardChange {
    /// New primary card; the old primary is removed.
    Replace(CardRef),
    /// Switch primary to this card; the old primary stays as non-primary.
    MakePrimary(CardRef),
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub token: String,
    pub name: String,
    pub amount: i64,
    pub currency: String,
    pub interval: u32,
    pub interval_unit: String,
    pub trial_interval: u32,
    pub trial_interval_unit: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriptionState {
    Trial,
    Active,
    Cancelling,
    Cancelled,
}

impl fmt::Display for SubscriptionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SubscriptionState::Trial => "trial",
            SubscriptionState::Active => "active",
            SubscriptionState::Cancelling => "cancelling",
            SubscriptionState::Cancelled => "cancelled",
        })
    }
}

#[derive(Clone, Debug)]
pub struct Subscription {
    pub token: String,
    pub plan_token: String,
    pub customer_token: String,
    pub card_token: Option<String>,
    pub state: SubscriptionState,
    pub created_at: DateTime<Utc>,
    pub active_interval_started_at: DateTime<Utc>,
    pub active_interval_finishes_at: DateTime<Utc>,
    pub next_billing_date: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl Ledger {
    /// Store an unattached, single-use card token (`POST /cards`); not an operation.
    pub fn create_card_token(&mut self, mut card: Card) -> String {
        card.token = self.new_token("card");
        card.customer_token = None;
        card.primary = None;
        card.used = false;
        let token = card.token.clone();
        self.cards.insert(token.clone(), card);
        token
    }

    pub fn card(&self, token: &str) -> Result<&Card, LedgerError> {
        self.cards
            .get(token)
            .ok_or_else(|| LedgerError::not_found("card", token))
    }

    /// The card a charge will use: an unattached token is consumed; a customer's
    /// card may be charged repeatedly.
    pub fn card_for_charge(&mut self, token: &str) -> Result<Card, LedgerError> {
        let card = self
            .cards
            .get_mut(token)
            .ok_or_else(|| LedgerError::not_found("card", token))?;
        if card.customer_token.is_none() {
            if card.used {
                return Err(LedgerError::CardTokenUsed);
            }
            card.used = true;
        }
        Ok(card.clone())
    }

    /// The customer's primary card (for `customer_token` charges).
    pub fn primary_card(&self, customer: &str) -> Result<Card, LedgerError> {
        let c = self.customer(customer)?;
        self.card(&c.primary_card).cloned()
    }

    /// Attach a card (new or token) to a customer; returns the card token.
    fn attach(&mut self, customer: &str, card: CardRef) -> Result<String, LedgerError> {
        let mut card = match card {
            CardRef::New(card) => *card,
            CardRef::Token(t) => {
                let existing = self.card(&t)?;
                match &existing.customer_token {
                    Some(owner) if owner == customer => return Ok(t),
                    Some(_) => return Err(LedgerError::CardNotOwned),
                    None if existing.used => return Err(LedgerError::CardTokenUsed),
                    None => existing.clone(),
                }
            }
        };
        if card.token.is_empty() {
            card.token = self.new_token("card");
        }
        card.customer_token = Some(customer.to_string());
        card.primary = Some(false);
        card.used = true;
        let token = card.token.clone();
        self.cards.insert(token.clone(), card);
        if let Ok(i) = self.customers.index_of(customer) {
            self.customers[i].cards.push(token.clone());
        }
        Ok(token)
    }

    fn set_primary(&mut self, ix: usize, card: &str) {
        let old = std::mem::replace(&mut self.customers[ix].primary_card, card.to_string());
        if let Some(c) = self.cards.get_mut(&old) {
            c.primary = Some(false);
        }
        if let Some(c) = self.cards.get_mut(card) {
            c.primary = Some(true);
        }
    }

    pub fn create_customer(
        &mut self,
        new: NewCustomer,
        card: CardRef,
        source: Source,
    ) -> Result<String, LedgerError> {
        self.tick();
        if let CardRef::Token(t) = &card {
            let existing = self.card(t)?;
            if existing.used || existing.customer_token.is_some() {
                return Err(LedgerError::CardTokenUsed);
            }
        }
        let token = self.insert_customer(new, Vec::new());
        let ix = self.customers.index_of(&token)?;
        let card = self.attach(&token, card)?;
        self.set_primary(ix, &card);
        let now = self.now();
        self.log("create_customer", &token, None, now, source);
        Ok(token)
    }

    /// A customer without cards (Stripe), with metadata.
    pub fn create_customer_bare(
        &mut self,
        new: NewCustomer,
        metadata: Vec<(String, String)>,
        source: Source,
    ) -> String {
        self.tick();
        let token = self.insert_customer(new, metadata);
        let now = self.now();
        self.log("create_customer", &token, None, now, source);
        token
    }

    /// Replace a customer's metadata.
    pub fn set_customer_metadata(
        &mut self,
        token: &str,
        metadata: Vec<(String, String)>,
    ) -> Result<(), LedgerError> {
        let ix = self.customer_index(token)?;
        self.customers[ix].metadata = metadata;
        Ok(())
    }

    fn insert_customer(&mut self, new: NewCustomer, metadata: Vec<(String, String)>) -> String {
        let now = self.now();
        let token = self.new_token("cus");
        self.customers.push(
            token.clone(),
            Customer {
                token: token.clone(),
                email: new.email,
                first_name: new.first_name,
                last_name: new.last_name,
                phone_number: new.phone_number,
                company: new.company,
                notes: new.notes,
                created_at: now,
                cards: Vec::new(),
                primary_card: String::new(),
                deleted: false,
                metadata,
            },
        );
        token
    }

    /// The index of a customer not deleted, or `NotFound`.
    fn customer_index(&self, token: &str) -> Result<usize, LedgerError> {
        let ix = self.customers.index_of(token)?;
        match self.customers[ix].deleted {
            false => Ok(ix),
            true => Err(LedgerError::not_found(Customer::KIND, token)),
        }
    }

    pub fn customer(&self, token: &str) -> Result<&Customer, LedgerError> {
        self.customer_index(token).map(|i| &self.customers[i])
    }

    /// All customers in insertion order, deleted ones too (check `deleted`).
    pub fn customers(&self) -> &Table<Customer> {
        &self.customers
    }

    /// Live customers, newest first.
    pub fn customers_newest_first(&self) -> Vec<&Customer> {
        let mut list = self.customers.newest_first();
        list.retain(|c| !c.deleted);
        list
    }

    pub fn update_customer(
        &mut self,
        token: &str,
        update: CustomerUpdate,
        source: Source,
    ) -> Result<(), LedgerError> {
        let now = self.tick();
        let ix = self.customer_index(token)?;
        match update.cards {
            Some(CardChange::Replace(card)) => {
                let new = self.attach(token, card)?;
                let old = self.customers[ix].primary_card.clone();
                self.set_primary(ix, &new);
                if old != new {
                    self.remove_card(ix, &old);
                }
            }
            Some(CardChange::MakePrimary(card)) => {
                let new = self.attach(token, card)?;
                self.set_primary(ix, &new);
            }
            None => {}
        }
        let c = &mut self.customers[ix];
        let fields = [
            (&mut c.first_name, update.first_name),
            (&mut c.last_name, update.last_name),
            (&mut c.phone_number, update.phone_number),
            (&mut c.company, update.company),
            (&mut c.notes, update.notes),
        ];
        for (slot, value) in fields {
            if value.is_some() {
                *slot = value;
            }
        }
        if let Some(email) = update.email {
            c.email = email;
        }
        self.log("update_customer", token, None, now, source);
        Ok(())
    }

    /// Apply due time rules and find `customer`, which must hold `card`: its
    /// index, and ledger time.
    fn holder_of(
        &mut self,
        customer: &str,
        card: &str,
    ) -> Result<(usize, DateTime<Utc>), LedgerError> {
        let now = self.tick();
        let ix = self.customer_index(customer)?;
        if !self.customers[ix].cards.iter().any(|t| t == card) {
            return Err(LedgerError::not_found("card", card));
        }
        Ok((ix, now))
    }

    fn remove_card(&mut self, ix: usize, card: &str) {
        self.customers[ix].cards.retain(|t| t != card);
        self.cards.remove(card);
    }

    /// Delete a customer and all of its cards (charges keep their snapshots).
    pub fn delete_customer(&mut self, token: &str, source: Source) -> Result<(), LedgerError> {
        let now = self.tick();
        let ix = self.customer_index(token)?;
        for card in std::mem::take(&mut self.customers[ix].cards) {
            self.cards.remove(&card);
        }
        self.customers[ix].deleted = true;
        self.log("delete_customer", token, None, now, source);
        Ok(())
    }

    /// The customer's cards in the order added.
    pub fn customer_cards(&self, token: &str) -> Result<Vec<&Card>, LedgerError> {
        let c = self.customer(token)?;
        Ok(c.cards.iter().filter_map(|t| self.cards.get(t)).collect())
    }

    /// Add a non-primary card to a customer.
    pub fn add_card(
        &mut self,
        customer: &str,
        card: CardRef,
        source: Source,
    ) -> Result<String, LedgerError> {
        let now = self.tick();
        let ix = self.customer_index(customer)?;
        let token = self.attach(customer, card)?;
        if self.customers[ix].primary_card.is_empty() {
            self.set_primary(ix, &token);
        }
        self.log("add_card", &token, None, now, source);
        Ok(token)
    }

    pub fn delete_card(
        &mut self,
        customer: &str,
        card: &str,
        source: Source,
    ) -> Result<(), LedgerError> {
        let (ix, now) = self.holder_of(customer, card)?;
        if self.customers[ix].primary_card == card {
            return Err(LedgerError::PrimaryCard);
        }
        self.remove_card(ix, card);
        self.log("delete_card", card, None, now, source);
        Ok(())
    }

    /// Stripe-style card removal: the default card may go too; the oldest
    /// remaining card becomes the default.
    pub fn remove_any_card(
        &mut self,
        customer: &str,
        card: &str,
        source: Source,
    ) -> Result<(), LedgerError> {
        let (ix, now) = self.holder_of(customer, card)?;
        self.remove_card(ix, card);
        if self.customers[ix].primary_card == card {
            self.customers[ix].primary_card = String::new();
            if let Some(next) = self.customers[ix].cards.first().cloned() {
                self.set_primary(ix, &next);
            }
        }
        self.log("delete_card", card, None, now, source);
        Ok(())
    }

    /// Charges made with this customer's cards, newest first.
    pub fn customer_charges(&self, token: &str) -> Result<Vec<&super::Charge>, LedgerError> {
        self.customer(token)?;
        Ok(self
            .charges
            .newest_first()
            .into_iter()
            .filter(|c| c.customer_token.as_deref() == Some(token))
            .collect())
    }

    pub fn create_plan(&mut self, mut plan: Plan) -> String {
        plan.token = self.new_token("plan");
        let token = plan.token.clone();
        self.plans.push(plan);
        token
    }

    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }

    pub fn plan(&self, token: &str) -> Result<&Plan, LedgerError> {
        self.plans
            .iter()
            .find(|p| p.token == token)
            .ok_or_else(|| LedgerError::not_found("plan", token))
    }

    /// Store a subscription as given (seed data); the token is assigned here.
    pub fn insert_subscription(&mut self, mut sub: Subscription) -> String {
        sub.token = self.new_token("sub");
        let token = sub.token.clone();
        self.subscriptions.push(token.clone(), sub);
        token
    }

    pub fn subscription(&self, token: &str) -> Result<&Subscription, LedgerError> {
        self.subscriptions.by_token(token)
    }

    /// The customer's subscriptions, newest first.
    pub fn customer_subscriptions(
        &self,
        customer: &str,
    ) -> Result<Vec<&Subscription>, LedgerError> {
        self.customer(customer)?;
        Ok(self
            .subscriptions
            .newest_first()
            .into_iter()
            .filter(|s| s.customer_token == customer)
            .collect())
    }

    /// Cancel at period end: `trial`/`active` → `cancelling`.
    pub fn cancel_subscription(
        &mut self,
        customer: &str,
        token: &str,
        source: Source,
    ) -> Result<(), LedgerError> {
        self.tick();
        self.customer_index(customer)?;
        let ix = self
            .subscriptions
            .index_of(token)
            .ok()
            .filter(|&i| self.subscriptions[i].customer_token == customer)
            .ok_or_else(|| LedgerError::not_found(Subscription::KIND, token))?;
        let now = self.now();
        let s = &mut self.subscriptions[ix];
        match s.state {
            SubscriptionState::Trial | SubscriptionState::Active => {
                s.state = SubscriptionState::Cancelling;
                s.next_billing_date = None;
            }
            other => return Err(LedgerError::NotCancellable(other)),
        }
        self.log("cancel_subscription", token, None, now, source);
        Ok(())
    }

    pub(super) fn finish_cancelled_subscriptions(&mut self, now: DateTime<Utc>) {
        let all = 0..self.subscriptions.len();
        let table: fn(&mut Ledger) -> &mut Table<Subscription> = |l| &mut l.subscriptions;
        self.apply_clock_rule(("subscription_cancelled", None), table, all, |s| {
            let finishes = s.active_interval_finishes_at;
            if s.state != SubscriptionState::Cancelling || finishes > now {
                return None;
            }
            s.state = SubscriptionState::Cancelled;
            s.cancelled_at = Some(finishes);
            Some(ClockChange {
                money: None,
                at: finishes,
            })
        });
    }
}
