//! The filter bar's little language: `status:authorised,captured from:2026-11-01
//! to:2026-11-24 min:10 max:250 cur:AUD` plus any free text, in any order.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;

use crate::domain::{ChargeFilter, ChargeStatus};
use crate::money::Currency;

/// What the filter bar shows as a reminder of the syntax.
pub const HINT: &str =
    "status:authorised from:2026-11-01 to:2026-11-24 min:10 max:250 cur:AUD text";

pub fn parse(text: &str) -> Result<ChargeFilter, String> {
    let mut filter = ChargeFilter::default();
    let mut words = Vec::new();
    for token in text.split_whitespace() {
        let Some((key, value)) = token.split_once(':') else {
            words.push(token);
            continue;
        };
        match key.to_ascii_lowercase().as_str() {
            "status" | "s" => {
                for name in value.split(',').filter(|n| !n.is_empty()) {
                    filter.statuses.insert(status(name)?);
                }
            }
            "from" => filter.from = Some(midnight(date(key, value)?)),
            "to" => filter.until = Some(midnight(date(key, value)? + Duration::days(1))),
            "on" => {
                let day = date(key, value)?;
                filter.from = Some(midnight(day));
                filter.until = Some(midnight(day + Duration::days(1)));
            }
            "min" => filter.min_amount = Some(amount(key, value)?),
            "max" => filter.max_amount = Some(amount(key, value)?),
            "cur" | "currency" => {
                filter.currency = Some(Currency::from_code(value).map_err(|e| format!("cur: {e}"))?)
            }
            // Not ours (an email with a colon, say): part of the text.
            _ => words.push(token),
        }
    }
    if let (Some(min), Some(max)) = (filter.min_amount, filter.max_amount) {
        if min > max {
            return Err(format!("min:{min} is more than max:{max}"));
        }
    }
    if let (Some(from), Some(until)) = (filter.from, filter.until) {
        if from >= until {
            return Err("from: is after to:".into());
        }
    }
    filter.text = words.join(" ");
    Ok(filter)
}

/// The refunds pane's filter: `status:pending,succeeded from:… to:… on:…` and text.
pub fn parse_refunds(text: &str) -> Result<crate::app::panes::RefundFilter, String> {
    use crate::domain::RefundStatus;
    let mut filter = crate::app::panes::RefundFilter::default();
    let mut words = Vec::new();
    for token in text.split_whitespace() {
        let Some((key, value)) = token.split_once(':') else {
            words.push(token);
            continue;
        };
        match key.to_ascii_lowercase().as_str() {
            "status" | "s" => {
                for name in value.split(',').filter(|n| !n.is_empty()) {
                    filter
                        .statuses
                        .push(match name.to_ascii_lowercase().as_str() {
                            "pending" => RefundStatus::Pending,
                            "succeeded" | "success" | "done" => RefundStatus::Succeeded,
                            "failed" => RefundStatus::Failed,
                            other => {
                                return Err(format!(
                                    "no refund status {other:?}; use pending, succeeded or failed"
                                ));
                            }
                        });
                }
            }
            "from" => filter.from = Some(midnight(date(key, value)?)),
            "to" => filter.until = Some(midnight(date(key, value)? + Duration::days(1))),
            "on" => {
                let day = date(key, value)?;
                filter.from = Some(midnight(day));
                filter.until = Some(midnight(day + Duration::days(1)));
            }
            _ => words.push(token),
        }
    }
    filter.text = words.join(" ");
    Ok(filter)
}

/// What the refunds pane's filter bar shows as a reminder of the syntax.
pub const REFUNDS_HINT: &str = "status:pending from:2026-11-01 to:2026-11-24 text";

fn status(name: &str) -> Result<ChargeStatus, String> {
    Ok(match name.to_ascii_lowercase().replace('-', "_").as_str() {
        "authorised" | "authorized" | "auth" => ChargeStatus::Authorised,
        "captured" => ChargeStatus::Captured,
        "part_refunded" | "partially_refunded" | "partial" => ChargeStatus::PartiallyRefunded,
        "refunded" => ChargeStatus::Refunded,
        "voided" | "void" => ChargeStatus::Voided,
        "expired" => ChargeStatus::Expired,
        "declined" | "failed" => ChargeStatus::Declined,
        "3ds" | "pending_3ds" | "pending" => ChargeStatus::Pending3ds,
        "disputed" => ChargeStatus::Disputed,
        other => {
            return Err(format!(
                "no status {other:?}; use authorised, captured, part_refunded, refunded, voided, expired, declined, 3ds or disputed"
            ));
        }
    })
}

fn date(key: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("{key}: takes a date like 2026-11-24, not {value:?}"))
}

fn midnight(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN))
}

fn amount(key: &str, value: &str) -> Result<Decimal, String> {
    match Decimal::from_str_exact(value) {
        Ok(d) if !d.is_sign_negative() => Ok(d),
        _ => Err(format!("{key}: takes an amount like 12.50, not {value:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_term() {
        let f = parse("status:authorised,captured from:2026-11-01 to:2026-11-24 min:10 max:250.5 cur:aud coffee beans").unwrap();
        assert_eq!(
            f.statuses,
            [ChargeStatus::Authorised, ChargeStatus::Captured].into()
        );
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(f.until.unwrap().to_rfc3339(), "2026-11-25T00:00:00+00:00");
        assert_eq!(f.min_amount, Some(Decimal::new(10, 0)));
        assert_eq!(f.max_amount, Some(Decimal::new(2505, 1)));
        assert_eq!(f.currency, Some(Currency::AUD));
        assert_eq!(f.text, "coffee beans");
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn reads_refund_filters() {
        let f = parse_refunds("status:pending on:2026-11-24 ch_1").unwrap();
        assert_eq!(f.statuses, [crate::domain::RefundStatus::Pending]);
        assert!(f.from.is_some() && f.until.is_some());
        assert_eq!(f.text, "ch_1");
        assert!(
            parse_refunds("status:lost")
                .unwrap_err()
                .contains("no refund status")
        );
    }

    #[test]
    fn explains_what_is_wrong() {
        assert!(
            parse("status:shipped")
                .unwrap_err()
                .contains("no status \"shipped\"")
        );
        assert!(parse("from:yesterday").unwrap_err().contains("2026-11-24"));
        assert!(parse("min:-3").unwrap_err().contains("min:"));
        assert!(parse("min:10 max:5").unwrap_err().contains("more than"));
        assert!(parse("cur:XYZ").unwrap_err().contains("cur:"));
    }
}
