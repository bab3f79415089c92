//! The query of a transaction listing: the type and order, paging within the
//! server's limits, and the dates and single status a filter narrows to.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::wire::Kind;
use crate::domain::{ChargeFilter, ChargeStatus, PageRequest};
use crate::gateway::http::Request;
use crate::gateway::paging::{offset_query, status_query};

/// The server's smallest and largest page: it clamps `limit` to these.
pub const MIN_LIMIT: u32 = 10;
pub const MAX_LIMIT: u32 = 100;

/// `GET transactions` of one type, newest first.
pub fn newest(kind: Kind) -> Request {
    Request::get("transactions")
        .query("type", kind.wire())
        .query("sort", "created_at")
        .query("direction", "DESC")
}

/// `offset` and `limit` for a page; returns the offset asked for.
pub fn paged(request: Request, page: &PageRequest) -> (Request, u64) {
    offset_query(request, page, MIN_LIMIT, MAX_LIMIT)
}

/// A day as the gateway writes it: `31/12/2024`.
pub fn wire_date(day: NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

/// `start_date` keeps `created_at >= day 00:00 UTC`: the day of `from` covers it.
pub fn start_date(from: DateTime<Utc>) -> String {
    wire_date(from.date_naive())
}

/// `end_date` keeps `created_at <= day 00:00 UTC`, so everything before `until` needs
/// the first midnight at or after it.
pub fn end_date(until: DateTime<Utc>) -> String {
    let day = until.date_naive();
    let midnight = day.and_time(NaiveTime::MIN).and_utc();
    wire_date(if until > midnight {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    })
}

/// The one wire status that holds every payment of a domain status, where there is
/// exactly one. Captured payments are in four statuses and refunds do not change
/// them, so those are filtered locally only.
fn wire_status(status: ChargeStatus) -> Option<&'static str> {
    match status {
        ChargeStatus::Authorised => Some("AUTHORIZED"),
        ChargeStatus::Declined => Some("DECLINED"),
        ChargeStatus::Voided => Some("VOIDED"),
        ChargeStatus::Expired => Some("EXPIRED"),
        _ => None,
    }
}

/// The server-side part of a charge filter: dates and a single status.
pub fn filter_query(mut request: Request, filter: &ChargeFilter) -> Request {
    if let Some(from) = filter.from {
        request = request.query("start_date", start_date(from));
    }
    if let Some(until) = filter.until {
        request = request.query("end_date", end_date(until));
    }
    status_query(request, filter, wire_status)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::TimeZone;

    use super::*;
    use crate::domain::Cursor;

    #[test]
    fn dates_cover_the_range_in_whole_days() {
        let at = |d, h| Utc.with_ymd_and_hms(2024, 12, d, h, 0, 0).unwrap();
        assert_eq!(start_date(at(10, 15)), "10/12/2024");
        assert_eq!(end_date(at(12, 0)), "12/12/2024");
        assert_eq!(end_date(at(12, 1)), "13/12/2024");
        assert_eq!(end_date(at(31, 23)), "01/01/2025");
        let filter = ChargeFilter {
            from: Some(at(1, 9)),
            until: Some(at(2, 9)),
            statuses: BTreeSet::from([ChargeStatus::Authorised]),
            ..ChargeFilter::default()
        };
        let sent = filter_query(Request::get("transactions"), &filter);
        assert_eq!(sent.query_value("start_date"), Some("01/12/2024"));
        assert_eq!(sent.query_value("end_date"), Some("03/12/2024"));
        assert_eq!(sent.query_value("status"), Some("AUTHORIZED"));
    }

    #[test]
    fn captured_and_refunded_payments_are_filtered_locally() {
        // Captured payments are in four statuses, and refunds do not change them.
        assert_eq!(wire_status(ChargeStatus::Captured), None);
        assert_eq!(wire_status(ChargeStatus::Refunded), None);
    }

    #[test]
    fn pages_ask_within_the_servers_limits() {
        let q = |limit, cursor| {
            paged(Request::get("t"), &PageRequest { cursor, limit })
                .0
                .query
        };
        let five = q(5, None);
        assert_eq!(five[0], ("offset".into(), "0".into()));
        assert_eq!(five[1], ("limit".into(), "10".into()));
        assert_eq!(q(500, Some(Cursor::Offset(30)))[1].1, "100");
        assert_eq!(q(500, Some(Cursor::Offset(30)))[0].1, "30");
    }
}
