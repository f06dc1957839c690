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

mod writer;

/// Restores the terminal when dropped, so an early return or error leaves a clean screen.
/// (Panics are covered by the hook ratatui installs in `try_init`.)
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// The book opened and the configuration read: everything that fails on bad input, done
/// before the terminal changes mode. Reading the accounts comes after ([`Opened::state`]).
pub struct Opened {
    db: Db,
    path: std::path::PathBuf,
    today: crate::domain::Date,
    model: crate::domain::health::HealthModel,
    triage: crate::domain::triage::TriageConfig,
}

/// Opens the book (creating it with the demo data when new) and reads the configuration.
pub fn open_book(db_path: &Path) -> Result<Opened> {
    let today = clock::today()?;
    let model = crate::config::health_model()?;
    let triage = crate::config::triage_config()?;
    let mut db = Db::open(db_path)?;
    if db.was_created()
        && let Err(error) = demo::embedded::load(&mut db, today)
    {
        // Leave no half-loaded book behind: the next start tries again.
        drop(db);
        crate::storage::remove_database(db_path);
        return Err(error);
    }
    Ok(Opened {
        db,
        path: db_path.to_path_buf(),
        today,
        model,
        triage,
    })
}

/// Opens the book and builds the dashboard's state in one go (tests, benchmarks).
pub fn load_state(db_path: &Path) -> Result<AppState> {
    open_book(db_path)?.state()
}

impl Opened {
    /// The day the book is read for.
    pub fn today(&self) -> crate::domain::Date {
        self.today
    }

    /// The health model read from the configuration.
    pub fn model(&self) -> &crate::domain::health::HealthModel {
        &self.model
    }

    /// The triage signals read from the configuration.
    pub fn triage_config(&self) -> &crate::domain::triage::TriageConfig {
        &self.triage
    }

    /// A big book's first page by name, shown while the rest is read ([`AppState::reading`]):
    /// a million accounts list their first page in a fraction of a second. None for a book
    /// small enough to read at once, or when the page cannot be read (the whole read then
    /// says why).
    pub fn first_page(&self) -> Option<AppState> {
        let total = usize::try_from(self.db.account_count().ok()?).ok()?;
        if total < FIRST_PAGE_FROM {
            return None;
        }
        let first = self
            .db
            .first_by_name(FIRST_PAGE, self.today, &self.model)
            .ok()?;
        let demo = self.db.is_demo().ok()?;
        let mut state = AppState::reading(first, total, self.today, self.model.clone(), demo);
        state.no_color = no_color();
        Some(state)
    }

    /// Reads every account and builds the dashboard's state; the triage queue's inputs are
    /// left to [`read_in_background`]. Seconds on a big book: the loop runs it on a thread.
    pub fn state(self) -> Result<AppState> {
        let Opened {
            db,
            path,
            today,
            model,
            triage: _,
        } = self;
        let db_path = path.as_path();
        let book = db.load_book(today, &model)?;
        let demo = db.is_demo()?;
        let mut state = AppState::new(book, today, model, demo);
        // Your own book opens on what needs you now; the demo book on its accounts.
        if !demo {
            state.toggle_triage();
        }
        state.no_color = no_color();
        if db.was_created() {
            state.message = Some(format!(
                "new book at {} with demo data: import yours with `csdeck import FILE...`",
                db_path.display()
            ));
        }
        Ok(state)
    }
}

/// From this many accounts on, the dashboard lists the book's first page while it reads the
/// rest (below it, the whole book is read in well under a second).
const FIRST_PAGE_FROM: usize = 50_000;

/// Accounts on that first page: a few screens to look through.
const FIRST_PAGE: usize = 500;

/// https://no-color.org: set and not empty means no colours.
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Reads the triage queue's inputs on a thread with its own connection (the accounts' keys
/// and seats too), so no frame waits for every account's recent history; the answer comes
/// back as one Action.
pub fn read_in_background(
    db_path: &Path,
    config: crate::domain::triage::TriageConfig,
    today: crate::domain::Date,
    model: crate::domain::health::HealthModel,
) -> std::sync::mpsc::Receiver<Action> {
    let (send, receive) = std::sync::mpsc::channel();
    let path = db_path.to_path_buf();
    std::thread::spawn(move || {
        let action = Db::open_existing(&path)
            .and_then(|db| {
                let accounts = db.seats()?;
                db.triage_inputs_of(&accounts, config, today, &model)
            })
            .map_or_else(
                |error| Action::Message(format!("the triage queue could not be read: {error}")),
                |inputs| Action::TriageLoaded(Box::new(inputs)),
            );
        // The dashboard may have quit meanwhile: nobody to tell.
        let _ = send.send(action);
    });
    receive
}

