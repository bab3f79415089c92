//! What a gateway keeps from a charge or a dispute: a rate in parts per million
//! plus a fixed amount, more for international cards, and tax on the fee where
//! the gateway adds it. Integer minor units throughout; the one rounding rule is
//! half away from zero (half-up for the positive amounts fees are taken on) to
//! the currency's minor unit, through `rust_decimal`, never a float.

use chrono::TimeDelta;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::money::Currency;

use super::SettlementError;

const PPM: i64 = 1_000_000;

/// A rate plus a fixed amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeRule {
    /// Parts per million of the amount: 2.9 % is 29_000.
    pub rate_ppm: u32,
    /// In the minor units of a two-decimal currency (30 = 0.30). For currencies
    /// with more decimals it is scaled up (0.300 KWD); with fewer it is the same
    /// count of units (30 JPY), as docs/trx-gateway.md says.
    pub fixed_minor: i64,
}

/// Tax the gateway charges on its own fee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeeTax {
    /// None, or included in the rate already (`fee_tax` is then 0).
    None,
    /// Added on top of the fee at this rate (Openpay's IVA).
    OnTop { rate_ppm: u32 },
}

/// What the simulator knows of the card a charge was made with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CardClass {
    pub amex: bool,
    /// The card's country is not the merchant's.
    pub international: bool,
}

/// One gateway's fees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeModel {
    /// Visa, Mastercard and the other schemes on a domestic card.
    pub domestic: FeeRule,
    /// Amex on a domestic card.
    pub amex: FeeRule,
    /// Added to the rate when the card is international.
    pub international_extra_ppm: u32,
    pub tax: FeeTax,
    /// Charged when a dispute is opened; scaled like `FeeRule::fixed_minor`.
    pub dispute_fee_minor: i64,
    /// The merchant's country (ISO 3166 alpha-2): a card issued elsewhere is
    /// international.
    pub home_country: &'static str,
    /// How long after its capture a charge's money may enter a batch: trx's
    /// PAYMENT is batched once `SETTLED`, 24 hours after capture; the others
    /// take it at once.
    pub capture_settles_after: TimeDelta,
}

/// A fee and the tax on it, in the currency's minor units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Fee {
    pub fee: i64,
    pub fee_tax: i64,
}

/// docs/trx-gateway.md, "Fees": every number is the doc's own.
pub const TRX_FEES: FeeModel = FeeModel {
    domestic: FeeRule {
        rate_ppm: 24_000,
        fixed_minor: 30,
    }, // 2.40 % + 0.30, domestic Visa/MC
    amex: FeeRule {
        rate_ppm: 32_000,
        fixed_minor: 30,
    }, // 3.20 % + 0.30, domestic Amex
    international_extra_ppm: 10_000, // + 1.00 % international
    tax: FeeTax::None,               // "no tax on its fee"
    dispute_fee_minor: 1_500,        // chargeback 15.00
    home_country: "AU",
    capture_settles_after: TimeDelta::hours(24), // "the PAYMENT became SETTLED"
};

/// Pin Payments' published default merchant settings (notes/issue13_facts.md §5).
pub const PIN_FEES: FeeModel = FeeModel {
    domestic: FeeRule {
        rate_ppm: 17_500,
        fixed_minor: 30,
    }, // 1.75 % + 30c
    amex: FeeRule {
        rate_ppm: 17_500,
        fixed_minor: 30,
    }, // amex_transaction_percentage_fee 1.75
    international_extra_ppm: 11_500, // foreign 2.9 % total = 1.75 + 1.15
    tax: FeeTax::None,               // GUESS: GST included in the rate
    dispute_fee_minor: 2_500,        // GUESS: A$25, no published figure found
    home_country: "AU",
    capture_settles_after: TimeDelta::zero(),
};

