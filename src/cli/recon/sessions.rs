//! `paydeck recon new` and `paydeck recon list`.

use chrono::{Datelike, NaiveDate};

use super::{Recon, ReconError};
use crate::store::Store;
use crate::store::sessions::{NewSession, SessionSummary};

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The session's name (at most 64 characters), e.g. 2026-10.
    pub name: String,
    /// A profile whose payouts the session reconciles; repeat for several.
    #[arg(long = "profile", value_name = "NAME", required = true)]
    pub profiles: Vec<String>,
    /// The period's first day, YYYY-MM-DD (default: the first of last month: a month
    /// is reconciled once it has closed and its statement is complete).
    #[arg(long, value_name = "DATE", value_parser = parse_day, requires = "to")]
    pub from: Option<NaiveDate>,
    /// The period's last day, YYYY-MM-DD (default: the last of last month).
    #[arg(long, value_name = "DATE", value_parser = parse_day, requires = "from")]
    pub to: Option<NaiveDate>,
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a day: write YYYY-MM-DD"))
}

/// The calendar month before the one `today` is in.
pub fn last_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first_of_this = today.with_day(1).unwrap_or(today);
    let to = first_of_this.pred_opt().unwrap_or(first_of_this);
    (to.with_day(1).unwrap_or(to), to)
}

pub fn new(recon: &mut Recon, args: &NewArgs) -> Result<(), ReconError> {
    let (from, to) = match (args.from, args.to) {
        (Some(from), Some(to)) => (from, to),
        _ => last_month(Recon::as_of()),
    };
    let new = NewSession {
        name: args.name.clone(),
        profiles: args.profiles.clone(),
        from,
        to,
    };
    let stamp = recon.stamp();
    recon.sessions.create(&new, &stamp)?;
    for profile in &args.profiles {
        if !Store::path_for(&recon.data_dir, profile).exists() {
            eprintln!(
                "paydeck recon: profile {profile:?} has no local store yet: run `paydeck sync --profile {profile}` before importing"
            );
        }
    }
    let summary = recon.session(&args.name)?;
    super::out(&line(&summary))
}

pub fn list(recon: &mut Recon) -> Result<(), ReconError> {
    for summary in recon.sessions.list()? {
        super::out(&line(&summary))?;
    }
    Ok(())
}

/// `open`, or `signed off by ada at 2026-11-03 10:00 UTC`.
pub fn state(s: &SessionSummary) -> String {
    match &s.signed_off {
        Some(by) => format!(
            "signed off by {} at {}",
            by.who,
            by.at.format("%Y-%m-%d %H:%M UTC")
        ),
        None => "open".into(),
    }
}

/// `2026-10  live-au,live-nz  2026-10-01..2026-10-31  open`.
fn line(s: &SessionSummary) -> String {
    format!(
        "{}\t{}\t{}..{}\t{}",
        s.name,
        s.profiles.join(","),
        s.from,
        s.to,
        state(s)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_period_is_last_calendar_month() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            last_month(day(2026, 11, 30)),
            (day(2026, 10, 1), day(2026, 10, 31))
        );
        assert_eq!(
            last_month(day(2026, 1, 1)),
            (day(2025, 12, 1), day(2025, 12, 31))
        );
        assert_eq!(
            last_month(day(2024, 3, 15)),
            (day(2024, 2, 1), day(2024, 2, 29))
        );
    }
}