/// Carries an effect out against storage and says how it went, as an Action for the state.
pub fn carry_out(db: &mut Db, effect: Effect) -> Action {
    carry_out_until(db, effect, &std::sync::atomic::AtomicBool::new(false))
}

/// [`carry_out`], skipping the read after an import once `quitting` is set: nobody will see
/// it, and at a million accounts it takes seconds.
fn carry_out_until(
    db: &mut Db,
    effect: Effect,
    quitting: &std::sync::atomic::AtomicBool,
) -> Action {
    let not_changed =
        |error: crate::error::Error| Action::Message(format!("the book was not changed: {error}"));
    let segments = |db: &Db, message: String| match db.saved_segments() {
        Ok(saved) => Action::SavedSegments { saved, message },
        Err(error) => not_changed(error),
    };
    let tags = |db: &Db, outcome: crate::storage::tags::TagOutcome, message: String| match db
        .tags_of(&outcome.keys)
    {
        Ok(rows) => Action::TagsChanged {
            rows,
            undo: Some(outcome.undo),
            message,
        },
        Err(error) => not_changed(error),
    };
    let count = |n: usize| crate::domain::plural::count(n, "account");
    match effect {
        Effect::SaveSegment {
            name,
            expression,
            replacing,
        } => match db.save_segment(&name, &expression, replacing.as_deref()) {
            Ok(()) => segments(db, format!("saved segment '{name}'")),
            Err(error) => not_changed(error),
        },
        Effect::RemoveSegment { name } => match db.remove_segment(&name) {
            Ok(_) => segments(db, format!("removed segment '{name}'")),
            Err(error) => not_changed(error),
        },
        Effect::AddTag { tag, keys } => match db.add_tag(&tag, &keys) {
            Ok(outcome) => {
                let message = format!(
                    "tagged {} with '{tag}' ({} already had it) · U undoes",
                    count(outcome.changed),
                    outcome.unchanged
                );
                tags(db, outcome, message)
            }
            Err(error) => not_changed(error),
        },
        Effect::RemoveTag { tag, keys } => match db.remove_tag(&tag, &keys) {
            Ok(outcome) => {
                let message = format!("removed '{tag}' from {} · U undoes", count(outcome.changed));
                tags(db, outcome, message)
            }
            Err(error) => not_changed(error),
        },
        Effect::RenameTag { old, new } => match db.rename_tag(&old, &new) {
            Ok((outcome, merged)) => {
                let verb = if merged { "merged into" } else { "renamed to" };
                let message = format!(
                    "'{old}' {verb} '{new}' on {} · U undoes",
                    count(outcome.changed)
                );
                tags(db, outcome, message)
            }
            Err(error) => not_changed(error),
        },
        Effect::DeleteTag { tag } => match db.delete_tag(&tag) {
            Ok(outcome) => {
                let message = format!("deleted '{tag}' from {} · U undoes", count(outcome.changed));
                tags(db, outcome, message)
            }
            Err(error) => not_changed(error),
        },
        Effect::Export {
            path,
            rows,
            listed,
            what,
        } => {
            let rows: Vec<&crate::domain::AccountRow> =
                listed.iter().filter_map(|&i| rows.get(i)).collect();
            let written = crate::domain::export::csv(&rows, false)
                .map_err(crate::error::Error::runtime)
                .and_then(|contents| {
                    let path = free_name(std::path::Path::new(&path));
                    crate::cli::export::write_file(&path, &contents).map(|()| path)
                });
            match written {
                Ok(path) => Action::Message(format!("exported {what} to {}", path.display())),
                Err(error) => Action::Message(format!("nothing was exported: {error}")),
            }
        }
        Effect::Import { paths, sort } => import(db, &paths, sort, quitting),
        Effect::LoadSegmentResponses { keys, today } => {
            let all = crate::domain::nps::Window::since(crate::domain::Date::MIN, today);
            match db.responses_of(&keys, all) {
                Ok(responses) => Action::SegmentResponses(responses),
                Err(error) => Action::Message(format!("could not load the NPS answers: {error}")),
            }
        }
        Effect::RecordTriage {
            key,
            kind,
            until,
            fired,
            name,
            today,
        } => {
            let name = crate::domain::sanitize::caret(&name).into_owned();
            let what = match (kind, until) {
                (crate::domain::triage::ActionKind::Done, _) => format!("{name}: done"),
                (crate::domain::triage::ActionKind::Snooze, Some(until)) => {
                    format!("{name}: snoozed until {until}")
                }
                _ => format!("{name}: back in the queue"),
            };
            match db
                .record_triage(key, kind, until, &fired, today)
                .and_then(|id| Ok((id, db.triage_actions()?)))
            {
                Ok((id, actions)) => Action::TriageActions {
                    actions,
                    undo: Some((id, what.clone())),
                    message: format!("{what} · U undoes"),
                },
                Err(error) => not_changed(error),
            }
        }
        Effect::RemoveTriage { id, description } => match db
            .remove_triage_action(id)
            .and_then(|()| db.triage_actions())
        {
            Ok(actions) => Action::TriageActions {
                actions,
                undo: None,
                message: format!("undone: {description}"),
            },
            Err(error) => not_changed(error),
        },
        Effect::AddNote { key, body, today } => match db.add_note(key, &body, today) {
            Ok(()) => Action::NoteSaved {
                key,
                message: "note saved (:notes WORDS finds it)".into(),
            },
            Err(error) => Action::Message(format!("the note was not saved: {error}")),
        },
        Effect::SearchNotes { words } => match db.search_notes(&words, 200) {
            Ok(hits) => Action::NoteHits { words, hits },
            Err(error) => Action::Message(format!("the notes could not be searched: {error}")),
        },
        Effect::Undo(undo) => match db.undo_tags(&undo).and_then(|keys| db.tags_of(&keys)) {
            Ok(rows) => Action::TagsChanged {
                rows,
                undo: None,
                message: format!("undone: {}", undo.description),
            },
            Err(error) => not_changed(error),
        },
    }
}

