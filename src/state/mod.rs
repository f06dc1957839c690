//! The dashboard's state and its update function: Action in, state changed (plus, rarely, an
//! effect for the loop to carry out against storage). No terminal, no SQL, so every behaviour is
//! unit-testable and the views only read.

pub mod action;
pub mod complete;
pub mod line;
pub mod notes;
pub mod reading;
pub mod sidebar;
pub mod table;
pub mod tagging;
pub mod triage;

pub use action::{Action, DetailTab, NoteEdit, SnoozeFor};
pub use line::{InputLine, LineKind};
pub use sidebar::{EntryKind, Sidebar};
pub use table::TableState;

use crate::domain::book::Book;
use crate::domain::fields::Field;
use crate::domain::filter::Predicate;
use crate::domain::health::HealthModel;
use crate::domain::history::HealthPoint;
use crate::domain::segment::{self, Stats};
use crate::domain::{AccountRow, Date};

/// Which pane has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Focus {
    /// The segment sidebar.
    Sidebar,
    /// The account list.
    Table,
    /// The detail pane of the account under the cursor.
    Detail,
}

/// The mode the keymap and context bar follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Sidebar,
    Table,
    Detail,
    Filter,
    Command,
    /// A tag prompt (tag, untag, tag all, rename a tag).
    Prompt,
    /// A yes/no question.
    Confirm,
    /// The tag manager.
    Tags,
    /// The NPS of the listed accounts.
    SegmentNps,
    /// The triage queue (`!`).
    Triage,
    /// How long to snooze a queue item.
    Snooze,
    /// The note editor (`n`).
    Note,
    /// The notes a `:notes WORDS` search found.
    NotesSearch,
    /// A big book's first page, while the rest is read.
    Reading,
    Help,
}

impl Mode {
    /// Every mode, in the order help lists them.
    pub const ALL: [Mode; 15] = [
        Mode::Table,
        Mode::Triage,
        Mode::Sidebar,
        Mode::Detail,
        Mode::Filter,
        Mode::Command,
        Mode::Prompt,
        Mode::Confirm,
        Mode::Tags,
        Mode::SegmentNps,
        Mode::Snooze,
        Mode::Note,
        Mode::NotesSearch,
        Mode::Reading,
        Mode::Help,
    ];

    /// The title help gives this mode's keys.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Table => "Account list",
            Mode::Sidebar => "Segment sidebar",
            Mode::Detail => "Account detail",
            Mode::Filter => "Filter line (/)",
            Mode::Command => {
                "Command line (:)  save NAME · rm NAME · import FILE... · sort FIELD[:desc] · notes WORDS · triage · q"
            }
            Mode::Prompt => "Tag prompt (t, u, T, rename)",
            Mode::Confirm => "Confirmation",
            Mode::Tags => "Tag manager (#)",
            Mode::SegmentNps => "Segment NPS (N)",
            Mode::Triage => "Triage queue (!)",
            Mode::Snooze => "Snooze a queue item (z)",
            Mode::Note => "Note editor (n)",
            Mode::NotesSearch => "Notes search (:notes WORDS)",
            Mode::Reading => "While a big book is read (its first page is listed)",
            Mode::Help => "Help",
        }
    }
}

/// The columns of the account table, in order; `s`/`S` sort by the selected one.
pub const TABLE_COLUMNS: [Field; 11] = [
    Field::Name,
    Field::Arr,
    Field::Tier,
    Field::Lifecycle,
    Field::Health,
    Field::Nps,
    Field::Renewal,
    Field::LastLogin,
    Field::Utilization,
    Field::Owner,
    Field::Tags,
];

/// Something the loop must do outside the state (storage), reported back as an Action.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    SaveSegment {
        name: String,
        expression: String,
        /// The saved segment this one replaces (same name, maybe spelled differently).
        replacing: Option<String>,
    },
    RemoveSegment {
        name: String,
    },
    AddTag {
        tag: String,
        keys: Vec<i64>,
    },
    RemoveTag {
        tag: String,
        keys: Vec<i64>,
    },
    RenameTag {
        old: String,
        new: String,
    },
    DeleteTag {
        tag: String,
    },
    Undo(crate::domain::tag::TagUndo),
    /// Import files into the book, then read it again.
    Import {
        paths: Vec<String>,
        /// The list's order, so the book read after it is counted in that order there.
        sort: (Field, bool),
    },
    /// Export the `listed` rows (places in `rows`) as CSV, beside an existing file of that
    /// name, never over it. The book's rows are shared, not copied: the CSV of a million
    /// accounts takes seconds to write, and the dashboard goes on meanwhile.
    Export {
        path: String,
        rows: std::sync::Arc<Vec<AccountRow>>,
        listed: Vec<usize>,
        /// What it holds, for the message ("12 accounts").
        what: String,
    },
    /// Load the NPS answers of these accounts for the segment NPS view.
    LoadSegmentResponses {
        keys: Vec<i64>,
        today: Date,
    },
    /// Store a done, snooze or reopen of an account's queue item.
    RecordTriage {
        key: i64,
        kind: crate::domain::triage::ActionKind,
        until: Option<Date>,
        /// (fingerprint, reason) of each signal that had fired.
        fired: Vec<(String, String)>,
        /// The account's name, for the message.
        name: String,
        /// The day the dashboard counts as today (the action is dated it).
        today: Date,
    },
    /// Remove a triage action just stored (undo).
    RemoveTriage {
        id: i64,
        description: String,
    },
    /// Save a note on an account, dated the dashboard's today.
    AddNote {
        key: i64,
        body: String,
        today: Date,
    },
    /// Search every note of the book.
    SearchNotes {
        words: String,
    },
}

