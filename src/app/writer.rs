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

    /// A demo book in a temporary folder, with its accounts' keys.
    fn book() -> (tempfile::TempDir, std::path::PathBuf, Vec<i64>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let today = crate::demo::embedded::ANCHOR;
        let mut db = Db::open(&path).unwrap();
        crate::demo::embedded::load(&mut db, today).unwrap();
        let keys = db
            .load_rows(today, &crate::domain::health::HealthModel::default())
            .unwrap()
            .iter()
            .map(|r| r.key)
            .collect();
        (dir, path, keys)
    }

    fn answer(writer: &Writer) -> Answer {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Ok(Some(answer)) = writer.answer() {
                return answer;
            }
            assert!(std::time::Instant::now() < deadline, "no answer");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    #[test]
    fn a_commit_by_another_process_is_reported_with_the_next_answer_and_ours_are_not() {
        let (_dir, path, keys) = book();
        let writer = Writer::start(Db::open_existing(&path).unwrap()).unwrap();
        let tag = |name: &str| Effect::AddTag {
            tag: name.into(),
            keys: keys[..3].to_vec(),
        };
        assert!(writer.ask(tag("ours")));
        assert!(!answer(&writer).changed_elsewhere, "our own commit");
        // Another connection (as another csdeck would) commits in between.
        Db::open_existing(&path)
            .unwrap()
            .add_tag("theirs", &keys[..1])
            .unwrap();
        assert!(writer.ask(tag("ours-again")));
        assert!(answer(&writer).changed_elsewhere, "their commit");
        assert!(writer.ask(tag("once-more")));
        assert!(!answer(&writer).changed_elsewhere, "told once");
    }

    #[test]
    fn an_import_stores_its_rows_and_skips_the_read_after_it_when_quitting() {
        let (dir, path, _) = book();
        let file = dir.path().join("more.csv");
        std::fs::write(&file, "account_id,name,arr\nNEW-1,Newco,1000\n").unwrap();
        let import = || Effect::Import {
            paths: vec![file.display().to_string()],
            sort: (crate::domain::fields::Field::Name, false),
        };
        let mut db = Db::open_existing(&path).unwrap();
        let quitting = AtomicBool::new(true);
        match super::super::carry_out_until(&mut db, import(), &quitting) {
            Action::Message(message) => assert!(message.contains("1 added"), "{message}"),
            other => panic!("read after all: {other:?}"),
        }
        // Stored: the first import of your own accounts replaces the demo book.
        assert_eq!(db.account_count().unwrap(), 1);
        quitting.store(false, Ordering::Relaxed);
        let read = super::super::carry_out_until(&mut db, import(), &quitting);
        assert!(matches!(read, Action::Reloaded { .. }), "{read:?}");
    }

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
