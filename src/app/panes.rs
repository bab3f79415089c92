//! The screens the operator moves between. The charges list is always at the bottom of
//! the path; customers, a customer, refunds and a single charge stack on top of it, and
//! `Esc` goes back along the path. The header shows the path as a breadcrumb.

use super::charge_list::ChargeList;
use super::listing::Listing;
use super::model::{Detail, Loadable};
use crate::domain::{Card, Charge, Cursor, Customer, Dispute, Refund, RefundStatus, Subscription};

#[derive(Debug, Clone)]
pub enum Pane {
    Customers(CustomersPane),
    Customer(Box<CustomerPane>),
    Refunds(RefundsPane),
    Charge(Box<ChargePane>),
    Disputes(DisputesPane),
}

impl Pane {
    /// The breadcrumb's word for this pane.
    pub fn crumb(&self) -> String {
        match self {
            Pane::Customers(_) => "customers".into(),
            Pane::Customer(pane) => match &pane.customer {
                Loadable::Loaded(customer) => format!("customer {}", customer.email),
                _ => format!("customer {}", pane.id),
            },
            Pane::Refunds(_) => "refunds".into(),
            Pane::Charge(pane) => format!("charge {}", pane.detail.charge_id),
            Pane::Disputes(_) => "disputes".into(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CustomersPane {
    pub list: Listing<Customer>,
}

/// Case-insensitive match of the customers filter against email, names, company and id.
pub fn customer_matches(text: &str) -> impl Fn(&Customer) -> bool + '_ {
    move |c: &Customer| {
        let needle = text.trim().to_lowercase();
        needle.is_empty()
            || [
                Some(&c.email),
                c.first_name.as_ref(),
                c.last_name.as_ref(),
                c.company.as_ref(),
                Some(&c.id),
            ]
            .into_iter()
            .flatten()
            .any(|field| field.to_lowercase().contains(&needle))
            || c.display_name().to_lowercase().contains(&needle)
    }
}

/// Which part of the customer pane has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Charges,
    Cards,
    Subscriptions,
}

impl Section {
    pub fn next(self) -> Section {
        match self {
            Section::Charges => Section::Cards,
            Section::Cards => Section::Subscriptions,
            Section::Subscriptions => Section::Charges,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CustomerPane {
    pub id: String,
    pub customer: Loadable<Customer>,
    pub cards: Loadable<Vec<Card>>,
    pub card_row: usize,
    pub subscriptions: Loadable<Vec<Subscription>>,
    pub subscription_row: usize,
    /// The customer's charges: the same list, table and actions as the charges pane.
    pub charges: ChargeList,
    pub charges_next: Option<Cursor>,
    pub charges_loading: bool,
    pub charges_loaded: bool,
    /// The filter bar's text for the customer's charges.
    pub charges_filter: String,
    pub section: Section,
}

impl CustomerPane {
    pub fn new(id: &str) -> CustomerPane {
        CustomerPane {
            id: id.to_string(),
            customer: Loadable::Loading,
            cards: Loadable::Loading,
            card_row: 0,
            subscriptions: Loadable::Loading,
            subscription_row: 0,
            charges: ChargeList::default(),
            charges_next: None,
            charges_loading: true,
            charges_loaded: false,
            charges_filter: String::new(),
            section: Section::Charges,
        }
    }

    pub fn selected_card(&self) -> Option<&Card> {
        match &self.cards {
            Loadable::Loaded(cards) => cards.get(self.card_row),
            _ => None,
        }
    }

    pub fn selected_subscription(&self) -> Option<&Subscription> {
        match &self.subscriptions {
            Loadable::Loaded(subs) => subs.get(self.subscription_row),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RefundsPane {
    pub list: Listing<Refund>,
    pub filter: RefundFilter,
}

/// The refunds pane's filter: `status:pending from:2026-11-01 to:2026-11-24` and text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefundFilter {
    pub statuses: Vec<RefundStatus>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub until: Option<chrono::DateTime<chrono::Utc>>,
    pub text: String,
}

impl RefundFilter {
    pub fn matches(&self, refund: &Refund) -> bool {
        let text = self.text.trim().to_lowercase();
        (self.statuses.is_empty() || self.statuses.contains(&refund.status))
            && self.from.is_none_or(|from| refund.created >= from)
            && self.until.is_none_or(|until| refund.created < until)
            && (text.is_empty()
                || refund.id.to_lowercase().contains(&text)
                || refund.charge_id.to_lowercase().contains(&text))
    }
}

#[derive(Debug, Clone, Default)]
pub struct DisputesPane {
    pub list: Listing<Dispute>,
}

/// Disputes that need a response first, the soonest due at the top; then the rest,
/// newest first.
pub fn dispute_order(a: &Dispute, b: &Dispute) -> std::cmp::Ordering {
    let urgent = |d: &Dispute| !d.status.needs_response();
    urgent(a).cmp(&urgent(b)).then_with(|| {
        match (a.status.needs_response(), a.evidence_due, b.evidence_due) {
            (true, Some(x), Some(y)) => x.cmp(&y),
            _ => b.created.cmp(&a.created),
        }
    })
}

/// One charge on its own, reached from a customer or a refund.
#[derive(Debug, Clone)]
pub struct ChargePane {
    pub charge: Loadable<Charge>,
    pub detail: Detail,
}

impl ChargePane {
    pub fn new(id: &str, charge: Option<Charge>) -> ChargePane {
        ChargePane {
            charge: charge.map_or(Loadable::Loading, Loadable::Loaded),
            detail: Detail {
                charge_id: id.to_string(),
                raw: false,
                scroll: 0,
                refunds: Loadable::Loading,
                dispute: Loadable::Loaded(None),
            },
        }
    }
}
