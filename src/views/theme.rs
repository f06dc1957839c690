//! Colours and styles in one place, so every view speaks the same visual language.

use crate::domain::health::Band;
use ratatui::style::{Color, Modifier, Style};

/// Title bar.
pub fn title() -> Style {
    Style::new()
        .fg(Color::Black)
        .bg(Color::Cyan)
        .add_modifier(Modifier::BOLD)
}

/// Table header row.
pub fn header() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// The header cell of the column `s`/`S` would sort by.
pub fn selected_column() -> Style {
    header().add_modifier(Modifier::REVERSED)
}

/// The row under the cursor.
pub fn cursor_row(focused: bool) -> Style {
    if focused {
        Style::new()
            .bg(Color::DarkGray)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().bg(Color::Rgb(40, 40, 40))
    }
}

/// A pane's border: bright when it has the keyboard.
pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new().fg(Color::DarkGray)
    }
}

/// Section titles inside the detail pane.
pub fn section() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

/// Labels beside values.
pub fn label() -> Style {
    Style::new().fg(Color::Gray)
}

/// Secondary text (units, hints).
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

/// Keys in the context bar and help.
pub fn key() -> Style {
    Style::new().fg(Color::Black).bg(Color::Gray)
}

/// The status bar.
pub fn status() -> Style {
    Style::new().fg(Color::White).bg(Color::Rgb(30, 30, 60))
}

/// The demo-book notice.
pub fn demo() -> Style {
    Style::new().fg(Color::Black).bg(Color::Yellow)
}

/// A health band's colour.
pub fn band(band: Band) -> Style {
    match band {
        Band::Healthy => Style::new().fg(Color::Green),
        Band::AtRisk => Style::new().fg(Color::Yellow),
        Band::Critical => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

/// Something that needs attention (a near renewal, a long silence).
pub fn warn() -> Style {
    Style::new().fg(Color::LightRed)
}

/// An error under the input line.
pub fn error() -> Style {
    Style::new()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD)
}

/// The segment that is applied, in the sidebar.
pub fn applied() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

/// Feedback on the last action, in the status bar.
pub fn message() -> Style {
    Style::new().fg(Color::Black).bg(Color::LightCyan)
}

/// A marked row.
pub fn marked() -> Style {
    Style::new()
        .fg(Color::LightMagenta)
        .add_modifier(Modifier::BOLD)
}
