//! The segment sidebar: every segment and facet value with its count, ARR and average health.

use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::state::{AppState, EntryKind, Focus};
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Pads or cuts to `width` characters.
fn fit(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count > width {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

/// The sidebar's bottom line: the expression under the cursor while the sidebar has the focus
/// (so every segment can be read for what it is), else the key to its figures.
fn footer(state: &AppState, focused: bool) -> String {
    match state.sidebar.selected() {
        Some(entry) if focused && entry.kind != EntryKind::Heading => {
            let nps = entry
                .stats
                .nps
                .map_or_else(|| "no NPS".to_owned(), |n| n.label());
            if entry.expression.is_empty() {
                format!(" {nps} ")
            } else {
                format!(" {nps} · {} ", caret(&entry.expression))
            }
        }
        _ => " count · ARR · health ".to_owned(),
    }
}

/// Draws the sidebar into `area`.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let focused = state.focus == Focus::Sidebar && state.line.is_none() && !state.help;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(Span::styled(" 1 Segments ", theme::header()))
        .title_bottom(Span::styled(footer(state, focused), theme::dim()));
    let inner_width = usize::from(area.width.saturating_sub(2));
    let rows = usize::from(area.height.saturating_sub(2));
    let label_width = inner_width.saturating_sub(16).max(4);
    let applied = state.segment.as_ref();
    let mut lines = Vec::with_capacity(rows);
    let start = state.sidebar.offset.min(state.sidebar.entries.len());
    for (index, entry) in state
        .sidebar
        .entries
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
    {
        if entry.kind == EntryKind::Heading {
            lines.push(Line::styled(
                caret(&entry.label).into_owned(),
                theme::section(),
            ));
            continue;
        }
        let is_applied = match applied {
            None => entry.kind == EntryKind::All,
            Some(a) => a.kind == entry.kind && a.label == entry.label,
        };
        let marker = if is_applied { "▸" } else { " " };
        let figures = if entry.error.is_some() {
            format!("{:>15}", "broken")
        } else {
            format!(
                "{:>4} {:>6} {:>3}",
                short_count(entry.stats.count),
                money::format_within(entry.stats.arr, 6),
                entry
                    .stats
                    .avg_health
                    .map_or("—".to_owned(), |h| format!("{h:.0}"))
            )
        };
        let mut style = if is_applied {
            theme::applied()
        } else {
            Style::new()
        };
        if index == state.sidebar.cursor && focused {
            style = theme::cursor_row(true);
        } else if index == state.sidebar.cursor {
            style = style.patch(theme::cursor_row(false));
        }
        lines.push(
            Line::from(vec![
                Span::raw(marker),
                Span::raw(fit(&caret(&entry.label), label_width)),
                Span::raw(figures),
            ])
            .style(style),
        );
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A count in at most four characters, so a book of millions keeps its ARR and health in
/// view: 9999, then 50k, 181k, then 1.0M, 12M.
fn short_count(n: usize) -> String {
    match n {
        0..=9_999 => n.to_string(),
        10_000..=999_499 => format!("{}k", (n + 500) / 1_000),
        _ if n < 9_950_000 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{}M", (n + 500_000) / 1_000_000),
    }
}

#[cfg(test)]
mod tests {
    use super::short_count;

    #[test]
    fn counts_fit_four_characters() {
        for (n, text) in [
            (0, "0"),
            (300, "300"),
            (9_999, "9999"),
            (10_000, "10k"),
            (50_104, "50k"),
            (181_387, "181k"),
            (999_499, "999k"),
            (999_500, "1.0M"),
            (1_000_000, "1.0M"),
            (9_949_999, "9.9M"),
            (12_300_000, "12M"),
        ] {
            assert_eq!(short_count(n), text, "{n}");
        }
        assert!(
            (0..2_000_000)
                .step_by(997)
                .all(|n| short_count(n).chars().count() <= 4)
        );
    }
}