/// The segment NPS view's data and place.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentNps {
    /// Every answer of the listed accounts (all dates up to today), as (account key, answer).
    pub responses: Vec<(i64, crate::domain::nps::NpsResponse)>,
    pub detractors_only: bool,
    pub scroll: u16,
}

/// The segment applied under the filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub kind: EntryKind,
    pub label: String,
    pub expression: String,
}

/// From this many accounts on, a book let go is freed on another thread.
const FREE_APART_FROM: usize = 20_000;

/// What a book read again needs before it is shown, worked out by the thread that read it so
/// that a big book is not recounted on the UI thread: the sidebar and the queue. They hold
/// whatever the list's order, as a sort moves no row.
#[derive(Debug, Clone, PartialEq)]
pub struct Ready {
    pub sidebar: Sidebar,
    pub queue: Result<crate::domain::triage::Queue, String>,
}

impl Ready {
    /// Sorts `book` as the list is sorted (so the UI thread usually has no sort left to do),
    /// builds its tag bitsets and counts what it shows.
    pub fn of(
        book: &mut Book,
        sort: (Field, bool),
        triage: &crate::domain::triage::Inputs,
        model: &HealthModel,
        today: Date,
    ) -> Ready {
        book.sort(sort.0, sort.1);
        book.prepare_tags();
        Ready {
            sidebar: Sidebar::build(book),
            queue: triage.queue(book, model, today),
        }
    }
}

/// Everything the dashboard shows.
#[derive(Debug, Clone)]
pub struct AppState {
    pub book: Book,
    /// Indices into `book.rows()` of the listed accounts, in sort order.
    pub visible: Vec<usize>,
    /// Figures of the listed accounts (status bar).
    pub stats: Stats,
    pub table: TableState,
    /// Bit i set: table column i is on screen (set by the loop from the layout).
    pub shown_columns: u16,
    /// Index into [`TABLE_COLUMNS`] of the selected column.
    pub column: usize,
    pub sort: (Field, bool),
    pub focus: Focus,
    pub sidebar: Sidebar,
    pub sidebar_shown: bool,
    pub sidebar_rows: usize,
    /// The segment (or facet value) applied; none = all accounts.
    pub segment: Option<Applied>,
    /// The filter typed with `/`, applied over the segment.
    pub filter: Option<String>,
    pub line: Option<InputLine>,
    pub help: bool,
    pub help_scroll: u16,
    pub detail_scroll: u16,
    pub detail_limit: u16,
    /// The book is the built-in demo book.
    pub demo: bool,
    /// A one-line message for the status bar.
    pub message: Option<String>,
    pub quit: bool,
    pub today: Date,
    pub model: HealthModel,
    /// The health history of the account under the cursor, once the loop has loaded it.
    pub history: Option<(i64, Vec<HealthPoint>)>,
    /// The NPS answers of the account under the cursor (loaded with its history).
    pub responses: Option<(i64, Vec<crate::domain::nps::NpsResponse>)>,
    /// The notes of the account under the cursor (loaded with its history), newest first.
    pub notes: Option<(i64, Vec<(Date, String)>)>,
    /// What the detail pane shows: the account, its NPS answers or its timeline.
    pub detail_tab: DetailTab,
    /// The timeline of the account under the cursor (loaded with its history), newest first.
    pub timeline: Option<(i64, Vec<crate::domain::timeline::TimelineEntry>)>,
    /// What the triage queue is built from; none until the loop has read it.
    pub triage_inputs: Option<crate::domain::triage::Inputs>,
    /// The triage queue over the book (open items and the rest).
    pub queue: crate::domain::triage::Queue,
    /// Why the queue could not be built (a broken signal expression).
    pub triage_error: Option<String>,
    /// The triage view, when open.
    pub triage_view: Option<triage::TriageView>,
    /// Where Esc from the detail pane goes back to (the queue, a notes search).
    pub return_to: Option<triage::ReturnTo>,
    /// The triage actions of this session (id and what each did), latest last, for `U`.
    pub triage_undo: Vec<(i64, String)>,
    /// The note editor, when open.
    pub note: Option<notes::NoteEditor>,
    /// The notes a search found, when shown.
    pub notes_search: Option<notes::NotesSearch>,
    /// The days the NPS views count (0: all time). The list's columns always use 365.
    pub nps_window_days: i64,
    /// The segment NPS view, when open.
    pub segment_nps: Option<SegmentNps>,
    /// Marked accounts (by key): what `t` and `u` apply to.
    pub marks: std::collections::BTreeSet<i64>,
    /// The account where a `v` range started.
    pub range_anchor: Option<i64>,
    /// How to undo each tag change of this session, latest last.
    pub undo: Vec<crate::domain::tag::TagUndo>,
    /// The tag manager, when open.
    pub tag_manager: Option<tagging::TagManager>,
    /// The effect a confirmation line asks about.
    pub pending: Option<Effect>,
    /// Draw without colours (NO_COLOR): emphasis by reverse video and bold only.
    pub no_color: bool,
    /// The book's accounts, while only its first page is here and the rest is read.
    pub reading: Option<usize>,
    /// Open the queue as soon as it is counted (an own book nobody has touched yet).
    pub queue_when_read: bool,
    /// Effects handed to storage (changes, and the few slow reads) not answered yet; the loop
    /// counts them.
    pub in_flight: usize,
}

