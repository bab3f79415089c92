//! The rows behind `:stats`, read for a filter over a period: the period's charges
//! (the filter's own dates narrowed to it) added up by `stats::StatsBuilder` as they
//! stream past, so memory stays that of the figures whatever the period holds, and the
//! filter's open authorisations (made in the last 31 days, whatever the period), for
//! their time left. Reads the
//! reader connection, so `StoreHandle::interrupt` stops it when the screen moves on.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::sql::{Compiled, Params, scan_from};
use crate::domain::{ChargeFilter, ChargeStatus};
use crate::money::Currency;
use crate::stats::{ChargeFacts, ChargeStats, Period, StatsBuilder};
use crate::store::status_code::status_from_code;
use crate::store::{Result, Store, StoreError};

/// How far back open authorisations are looked for: longer than any gateway holds one.
pub const AUTHORISATIONS_WITHIN: chrono::TimeDelta = chrono::TimeDelta::days(31);

impl Store {
    /// The figures of the charges matching `filter` created in `period`, and of its
    /// authorisations still open, their time left counted from `now`.
    pub fn charge_stats(
        &self,
        filter: &ChargeFilter,
        period: &Period,
        now: DateTime<Utc>,
    ) -> Result<ChargeStats> {
        let mut builder = StatsBuilder::new(period.clone(), now);
        period_rows(self.conn(), filter, period, &mut builder)?;
        open_authorisations(self.conn(), filter, now, &mut builder)?;
        Ok(builder.finish())
    }
}

fn period_rows(
    conn: &Connection,
    filter: &ChargeFilter,
    period: &Period,
    builder: &mut StatsBuilder,
) -> Result<()> {
    let narrowed = ChargeFilter {
        from: Some(filter.from.map_or(period.start, |f| f.max(period.start))),
        until: Some(filter.until.map_or(period.end, |u| u.min(period.end))),
        ..filter.clone()
    };
    let compiled = Compiled::new(conn, &narrowed)?;
    let keys = compiled.time_keys();
    if narrowed.from >= narrowed.until || keys.is_empty() {
        return Ok(());
    }
    let mut params = Params::default();
    let from = scan_from(&compiled, keys, &mut params);
    let sql = format!(
        "SELECT c.id, c.created, c.currency, c.status, c.amount, c.captured, c.refunded, \
         c.failure_code {from}"
    );
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.0.iter()))?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let created: i64 = row.get(1)?;
        builder.add(&ChargeFacts {
            created: instant(&id, created)?,
            currency: currency(&id, &row.get::<_, String>(2)?)?,
            status: status(&id, row.get(3)?)?,
            amount: row.get(4)?,
            captured: row.get(5)?,
            refunded: row.get(6)?,
            failure_code: row.get(7)?,
        });
    }
    Ok(())
}

fn open_authorisations(
    conn: &Connection,
    filter: &ChargeFilter,
    now: DateTime<Utc>,
    builder: &mut StatsBuilder,
) -> Result<()> {
    let authorised = ChargeStatus::Authorised;
    if !filter.statuses.is_empty() && !filter.statuses.contains(&authorised) {
        return Ok(());
    }
    // No gateway holds an authorisation longer than this: an older row still marked
    // authorised is one the store has not heard lapse, and reading back further would
    // scan years of a large store on every read.
    let since = now - AUTHORISATIONS_WITHIN;
    let only = ChargeFilter {
        statuses: [authorised].into(),
        from: Some(filter.from.map_or(since, |f| f.max(since))),
        ..filter.clone()
    };
    let compiled = Compiled::new(conn, &only)?;
    let keys = compiled.time_keys();
    if keys.is_empty() {
        return Ok(());
    }
    let mut params = Params::default();
    let from = scan_from(&compiled, keys, &mut params);
    let sql = format!(
        "SELECT c.id, c.currency, c.amount - c.captured - c.released, c.auth_expires {from}"
    );
    let mut statement = conn.prepare(&sql)?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.0.iter()))?;
    while let Some(row) = rows.next()? {
        let id: String = row.get(0)?;
        let held: i64 = row.get(2)?;
        let expires = row
            .get::<_, Option<i64>>(3)?
            .map(|ms| instant(&id, ms))
            .transpose()?;
        builder.add_authorisation(
            currency(&id, &row.get::<_, String>(1)?)?,
            held.max(0),
            expires,
        );
    }
    Ok(())
}

fn bad_row(id: &str, problem: String) -> StoreError {
    StoreError::BadRow {
        table: "charge",
        id: id.to_string(),
        problem,
    }
}

fn instant(id: &str, ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| bad_row(id, format!("no such time: {ms} ms")))
}

fn currency(id: &str, code: &str) -> Result<Currency> {
    Currency::from_code(code).map_err(|e| bad_row(id, e.to_string()))
}

