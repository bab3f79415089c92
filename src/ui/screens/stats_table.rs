//! `:stats` as the exact figures behind its charts (`t`): per bucket and currency, the
//! period per currency, the decline codes, the authorisations by time left and the
//! balance. Money is shown to its currency's last digit and never summed across
//! currencies; rates show their counts beside them.

use ratatui::text::Line;

use crate::app::model::Loadable;
use crate::app::screens::StatsPane;
use crate::domain::Balance;
use crate::stats::figures::money;
use crate::stats::{ChargeStats, Tally};
use crate::timezone::Zone;
use crate::ui::format;
use crate::ui::theme::Theme;

/// Columns laid out to the widest cell, numbers to the right.
struct Table {
    head: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// Columns read left-aligned (the rest are numbers).
    left: usize,
}

impl Table {
    fn new(head: Vec<&'static str>, left: usize) -> Table {
        Table {
            head,
            rows: Vec::new(),
            left,
        }
    }

    fn lines(&self, theme: &Theme, out: &mut Vec<Line<'static>>) {
        let widths: Vec<usize> = (0..self.head.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| format::width(&r[i]))
                    .chain([self.head[i].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: Vec<&str>| {
            let mut text = String::from(" ");
            for (i, cell) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(format::width(cell));
                if i < self.left {
                    text.push_str(cell);
                    text.push_str(&" ".repeat(pad));
                } else {
                    text.push_str(&" ".repeat(pad));
                    text.push_str(cell);
                }
                text.push_str("  ");
            }
            text.trim_end().to_string()
        };
        out.push(Line::styled(line(self.head.clone()), theme.column_header));
        for row in &self.rows {
            out.push(Line::raw(line(row.iter().map(String::as_str).collect())));
        }
    }
}

/// The money columns of a tally.
fn money_cells(tally: &Tally, currency: crate::money::Currency) -> [String; 3] {
    [
        money(tally.approved_minor, currency).to_string(),
        money(tally.captured_minor, currency).to_string(),
        money(tally.refunded_minor, currency).to_string(),
    ]
}

/// Every line of the table, for drawing and for how far it scrolls.
pub fn lines(
    pane: &StatsPane,
    stats: &ChargeStats,
    zone: Zone,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    out.push(Line::styled(
        " The period, per currency (volume: approved amounts)",
        theme.title,
    ));
    let counts = stats.counts();
    let mut period = Table::new(
        vec![
            "cur",
            "charges",
            "share",
            "approved",
            "declined",
            "approval",
            "volume",
            "captured",
            "refunded",
            "refund rate",
            "disputes",
            "dispute rate",
        ],
        1,
    );
    for (currency, tally) in &stats.currencies {
        let [volume, captured, refunded] = money_cells(tally, *currency);
        period.rows.push(vec![
            currency.code().to_string(),
            tally.charges.to_string(),
            crate::stats::Rate::of(tally.charges, counts.charges).text(),
            tally.approved.to_string(),
            tally.declined.to_string(),
            tally.approval().text(),
            volume,
            captured,
            refunded,
            format!(
                "{} ({}/{})",
                tally.refund_rate().text(),
                tally.refunded_charges,
                tally.captured_charges
            ),
            tally.disputed.to_string(),
            tally.dispute_rate().text(),
        ]);
    }
    if period.rows.is_empty() {
        out.push(Line::styled(" no charges in this period", theme.dim));
    } else {
        period.lines(theme, &mut out);
        out.push(Line::raw(format!(
            " all currencies: {} charges, {} approved, {} declined, approval {} ({} of {} decided)",
            counts.charges,
            counts.approved,
            counts.declined,
            counts.approval().text(),
            counts.approved,
            counts.approved + counts.declined
        )));
    }

    out.push(Line::raw(""));
    let zone_label = zone.label(stats.as_of);
    out.push(Line::styled(
        format!(
            " Per {} ({zone_label}); buckets without charges are left out",
            stats.period.zoom.bucket_name()
        ),
        theme.title,
    ));
    let mut buckets = Table::new(
        vec![
            "start", "cur", "charges", "approved", "declined", "approval", "volume", "captured",
            "refunded",
        ],
        2,
    );
    for (index, by_currency) in stats.buckets.iter().enumerate() {
        for (currency, tally) in by_currency {
            let [volume, captured, refunded] = money_cells(tally, *currency);
            buckets.rows.push(vec![
                stats.period.bucket_start_text(index, zone),
                currency.code().to_string(),
                tally.charges.to_string(),
                tally.approved.to_string(),
                tally.declined.to_string(),
                tally.approval().text(),
                volume,
                captured,
                refunded,
            ]);
        }
    }
    if buckets.rows.is_empty() {
        out.push(Line::styled(" no charges in this period", theme.dim));
    } else {
        buckets.lines(theme, &mut out);
    }

    out.push(Line::raw(""));
    out.push(Line::styled(" Decline codes", theme.title));
    if stats.declines.is_empty() {
        out.push(Line::styled(" no declines in this period", theme.dim));
    } else {
        let mut declines = Table::new(vec!["code", "declines", "share"], 1);
        for d in &stats.declines {
            declines.rows.push(vec![
                d.code.clone(),
                d.count.to_string(),
                crate::stats::Rate::of(d.count, counts.declined).text(),
            ]);
        }
        declines.lines(theme, &mut out);
    }

    out.push(Line::raw(""));
    out.push(Line::styled(
        format!(
            " Open authorisations by time left (as of {}, made in the last 31 days)",
            format::full_time(stats.as_of, zone)
        ),
        theme.title,
    ));
    let mut expiring = Table::new(vec!["time left", "count", "held"], 1);
    for band in &stats.expiring {
        let held = band.held_text();
        expiring.rows.push(vec![
            band.left.label().to_string(),
            band.count.to_string(),
            if held.is_empty() { "—".into() } else { held },
        ]);
    }
    expiring.lines(theme, &mut out);

    out.push(Line::raw(""));
    out.push(Line::styled(" Balance", theme.title));
    balance_lines(pane.balance.as_ref(), theme, &mut out);
    out
}

/// The gateway's balance per currency, or why there is none.
pub fn balance_lines(
    balance: Option<&Loadable<Balance>>,
    theme: &Theme,
    out: &mut Vec<Line<'static>>,
) {
    match balance {
        None => out.push(Line::styled(" this gateway keeps no balance", theme.dim)),
        Some(Loadable::Loading) => out.push(Line::styled(" reading the balance…", theme.dim)),
        Some(Loadable::Failed(why)) => out.push(Line::styled(
            format!(" could not read the balance: {why}"),
            theme.error,
        )),
        Some(Loadable::Loaded(balance)) if balance.amounts.is_empty() => {
            out.push(Line::styled(" no balance in any currency", theme.dim))
        }
        Some(Loadable::Loaded(balance)) => {
            let mut table = Table::new(vec!["cur", "available", "pending"], 1);
            for a in &balance.amounts {
                table.rows.push(vec![
                    a.currency().code().to_string(),
                    a.available.to_string(),
                    a.pending.map_or_else(|| "—".into(), |p| p.to_string()),
                ]);
            }
            table.lines(theme, out);
        }
    }
}
