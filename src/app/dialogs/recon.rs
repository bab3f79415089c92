//! The words a reconciliation mark needs: a flag's note, an ignore's reason, a note, the
//! reason for an adjustment line when picked items do not balance, a statement's path,
//! or the confirmation of a bank's guessed CSV mapping. Enter records it (through
//! `screens::recon_marks`); the session's answer comes back as the board or a toast.

use std::path::PathBuf;

use crossterm::event::{Event as TermEvent, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::super::effect::Effect;
use super::super::mode_keys::ModeAction;
use super::super::model::{Mode, Model};
use super::super::screens::recon_marks;
use super::DialogState;
use crate::money::Money;
use crate::recon::import::CsvMapping;
use crate::store::sessions::{ItemRef, TEXT_MAX};

#[derive(Debug, Clone, PartialEq)]
pub enum Asking {
    Flag(ItemRef),
    Ignore(ItemRef),
    Note(ItemRef),
    /// Picked items that differ by `difference` (deposits less payouts).
    Adjust {
        items: Vec<ItemRef>,
        difference: Money,
    },
    ImportPath,
    /// A mark refused because another operator changed the session since it was read
    /// (the subject says who and when): Enter reads it again.
    Reload,
    /// A CSV's guessed mapping, saved as `bank`'s once confirmed.
    Mapping {
        path: PathBuf,
        bank: String,
        mapping: Box<CsvMapping>,
        doubts: Vec<String>,
    },
}

#[derive(Debug, Clone)]
pub struct ReconDialog {
    pub session: String,
    pub asking: Asking,
    /// What it is about, in the operator's words (`recon_labels`), a line each.
    pub subject: Vec<String>,
    pub input: Input,
    pub state: DialogState,
    /// The newest event of the board the dialog was opened on: the mark is decided on
    /// it, so another operator's change to its item while the words are typed (the
    /// board behind reloads live) refuses it instead of overwriting that change.
    pub seen: Option<i64>,
}

impl ReconDialog {
    pub fn new(session: &str, asking: Asking, subject: Vec<String>) -> ReconDialog {
        ReconDialog {
            session: session.to_string(),
            asking,
            subject,
            input: Input::default(),
            state: DialogState::Editing,
            seen: None,
        }
    }

    pub fn title(&self) -> &'static str {
        match self.asking {
            Asking::Flag(_) => "Flag with a note",
            Asking::Ignore(_) => "Ignore, with a reason",
            Asking::Note(_) => "Add a note",
            Asking::Adjust { .. } => "Match with an adjustment line",
            Asking::ImportPath => "Import a statement",
            Asking::Reload => "Changed by another operator",
            Asking::Mapping { .. } => "The bank's CSV columns",
        }
    }

    /// What the typed words are, or `None` when nothing is typed (the mapping).
    pub fn label(&self) -> Option<&'static str> {
        match self.asking {
            Asking::Flag(_) | Asking::Note(_) => Some("note"),
            Asking::Ignore(_) => Some("reason"),
            Asking::Adjust { .. } => Some("reason for the difference"),
            Asking::ImportPath => Some("path, then the bank's name for a CSV"),
            Asking::Mapping { .. } | Asking::Reload => None,
        }
    }

    /// What the dialog is about, line by line.
    pub fn about(&self) -> Vec<String> {
        match &self.asking {
            Asking::Flag(_) | Asking::Ignore(_) | Asking::Note(_) => self.subject.clone(),
            Asking::Adjust { difference, .. } => {
                let mut lines = self.subject.clone();
                lines.push(format!(
                    "the deposits and the payouts differ by {difference}"
                ));
                lines
            }
            Asking::Reload => {
                let mut lines = self.subject.clone();
                lines.push("your mark was not kept".to_string());
                lines
            }
            Asking::ImportPath => vec![format!(
                "into session {}: OFX, camt.053, or CSV with its bank's name",
                self.session
            )],
            Asking::Mapping {
                path,
                bank,
                mapping,
                doubts,
            } => {
                let mut lines = vec![format!(
                    "{} has no saved columns for bank {bank}; paydeck guessed:",
                    path.display()
                )];
                lines.extend(mapping.to_toml().lines().map(|l| format!("  {l}")));
                lines.extend(doubts.iter().map(|d| format!("check: {d}")));
                lines.push(format!(
                    "saved as banks/{bank}.toml in the data directory (edit it there to change it)"
                ));
                lines
            }
        }
    }

    /// The words typed, checked: what Enter records, or why not yet.
    pub fn text(&self) -> Result<String, String> {
        let text = self.input.value().trim().to_string();
        match self.label() {
            None => Ok(text),
            Some(label) if text.is_empty() => Err(format!("type the {label}")),
            Some(_) if text.chars().count() > TEXT_MAX => {
                Err(format!("at most {TEXT_MAX} characters"))
            }
            Some(_) => Ok(text),
        }
    }

    /// Exactly what Enter will do.
    pub fn confirmation(&self) -> Result<String, String> {
        let text = self.text()?;
        Ok(match &self.asking {
            Asking::Flag(_) => "Flag it with this note".to_string(),
            Asking::Ignore(_) => "Ignore it for this reason".to_string(),
            Asking::Note(_) => "Add this note to it".to_string(),
            Asking::Adjust { difference, .. } => {
                format!("Match them, with an adjustment line of {difference} for this reason")
            }
            Asking::ImportPath => {
                let (path, bank) = recon_marks::split_path(&text);
                match bank {
                    Some(bank) => format!("Import {} as bank {bank}'s CSV", path.display()),
                    None => format!("Import {}", path.display()),
                }
            }
            Asking::Mapping { bank, .. } => {
                format!("Save these columns as bank {bank}'s and import the file")
            }
            Asking::Reload => format!("Read session {} again", self.session),
        })
    }
}

/// A key the dialog takes itself, `action` in the dialogs' keys.
pub(super) fn on_key(model: &mut Model, action: Option<ModeAction>, key: KeyEvent) -> Vec<Effect> {
    let Mode::Recon(dialog) = &mut model.mode else {
        return Vec::new();
    };
    if action != Some(ModeAction::Send) {
        if dialog.label().is_some() && dialog.input.handle_event(&TermEvent::Key(key)).is_some() {
            dialog.state = DialogState::Editing;
        }
        return Vec::new();
    }
    let Ok(text) = dialog.text() else {
        return Vec::new(); // the dialog already says why
    };
    let dialog = (**dialog).clone();
    model.mode = Mode::Normal;
    recon_marks::send(model, &dialog, text)
}
