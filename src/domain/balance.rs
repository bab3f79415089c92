//! The merchant's balance at the gateway: what is available to pay out, and what is
//! still pending, per currency.

use super::raw::RawJson;

use crate::money::{Currency, Money, MoneyError};

/// One currency's balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BalanceAmounts {
    pub available: Money,
    /// Money on its way to being available, where the gateway says.
    pub pending: Option<Money>,
}

impl BalanceAmounts {
    /// Refuses a pending amount in another currency than the available one.
    pub fn new(available: Money, pending: Option<Money>) -> Result<BalanceAmounts, MoneyError> {
        match pending {
            Some(pending) if pending.currency != available.currency => Err(
                MoneyError::CurrencyMismatch(available.currency, pending.currency),
            ),
            _ => Ok(BalanceAmounts { available, pending }),
        }
    }

    pub fn currency(&self) -> Currency {
        self.available.currency
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Balance {
    /// One entry per currency, in the gateway's order.
    pub amounts: Vec<BalanceAmounts>,
    pub raw: RawJson,
}

impl Balance {
    pub fn of_currency(&self, currency: Currency) -> Option<&BalanceAmounts> {
        self.amounts.iter().find(|a| a.currency() == currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_must_be_in_the_available_currency() {
        let jpy = Money::from_minor(1200, Currency::JPY);
        let kwd = Money::from_minor(12345, Currency::KWD);
        assert_eq!(
            BalanceAmounts::new(jpy, Some(kwd)),
            Err(MoneyError::CurrencyMismatch(Currency::JPY, Currency::KWD))
        );
        let both = BalanceAmounts::new(kwd, Some(Money::from_minor(5, Currency::KWD))).unwrap();
        assert_eq!(both.currency(), Currency::KWD);
    }

    #[test]
    fn a_balance_is_looked_up_by_currency() {
        let balance = Balance {
            amounts: vec![
                BalanceAmounts::new(Money::from_minor(1200, Currency::JPY), None).unwrap(),
                BalanceAmounts::new(Money::from_minor(12345, Currency::KWD), None).unwrap(),
            ],
            raw: RawJson::default(),
        };
        let kwd = balance.of_currency(Currency::KWD).unwrap();
        assert_eq!(kwd.available.plain(), "12.345");
        assert_eq!(balance.of_currency(Currency::AUD), None);
    }
}
