//! Copying for the operator: `y` copies the id of the object the keys act on, `Y` opens
//! a small menu of what else can be copied from it (its amount, its email, the
//! gateway's raw JSON). Both go through the same clipboard effect.

use crossterm::event::KeyEvent;

use super::effect::Effect;
use super::keymap::Intent;
use super::mode_keys::{KeyMode, ModeAction};
use super::model::{Loadable, Mode, Model, ToastKind};
use super::offers;
use super::screens::{Pane, Section};
use crate::domain::{Charge, Customer, Dispute, Payout, RawJson, Refund};
use crate::money::Money;

/// Text to copy, and what it is for the toast that says it was copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copying {
    pub what: String,
    pub text: String,
}

impl Copying {
    /// The id of a `word` (`charge`): `y`.
    pub fn id(word: &str, id: &str) -> Copying {
        Copying {
            what: format!("{word} id"),
            text: id.to_string(),
        }
    }

    /// An object's id: `y`.
    pub fn id_of<T: Copyable>(item: &T) -> Copying {
        Copying::id(T::WORD, item.id())
    }
}

/// What can be copied from an object of a kind.
pub trait Copyable {
    /// The object's name in the toast and the menu: `charge`.
    const WORD: &'static str;
    fn id(&self) -> &str;
    fn amount(&self) -> Option<Money> {
        None
    }
    fn email(&self) -> Option<&str> {
        None
    }
    fn raw(&self) -> &RawJson;
}

impl Copyable for Charge {
    const WORD: &'static str = "charge";
    fn id(&self) -> &str {
        &self.id
    }
    fn amount(&self) -> Option<Money> {
        Some(self.amount)
    }
    fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
    fn raw(&self) -> &RawJson {
        &self.raw
    }
}

impl Copyable for Customer {
    const WORD: &'static str = "customer";
    fn id(&self) -> &str {
        &self.id
    }
    fn email(&self) -> Option<&str> {
        Some(&self.email)
    }
    fn raw(&self) -> &RawJson {
        &self.raw
    }
}

/// Refunds, payouts and disputes: an id, an amount and the gateway's JSON.
macro_rules! copyable_with_amount {
    ($($item:ty => $word:literal),*) => {$(
        impl Copyable for $item {
            const WORD: &'static str = $word;
            fn id(&self) -> &str {
                &self.id
            }
            fn amount(&self) -> Option<Money> {
                Some(self.amount)
            }
            fn raw(&self) -> &RawJson {
                &self.raw
            }
        }
    )*};
}

copyable_with_amount!(Refund => "refund", Payout => "payout", Dispute => "dispute");

/// One line of the menu: what it copies, and a short look at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyChoice {
    pub copying: Copying,
    pub preview: String,
}

/// The menu `Y` opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyMenu {
    /// What it copies from: `charge ch_…`.
    pub about: String,
    pub choices: Vec<CopyChoice>,
    pub selected: usize,
}

impl CopyMenu {
    /// The amount (exact, with its currency: `12.50 AUD`), the email and the raw JSON,
    /// those the object has.
    pub fn of<T: Copyable>(item: &T) -> CopyMenu {
        let mut choices = Vec::new();
        if let Some(amount) = item.amount() {
            choices.push(CopyChoice {
                copying: Copying {
                    what: "amount".into(),
                    text: format!("{} {}", amount.plain(), amount.currency.code()),
                },
                preview: amount.to_string(),
            });
        }
        if let Some(email) = item.email().filter(|e| !e.trim().is_empty()) {
            choices.push(CopyChoice {
                copying: Copying {
                    what: "email".into(),
                    text: email.to_string(),
                },
                preview: email.to_string(),
            });
        }
        let raw = item.raw().as_str();
        if !raw.is_empty() {
            choices.push(CopyChoice {
                copying: Copying {
                    what: "raw JSON".into(),
                    text: raw.to_string(),
                },
                preview: format!("{} bytes", raw.len()),
            });
        }
        CopyMenu {
            about: format!("{} {}", T::WORD, item.id()),
            choices,
            selected: 0,
        }
    }
}

/// The menu for the object the keys act on: the charge they act on, else the selected
/// item of the list on top, or the customer or payout open.
fn menu_here(model: &Model) -> Option<CopyMenu> {
    if let Some(charge) = offers::target_charge(model) {
        return Some(CopyMenu::of(charge));
    }
    match model.screens.top()? {
        Pane::Customers(pane) => pane.list.selected().map(CopyMenu::of),
        Pane::Refunds(pane) => pane.list.selected().map(CopyMenu::of),
        Pane::Payouts(pane) => pane.list.selected().map(CopyMenu::of),
        Pane::Disputes(pane) => pane.list.selected().map(CopyMenu::of),
        Pane::Customer(pane) if pane.section != Section::Charges => match &pane.customer {
            Loadable::Loaded(customer) => Some(CopyMenu::of(customer)),
            _ => None,
        },
        Pane::Payout(pane) => match &pane.payout {
            Loadable::Loaded(payout) => Some(CopyMenu::of(payout.as_ref())),
            _ => None,
        },
        _ => None,
    }
}

/// `Y`: opens the menu over the object the keys act on; with nothing selected, nothing.
pub(crate) fn open(model: &mut Model) -> Vec<Effect> {
    let Some(menu) = menu_here(model) else {
        return Vec::new();
    };
    if menu.choices.is_empty() {
        let text = format!("Nothing more to copy from {}", menu.about);
        model.toast(ToastKind::Info, text);
        return Vec::new();
    }
    model.mode = Mode::CopyMenu(menu);
    model.touch();
    Vec::new()
}

/// A key in the menu: the dialogs' keys send (copy the chosen line) and close; the
/// moving keys and the dialogs' next and previous field choose a line.
pub(crate) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    let action = model.keymap.in_mode(KeyMode::Dialog, &key);
    let intent = model.keymap.intent(&key);
    let Mode::CopyMenu(menu) = &mut model.mode else {
        return Vec::new();
    };
    let last = menu.choices.len().saturating_sub(1);
    match (action, intent) {
        (Some(ModeAction::Send), _) => {
            let chosen = menu.choices.get(menu.selected).map(|c| c.copying.clone());
            model.mode = Mode::Normal;
            model.touch();
            return chosen.map(Effect::Copy).into_iter().collect();
        }
        (Some(ModeAction::Close), _) | (_, Some(Intent::Back | Intent::CopyMenu)) => {
            model.mode = Mode::Normal;
        }
        (Some(ModeAction::NextField), _) | (_, Some(Intent::Down)) => {
            menu.selected = (menu.selected + 1).min(last);
        }
        (Some(ModeAction::PreviousField), _) | (_, Some(Intent::Up)) => {
            menu.selected = menu.selected.saturating_sub(1);
        }
        _ => return Vec::new(),
    }
    model.touch();
    Vec::new()
}

#[cfg(test)]
#[path = "copy_menu_tests.rs"]
mod tests;