impl AppState {
    /// A dashboard over a book, listing every account sorted by name.
    pub fn new(mut book: Book, today: Date, model: HealthModel, demo: bool) -> AppState {
        let sort = (Field::Name, false);
        book.sort(sort.0, sort.1);
        let sidebar = Sidebar::build(&book);
        book.prepare_tags();
        let mut state = AppState {
            book,
            visible: Vec::new(),
            stats: Stats::default(),
            table: TableState::default(),
            shown_columns: u16::MAX,
            column: 0,
            sort,
            focus: Focus::Table,
            sidebar,
            sidebar_shown: true,
            sidebar_rows: 0,
            segment: None,
            filter: None,
            line: None,
            help: false,
            help_scroll: 0,
            detail_scroll: 0,
            detail_limit: u16::MAX,
            demo,
            message: None,
            quit: false,
            today,
            model,
            history: None,
            responses: None,
            notes: None,
            detail_tab: DetailTab::Account,
            timeline: None,
            triage_inputs: None,
            queue: Default::default(),
            triage_error: None,
            triage_view: None,
            return_to: None,
            triage_undo: Vec::new(),
            note: None,
            notes_search: None,
            nps_window_days: crate::domain::nps::DEFAULT_WINDOW_DAYS,
            segment_nps: None,
            marks: Default::default(),
            range_anchor: None,
            undo: Vec::new(),
            tag_manager: None,
            pending: None,
            no_color: false,
            reading: None,
            queue_when_read: false,
            in_flight: 0,
        };
        state.refilter(None);
        state
    }

    /// The account under the cursor.
    pub fn selected(&self) -> Option<&AccountRow> {
        self.visible
            .get(self.table.cursor)
            .and_then(|&i| self.book.rows().get(i))
    }

    /// The listed rows, in order.
    pub fn visible_rows(&self) -> impl Iterator<Item = &AccountRow> {
        self.visible.iter().filter_map(|&i| self.book.rows().get(i))
    }

    /// The mode keys are read in.
    pub fn mode(&self) -> Mode {
        if self.help {
            return Mode::Help;
        }
        if self.reading.is_some() {
            return Mode::Reading;
        }
        if self.note.is_some() {
            return Mode::Note;
        }
        match (&self.line, self.focus) {
            (Some(line), _) => match line.kind {
                LineKind::Filter => Mode::Filter,
                LineKind::Command => Mode::Command,
                LineKind::Confirm => Mode::Confirm,
                LineKind::Snooze => Mode::Snooze,
                _ => Mode::Prompt,
            },
            (None, _) if self.tag_manager.is_some() => Mode::Tags,
            (None, _) if self.segment_nps.is_some() => Mode::SegmentNps,
            (None, _) if self.notes_search.is_some() => Mode::NotesSearch,
            (None, _) if self.triage_view.is_some() => Mode::Triage,
            (None, Focus::Sidebar) => Mode::Sidebar,
            (None, Focus::Table) => Mode::Table,
            (None, Focus::Detail) => Mode::Detail,
        }
    }

    /// The account whose health history the detail pane needs and does not have yet.
    pub fn history_wanted(&self) -> Option<i64> {
        let key = self.selected()?.key;
        match &self.history {
            Some((loaded, _)) if *loaded == key => None,
            _ => Some(key),
        }
    }

    /// The keys of the listed accounts.
    pub fn visible_keys(&self) -> Vec<i64> {
        self.visible_rows().map(|r| r.key).collect()
    }

    /// The window the NPS views count answers in.
    pub fn nps_window(&self) -> crate::domain::nps::Window {
        if self.nps_window_days <= 0 {
            crate::domain::nps::Window::since(Date::MIN, self.today)
        } else {
            crate::domain::nps::Window::last_days(self.today, self.nps_window_days)
        }
    }

    /// The window in words ("last 365 days", "all time").
    pub fn nps_window_label(&self) -> String {
        if self.nps_window_days <= 0 {
            "all time".into()
        } else {
            format!("last {} days", self.nps_window_days)
        }
    }

    fn cycle_nps_window(&mut self) {
        const STEPS: [i64; 5] = [365, 180, 90, 30, 0];
        let at = STEPS
            .iter()
            .position(|d| *d == self.nps_window_days)
            .unwrap_or(0);
        self.nps_window_days = STEPS[(at + 1) % STEPS.len()];
        self.message = Some(format!("NPS window: {}", self.nps_window_label()));
    }

    fn update_segment_nps(&mut self, action: Action) {
        let Some(view) = self.segment_nps.as_mut() else {
            return;
        };
        match action {
            Action::Down => view.scroll = view.scroll.saturating_add(1),
            Action::Up => view.scroll = view.scroll.saturating_sub(1),
            Action::HalfPageDown | Action::PageDown => view.scroll = view.scroll.saturating_add(10),
            Action::HalfPageUp | Action::PageUp => view.scroll = view.scroll.saturating_sub(10),
            Action::Top => view.scroll = 0,
            Action::ToggleDetractors => {
                view.detractors_only = !view.detractors_only;
                view.scroll = 0;
            }
            Action::CycleNpsWindow => self.cycle_nps_window(),
            Action::Back | Action::QuitOrBack | Action::ToggleSegmentNps => self.segment_nps = None,
            _ => {}
        }
    }

