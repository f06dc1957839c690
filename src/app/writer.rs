//! The dashboard's writes (and its slower reads) carried out on their own thread and
//! connection, in the order they were asked for: tagging a whole segment of a big book or
//! importing a file takes seconds, and no frame waits for it.

use crate::state::{Action, Effect};
use crate::storage::Db;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};

/// The thread that carries effects out, and the way to it and back.
pub struct Writer {
    send: Option<Sender<Effect>>,
    receive: Receiver<Action>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    /// Starts the thread over its own connection to the book.
    pub fn start(db: Db) -> Writer {
        let (send, effects) = std::sync::mpsc::channel::<Effect>();
        let (answer, receive) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut db = db;
            for effect in effects {
                // The dashboard may have quit meanwhile: nobody to tell.
                if answer.send(super::carry_out(&mut db, effect)).is_err() {
                    break;
                }
            }
        });
        Writer {
            send: Some(send),
            receive,
            thread: Some(thread),
        }
    }

    /// Queues an effect behind the ones asked for before it. False when the thread is gone
    /// (it panicked): the effect was not carried out.
    pub fn ask(&self, effect: Effect) -> bool {
        self.send
            .as_ref()
            .is_some_and(|send| send.send(effect).is_ok())
    }

    /// An answer, when one is in; `Err` when the thread is gone and none will come.
    pub fn answer(&self) -> Result<Option<Action>, ()> {
        match self.receive.try_recv() {
            Ok(action) => Ok(Some(action)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(()),
        }
    }

    /// Waits until every effect asked for is carried out (quitting never drops a change).
    pub fn finish(mut self) {
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
        let writer = Writer::start(Db::open_existing(&path).unwrap());
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
