//! The event loop: open the book, set the terminal up, then key -> Action -> update -> draw,
//! restoring the terminal on every way out (quit, error, panic).

use crate::clock;
use crate::demo;
use crate::domain::health::HealthModel;
use crate::error::{Error, Result};
use crate::keymap;
use crate::state::{Action, AppState};
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
    let model = HealthModel::default();
    let mut db = Db::open(db_path)?;
    if db.was_created() {
        demo::embedded::load(&mut db, today)?;
    }
    let rows = db.load_rows(today, &model)?;
    let mut state = AppState::new(rows, today, model, db.is_demo()?);
    if db.was_created() {
        state.message = Some(format!("new book at {}", db_path.display()));
    }
    Ok(state)
}

/// Runs the dashboard until the user quits.
pub fn run(db_path: &Path) -> Result<()> {
    // Everything that can fail on bad input fails before the terminal changes mode.
    let mut state = load_state(db_path)?;
    let io = |e: std::io::Error| Error::runtime(format!("terminal error: {e}"));
    let mut terminal = ratatui::try_init().map_err(io)?;
    let _restore = RestoreGuard;
    while !state.quit {
        let size = terminal.size().map_err(io)?;
        let rows = views::table_rows(size.into(), &state);
        if usize::from(rows) != state.table.viewport {
            state.update(Action::Viewport(rows));
        }
        let limit = views::detail_limit(size.into(), &state);
        if limit != state.detail_limit {
            state.update(Action::DetailLimit(limit));
        }
        terminal
            .draw(|frame| views::draw(frame, &state))
            .map_err(io)?;
        if let Event::Key(key) = event::read().map_err(io)?
            && let Some(action) = keymap::action_for(state.mode(), key)
        {
            state.update(action);
        }
        // Resize and other events just fall through to a redraw.
    }
    Ok(())
}
