//! What the user (or the loop) asks of the dashboard: a small enum the update function steps on.

use tui_input::InputRequest;

/// One step of the dashboard. Keys become actions in the keymap; nothing else changes state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    /// Enter: open the account, apply the segment, or submit the input line.
    Open,
    /// Esc: back out one layer (input, then filter, then segment; detail back to the list).
    Back,
    /// q: back out one layer, or quit from the list.
    QuitOrBack,
    /// Ctrl-c: quit from anywhere.
    Quit,
    ToggleHelp,
    ToggleSidebar,
    NextPane,
    PrevPane,
    /// Focus pane N (1 segments, 2 accounts, 3 account detail).
    FocusPane(u8),
    ColumnLeft,
    ColumnRight,
    SortAscending,
    SortDescending,
    /// `/`: edit the filter over the current segment.
    OpenFilter,
    /// `:`: the command line (save NAME, rm NAME, sort FIELD [desc], q).
    OpenCommand,
    /// A keystroke for the input line.
    Edit(InputRequest),
    /// Tab in the input line: complete the word under the cursor.
    Complete,
    /// The screen was laid out: table rows that fit, table columns shown (bit i = column i),
    /// and how far the detail pane can scroll.
    Layout {
        rows: u16,
        columns: u16,
        detail_limit: u16,
    },
    /// The saved segments changed on disk (after a save or remove), with what happened.
    SavedSegments {
        saved: Vec<(String, String)>,
        message: String,
    },
    /// The health history of an account, loaded for the detail pane.
    History {
        key: i64,
        points: Vec<crate::domain::history::HealthPoint>,
        responses: Vec<crate::domain::nps::NpsResponse>,
        /// The account's notes as (date, text), newest first.
        notes: Vec<(crate::domain::Date, String)>,
        /// Everything on the account's timeline, newest first.
        timeline: Vec<crate::domain::timeline::TimelineEntry>,
    },
    /// `w`: the next NPS window (365, 180, 90, 30 days, all time).
    CycleNpsWindow,
    /// `N`: the NPS of the listed accounts, with every answer it counts.
    ToggleSegmentNps,
    /// `d` in the segment NPS view: detractors only (the call list), or everyone.
    ToggleDetractors,
    /// The answers of the listed accounts, loaded for the segment NPS view.
    SegmentResponses(Vec<(i64, crate::domain::nps::NpsResponse)>),
    /// Space: mark the account under the cursor (or unmark it) and move down.
    ToggleMark,
    /// `v`: start a range at the cursor; pressed again, mark every row between.
    MarkRange,
    /// `t`: tag the marked accounts, or the one under the cursor.
    TagPrompt,
    /// `u`: remove a tag from the marked accounts, or the one under the cursor.
    UntagPrompt,
    /// `T`: tag every listed account (after a confirmation).
    TagAllPrompt,
    /// `U` / Ctrl-z: undo the last tag change.
    Undo,
    /// `#`: the tag manager (every tag with its count).
    ToggleTagManager,
    /// `r` in the tag manager: rename (or merge) the tag under the cursor.
    RenameTagPrompt,
    /// `d` in the tag manager: delete the tag under the cursor (after a confirmation).
    DeleteTagPrompt,
    /// `y` on a confirmation line.
    Confirm,
    /// A tag change was carried out: the new tags of the accounts it touched, its undo (none
    /// when it was itself an undo), and what happened.
    TagsChanged {
        rows: Vec<(i64, Vec<String>)>,
        undo: Option<crate::domain::tag::TagUndo>,
        message: String,
    },
    /// `e`: export the listed accounts to a CSV file named after the segment.
    Export,
    /// The book was read again (after an import): everything is recomputed from it.
    Reloaded {
        book: Box<crate::domain::book::Book>,
        /// The triage queue's inputs for that book.
        triage: Box<crate::domain::triage::Inputs>,
        message: String,
        /// Whether the book is still the demo book.
        demo: bool,
        /// The health model the book was scored with (an import reads health.toml again).
        model: Box<crate::domain::health::HealthModel>,
        /// The sidebar and queue counted by the reader, when it did.
        ready: Option<Box<crate::state::Ready>>,
    },
    /// A message for the status bar (an effect's outcome).
    Message(String),
    /// `!`: open or close the triage queue.
    ToggleTriage,
    /// `d` in the queue: the item is done (until a new signal fires).
    TriageDone,
    /// `z` in the queue: ask how long to snooze the item.
    TriageSnoozePrompt,
    /// The answer to the snooze question.
    Snooze(SnoozeFor),
    /// `o` in the queue: put a done or snoozed item back.
    TriageReopen,
    /// `a` in the queue: show the done and snoozed items too, or only the open ones.
    TriageShowAll,
    /// The queue's inputs were read (at start, after an import or a reload).
    TriageLoaded(Box<crate::domain::triage::Inputs>),
    /// A triage action was stored (or undone): every action now, the undo of the new one (its
    /// id and what it did), and what happened.
    TriageActions {
        actions: Vec<crate::domain::triage::TriageAction>,
        undo: Option<(i64, String)>,
        message: String,
    },
    /// `n`: write a note on the account under the cursor.
    AddNote,
    /// A key in the note editor.
    NoteKey(NoteEdit),
    /// Ctrl-s in the note editor: save the note.
    SaveNote,
    /// A note was saved on this account.
    NoteSaved {
        key: i64,
        message: String,
    },
    /// The notes that matched a `:notes WORDS` search.
    NoteHits {
        words: String,
        hits: Vec<crate::storage::notes::NoteHit>,
    },
    /// Show this tab of the detail pane (the same key again goes back to the account).
    ShowTab(DetailTab),
    /// The next / previous tab of the detail pane.
    NextTab,
    PrevTab,
}

/// How long a snooze lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnoozeFor {
    Day,
    Week,
    /// Until the account's renewal date.
    Renewal,
}

/// What the detail pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DetailTab {
    /// The account, its health breakdown and history.
    #[default]
    Account,
    /// Every NPS answer with its comment.
    Nps,
    /// Notes, answers, health moves, tags, imports and triage actions, newest first.
    Timeline,
}

impl DetailTab {
    /// The tabs in order.
    pub const ALL: [DetailTab; 3] = [DetailTab::Account, DetailTab::Nps, DetailTab::Timeline];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            DetailTab::Account => "Account",
            DetailTab::Nps => "NPS",
            DetailTab::Timeline => "Timeline",
        }
    }
}

/// An editing key of the note editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteEdit {
    Char(char),
    Newline,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
}

impl Action {
    /// Whether a key press asked for this (not the loop reporting something): a key press
    /// clears the last message.
    pub fn is_from_key(&self) -> bool {
        !matches!(
            self,
            Action::Layout { .. }
                | Action::SavedSegments { .. }
                | Action::History { .. }
                | Action::SegmentResponses(_)
                | Action::TagsChanged { .. }
                | Action::Reloaded { .. }
                | Action::Message(_)
                | Action::TriageLoaded(_)
                | Action::TriageActions { .. }
                | Action::NoteSaved { .. }
                | Action::NoteHits { .. }
        )
    }
}
