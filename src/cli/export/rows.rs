//! Each kind's columns and one row's cells, the same for every format: times as
//! RFC 3339 in UTC, money as three columns (`amount`, the exact decimal with the
//! currency's ISO 4217 decimals; `amount_minor`; `currency`), absent values empty.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::domain::{Charge, Customer, Dispute, Payout, Refund};
use crate::money::{Money, MoneyError};
use crate::recon::export::Cell;

/// Something `paydeck export` writes a row of.
pub trait Exported {
    const COLUMNS: &'static [&'static str];
    fn id(&self) -> &str;
    /// One cell per column; an error when an amount has no exact minor units.
    fn cells(&self) -> Result<Vec<Cell>, MoneyError>;
}

fn time(at: DateTime<Utc>) -> Cell {
    Cell::Text(at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn maybe(text: Option<&str>) -> Cell {
    text.map_or(Cell::Empty, Cell::text)
}

/// `amount`, `amount_minor`, `currency`.
fn money(amount: Money) -> Result<[Cell; 3], MoneyError> {
    let minor = amount.to_minor()?;
    Ok([
        Cell::money(amount)?,
        Cell::Int(minor),
        Cell::text(amount.currency.code()),
    ])
}

/// Another amount of a row's currency, as exact decimal text beside the first.
fn same_currency(amount: Money) -> Result<Cell, MoneyError> {
    Cell::money(amount)
}

/// `Exported` for a kind with an amount: `id` and `created` first, then the `lead`
/// columns, the amount's three, and the `rest`; `$s` is the object in the cells.
macro_rules! exported {
    ($type:ty, |$s:ident| [$($lead:literal => $lead_cell:expr),* $(,)?], $amount:expr,
     [$($rest:literal => $rest_cell:expr),* $(,)?]) => {
        impl Exported for $type {
            const COLUMNS: &'static [&'static str] = &[
                "id", "created", $($lead,)* "amount", "amount_minor", "currency", $($rest,)*
            ];

            fn id(&self) -> &str {
                &self.id
            }

            fn cells(&self) -> Result<Vec<Cell>, MoneyError> {
                let $s = self;
                let mut cells = vec![Cell::text(&$s.id), time($s.created), $($lead_cell,)*];
                cells.extend(money($amount)?);
                cells.extend([$($rest_cell,)*]);
                Ok(cells)
            }
        }
    };
}

exported!(
    Charge,
    |c| ["status" => Cell::text(c.status.label())],
    c.amount,
    [
        "captured" => same_currency(c.captured)?,
        "refunded" => same_currency(c.refunded)?,
        "email" => maybe(c.email.as_deref()),
        "description" => maybe(c.description.as_deref()),
        "customer_id" => maybe(c.customer_id.as_deref()),
        "card_brand" => maybe(c.card.as_ref().map(|card| card.brand.label())),
        "card_last4" => maybe(c.card.as_ref().map(|card| card.last4.as_str())),
        "failure_code" => maybe(c.failure.as_ref().map(|f| f.code.as_str())),
        "failure_message" => maybe(c.failure.as_ref().map(|f| f.message.as_str())),
    ]
);

exported!(
    Refund,
    |r| [
        "charge_id" => Cell::text(&r.charge_id),
        "status" => Cell::text(r.status.label()),
    ],
    r.amount,
    [
        "reason" => maybe(r.reason.as_deref()),
        "error_message" => maybe(r.error_message.as_deref()),
    ]
);

exported!(
    Payout,
    |p| ["status" => Cell::text(p.status.label())],
    p.amount,
    [
        "arrival" => p.arrival.map_or(Cell::Empty, Cell::Date),
        "bank_reference" => maybe(p.bank_reference.as_deref()),
        "statement_descriptor" => maybe(p.statement_descriptor.as_deref()),
        "line_count" => p
            .line_count
            .and_then(|n| i64::try_from(n).ok())
            .map_or(Cell::Empty, Cell::Int),
    ]
);

exported!(
    Dispute,
    |d| [
        "charge_id" => Cell::text(&d.charge_id),
        "status" => Cell::text(d.status.label()),
        "reason" => Cell::text(&d.reason),
    ],
    d.amount,
    [
        "evidence_due" => d.evidence_due.map_or(Cell::Empty, time),
        "evidence_submitted" => Cell::text(if d.evidence_submitted { "yes" } else { "no" }),
    ]
);

/// Customers carry no money.
impl Exported for Customer {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "created",
        "email",
        "first_name",
        "last_name",
        "company",
        "phone",
        "card_brand",
        "card_last4",
    ];

    fn id(&self) -> &str {
        &self.id
    }

    fn cells(&self) -> Result<Vec<Cell>, MoneyError> {
        let card = self.primary_card.as_ref();
        Ok(vec![
            Cell::text(&self.id),
            time(self.created),
            Cell::text(&self.email),
            maybe(self.first_name.as_deref()),
            maybe(self.last_name.as_deref()),
            maybe(self.company.as_deref()),
            maybe(self.phone.as_deref()),
            maybe(card.map(|c| c.brand.label())),
            maybe(card.map(|c| c.last4.as_str())),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::ChargeStatus;
    use crate::money::Currency;

    fn cells_fit<T: Exported>(item: &T) {
        assert_eq!(item.cells().unwrap().len(), T::COLUMNS.len());
    }

    #[test]
    fn a_charges_money_is_exact_in_three_columns() {
        let mut c = charge(3, ChargeStatus::Captured);
        c.amount = Money::from_minor(1250, Currency::KWD);
        c.captured = Money::from_minor(1250, Currency::KWD);
        c.refunded = Money::zero(Currency::KWD);
        c.created = t0();
        let cells = c.cells().unwrap();
        let at = |name: &str| {
            let i = Charge::COLUMNS.iter().position(|c| *c == name).unwrap();
            cells[i].clone()
        };
        assert_eq!(
            at("amount"),
            Cell::Money {
                minor: 1250,
                currency: Currency::KWD
            }
        );
        assert_eq!(at("amount_minor"), Cell::Int(1250));
        assert_eq!(at("currency"), Cell::text("KWD"));
        assert_eq!(at("created"), time(t0()));
        cells_fit(&c);
    }

    #[test]
    fn an_amount_finer_than_its_currency_is_an_error_not_a_rounding() {
        let mut c = charge(1, ChargeStatus::Captured);
        c.amount = Money {
            amount: rust_decimal::Decimal::new(1, 3),
            currency: Currency::AUD,
        };
        assert!(c.cells().is_err());
    }
}
