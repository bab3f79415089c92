//! The exceptions queue: what auto-match leaves for the operator to look at. The bank
//! side: lines no payout explains, payouts whose window closed without a deposit, and
//! explained deposits booked after their payouts' arrival or under a reference that is
//! not the payout's. The gateway side, from the payouts' own lines: payouts that do not
//! add up, captured charges in no payout after the settlement delay, fees outside the
//! gateway's band, dispute debits, and refunds larger than their charge's capture.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::matcher::Board;
use super::matching::{Exception, ExceptionKind, MatchConfig, MatchInput};
use crate::domain::{BalanceLine, LineKind, NetCheck};
use crate::money::Money;

fn exception(kind: ExceptionKind, amount: Money, why: String) -> Exception {
    Exception {
        kind,
        deposits: Vec::new(),
        payouts: Vec::new(),
        charges: Vec::new(),
        amount,
        why,
    }
}

/// The bank side, over what the tiers left and what they explained.
pub(crate) fn bank_side(board: &mut Board<'_>, as_of: NaiveDate) {
    let mut found = Vec::new();
    for (d, ps) in &board.paid_by {
        let deposit = &board.deposits[*d];
        let payouts = board.ids(ps);
        let about = |kind, why| Exception {
            deposits: vec![deposit.index],
            payouts: payouts.clone(),
            ..exception(kind, deposit.amount, why)
        };
        // A merged deposit cannot come before its last payout.
        let due = ps.iter().map(|p| board.payouts[*p].arrival).max();
        if let Some(due) = due.filter(|due| deposit.booked > *due) {
            let days = (deposit.booked - due).num_days();
            let why = format!(
                "booked {} day{} after the arrival date {due} the gateway gave",
                days,
                if days == 1 { "" } else { "s" }
            );
            found.push(about(ExceptionKind::LateDeposit, why));
        }
        let keys: Vec<&(&str, String)> = ps.iter().flat_map(|p| &board.payouts[*p].keys).collect();
        let named = keys
            .iter()
            .any(|(_, key)| deposit.texts.iter().any(|t| t.contains(key.as_str())));
        if named || !ps.iter().any(|p| board.payouts[*p].has_reference()) {
            continue;
        }
        let cut = !deposit.reference.is_empty()
            && keys
                .iter()
                .any(|(_, key)| key.starts_with(&deposit.reference));
        let expected = keys
            .iter()
            .find(|(name, _)| *name != "payout id")
            .map_or("", |(_, key)| key.as_str());
        let (kind, how) = if cut {
            (ExceptionKind::ReferenceTruncated, "cut short")
        } else {
            (ExceptionKind::ReferenceChanged, "not the payout's")
        };
        let why = format!(
            "the bank's reference {:?} is {how}: the gateway gave {expected:?}",
            deposit.reference
        );
        found.push(about(kind, why));
    }
    for d in board.open_deposits() {
        let deposit = &board.deposits[d];
        let what = if deposit.minor < 0 {
            "debit"
        } else {
            "deposit"
        };
        let why = format!(
            "a {what} of {} on {} that no payout explains",
            deposit.amount, deposit.booked
        );
        found.push(Exception {
            deposits: vec![deposit.index],
            ..exception(ExceptionKind::DepositWithoutPayout, deposit.amount, why)
        });
    }
    for p in (0..board.payouts.len()).filter(|p| !board.payout_taken[*p]) {
        let payout = &board.payouts[p];
        if !board.config.window.closed(payout.arrival, as_of) {
            board.outcome.awaiting.push(payout.id.clone());
            continue;
        }
        let why = format!(
            "payout {} of {} was to arrive on {}; no deposit came by {}",
            payout.id,
            payout.amount,
            payout.arrival,
            board.config.window.around(payout.arrival).1
        );
        found.push(Exception {
            payouts: vec![payout.id.clone()],
            ..exception(ExceptionKind::PayoutWithoutDeposit, payout.amount, why)
        });
    }
    board.outcome.exceptions.extend(found);
}

