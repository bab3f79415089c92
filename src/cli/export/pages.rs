//! Reading a kind page by page, from the local store or the gateway, and writing each
//! matching row as it comes, until the list ends or `--limit` rows are written.

use std::io::Write;
use std::sync::Arc;

use super::error::ExportFailure;
use super::kinds::{Kind, StoreAt};
use super::progress::Progress;
use super::writer::RowWriter;
use crate::domain::{PageRequest, Skipped};
use crate::gateway::Gateway;
use crate::recon::export::ExportError;
use crate::store::Store;

/// Objects asked of the gateway a page (adapters keep it within their gateway's bounds).
const GATEWAY_PAGE: u32 = 100;
/// Rows read from the store a page.
const STORE_PAGE: usize = 500;
/// Pages read at most: 10 million objects at the gateway's page size.
pub const MAX_PAGES: usize = 100_000;

/// The rows written so far, and what stops them.
pub struct Rows<W: Write> {
    pub writer: RowWriter<W>,
    pub limit: Option<u64>,
    pub written: u64,
    pub skipped: Vec<Skipped>,
    pub progress: Progress,
}

impl<W: Write> Rows<W> {
    fn wants_more(&self) -> bool {
        self.limit.is_none_or(|limit| self.written < limit)
    }

    /// Writes `item`'s row if more are wanted; whether more still are.
    fn take<T: Kind>(&mut self, item: &T) -> Result<bool, ExportFailure> {
        if !self.wants_more() {
            return Ok(false);
        }
        let cells = item
            .cells()
            .map_err(|e| ExportFailure::Output(format!("{} {}: {e}", T::NAME, item.id())))?;
        self.writer.row(cells).map_err(output)?;
        self.written += 1;
        Ok(self.wants_more())
    }

    /// After a page: passes its rows on and tells the progress line.
    fn page_done(&mut self) -> Result<(), ExportFailure> {
        self.writer.flush().map_err(output)?;
        self.progress.tell(self.written);
        Ok(())
    }
}

pub fn output(e: ExportError) -> ExportFailure {
    ExportFailure::Output(e.to_string())
}

/// Every page of `T` the gateway lists, newest first.
pub async fn from_gateway<T: Kind, W: Write>(
    gateway: &Arc<dyn Gateway>,
    filter: &T::Filter,
    rows: &mut Rows<W>,
) -> Result<(), ExportFailure> {
    let mut request = PageRequest::first(GATEWAY_PAGE);
    for _ in 0..MAX_PAGES {
        if !rows.wants_more() {
            return Ok(());
        }
        let page = T::gateway_page(gateway.as_ref(), &request, filter)
            .await
            .map_err(|e| {
                ExportFailure::Gateway(format!(
                    "reading {} from {} failed after {} written: {e}",
                    T::NAME,
                    gateway.name(),
                    rows.written
                ))
            })?;
        rows.skipped.extend(page.skipped);
        let empty = page.items.is_empty();
        for item in page.items.iter().filter(|i| T::matches(filter, i)) {
            if !rows.take(item)? {
                break;
            }
        }
        rows.page_done()?;
        match page.next {
            Some(next) if !empty => request = PageRequest::at(next, GATEWAY_PAGE),
            _ => return Ok(()),
        }
    }
    Err(ExportFailure::Gateway(format!(
        "{} from {} went on past {MAX_PAGES} pages; narrow it with --filter or --limit",
        T::NAME,
        gateway.name()
    )))
}

/// Every page of `T` the store holds, newest first.
pub fn from_store<T: Kind, W: Write>(
    store: &Store,
    filter: &T::Filter,
    rows: &mut Rows<W>,
) -> Result<(), ExportFailure> {
    let mut at: Option<StoreAt> = None;
    loop {
        if !rows.wants_more() {
            return Ok(());
        }
        let (items, next) = T::store_page(store, filter, at.as_ref(), STORE_PAGE).map_err(|e| {
            ExportFailure::Store(format!("reading {} from the store: {e}", T::NAME))
        })?;
        for item in &items {
            if !rows.take(item)? {
                break;
            }
        }
        rows.page_done()?;
        match next {
            Some(next) => at = Some(next),
            None => return Ok(()),
        }
    }
}