fn status(id: &str, code: i64) -> Result<ChargeStatus> {
    status_from_code(code).ok_or_else(|| bad_row(id, format!("no status numbered {code}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::{Charge, Failure};
    use crate::money::Money;
    use crate::stats::Zoom;
    use crate::timezone::Zone;
    use chrono::TimeDelta;

    /// The figures from the charges themselves, through `ChargeFilter::matches`: what
    /// the store's SQL must agree with.
    fn expected(
        charges: &[Charge],
        filter: &ChargeFilter,
        period: &Period,
        now: DateTime<Utc>,
    ) -> ChargeStats {
        let mut b = StatsBuilder::new(period.clone(), now);
        for c in charges.iter().filter(|c| filter.matches(c)) {
            b.add(&ChargeFacts {
                created: c.created,
                currency: c.currency(),
                status: c.status,
                amount: c.amount.to_minor().unwrap(),
                captured: c.captured.to_minor().unwrap(),
                refunded: c.refunded.to_minor().unwrap(),
                failure_code: c.failure.as_ref().map(|f| f.code.clone()),
            });
            if c.status == ChargeStatus::Authorised && c.created >= now - AUTHORISATIONS_WITHIN {
                b.add_authorisation(
                    c.currency(),
                    c.held().to_minor().unwrap(),
                    c.authorisation_expires,
                );
            }
        }
        b.finish()
    }

    fn charges() -> Vec<Charge> {
        let statuses = [
            ChargeStatus::Captured,
            ChargeStatus::Declined,
            ChargeStatus::Authorised,
            ChargeStatus::Refunded,
            ChargeStatus::PartiallyRefunded,
            ChargeStatus::Disputed,
        ];
        (1..=60)
            .map(|n| {
                let mut c = charge(n, statuses[n as usize % statuses.len()]);
                // Spread over three days around t0, some in US dollars.
                c.created = t0() - TimeDelta::hours(30) + TimeDelta::minutes(71 * n);
                if n % 5 == 0 {
                    c.amount = Money::from_minor(c.amount.to_minor().unwrap(), Currency::USD);
                    c.captured = Money::from_minor(c.captured.to_minor().unwrap(), Currency::USD);
                    c.refunded = Money::from_minor(c.refunded.to_minor().unwrap(), Currency::USD);
                    c.released = Money::zero(Currency::USD);
                }
                if c.status == ChargeStatus::Declined {
                    c.failure = Some(Failure {
                        code: if n % 4 == 0 {
                            "insufficient_funds"
                        } else {
                            "card_declined"
                        }
                        .into(),
                        message: "declined".into(),
                    });
                }
                if c.status == ChargeStatus::Authorised {
                    c.authorisation_expires = (n % 3 != 0).then(|| t0() + TimeDelta::hours(n));
                }
                if n % 7 == 0 {
                    c.description = Some("Gift voucher".into());
                }
                c
            })
            .chain([{
                // Still marked authorised 40 days on: past any gateway's hold.
                let mut stale = charge(61, ChargeStatus::Authorised);
                stale.created = t0() - TimeDelta::days(40);
                stale.authorisation_expires = Some(stale.created + TimeDelta::days(7));
                stale
            }])
            .collect()
    }

    #[test]
    fn the_store_adds_up_what_the_filter_matches_in_the_period() {
        let mut store = Store::open_in_memory().unwrap();
        let all = charges();
        store.upsert_charges(&all, t0()).unwrap();
        let now = t0() + TimeDelta::hours(3);
        let filters = [
            ChargeFilter::default(),
            ChargeFilter {
                text: "voucher".into(),
                ..ChargeFilter::default()
            },
            ChargeFilter {
                text: "vo".into(),
                ..ChargeFilter::default()
            },
            ChargeFilter {
                currency: Some(Currency::USD),
                ..ChargeFilter::default()
            },
            ChargeFilter {
                statuses: [ChargeStatus::Declined].into(),
                ..ChargeFilter::default()
            },
            ChargeFilter {
                from: Some(t0()),
                ..ChargeFilter::default()
            },
        ];
        for zoom in [Zoom::Hour, Zoom::Day, Zoom::Week, Zoom::Month] {
            let period = Period::containing(zoom, t0(), Zone::Utc);
            for filter in &filters {
                let got = store.charge_stats(filter, &period, now).unwrap();
                assert_eq!(
                    got,
                    expected(&all, filter, &period, now),
                    "{zoom:?} {filter:?}"
                );
            }
        }
        let day = store
            .charge_stats(
                &ChargeFilter::default(),
                &Period::containing(Zoom::Day, t0(), Zone::Utc),
                now,
            )
            .unwrap();
        assert!(
            day.counts().charges > 0 && day.counts().declined > 0,
            "the day is not empty"
        );
        assert!(day.expiring.iter().any(|b| b.count > 0));
    }

    #[test]
    fn a_filter_outside_the_period_reads_nothing_of_it() {
        let mut store = Store::open_in_memory().unwrap();
        store.upsert_charges(&charges(), t0()).unwrap();
        let period = Period::containing(Zoom::Day, t0(), Zone::Utc);
        let later = ChargeFilter {
            from: Some(period.end + TimeDelta::days(1)),
            ..ChargeFilter::default()
        };
        let got = store.charge_stats(&later, &period, t0()).unwrap();
        assert!(got.currencies.is_empty());
        assert!(got.buckets.iter().all(Vec::is_empty));
    }
}
