//! A statement file's lines as the import event that adds the new ones to a session.

use std::collections::HashSet;

use crate::money::MoneyError;
use crate::recon::Statement;
use crate::recon::import::{LineIdentity, Sorted, sort_new};
use crate::store::sessions::{Event, LineRecord, SessionView};

/// The event importing `statement`'s lines that `view` does not hold yet, and how many
/// are new and how many it held (`12 new lines, 40 already imported`).
pub fn import_event(
    statement: &Statement,
    view: &SessionView,
) -> Result<(Event, Sorted), MoneyError> {
    let held: HashSet<LineIdentity> = view.lines.iter().map(|l| l.identity.clone()).collect();
    let sorted = sort_new(statement, &held);
    let lines = sorted
        .new
        .iter()
        .map(|(i, identity)| LineRecord::new(&statement.lines[*i], identity.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let event = Event::Import {
        file: statement.file.clone(),
        lines,
        already: sorted.already,
    };
    Ok((event, sorted))
}