/// `name.csv`, or `name-2.csv`, `name-3.csv`... when it exists: an export never overwrites.
fn free_name(path: &std::path::Path) -> std::path::PathBuf {
    if !path.exists() {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let extension = path.extension().map(|e| e.to_string_lossy().into_owned());
    (2..)
        .map(|n| {
            let name = match &extension {
                Some(ext) => format!("{stem}-{n}.{ext}"),
                None => format!("{stem}-{n}"),
            };
            path.with_file_name(name)
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or_else(|| path.to_path_buf())
}

/// `:import FILE...` from the dashboard: the same import as the CLI, then the book read again.
fn import(
    db: &mut Db,
    paths: &[String],
    sort: (crate::domain::fields::Field, bool),
    quitting: &std::sync::atomic::AtomicBool,
) -> Action {
    let today = match clock::today() {
        Ok(today) => today,
        Err(error) => return Action::Message(error.to_string()),
    };
    let options = crate::storage::import::ImportOptions::new(today);
    let mut prepared = Vec::new();
    for path in paths {
        match crate::storage::import::prepare_file(std::path::Path::new(path), &options) {
            Ok(file) => prepared.push(file),
            Err(error) => return Action::Message(format!("nothing was imported: {error}")),
        }
    }
    prepared.sort_by_key(|p| p.kind());
    let summaries = match db.import_all(prepared, &options) {
        Ok(summaries) => summaries,
        Err(error) => return Action::Message(format!("nothing was imported: {error}")),
    };
    let mut parts: Vec<String> = Vec::new();
    for s in &summaries {
        // The file's name is enough on one screen line; the folder was just typed.
        let file = std::path::Path::new(&s.file)
            .file_name()
            .map_or_else(|| s.file.clone(), |n| n.to_string_lossy().into_owned());
        match s.rejected.first() {
            Some(first) if !s.committed => parts.push(format!(
                "nothing imported: {} bad row{} in {}, first {}",
                s.rejected.len(),
                if s.rejected.len() == 1 { "" } else { "s" },
                file,
                first.describe("line").replacen("line:", "line ", 1)
            )),
            None if !s.committed => parts.push(format!("{file}: not written")),
            _ => {
                let mut part = format!("{file}: {} added, {} updated", s.added, s.updated);
                if !s.warnings.is_empty() {
                    part.push_str(&format!(
                        " ({} warning{}: {})",
                        s.warnings.len(),
                        if s.warnings.len() == 1 { "" } else { "s" },
                        s.warnings[0]
                    ));
                }
                parts.push(part);
            }
        }
    }
    if summaries
        .iter()
        .any(|s| s.committed && s.kind == crate::storage::import::Kind::Accounts)
    {
        let _ = db.set_demo(false);
    }
    if quitting.load(std::sync::atomic::Ordering::Relaxed) {
        return Action::Message(parts.join(" · "));
    }
    let model = match crate::config::health_model() {
        Ok(model) => model,
        Err(error) => return Action::Message(error.to_string()),
    };
    // Counted here, in the list's order, so the dashboard only swaps the book in.
    let loaded = db.load_book(today, &model).and_then(|mut book| {
        let triage = read_triage(db, &book, today, &model)?;
        let ready = crate::state::Ready::of(&mut book, sort, &triage, &model, today);
        Ok((book, triage, ready))
    });
    match loaded {
        Ok((book, triage, ready)) => Action::Reloaded {
            book: Box::new(book),
            triage,
            message: parts.join(" · "),
            demo: db.is_demo().unwrap_or(false),
            model: Box::new(model),
            ready: Some(Box::new(ready)),
        },
        Err(error) => Action::Message(format!("imported, but the book could not be read: {error}")),
    }
}

/// The triage queue's inputs for a book just read.
fn read_triage(
    db: &Db,
    book: &crate::domain::book::Book,
    today: crate::domain::Date,
    model: &crate::domain::health::HealthModel,
) -> Result<Box<crate::domain::triage::Inputs>> {
    let config = crate::config::triage_config()?;
    Ok(Box::new(db.triage_inputs(book, config, today, model)?))
}

/// Loads an account's health history (one account's snapshots: a few milliseconds). A failure
/// still marks the account as loaded, with a message, so it is not retried on every key.
pub fn load_history(db: &Db, state: &AppState, key: i64) -> Vec<Action> {
    let seats = state.selected().and_then(|r| r.account.seats);
    let today = state.today;
    let loaded = (|| -> Result<_> {
        let snapshots = db.snapshots(key, today)?;
        let responses = db.nps_responses(key, today)?;
        let notes = db.notes(key)?;
        let points = crate::domain::history::history(&snapshots, seats, &responses, &state.model);
        let moves = crate::domain::history::moves(&snapshots, seats, &responses, &state.model);
        let timeline = crate::domain::timeline::build(
            &db.notes_stamped(key)?,
            &responses,
            &moves,
            &db.events(key)?,
            &db.triage_actions_of(key)?,
        );
        Ok((points, responses, notes, timeline))
    })();
    match loaded {
        Ok((points, responses, notes, timeline)) => vec![Action::History {
            key,
            points,
            responses,
            notes,
            timeline,
        }],
        Err(error) => vec![
            Action::History {
                key,
                points: Vec::new(),
                responses: Vec::new(),
                notes: Vec::new(),
                timeline: Vec::new(),
            },
            Action::Message(format!("could not load the health history: {error}")),
        ],
    }
}

/// Runs the dashboard until the user quits.
pub fn run(db_path: &Path) -> Result<()> {
    // Everything that can fail on bad input fails before the terminal changes mode.
    let opened = open_book(db_path)?;
    let db = Db::open_existing(db_path)?;
    let _ = db.changed_elsewhere();
    // Writes (and the slower reads) go to their own thread, in order.
    let writer = writer::Writer::start(Db::open_existing(db_path)?)?;
    let io = |e: std::io::Error| Error::runtime(format!("terminal error: {e}"));
    // The guard exists before the terminal changes mode, so a failure half-way through
    // setting it up is undone too.
    let restore = RestoreGuard;
    let mut terminal = ratatui::try_init().map_err(io)?;
    // A panic on the writer thread is caught there and told on screen: the terminal stays.
    let restoring = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(writer::THREAD) {
            restoring(info);
        }
    }));
    let started = std::time::Instant::now();
    terminal
        .draw(|frame| views::loading::draw(frame, db_path, started.elapsed()))
        .map_err(io)?;
    // Before the readers below take both cores.
    let first = opened.first_page();
    // The queue's history is read on its own thread from the start, beside the book.
    let mut background = Some(read_in_background(
        db_path,
        opened.triage.clone(),
        opened.today,
        opened.model.clone(),
    ));
    // A big book takes seconds to read: a frame at once, keys (q, Ctrl-c) answered meanwhile.
    let Some(mut state) = wait_for_book(&mut terminal, opened, first, &db, db_path)? else {
        return Ok(());
    };
    // The book being read again after another csdeck changed it; `again` when this dashboard
    // wrote meanwhile, so that read may have missed the write: it is dropped for a new one.
    let mut reloading: Option<std::sync::mpsc::Receiver<Action>> = None;
    let mut again = false;
    while !state.quit {
        if let Some(receive) = &reloading {
            match receive.try_recv() {
                Ok(stale) if again => {
                    // A million accounts are freed elsewhere, not on this thread.
                    std::thread::spawn(move || drop(stale));
                    again = false;
                    reloading = Some(reload_in_background(db_path, &state));
                }
                Ok(action) => {
                    state.update(action);
                    reloading = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => reloading = None,
            }
        }
        loop {
            match writer.answer() {
                Ok(Some(answer)) => {
                    state.in_flight = state.in_flight.saturating_sub(1);
                    // Our own writes are not news, but a reload begun before one may not
                    // have it; what another process wrote meanwhile, the writer saw.
                    let _ = db.changed_elsewhere();
                    again |= reloading.is_some();
                    state.update(answer.action);
                    if answer.changed_elsewhere && reloading.is_none() {
                        reloading = Some(reload_in_background(db_path, &state));
                    }
                }
                Ok(None) => break,
                Err(()) => {
                    if state.in_flight > 0 {
                        state.in_flight = 0;
                        state.message = Some(
                            "the last change may not have been stored: csdeck's writer stopped; quit and start csdeck again".into(),
                        );
                    }
                    break;
                }
            }
        }
        if let Some(receive) = &background {
            match receive.try_recv() {
                Ok(action) => {
                    // A reload since then brought fresher inputs: keep those.
                    if state.triage_inputs.is_none() || !matches!(action, Action::TriageLoaded(_)) {
                        state.update(action);
                    }
                    background = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => background = None,
            }
        }
        draw_frame(&mut terminal, &mut state, &db)?;
        // Debug builds only: lets the terminal tests prove a panic restores the terminal.
        #[cfg(debug_assertions)]
        if std::env::var_os("CSDECK_TEST_PANIC").is_some() {
            panic!("CSDECK_TEST_PANIC is set: panicking on purpose after the first frame");
        }
        // Wait for a key, but look up now and then: another csdeck (an import, a tag from the
        // CLI) may have changed the book, and the dashboard shows it without a restart.
        let wait = if background.is_some() || reloading.is_some() || state.in_flight > 0 {
            BACKGROUND_INTERVAL
        } else {
            WATCH_INTERVAL
        };
        if !event::poll(wait).map_err(io)? {
            // A write of our own in flight would read as another's: looked at once it is in.
            if state.in_flight == 0 && db.changed_elsewhere().unwrap_or(false) {
                if reloading.is_some() {
                    again = true;
                } else {
                    state.message = Some("the book changed on disk: reading it again…".into());
                    reloading = Some(reload_in_background(db_path, &state));
                }
            }
            continue;
        }
        if let Event::Key(key) = event::read().map_err(io)?
            && let Some(action) = keymap::action_for(state.mode(), key)
            && let Some(effect) = state.update(action)
        {
            if writer.ask(effect) {
                state.in_flight += 1;
            } else {
                state.message = Some(
                    "nothing was changed: csdeck's writer stopped; quit and start csdeck again"
                        .into(),
                );
            }
        }
        // Resize and other events just fall through to a redraw.
    }
    if state.in_flight > 0 {
        state.message =
            Some("finishing what was asked (a change or an export) before quitting…".into());
        let _ = terminal.draw(|frame| views::draw(frame, &state));
    }
    // Every change asked for is stored before the process ends.
    writer.finish();
    // The terminal back first, then let the book go unfreed: the process is ending, and
    // freeing a million accounts would hold the screen for a second or two.
    drop(restore);
    std::mem::forget(state);
    Ok(())
}

/// One frame of the dashboard: the layout told to the state, the account under the cursor's
/// history loaded when it is wanted, then the screen drawn.
fn draw_frame(
    terminal: &mut ratatui::DefaultTerminal,
    state: &mut AppState,
    db: &Db,
) -> Result<()> {
    let io = |e: std::io::Error| Error::runtime(format!("terminal error: {e}"));
    let size = terminal.size().map_err(io)?;
    state.update(views::measure(size.into(), state));
    if let Some(key) = state.history_wanted() {
        for action in load_history(db, state, key) {
            state.update(action);
        }
    }
    terminal
        .draw(|frame| views::draw(frame, state))
        .map_err(io)?;
    Ok(())
}

/// Reads the book on a thread while drawing its first page (`first`, a big book's) or a
/// loading frame; none when the user quit first. On the first page the CSM can move and open
/// accounts, and the whole book takes that place when it is in.
fn wait_for_book(
    terminal: &mut ratatui::DefaultTerminal,
    opened: Opened,
    mut first: Option<AppState>,
    db: &Db,
    db_path: &Path,
) -> Result<Option<AppState>> {
    let io = |e: std::io::Error| Error::runtime(format!("terminal error: {e}"));
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(opened.state());
    });
    let started = std::time::Instant::now();
    let mut touched = false;
    loop {
        match receive.try_recv() {
            Ok(loaded) => {
                let mut state = loaded?;
                if let Some(page) = first {
                    let opens_on_queue = !state.demo;
                    state.take_place_of(page, touched, opens_on_queue);
                }
                return Ok(Some(state));
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                return Err(Error::runtime(
                    "reading the book stopped unexpectedly: run csdeck again",
                ));
            }
        }
        match &mut first {
            Some(page) => draw_frame(terminal, page, db)?,
            None => {
                terminal
                    .draw(|frame| views::loading::draw(frame, db_path, started.elapsed()))
                    .map_err(io)?;
            }
        }
        if !event::poll(BACKGROUND_INTERVAL).map_err(io)? {
            continue;
        }
        let Event::Key(key) = event::read().map_err(io)? else {
            continue;
        };
        match &mut first {
            Some(page) => {
                // A key of the list that waits for the whole book still gets an answer.
                let action = keymap::action_for(page.mode(), key)
                    .or_else(|| keymap::action_for(crate::state::Mode::Table, key));
                if let Some(action) = action {
                    touched = true;
                    // Nothing that works on the first page asks storage for anything.
                    let _ = page.update(action);
                    if page.quit {
                        return Ok(None);
                    }
                }
            }
            None => {
                if matches!(
                    keymap::action_for(crate::state::Mode::Table, key),
                    Some(Action::Quit | Action::QuitOrBack)
                ) {
                    return Ok(None);
                }
            }
        }
    }
}

