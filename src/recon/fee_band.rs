//! A gateway's fee model, kept simple: a charge's fee (before any tax on it) lies
//! between the cheapest published rate and the dearest (international, Amex), plus the
//! fixed part. A fee outside that band, by more than a minor unit of rounding, is an
//! outlier. The numbers are each gateway's published pricing, as the simulator
//! models it (`sim::ledger::settlement::fees`).

use crate::money::Currency;

/// The band a charge's fee must lie in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeBand {
    /// The cheapest rate, parts per million of the charge (1.75 % is 17_500).
    pub lowest_ppm: u32,
    /// The dearest rate, parts per million.
    pub highest_ppm: u32,
    /// The fixed part, in minor units of a two-decimal currency (30 is 0.30); scaled
    /// up for a currency with more decimals, the same count of units with fewer.
    pub fixed_minor: i64,
}

const PPM: i128 = 1_000_000;

impl FeeBand {
    /// The published band of a gateway, by its config name (`pin`).
    pub fn of(gateway: &str) -> Option<FeeBand> {
        let (lowest_ppm, highest_ppm, fixed_minor) = match gateway {
            // 1.75 % + 30c domestic, 2.9 % international.
            "pin" => (17_500, 29_000, 30),
            // 1.70 % + 30c domestic, 3.5 % international.
            "stripe" => (17_000, 35_000, 30),
            // 2.9 % + 2.50 domestic, 4.5 % Amex; IVA comes on top, as fee tax.
            "openpay" => (29_000, 45_000, 250),
            // 2.4 % + 30c domestic, 3.2 % Amex, 1 % more international.
            "trx" => (24_000, 42_000, 30),
            _ => return None,
        };
        Some(FeeBand {
            lowest_ppm,
            highest_ppm,
            fixed_minor,
        })
    }

    /// Whether `fee` (minor units) is a plausible fee on a charge of `gross`.
    pub fn holds(&self, gross: i64, fee: i64, currency: Currency) -> bool {
        let fixed =
            i128::from(self.fixed_minor) * 10_i128.pow(currency.exponent().saturating_sub(2));
        let size = i128::from(gross).abs();
        let fee = i128::from(fee) * PPM;
        let low = size * i128::from(self.lowest_ppm) + (fixed - 1) * PPM;
        let high = size * i128::from(self.highest_ppm) + (fixed + 1) * PPM;
        (low..=high).contains(&fee)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_fees_hold_from_domestic_to_international_and_not_beyond() {
        let band = FeeBand::of("pin").unwrap();
        assert_eq!(FeeBand::of("adyen"), None);
        // A$100.00: 1.75 % + 0.30 = 2.05; 2.9 % + 0.30 = 3.20.
        for fee in [204, 205, 260, 320, 321] {
            assert!(band.holds(10_000, fee, Currency::AUD), "{fee}");
        }
        for fee in [0, 203, 322, 1_000] {
            assert!(!band.holds(10_000, fee, Currency::AUD), "{fee}");
        }
        // A refund-sized negative gross is taken by its size.
        assert!(band.holds(-10_000, 205, Currency::AUD));
    }
}