/// Whether the payout's lines hold and add up to it; why not where not.
fn lines_add_up(amount: Money, lines: &[BalanceLine]) -> Result<(), String> {
    let mut total = Money::zero(amount.currency);
    for (n, line) in lines.iter().enumerate() {
        if line.kind == LineKind::Payout {
            continue;
        }
        if let NetCheck::Off { stated, computed } = line.net_check() {
            return Err(format!(
                "line {} ({}) states a net of {stated} where its amounts make {computed}",
                n + 1,
                line.kind.label()
            ));
        }
        total = total
            .checked_add(line.amounts.net)
            .map_err(|e| format!("line {} cannot be added: {e}", n + 1))?;
    }
    if total == amount {
        Ok(())
    } else {
        Err(format!("its lines add up to {total}, not {amount}"))
    }
}

/// The gateway side: what the payouts' lines and the unpaid charges say.
pub(crate) fn ledger_side(input: &MatchInput<'_>, config: &MatchConfig) -> Vec<Exception> {
    let mut found = Vec::new();
    // Per charge: the gross captured, the refunds, and the payouts they were in.
    let mut per_charge: BTreeMap<&str, (i128, i128, Vec<String>, Money)> = BTreeMap::new();
    for with in input.payouts {
        let payout = &with.payout;
        let of_payout = vec![payout.id.clone()];
        if !with.lines.is_empty()
            && let Err(why) = lines_add_up(payout.amount, &with.lines)
        {
            found.push(Exception {
                payouts: of_payout.clone(),
                ..exception(
                    ExceptionKind::LinesDoNotAddUp,
                    payout.amount,
                    format!("payout {}: {why}", payout.id),
                )
            });
        }
        for line in &with.lines {
            let a = &line.amounts;
            let charge = line.charge_id.clone().into_iter().collect::<Vec<_>>();
            let about = |kind, amount, why| Exception {
                payouts: of_payout.clone(),
                charges: charge.clone(),
                ..exception(kind, amount, why)
            };
            match line.kind {
                LineKind::Dispute => found.push(about(
                    ExceptionKind::DisputeDebit,
                    a.net,
                    format!(
                        "a dispute took {} from payout {}{}",
                        a.net,
                        payout.id,
                        charge
                            .first()
                            .map(|c| format!(" (charge {c})"))
                            .unwrap_or_default()
                    ),
                )),
                LineKind::Charge => {
                    let band = config
                        .fee_band
                        .filter(|_| a.fee.currency == a.gross.currency);
                    let minor = a.gross.to_minor().ok().zip(a.fee.to_minor().ok());
                    if let (Some(band), Some((gross, fee))) = (band, minor)
                        && !band.holds(gross, fee, a.gross.currency)
                    {
                        found.push(about(
                            ExceptionKind::FeeOutlier,
                            a.fee,
                            format!(
                                "a fee of {} on a charge of {} is outside the gateway's rates",
                                a.fee, a.gross
                            ),
                        ));
                    }
                }
                _ => {}
            }
            let (Some(id), Ok(gross)) = (line.charge_id.as_deref(), a.gross.to_minor()) else {
                continue;
            };
            let entry = per_charge
                .entry(id)
                .or_insert_with(|| (0, 0, Vec::new(), Money::zero(a.gross.currency)));
            match line.kind {
                LineKind::Charge => entry.0 += i128::from(gross),
                LineKind::Refund => {
                    entry.1 += i128::from(gross).abs();
                    entry.3 = entry.3.checked_add(a.gross).unwrap_or(entry.3);
                }
                _ => continue,
            }
            entry.2.push(payout.id.clone());
        }
    }
    for (charge, (captured, refunded, mut payouts, refunds)) in per_charge {
        if captured > 0 && refunded > captured {
            payouts.sort();
            payouts.dedup();
            found.push(Exception {
                payouts,
                charges: vec![charge.to_string()],
                ..exception(
                    ExceptionKind::RefundOverCapture,
                    refunds,
                    format!("charge {charge} was refunded more than was captured"),
                )
            });
        }
    }
    for charge in input.unpaid {
        let due = charge.captured + config.settlement_delay;
        if due.date_naive() < input.as_of {
            found.push(Exception {
                charges: vec![charge.id.clone()],
                ..exception(
                    ExceptionKind::ChargeNotPaidOut,
                    charge.amount,
                    format!(
                        "charge {} of {} captured {} is in no payout {} days on",
                        charge.id,
                        charge.amount,
                        charge.captured.date_naive(),
                        config.settlement_delay.num_days()
                    ),
                )
            });
        }
    }
    found
}
