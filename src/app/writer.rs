//! The dashboard's writes (and its slower reads) carried out on their own thread and
//! connection, in the order they were asked for: tagging a whole segment of a big book or
//! importing a file takes seconds, and no frame waits for it.

use crate::error::{Error, Result};
use crate::state::{Action, Effect};
use crate::storage::Db;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError};

/// The writer thread's name: a panic there is caught and told on screen, not printed over it.
pub const THREAD: &str = "csdeck-writer";

/// What came back for one effect.
pub struct Answer {
    /// How it went, for the state.
    pub action: Action,
    /// Another process committed to the book since the writer last looked: our own commits
    /// hide that from the dashboard's watcher, so the writer, which sees only others', says so.
    pub changed_elsewhere: bool,
}

/// The thread that carries effects out, and the way to it and back. Dropped (on quitting or
/// on an error), it waits for every effect asked for, skipping the reads nobody will see.
pub struct Writer {
    send: Option<Sender<Effect>>,
    receive: Receiver<Answer>,
    thread: Option<std::thread::JoinHandle<()>>,
    quitting: Arc<AtomicBool>,
}

impl Writer {
    /// Starts the thread over its own connection to the book.
    pub fn start(db: Db) -> Result<Writer> {
        let (send, effects) = std::sync::mpsc::channel::<Effect>();
        let (answer, receive) = std::sync::mpsc::channel();
        let quitting = Arc::new(AtomicBool::new(false));
        let quit = Arc::clone(&quitting);
        // From here on, a commit another process makes shows in `changed_elsewhere`.
        let _ = db.changed_elsewhere();
        let thread = std::thread::Builder::new()
            .name(THREAD.to_owned())
            .spawn(move || {
                let mut db = db;
                for effect in effects {
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        super::carry_out_until(&mut db, effect, &quit)
                    }));
                    let action = done.unwrap_or_else(|panic| {
                        let why = panic
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| panic.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        Action::Message(format!(
                            "csdeck hit a bug and did not store that change ({why}); the rest is safe: please report it"
                        ))
                    });
                    let changed_elsewhere = db.changed_elsewhere().unwrap_or(false);
                    // The dashboard may have quit meanwhile: nobody to tell.
                    if answer
                        .send(Answer {
                            action,
                            changed_elsewhere,
                        })
                        .is_err()
                    {
                        break;
                    }
                }
            })
            .map_err(|e| Error::runtime(format!("cannot start csdeck's writer: {e}")))?;
        Ok(Writer {
            send: Some(send),
            receive,
            thread: Some(thread),
            quitting,
        })
    }

    /// Queues an effect behind the ones asked for before it. False when the thread is gone:
    /// the effect was not carried out.
    pub fn ask(&self, effect: Effect) -> bool {
        self.send
            .as_ref()
            .is_some_and(|send| send.send(effect).is_ok())
    }

    /// An answer, when one is in; `Err` when the thread is gone and none will come.
    pub fn answer(&self) -> std::result::Result<Option<Answer>, ()> {
        match self.receive.try_recv() {
            Ok(answer) => Ok(Some(answer)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(()),
        }
    }

    /// Waits until every effect asked for is carried out (quitting never drops a change).
    pub fn finish(self) {
        drop(self);
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.quitting.store(true, Ordering::Relaxed);
        drop(self.send.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_asked_for_is_stored_in_order_before_finish_returns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let today = crate::demo::embedded::ANCHOR;
        let mut db = Db::open(&path).unwrap();
        crate::demo::embedded::load(&mut db, today).unwrap();
        let keys: Vec<i64> = db
            .load_rows(today, &crate::domain::health::HealthModel::default())
            .unwrap()
            .iter()
            .map(|r| r.key)
            .collect();
        let writer = Writer::start(Db::open_existing(&path).unwrap()).unwrap();
        for n in 0..20 {
            assert!(writer.ask(Effect::AddTag {
                tag: format!("wave-{n}"),
                keys: keys.clone(),
            }));
        }
        // Then the first wave taken off again: only in order does it end up gone.
        assert!(writer.ask(Effect::RemoveTag {
            tag: "wave-0".into(),
            keys: keys.clone(),
        }));
        writer.finish();
        let tags = db.tags_of(&keys).unwrap();
        for (_, names) in &tags {
            assert!(!names.iter().any(|t| t == "wave-0"));
            assert!(
                (1..20).all(|n| names.contains(&format!("wave-{n}"))),
                "{names:?}"
            );
        }
    }
}
