//! The event loop: open the book, set the terminal up, then key -> Action -> update -> draw,
//! restoring the terminal on every way out (quit, error, panic).

use crate::clock;
use crate::demo;
use crate::error::{Error, Result};
use crate::keymap;
use crate::state::{Action, AppState, Effect};
use crate::storage::Db;
use crate::views;
use crossterm::event::{self, Event};
use std::path::Path;

/// Restores the terminal when dropped, so an early return or error leaves a clean screen.
/// (Panics are covered by the hook ratatui installs in `try_init`.)
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Opens the book (creating it with the demo data when new) and builds the dashboard's state.
pub fn load_state(db_path: &Path) -> Result<AppState> {
    let today = clock::today()?;
    let model = crate::config::health_model()?;
    let mut db = Db::open(db_path)?;
    if db.was_created()
        && let Err(error) = demo::embedded::load(&mut db, today)
    {
        // Leave no half-loaded book behind: the next start tries again.
        drop(db);
        crate::storage::remove_database(db_path);
        return Err(error);
    }
    let book = db.load_book(today, &model)?;
    let mut state = AppState::new(book, today, model, db.is_demo()?);
    if db.was_created() {
        state.message = Some(format!(
            "new book at {} with demo data: import yours with `csdeck import FILE...`",
            db_path.display()
        ));
    }
    Ok(state)
}

/// Carries an effect out against storage and says how it went, as an Action for the state.
pub fn carry_out(db: &mut Db, effect: Effect) -> Action {
    let result = match &effect {
        Effect::SaveSegment {
            name,
            expression,
            replacing,
        } => db
            .save_segment(name, expression, replacing.as_deref())
            .map(|()| format!("saved segment '{name}'")),
        Effect::RemoveSegment { name } => db
            .remove_segment(name)
            .map(|_| format!("removed segment '{name}'")),
    };
    match result.and_then(|message| db.saved_segments().map(|saved| (message, saved))) {
        Ok((message, saved)) => Action::SavedSegments { saved, message },
        Err(error) => Action::Message(format!("the book was not changed: {error}")),
    }
}

/// Loads an account's health history (one account's snapshots: a few milliseconds). A failure
/// still marks the account as loaded, with a message, so it is not retried on every key.
pub fn load_history(db: &Db, state: &AppState, key: i64) -> Vec<Action> {
    let seats = state.selected().and_then(|r| r.account.seats);
    match db.health_history(key, seats, state.today, &state.model) {
        Ok(points) => vec![Action::History { key, points }],
        Err(error) => vec![
            Action::History {
                key,
                points: Vec::new(),
            },
            Action::Message(format!("could not load the health history: {error}")),
        ],
    }
}

/// Runs the dashboard until the user quits.
pub fn run(db_path: &Path) -> Result<()> {
    // Everything that can fail on bad input fails before the terminal changes mode.
    let mut state = load_state(db_path)?;
    let mut db = Db::open_existing(db_path)?;
    let io = |e: std::io::Error| Error::runtime(format!("terminal error: {e}"));
    // The guard exists before the terminal changes mode, so a failure half-way through
    // setting it up is undone too.
    let _restore = RestoreGuard;
    let mut terminal = ratatui::try_init().map_err(io)?;
    while !state.quit {
        let size = terminal.size().map_err(io)?;
        state.update(views::measure(size.into(), &state));
        if let Some(key) = state.history_wanted() {
            for action in load_history(&db, &state, key) {
                state.update(action);
            }
        }
        terminal
            .draw(|frame| views::draw(frame, &state))
            .map_err(io)?;
        // Debug builds only: lets the terminal tests prove a panic restores the terminal.
        #[cfg(debug_assertions)]
        if std::env::var_os("CSDECK_TEST_PANIC").is_some() {
            panic!("CSDECK_TEST_PANIC is set: panicking on purpose after the first frame");
        }
        if let Event::Key(key) = event::read().map_err(io)?
            && let Some(action) = keymap::action_for(state.mode(), key)
            && let Some(effect) = state.update(action)
        {
            let outcome = carry_out(&mut db, effect);
            state.update(outcome);
        }
        // Resize and other events just fall through to a redraw.
    }
    Ok(())
}