/// Stripe, Australian account (support.stripe.com pricing pages).
pub const STRIPE_FEES: FeeModel = FeeModel {
    domestic: FeeRule {
        rate_ppm: 17_000,
        fixed_minor: 30,
    }, // 1.70 % + A$0.30 from 2024-04-01
    amex: FeeRule {
        rate_ppm: 17_000,
        fixed_minor: 30,
    }, // GUESS: Amex priced as domestic
    international_extra_ppm: 18_000, // 3.5 % total international = 1.70 + 1.80
    tax: FeeTax::None,               // GST 10 % is included in the fee
    dispute_fee_minor: 2_500,        // GUESS: A$25, from memory
    home_country: "AU",
    capture_settles_after: TimeDelta::zero(),
};

/// Openpay Mexico.
pub const OPENPAY_FEES: FeeModel = FeeModel {
    domestic: FeeRule {
        rate_ppm: 29_000,
        fixed_minor: 250,
    }, // 2.9 % + MXN 2.50 (2.50 a GUESS from memory)
    amex: FeeRule {
        rate_ppm: 45_000,
        fixed_minor: 250,
    }, // GUESS: 4.5 % + MXN 2.50
    international_extra_ppm: 0, // GUESS: no surcharge published
    tax: FeeTax::OnTop { rate_ppm: 160_000 }, // IVA 16 % on the fee
    dispute_fee_minor: 15_000,  // GUESS: MXN 150 (+ IVA)
    home_country: "MX",
    capture_settles_after: TimeDelta::zero(),
};

/// `fixed` (given for a two-decimal currency) in `currency`'s minor units.
fn scaled_fixed(fixed: i64, currency: Currency) -> Result<i64, SettlementError> {
    let extra = currency.exponent().saturating_sub(2);
    10_i64
        .checked_pow(extra)
        .and_then(|scale| fixed.checked_mul(scale))
        .ok_or(SettlementError::Overflow)
}

/// `amount × ppm / 1e6`, rounded half away from zero to a whole minor unit.
fn rated(amount: i64, ppm: u32) -> Result<i64, SettlementError> {
    let exact = Decimal::from(amount) * Decimal::from(ppm) / Decimal::from(PPM);
    exact
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .ok_or(SettlementError::Overflow)
}

impl FeeModel {
    /// How a card of `scheme` issued in `issuing_country` is priced.
    pub fn card_class(&self, scheme: &str, issuing_country: &str) -> CardClass {
        CardClass {
            amex: matches!(scheme, "american_express" | "amex"),
            international: !issuing_country.eq_ignore_ascii_case(self.home_country),
        }
    }

    /// The fee on a charge of `amount` minor units (taken on its size, so a
    /// negative amount costs the same as its positive).
    pub fn charge_fee(
        &self,
        amount: i64,
        currency: Currency,
        card: CardClass,
    ) -> Result<Fee, SettlementError> {
        let rule = if card.amex { self.amex } else { self.domestic };
        let extra = if card.international {
            self.international_extra_ppm
        } else {
            0
        };
        let ppm = rule
            .rate_ppm
            .checked_add(extra)
            .ok_or(SettlementError::Overflow)?;
        let size = amount.checked_abs().ok_or(SettlementError::Overflow)?;
        let fee = rated(size, ppm)?
            .checked_add(scaled_fixed(rule.fixed_minor, currency)?)
            .ok_or(SettlementError::Overflow)?;
        self.with_tax(fee)
    }

    /// The fee on a dispute opened in `currency`.
    pub fn dispute_fee(&self, currency: Currency) -> Result<Fee, SettlementError> {
        self.with_tax(scaled_fixed(self.dispute_fee_minor, currency)?)
    }

