//! A shared session store that did not open when the dashboard started is tried again
//! in the background, with a bounded backoff, until it answers: the loop then hands
//! the sessions to the runner and starts watching them. Meanwhile the screen says the
//! store is unreachable, and only while it is: any other refusal ends the trying.

use std::path::PathBuf;

use tokio::sync::mpsc;

use super::runner_recon::SessionLink;
use crate::store::sessions::watch::{Backoff, Watched};
use crate::store::sessions::{PgSessions, SessionError, SessionHandle, StoreUrl};

/// What trying again came to.
#[derive(Debug)]
pub(super) enum Reopen {
    /// The store does not answer (why), said once; trying goes on.
    Down(String),
    /// It answered and the sessions are open.
    Opened(SessionLink),
    /// It answered but refused (a migration, the credentials): trying stops.
    Failed(String),
}

/// Tries the store at `url` until it opens or refuses, or the receiver is dropped.
pub(super) fn reopen(dir: PathBuf, url: StoreUrl) -> mpsc::Receiver<Reopen> {
    let (tx, rx) = mpsc::channel(2);
    tokio::spawn(async move {
        let mut backoff = Backoff::new();
        let mut told_down = false;
        loop {
            let target = url.clone();
            let opened = tokio::task::spawn_blocking(move || {
                PgSessions::connect(&target).and_then(|pg| SessionHandle::spawn(Box::new(pg)))
            })
            .await;
            let told = match opened {
                Ok(Ok(handle)) => Reopen::Opened(SessionLink {
                    handle,
                    data_dir: dir,
                    watched: Watched::Postgres(url),
                }),
                Ok(Err(e @ SessionError::Unreachable { .. })) => {
                    if !told_down && tx.send(Reopen::Down(e.to_string())).await.is_err() {
                        return;
                    }
                    told_down = true;
                    tokio::time::sleep(backoff.step()).await;
                    if tx.is_closed() {
                        return;
                    }
                    continue;
                }
                Ok(Err(e)) => Reopen::Failed(e.to_string()),
                Err(e) => Reopen::Failed(format!("the reconciliation sessions did not open: {e}")),
            };
            if let Reopen::Failed(why) = &told {
                tracing::warn!(error = %why, "the reconciliation sessions did not open");
            }
            let _ = tx.send(told).await;
            return;
        }
    });
    rx
}

/// The next outcome of trying again; never, when nothing is being tried.
pub(super) async fn next(reopening: &mut Option<mpsc::Receiver<Reopen>>) -> Option<Reopen> {
    match reopening {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sessions::pg_cluster::own_cluster;

    /// Sync, with a runtime of its own: the cluster's sync client cannot run inside one.
    #[test]
    fn a_store_down_at_start_is_said_down_once_and_opens_when_it_is_back() {
        let Some(cluster) = own_cluster() else {
            return;
        };
        let url = StoreUrl::parse(&cluster.new_database()).unwrap();
        cluster.kill_server().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let wait = std::time::Duration::from_secs(90);
        let mut reopening = Some(runtime.block_on(async { reopen(std::env::temp_dir(), url) }));
        let first =
            runtime.block_on(async { tokio::time::timeout(wait, next(&mut reopening)).await });
        assert!(matches!(first, Ok(Some(Reopen::Down(_)))), "{first:?}");
        cluster.start_server().unwrap();
        // Down is said once: the next word is that it opened.
        let then =
            runtime.block_on(async { tokio::time::timeout(wait, next(&mut reopening)).await });
        let Ok(Some(Reopen::Opened(link))) = then else {
            panic!("{then:?}");
        };
        let sessions = runtime.block_on(link.handle.call(|s| s.list())).unwrap();
        assert!(sessions.is_empty());
    }
}