    /// The NPS answers of the account under the cursor, once loaded.
    pub fn selected_responses(&self) -> Option<&[crate::domain::nps::NpsResponse]> {
        let key = self.selected()?.key;
        match &self.responses {
            Some((loaded, list)) if *loaded == key => Some(list),
            _ => None,
        }
    }

    /// The notes of the account under the cursor, once loaded.
    pub fn selected_notes(&self) -> Option<&[(Date, String)]> {
        let key = self.selected()?.key;
        match &self.notes {
            Some((loaded, list)) if *loaded == key => Some(list),
            _ => None,
        }
    }

    /// The timeline of the account under the cursor, once loaded.
    pub fn selected_timeline(&self) -> Option<&[crate::domain::timeline::TimelineEntry]> {
        let key = self.selected()?.key;
        match &self.timeline {
            Some((loaded, list)) if *loaded == key => Some(list),
            _ => None,
        }
    }

    /// The loaded history of the account under the cursor.
    pub fn selected_history(&self) -> Option<&[HealthPoint]> {
        let key = self.selected()?.key;
        match &self.history {
            Some((loaded, points)) if *loaded == key => Some(points),
            _ => None,
        }
    }

    /// The expression behind what is listed (segment and filter), as one expression.
    pub fn current_expression(&self) -> Option<String> {
        let segment = self.segment.as_ref().map(|s| match s.kind {
            EntryKind::Segment => format!("segment:{}", segment::quote(&s.label)),
            _ => s.expression.clone(),
        });
        match (segment, &self.filter) {
            (Some(s), Some(f)) => Some(format!("{s} and ({f})")),
            (Some(s), None) => Some(s),
            (None, Some(f)) => Some(f.clone()),
            (None, None) => None,
        }
    }

