//! A value owned by one thread and driven from async or blocking code: `call` sends a
//! closure over, the thread runs it against the value and the answer comes back on a
//! oneshot. A SQLite connection (`Send` but not `Sync`) never moves and never blocks a
//! tokio worker. The charge store's handle and the reconciliation sessions' both stand
//! on this.

use std::sync::mpsc;

use tokio::sync::oneshot;

type Job<S> = Box<dyn FnOnce(&mut S) + Send>;

/// Work queued past this many jobs waits for the thread: a bound, not a buffer.
const QUEUE: usize = 256;

/// The owning thread has stopped (it panicked, or the program is stopping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// One value's thread. Cloning shares the thread; it ends when every clone is dropped.
pub struct Owner<S> {
    jobs: mpsc::SyncSender<Job<S>>,
}

impl<S> Clone for Owner<S> {
    fn clone(&self) -> Self {
        Owner {
            jobs: self.jobs.clone(),
        }
    }
}

impl<S: 'static> Owner<S> {
    /// Moves `value` onto a new thread named `name`.
    pub fn spawn(value: S, name: &str) -> std::io::Result<Owner<S>>
    where
        S: Send,
    {
        let (jobs, queue) = mpsc::sync_channel::<Job<S>>(QUEUE);
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                let mut value = value;
                while let Ok(job) = queue.recv() {
                    job(&mut value);
                }
            })?;
        Ok(Owner { jobs })
    }

    /// Runs `job` on the owning thread and returns its answer.
    pub async fn call<T, F>(&self, job: F) -> Result<T, Stopped>
    where
        T: Send + 'static,
        F: FnOnce(&mut S) -> T + Send + 'static,
    {
        let (answer, answered) = oneshot::channel();
        self.send(Box::new(move |value| {
            // The caller may have stopped waiting (a newer filter); that is fine.
            let _ = answer.send(job(value));
        }))?;
        answered.await.map_err(|_| Stopped)
    }

    /// Runs `job` on the owning thread from blocking code (headless commands, tests).
    pub fn call_blocking<T, F>(&self, job: F) -> Result<T, Stopped>
    where
        T: Send + 'static,
        F: FnOnce(&mut S) -> T + Send + 'static,
    {
        let (answer, answered) = mpsc::sync_channel(1);
        self.send(Box::new(move |value| {
            let _ = answer.send(job(value));
        }))?;
        answered.recv().map_err(|_| Stopped)
    }

    fn send(&self, job: Job<S>) -> Result<(), Stopped> {
        self.jobs.send(job).map_err(|_| Stopped)
    }
}
