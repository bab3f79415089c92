//! How often the simulated bank spoils a statement: the `--bank-noise` flag.
//! Each rate is a chance per payout, in parts per million like the fault rates;
//! the draws are the seed's, so the same `--seed` spoils the same payouts.

use std::fmt;
use std::str::FromStr;

use crate::sim::faults::parse_ppm;

/// What the flag takes; every message about it ends with this.
pub const GRAMMAR: &str = "write none, or name=rate items with rates from 0 to 1 \
(merge, fee, late, ref, lost, unrelated; an item not written is 0), \
e.g. merge=0.05,fee=0.1,late=0.1,ref=0.05,lost=0.02,unrelated=0.1";

/// The default: noise a demo shows at once; `--bank-noise none` turns it off.
pub const DEMO_NOISE: &str = "merge=0.05,fee=0.1,late=0.1,ref=0.05,lost=0.02,unrelated=0.1";

/// Chances per payout, parts per million.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BankNoise {
    /// The payout and the next one (same currency) arrive as one deposit.
    pub merge: u32,
    /// The bank takes a fee on the day the deposit arrives.
    pub fee: u32,
    /// The deposit is booked a day or two after the pay date.
    pub late: u32,
    /// The reference reaches the statement truncated or changed.
    pub reference: u32,
    /// The payout never arrives.
    pub lost: u32,
    /// A line that has nothing to do with the gateway is booked the same day.
    pub unrelated: u32,
    /// Every kind whose rate is not 0 shows at least once, on payouts whose
    /// reconciliation window has closed, whatever the draws (the demo's: a
    /// walkthrough always has one of each to find). Not part of the flag.
    pub every_kind: bool,
}

impl BankNoise {
    /// No noise: the statement shows every payout as paid.
    pub const NONE: BankNoise = BankNoise {
        merge: 0,
        fee: 0,
        late: 0,
        reference: 0,
        lost: 0,
        unrelated: 0,
        every_kind: false,
    };

    /// The demo's noise: [`DEMO_NOISE`], with one of each kind at least.
    pub fn demo() -> BankNoise {
        BankNoise {
            every_kind: true,
            ..BankNoise::default()
        }
    }

    /// Whether no rate is above 0.
    pub fn is_none(&self) -> bool {
        BankNoise {
            every_kind: false,
            ..*self
        } == BankNoise::NONE
    }
}

impl Default for BankNoise {
    fn default() -> Self {
        // The constant is known to parse (a unit test says so).
        DEMO_NOISE.parse().unwrap_or(BankNoise::NONE)
    }
}

/// A `--bank-noise` that cannot be read: the item and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankNoiseError {
    pub item: String,
    pub problem: &'static str,
}

impl fmt::Display for BankNoiseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bank noise {:?}: {}; {GRAMMAR}", self.item, self.problem)
    }
}

impl std::error::Error for BankNoiseError {}

impl FromStr for BankNoise {
    type Err = BankNoiseError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut out = BankNoise::NONE;
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("none") {
            return Ok(out);
        }
        let mut seen: Vec<&str> = Vec::new();
        for item in spec.split(',').map(str::trim) {
            let err = |problem| BankNoiseError {
                item: item.to_string(),
                problem,
            };
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| err("is not name=rate"))?;
            let key = key.trim();
            let rate = parse_ppm(value.trim()).ok_or_else(|| err("the rate is not from 0 to 1"))?;
            let slot = match key {
                "merge" => &mut out.merge,
                "fee" => &mut out.fee,
                "late" => &mut out.late,
                "ref" => &mut out.reference,
                "lost" => &mut out.lost,
                "unrelated" => &mut out.unrelated,
                _ => return Err(err("is not a kind of noise")),
            };
            if seen.contains(&key) {
                return Err(err("is written twice"));
            }
            seen.push(key);
            *slot = rate;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_noise_parses_and_none_is_off() {
        let demo = BankNoise::default();
        assert_eq!(
            (demo.merge, demo.lost, demo.unrelated),
            (50_000, 20_000, 100_000)
        );
        assert!("none".parse::<BankNoise>().unwrap().is_none());
        assert!(" NONE ".parse::<BankNoise>().unwrap().is_none());
        let one: BankNoise = "lost=1".parse().unwrap();
        assert_eq!(
            one,
            BankNoise {
                lost: 1_000_000,
                ..BankNoise::NONE
            }
        );
    }

    #[test]
    fn a_bad_spec_says_what_to_write() {
        for (bad, says) in [
            ("", "is not name=rate"),
            ("merge", "is not name=rate"),
            ("merge=2", "the rate is not from 0 to 1"),
            ("merge=-0.1", "the rate is not from 0 to 1"),
            ("merge=0.1,merge=0.2", "is written twice"),
            ("bounce=0.1", "is not a kind of noise"),
            ("fee=0.1,", "is not name=rate"),
        ] {
            match bad.parse::<BankNoise>() {
                Ok(n) => panic!("{bad:?} parsed as {n:?}"),
                Err(e) => {
                    let text = e.to_string();
                    assert!(text.contains(says), "{bad:?}: {text}");
                    assert!(text.ends_with(DEMO_NOISE), "{bad:?}: {text}");
                }
            }
        }
    }
}