    /// Applies one action; returns an effect when storage must act.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if action.is_from_key() {
            self.message = None;
            // Whoever is at the keys has started somewhere: the queue does not take over.
            self.queue_when_read = false;
            if self.in_flight > 0 && Self::waits_for_storage(&action) {
                self.message = Some(
                    "still working on what was asked last (working… in the status bar): try again in a moment"
                        .into(),
                );
                return None;
            }
            if let Some(total) = self.reading
                && !Self::works_while_reading(&action)
            {
                let total = crate::domain::plural::count(total, "account");
                self.message = Some(format!(
                    "still reading all {total}: that works once they are in"
                ));
                return None;
            }
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Layout {
                rows,
                columns,
                detail_limit,
            } => {
                self.table
                    .set_viewport(usize::from(rows), self.visible.len());
                self.shown_columns = columns;
                if columns & (1 << self.column) == 0 {
                    self.column = 0;
                }
                self.detail_limit = detail_limit;
                self.detail_scroll = self.detail_scroll.min(detail_limit);
                self.sidebar_rows = usize::from(rows) + 1;
                self.sidebar.scroll_into_view(self.sidebar_rows);
            }
            Action::SavedSegments { saved, message } => {
                self.saved_segments_changed(&saved);
                self.message = Some(message);
            }
            Action::Message(text) => self.message = Some(text),
            Action::History {
                key,
                points,
                responses,
                notes,
                timeline,
            } => {
                self.history = Some((key, points));
                self.responses = Some((key, responses));
                self.notes = Some((key, notes));
                self.timeline = Some((key, timeline));
            }
            Action::TriageLoaded(inputs) => {
                self.triage_inputs = Some(*inputs);
                self.rebuild_queue();
                if std::mem::take(&mut self.queue_when_read) && self.triage_view.is_none() {
                    self.toggle_triage();
                }
            }
            Action::TriageActions {
                actions,
                undo,
                message,
            } => self.triage_actions_changed(actions, undo, message),
            Action::NoteSaved { key, message } => {
                self.note = None;
                if self.history.as_ref().is_some_and(|(k, _)| *k == key) {
                    // Read the account's notes and timeline again.
                    self.history = None;
                }
                self.message = Some(message);
            }
            Action::NoteHits { words, hits } => {
                if hits.is_empty() {
                    self.message = Some(format!("no note matches '{words}'"));
                } else {
                    self.triage_view = None;
                    self.notes_search = Some(notes::NotesSearch {
                        words,
                        hits,
                        cursor: 0,
                    });
                }
            }
            Action::Reloaded {
                book,
                triage,
                message,
                demo,
                model,
                ready,
            } => {
                // The rows were scored with this model: the breakdowns and signals use it too.
                self.model = *model;
                self.triage_inputs = Some(*triage);
                self.reload(*book, ready);
                self.demo = demo;
                self.message = Some(message);
            }
            Action::SegmentResponses(responses) => {
                self.segment_nps = Some(SegmentNps {
                    responses,
                    detractors_only: false,
                    scroll: 0,
                });
            }
            Action::TagsChanged {
                rows,
                undo,
                message,
            } => self.tags_changed(rows, undo, message),
            Action::ToggleHelp if self.line.is_none() || self.help => {
                self.help = !self.help;
                self.help_scroll = 0;
            }
            _ if self.help => self.update_help(action),
            _ if self.note.is_some() => return self.update_note(action),
            Action::Snooze(choice) if self.line.is_some() => return self.snooze(choice),
            _ if self.line.is_some() => return self.update_line(action),
            _ if self.tag_manager.is_some() => return self.update_tag_manager(action),
            _ if self.segment_nps.is_some() => self.update_segment_nps(action),
            _ if self.notes_search.is_some() => self.update_notes_search(action),
            Action::OpenCommand if self.triage_view.is_some() => {
                self.line = Some(InputLine::new(LineKind::Command, "", None));
            }
            _ if self.triage_view.is_some() => return self.update_triage(action),
            Action::ToggleTriage => self.toggle_triage(),
            Action::AddNote => {
                if let Some(key) = self.selected().map(|r| r.key) {
                    self.open_note(key);
                }
            }
            Action::ShowTab(tab) => {
                self.detail_tab = if self.detail_tab == tab {
                    DetailTab::Account
                } else {
                    tab
                };
                self.detail_scroll = 0;
            }
            Action::NextTab | Action::PrevTab => {
                let tabs = DetailTab::ALL;
                let at = tabs.iter().position(|t| *t == self.detail_tab).unwrap_or(0);
                let step = if action == Action::NextTab {
                    1
                } else {
                    tabs.len() - 1
                };
                self.detail_tab = tabs[(at + step) % tabs.len()];
                self.detail_scroll = 0;
            }
            Action::ToggleSegmentNps => {
                return Some(Effect::LoadSegmentResponses {
                    keys: self.visible_keys(),
                    today: self.today,
                });
            }
            Action::Export => return self.export(),
            Action::CycleNpsWindow => self.cycle_nps_window(),
            Action::ToggleTagManager => {
                self.tag_manager = Some(tagging::TagManager::build(self));
            }
            Action::Undo => return self.undo(),
            Action::ToggleSidebar => {
                self.sidebar_shown = !self.sidebar_shown;
                if !self.sidebar_shown && self.focus == Focus::Sidebar {
                    self.focus = Focus::Table;
                }
            }
            Action::OpenFilter => {
                let text = self.filter.clone().unwrap_or_default();
                self.line = Some(InputLine::new(LineKind::Filter, &text, self.filter.clone()));
            }
            Action::OpenCommand => {
                self.line = Some(InputLine::new(LineKind::Command, "", None));
            }
            Action::NextPane => self.cycle_pane(1),
            Action::PrevPane => self.cycle_pane(-1),
            Action::FocusPane(n) => self.focus_pane(n),
            _ => match self.focus {
                Focus::Sidebar => self.update_sidebar(action),
                Focus::Table => self.update_table(action),
                Focus::Detail => self.update_detail(action),
            },
        }
        None
    }

    fn panes(&self) -> Vec<Focus> {
        let mut panes = Vec::new();
        if self.sidebar_shown {
            panes.push(Focus::Sidebar);
        }
        panes.push(Focus::Table);
        if self.selected().is_some() {
            panes.push(Focus::Detail);
        }
        panes
    }

    fn cycle_pane(&mut self, step: isize) {
        let panes = self.panes();
        let at = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
        let next = (at as isize + step).rem_euclid(panes.len() as isize) as usize;
        self.focus = panes[next];
    }

    fn focus_pane(&mut self, n: u8) {
        match n {
            1 => {
                self.sidebar_shown = true;
                self.focus = Focus::Sidebar;
            }
            2 => self.focus = Focus::Table,
            3 if self.selected().is_some() => {
                self.focus = Focus::Detail;
                self.detail_scroll = 0;
            }
            _ => {}
        }
    }

    /// Esc or q outside the input line: back out one layer.
    fn back(&mut self, quit_at_the_end: bool) {
        if self.focus == Focus::Detail {
            if !self.return_from_detail() {
                self.focus = Focus::Table;
            }
        } else if quit_at_the_end {
            self.quit = true;
        } else if !self.marks.is_empty() || self.range_anchor.is_some() {
            self.marks.clear();
            self.range_anchor = None;
            self.message = Some("marks cleared".into());
        } else if self.filter.is_some() {
            self.filter = None;
            self.refilter(None);
            self.message = Some("filter cleared".into());
        } else if self.segment.is_some() {
            self.segment = None;
            self.sidebar.select(EntryKind::All, "All accounts");
            self.refilter(None);
            self.message = Some("showing all accounts".into());
        }
    }

    fn update_table(&mut self, action: Action) {
        let len = self.visible.len();
        let before = self.table.cursor;
        match action {
            Action::Up => self.table.move_by(-1, len),
            Action::Down => self.table.move_by(1, len),
            Action::Top => self.table.select(0, len),
            Action::Bottom => self.table.select(len.saturating_sub(1), len),
            Action::HalfPageDown => self.table.move_by(self.table.half_page(), len),
            Action::HalfPageUp => self.table.move_by(-self.table.half_page(), len),
            Action::PageDown => self.table.move_by(self.table.page(), len),
            Action::PageUp => self.table.move_by(-self.table.page(), len),
            Action::ColumnLeft => self.step_column(-1),
            Action::ColumnRight => self.step_column(1),
            Action::SortAscending => self.sort_by_selected(false),
            Action::SortDescending => self.sort_by_selected(true),
            Action::ToggleMark => self.toggle_mark(),
            Action::MarkRange => self.mark_range(),
            Action::TagPrompt => self.tag_prompt(LineKind::Tag),
            Action::UntagPrompt => self.tag_prompt(LineKind::Untag),
            Action::TagAllPrompt => self.tag_prompt(LineKind::TagAll),
            Action::Open if self.selected().is_some() => {
                self.focus = Focus::Detail;
                self.detail_scroll = 0;
            }
            Action::Back => self.back(false),
            Action::QuitOrBack => self.back(true),
            _ => {}
        }
        if self.table.cursor != before {
            self.detail_scroll = 0;
        }
    }

    fn step_column(&mut self, step: isize) {
        let mut column = self.column as isize;
        loop {
            column += step;
            if column < 0 || column >= TABLE_COLUMNS.len() as isize {
                return;
            }
            if self.shown_columns & (1 << column) != 0 {
                self.column = column as usize;
                return;
            }
        }
    }

    fn update_sidebar(&mut self, action: Action) {
        match action {
            Action::Up => self.sidebar.move_by(-1),
            Action::Down => self.sidebar.move_by(1),
            Action::Top => {
                self.sidebar.cursor = 0;
            }
            Action::Bottom => {
                self.sidebar.cursor = self.sidebar.entries.len().saturating_sub(1);
            }
            Action::HalfPageDown | Action::PageDown => self
                .sidebar
                .move_by((self.sidebar_rows / 2).max(1) as isize),
            Action::HalfPageUp | Action::PageUp => self
                .sidebar
                .move_by(-((self.sidebar_rows / 2).max(1) as isize)),
            Action::Open => self.apply_sidebar_entry(),
            Action::Back => self.back(false),
            Action::QuitOrBack => self.back(true),
            _ => {}
        }
        self.sidebar.scroll_into_view(self.sidebar_rows);
    }

    fn apply_sidebar_entry(&mut self) {
        let Some(entry) = self.sidebar.selected().cloned() else {
            return;
        };
        if let Some(error) = &entry.error {
            self.message = Some(format!("segment '{}' is broken: {error}", entry.label));
            return;
        }
        self.segment = match entry.kind {
            EntryKind::All => None,
            EntryKind::Heading => return,
            kind => Some(Applied {
                kind,
                label: entry.label.clone(),
                expression: entry.expression.clone(),
            }),
        };
        self.refilter(None);
        self.focus = Focus::Table;
        self.message = None;
    }

    fn update_detail(&mut self, action: Action) {
        let scroll = self.detail_scroll;
        self.detail_scroll = match action {
            Action::Up => scroll.saturating_sub(1),
            Action::Down => scroll.saturating_add(1),
            Action::HalfPageUp | Action::PageUp => scroll.saturating_sub(10),
            Action::HalfPageDown | Action::PageDown => scroll.saturating_add(10),
            Action::Top => 0,
            Action::Bottom => self.detail_limit,
            Action::Back | Action::QuitOrBack => {
                if !self.return_from_detail() {
                    self.focus = Focus::Table;
                }
                scroll
            }
            _ => scroll,
        }
        .min(self.detail_limit);
    }

    fn update_help(&mut self, action: Action) {
        match action {
            Action::Back | Action::QuitOrBack => self.help = false,
            Action::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
            Action::Down => self.help_scroll = self.help_scroll.saturating_add(1),
            Action::Top => self.help_scroll = 0,
            _ => {}
        }
    }

    fn update_line(&mut self, action: Action) -> Option<Effect> {
        let line = self.line.as_mut()?;
        match action {
            Action::Edit(_) if !line.is_text() => None,
            Action::Edit(request) => {
                line.input.handle(request);
                line.hint = None;
                line.error = None;
                if line.kind == LineKind::Filter {
                    self.filter_typed();
                }
                None
            }
            Action::Complete => {
                match line.kind {
                    LineKind::Filter => self.complete(),
                    LineKind::Command | LineKind::Confirm => {}
                    _ => self.complete_tag(),
                }
                None
            }
            Action::Confirm if line.kind == LineKind::Confirm => self.confirm(),
            Action::Back => {
                // Esc: leave the line and put back the filter it started from.
                let line = self.line.take()?;
                if line.kind == LineKind::Filter {
                    self.filter = line.before;
                    self.refilter(None);
                }
                if line.kind == LineKind::Confirm {
                    self.pending = None;
                    self.message = Some("cancelled".into());
                }
                None
            }
            Action::Open => self.submit_line(),
            _ => None,
        }
    }

    /// Re-applies the filter line's text as typed; a bad expression keeps the last good list.
    fn filter_typed(&mut self) {
        let Some(line) = &self.line else { return };
        let text = line.input.value().trim().to_owned();
        let error = if text.is_empty() {
            self.filter = None;
            self.refilter(None);
            None
        } else {
            match self.book.compile(&text) {
                Ok(predicate) => {
                    self.filter = Some(text);
                    self.refilter(Some(predicate));
                    None
                }
                Err(e) => Some(e.to_string()),
            }
        };
        if let Some(line) = self.line.as_mut() {
            line.error = error;
        }
    }

    fn complete(&mut self) {
        let Some(line) = self.line.as_mut() else {
            return;
        };
        if line.kind != LineKind::Filter {
            return;
        }
        let text = line.input.value().to_owned();
        let cursor = line.input.cursor();
        let completion = complete::complete(&text, cursor, &self.book);
        if completion.candidates.is_empty() {
            line.hint = Some("no completions".into());
            return;
        }
        let replacement = if completion.candidates.len() == 1 {
            let only = &completion.candidates[0];
            if only.ends_with(':') {
                only.clone()
            } else {
                format!("{only} ")
            }
        } else {
            completion.common_prefix()
        };
        let chars: Vec<char> = text.chars().collect();
        let head: String = chars[..completion.start].iter().collect();
        let tail: String = chars[cursor.min(chars.len())..].iter().collect();
        let new_cursor = head.chars().count() + replacement.chars().count();
        let typed: String = chars[completion.start..cursor.min(chars.len())]
            .iter()
            .collect();
        // Never shorten what was typed (a prefix match ignores case).
        let replacement = if replacement.chars().count() < typed.chars().count() {
            typed
        } else {
            replacement
        };
        line.input = tui_input::Input::new(format!("{head}{replacement}{tail}"))
            .with_cursor(new_cursor.min(head.chars().count() + replacement.chars().count()));
        line.hint = (completion.candidates.len() > 1).then(|| {
            let shown: Vec<&str> = completion
                .candidates
                .iter()
                .take(12)
                .map(String::as_str)
                .collect();
            let more = completion.candidates.len().saturating_sub(12);
            if more > 0 {
                format!("{}  (+{more} more)", shown.join("  "))
            } else {
                shown.join("  ")
            }
        });
        self.filter_typed();
    }

    fn submit_line(&mut self) -> Option<Effect> {
        let line = self.line.as_ref()?;
        match line.kind {
            LineKind::Filter => {
                if line.error.is_some() {
                    // Keep the line open: the expression needs fixing first.
                    return None;
                }
                self.line = None;
                None
            }
            LineKind::Command => {
                let text = line.input.value().trim().to_owned();
                self.line = None;
                self.command(&text)
            }
            // Enter on a yes/no question is not a yes, nor a snooze length.
            LineKind::Confirm | LineKind::Snooze => None,
            LineKind::Tag | LineKind::Untag | LineKind::TagAll | LineKind::RenameTag => {
                self.submit_tag_line()
            }
        }
    }

    fn command(&mut self, text: &str) -> Option<Effect> {
        let (verb, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let rest = rest.trim();
        match verb {
            "" => None,
            "q" | "quit" => {
                self.quit = true;
                None
            }
            "save" | "w" => {
                let Some(expression) = self.current_expression() else {
                    self.message =
                        Some("nothing to save: pick a segment or filter with / first".into());
                    return None;
                };
                match self.book.check_new_segment(rest, &expression) {
                    Ok((_, replacing)) => Some(Effect::SaveSegment {
                        name: rest.to_owned(),
                        expression,
                        replacing,
                    }),
                    Err(e) => {
                        self.message = Some(e);
                        None
                    }
                }
            }
            "notes" | "note" => {
                if rest.is_empty() {
                    self.message = Some("search for what? :notes WORDS".into());
                    return None;
                }
                Some(Effect::SearchNotes {
                    words: rest.to_owned(),
                })
            }
            "triage" => {
                self.notes_search = None;
                if self.triage_view.is_none() {
                    self.toggle_triage();
                }
                None
            }
            "import" => {
                let paths = line::words(rest);
                if paths.is_empty() {
                    self.message = Some("import what? :import FILE...".into());
                    return None;
                }
                self.message = Some(format!(
                    "importing {}… the dashboard stays usable meanwhile",
                    crate::domain::plural::count(paths.len(), "file")
                ));
                Some(Effect::Import {
                    paths,
                    sort: self.sort,
                })
            }
            "rm" | "delete" => match self.book.check_remove_segment(rest) {
                Ok(name) => Some(Effect::RemoveSegment { name }),
                Err(e) => {
                    self.message = Some(e);
                    None
                }
            },
            "sort" => {
                // `sort arr desc` or, as on the command line, `sort arr:desc`.
                let (name, direction) = rest
                    .split_once([':', ' '])
                    .map_or((rest, ""), |(n, d)| (n.trim(), d.trim()));
                let Some(field) = Field::parse(name) else {
                    self.message = Some(format!("sort: unknown field '{name}'"));
                    return None;
                };
                self.set_sort(field, direction.eq_ignore_ascii_case("desc"));
                None
            }
            other => {
                self.message = Some(format!(
                    "unknown command '{other}': try save NAME, rm NAME, import FILE, sort FIELD [desc], notes WORDS, triage or q"
                ));
                None
            }
        }
    }

    /// Whether `action` must wait for storage's answer to the last effect: what it works on
    /// (an undo's change, a queue item's status, the marks, an open note, the rows an export
    /// writes) changes when that answer comes, so doing it now could do it twice, undo the
    /// wrong change or export tags about to change. An export waiting also means no tag change
    /// lands while the writer holds the rows, which would copy every one on this thread.
    fn waits_for_storage(action: &Action) -> bool {
        matches!(
            action,
            Action::Undo
                | Action::Export
                | Action::TriageDone
                | Action::TriageSnoozePrompt
                | Action::Snooze(_)
                | Action::TriageReopen
                | Action::AddNote
                | Action::NoteKey(_)
                | Action::SaveNote
                | Action::ToggleMark
                | Action::MarkRange
                | Action::TagPrompt
                | Action::UntagPrompt
                | Action::TagAllPrompt
                | Action::RenameTagPrompt
                | Action::DeleteTagPrompt
                | Action::Confirm
        )
    }

    /// Replaces the book (after an import), keeping the sort, segment, filter and cursor.
    fn reload(&mut self, book: Book, ready: Option<Box<Ready>>) {
        let old = std::mem::replace(&mut self.book, book);
        // Freeing a million accounts one by one holds the screen for a second: elsewhere.
        if old.rows().len() >= FREE_APART_FROM {
            std::thread::spawn(move || drop(old));
        }
        self.history = None;
        self.timeline = None;
        self.responses = None;
        self.marks.clear();
        // A sort made since the read began is done here (it moves no row, so what the reader
        // counted still holds).
        self.sort_rows();
        match ready {
            Some(ready) => self.show_changed_book(ready.sidebar, Some(ready.queue)),
            None => self.book_changed(),
        }
    }

    /// After the book's rows, tags or segments changed: the sidebar's figures are recounted
    /// (its cursor stays on the same entry), a segment that no longer exists is let go, and the
    /// list is filtered again.
    pub(super) fn book_changed(&mut self) {
        let sidebar = Sidebar::build(&self.book);
        self.show_changed_book(sidebar, None);
    }

    /// After tags changed (and nothing else): only the sidebar entries and the queue that read
    /// tags are counted again, and the list filtered again.
    pub(super) fn retagged(&mut self) {
        self.sidebar
            .recount_where(&self.book, crate::domain::filter::Predicate::reads_tags);
        self.refilter(None);
        if self
            .triage_inputs
            .as_ref()
            .is_some_and(|inputs| inputs.reads_tags(&self.book))
        {
            self.rebuild_queue();
        }
    }

    /// [`AppState::book_changed`] with the figures counted already, and the queue too when
    /// given (else it is built here).
    fn show_changed_book(
        &mut self,
        sidebar: Sidebar,
        queue: Option<Result<crate::domain::triage::Queue, String>>,
    ) {
        let cursor_label = self.sidebar.selected().map(|e| (e.kind, e.label.clone()));
        self.sidebar = sidebar;
        if let Some((kind, label)) = cursor_label {
            self.sidebar.select(kind, &label);
        }
        if let Some(applied) = &self.segment
            && applied.kind == EntryKind::Segment
            && self.book.segment(&applied.label).is_none()
        {
            self.segment = None;
        }
        self.refilter(None);
        // Tags and segments can be in a signal's expression.
        match queue {
            Some(queue) => self.set_queue(queue),
            None => self.rebuild_queue(),
        }
    }

    /// `e`: the listed accounts as CSV, named after what is listed.
    fn export(&mut self) -> Option<Effect> {
        let title = match (&self.segment, &self.filter) {
            (None, None) => "all accounts".to_owned(),
            (Some(s), None) => s.label.clone(),
            (None, Some(f)) => f.clone(),
            (Some(s), Some(f)) => format!("{} {f}", s.label),
        };
        let path = format!("{}-{}.csv", crate::domain::export::slug(&title), self.today);
        let what = match self.visible.len() {
            1 => "1 account".to_owned(),
            n => format!("{n} accounts"),
        };
        Some(Effect::Export {
            path,
            rows: self.book.shared_rows(),
            listed: self.visible.clone(),
            what,
        })
    }

    /// Only the segments changed, not the rows: the sidebar keeps the figures of every filter
    /// it counted, and the queue stays unless one of its filters names a changed segment.
    fn saved_segments_changed(&mut self, saved: &[(String, String)]) {
        let counted = self.sidebar.counted(&self.book);
        let filters = |state: &AppState| {
            state
                .triage_inputs
                .as_ref()
                .map(|inputs| inputs.compiled_filters(&state.book))
        };
        let before = filters(self);
        self.book.set_saved(saved);
        let sidebar = Sidebar::build_with(&self.book, Some(&counted));
        let queue = (self.triage_error.is_none() && filters(self) == before)
            .then(|| Ok(std::mem::take(&mut self.queue)));
        self.show_changed_book(sidebar, queue);
    }

    fn sort_by_selected(&mut self, descending: bool) {
        let field = TABLE_COLUMNS[self.column.min(TABLE_COLUMNS.len() - 1)];
        self.set_sort(field, descending);
    }

    fn set_sort(&mut self, field: Field, descending: bool) {
        self.sort = (field, descending);
        let current = self.selected().map(|r| r.key);
        self.sort_rows();
        self.refilter(None);
        if let Some(key) = current
            && let Some(at) = self
                .visible
                .iter()
                .position(|&i| self.book.rows()[i].key == key)
        {
            self.table.select(at, self.visible.len());
        }
        let arrow = if descending {
            "descending"
        } else {
            "ascending"
        };
        self.message = Some(format!("sorted by {} {arrow}", field.name()));
    }

    fn sort_rows(&mut self) {
        let (field, descending) = self.sort;
        // The rows stay where they are: the queue's items still name theirs by place.
        self.book.sort(field, descending);
    }

    /// Recomputes the listed rows from the segment and filter, keeping the cursor's account
    /// where it is still listed. `filter` is the compiled filter when the caller has it.
    fn refilter(&mut self, filter: Option<Predicate>) {
        let current = self.selected().map(|r| r.key);
        let segment = self
            .segment
            .as_ref()
            .and_then(|s| self.book.compile(&s.expression).ok());
        let filter = filter.or_else(|| {
            self.filter
                .as_deref()
                .and_then(|f| self.book.compile(f).ok())
        });
        let predicate = match (segment, filter) {
            (Some(a), Some(b)) => Predicate::And(vec![a, b]),
            (Some(p), None) | (None, Some(p)) => p,
            (None, None) => Predicate::All,
        };
        self.visible = self.book.matching(&predicate);
        self.stats = self.book.stats_of(&self.visible);
        // Marks are on what is listed: a `t` never reaches accounts the CSM cannot see.
        if !self.marks.is_empty() {
            let listed: std::collections::HashSet<i64> = self.visible_keys().into_iter().collect();
            self.marks.retain(|key| listed.contains(key));
        }
        let at = current
            .and_then(|key| {
                self.visible
                    .iter()
                    .position(|&i| self.book.rows()[i].key == key)
            })
            .unwrap_or(0);
        self.table.select(at, self.visible.len());
    }
}
