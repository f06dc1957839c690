//! What the user (or the loop) asks of the dashboard: a small enum the update function steps on.

/// One step of the dashboard. Keys become actions in the keymap; nothing else changes state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    HalfPageDown,
    HalfPageUp,
    PageDown,
    PageUp,
    /// Enter: open the account under the cursor in the detail pane.
    Open,
    /// Esc: back out one layer.
    Back,
    /// q: back out one layer, or quit from the account list.
    QuitOrBack,
    /// Ctrl-c: quit from anywhere.
    Quit,
    ToggleHelp,
    NextPane,
    PrevPane,
    /// Focus pane N (1-based).
    FocusPane(u8),
    ColumnLeft,
    ColumnRight,
    SortAscending,
    SortDescending,
    /// The table has room for this many rows (sent by the loop after layout).
    Viewport(u16),
    /// The detail pane can scroll this far before its last line leaves the screen.
    DetailLimit(u16),
}