    fn with_tax(&self, fee: i64) -> Result<Fee, SettlementError> {
        let fee_tax = match self.tax {
            FeeTax::None => 0,
            FeeTax::OnTop { rate_ppm } => rated(fee, rate_ppm)?,
        };
        Ok(Fee { fee, fee_tax })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VISA: CardClass = CardClass {
        amex: false,
        international: false,
    };
    const AMEX: CardClass = CardClass {
        amex: true,
        international: false,
    };
    const FOREIGN: CardClass = CardClass {
        amex: false,
        international: true,
    };

    fn fee(model: &FeeModel, amount: i64, code: &str, card: CardClass) -> (i64, i64) {
        let currency = Currency::from_code(code).unwrap();
        let f = model.charge_fee(amount, currency, card).unwrap();
        (f.fee, f.fee_tax)
    }

    #[test]
    fn hand_checked_fees() {
        // 100.00 × 2.40 % = 2.40, + 0.30.
        assert_eq!(fee(&TRX_FEES, 10_000, "AUD", VISA), (270, 0));
        // 100.00 × 3.20 % = 3.20, + 0.30.
        assert_eq!(fee(&TRX_FEES, 10_000, "AUD", AMEX), (350, 0));
        // 100.00 × 3.40 % = 3.40, + 0.30.
        assert_eq!(fee(&TRX_FEES, 10_000, "AUD", FOREIGN), (370, 0));
        // Pin's doc example: 4.00 on a foreign card, 2.9 % = 11.6c → 12c, + 30c = 42c.
        assert_eq!(fee(&PIN_FEES, 400, "AUD", FOREIGN), (42, 0));
        // 2.00 × 1.75 % = 3.5c: the half goes up, to 4c, + 30c.
        assert_eq!(fee(&PIN_FEES, 200, "AUD", VISA), (34, 0));
        // 1.00 × 1.75 % = 1.75c → 2c (not 1c: no truncation), + 30c.
        assert_eq!(fee(&PIN_FEES, 100, "AUD", VISA), (32, 0));
        // 100.00 × 3.5 % + 0.30 on an international card.
        assert_eq!(fee(&STRIPE_FEES, 10_000, "AUD", FOREIGN), (380, 0));
        // MXN 12.34 × 2.9 % = 35.786c → 36c, + 250c = 286c; IVA 16 % = 45.76c → 46c.
        assert_eq!(fee(&OPENPAY_FEES, 1_234, "MXN", VISA), (286, 46));
        // MXN 1,000.00 × 2.9 % = 29.00, + 2.50 = 31.50; IVA 5.04.
        assert_eq!(fee(&OPENPAY_FEES, 100_000, "MXN", VISA), (3_150, 504));
        // A refund-sized (negative) amount is rated on its size.
        assert_eq!(fee(&TRX_FEES, -10_000, "AUD", VISA), (270, 0));
    }

    #[test]
    fn the_fixed_part_follows_the_currency_exponent() {
        // JPY: 1000 × 2.40 % = 24, + 30 yen (the doc's "30 JPY").
        assert_eq!(fee(&TRX_FEES, 1_000, "JPY", VISA), (54, 0));
        // KWD: 1.000 × 2.40 % = 0.024, + 0.300.
        assert_eq!(fee(&TRX_FEES, 1_000, "KWD", VISA), (324, 0));
    }

    #[test]
    fn dispute_fees_carry_tax_where_the_gateway_adds_it() {
        let mxn = Currency::from_code("MXN").unwrap();
        let f = OPENPAY_FEES.dispute_fee(mxn).unwrap();
        assert_eq!((f.fee, f.fee_tax), (15_000, 2_400));
        let f = TRX_FEES.dispute_fee(Currency::AUD).unwrap();
        assert_eq!((f.fee, f.fee_tax), (1_500, 0));
    }

    #[test]
    fn amounts_too_large_are_an_error_not_a_wrap() {
        let huge_fixed = FeeModel {
            domestic: FeeRule {
                rate_ppm: 24_000,
                fixed_minor: i64::MAX,
            },
            ..TRX_FEES
        };
        assert_eq!(
            huge_fixed.charge_fee(10_000, Currency::AUD, VISA),
            Err(SettlementError::Overflow)
        );
        assert_eq!(
            TRX_FEES.charge_fee(i64::MIN, Currency::AUD, VISA),
            Err(SettlementError::Overflow)
        );
    }
}