/// How often the loop looks for what a worker thread read, while one is reading.
const BACKGROUND_INTERVAL: std::time::Duration = std::time::Duration::from_millis(30);

/// How often an idle dashboard checks whether another process changed the book.
const WATCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(1000);

/// The book read again on a worker thread (another csdeck changed it), so the dashboard stays
/// usable meanwhile: a million accounts take seconds to read.
fn reload_in_background(db_path: &Path, state: &AppState) -> std::sync::mpsc::Receiver<Action> {
    let (send, receive) = std::sync::mpsc::channel();
    let path = db_path.to_path_buf();
    let (today, model, demo, sort) = (state.today, state.model.clone(), state.demo, state.sort);
    std::thread::spawn(move || {
        let loaded = Db::open_existing(&path).and_then(|db| {
            let mut book = db.load_book(today, &model)?;
            let triage = read_triage(&db, &book, today, &model)?;
            let ready = crate::state::Ready::of(&mut book, sort, &triage, &model, today);
            Ok((book, triage, ready, db.is_demo().unwrap_or(demo)))
        });
        let action = match loaded {
            Ok((book, triage, ready, demo)) => Action::Reloaded {
                book: Box::new(book),
                triage,
                message: "the book changed on disk: reloaded".to_owned(),
                demo,
                model: Box::new(model),
                ready: Some(Box::new(ready)),
            },
            Err(error) => Action::Message(format!("could not read the book again: {error}")),
        };
        // The dashboard may have quit meanwhile: nobody to tell.
        let _ = send.send(action);
    });
    receive
}
