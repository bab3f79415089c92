//! The settlement section of a charge's detail: the fee the gateway kept, the tax on
//! it, what was left for the merchant, and the payout it went into (with the key that
//! opens it), or when it is expected to be paid out.

use ratatui::text::{Line, Span};

use super::payout::net_check_words;
use crate::app::keymap::Intent;
use crate::app::model::{Loadable, Model};
use crate::app::offers::{self, Act};
use crate::app::screens::ChargeDetail;
use crate::domain::{Charge, PayoutPlace};
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

/// Nothing where it was not asked for (the gateway does not tell) or for a charge that
/// was never captured.
pub fn lines(
    model: &Model,
    detail: &ChargeDetail,
    charge: &Charge,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let settlement = match &detail.settlement {
        Loadable::Loaded(None) => return Vec::new(),
        _ if charge.captured.is_zero() => return Vec::new(),
        Loadable::Loading => {
            return vec![
                Line::raw(""),
                Line::styled("settlement  loading…", theme.dim),
            ];
        }
        Loadable::Failed(why) => {
            return vec![
                Line::raw(""),
                Line::styled(
                    format!("settlement  could not load it: {}", clean(why)),
                    theme.error,
                ),
            ];
        }
        Loadable::Loaded(Some(settlement)) => settlement,
    };
    let mut out = vec![Line::raw(""), Line::styled("settlement", theme.title)];
    let field = |label: &str, spans: Vec<Span<'static>>| {
        let mut all = vec![Span::styled(format!("  {label:<11} "), theme.dim)];
        all.extend(spans);
        Line::from(all)
    };
    match &settlement.amounts {
        Some(amounts) => {
            out.push(field("fee", vec![Span::raw(amounts.fee.to_string())]));
            out.push(field(
                "tax on fee",
                vec![Span::raw(amounts.fee_tax.to_string())],
            ));
            out.push(field("net", vec![Span::raw(amounts.net.to_string())]));
            let (words, holds) = net_check_words(&amounts.net_check());
            if !holds {
                out.push(field("", vec![Span::styled(words, theme.error)]));
            }
        }
        None => out.push(field(
            "fee",
            vec![Span::styled("not charged yet", theme.dim)],
        )),
    }
    let payout = match &settlement.payout {
        PayoutPlace::PaidOut { payout_id } => {
            let mut spans = vec![Span::raw(clean(payout_id).into_owned())];
            let key = model.keymap.keys_for(Intent::OpenPayout);
            if !key.is_empty() && offers::check(model, Act::OpenPayout).is_ok() {
                spans.push(Span::raw("  "));
                spans.push(Span::styled(key, theme.key));
                spans.push(Span::styled(" open payout", theme.dim));
            }
            spans
        }
        PayoutPlace::NotYet {
            expected_by: Some(day),
        } => vec![Span::styled(
            format!("not yet paid out; expected by {}", day.format("%Y-%m-%d")),
            theme.warn,
        )],
        PayoutPlace::NotYet { expected_by: None } => {
            vec![Span::styled("not yet paid out", theme.warn)]
        }
        PayoutPlace::Unknown => vec![Span::styled("the gateway does not say", theme.dim)],
    };
    out.push(field("payout", payout));
    out
}
