//! The account table: only the rows on screen are built each frame.

use crate::domain::AccountRow;
use crate::domain::fields::Field;
use crate::domain::health::HealthModel;
use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::state::{AppState, Focus, TABLE_COLUMNS};
use crate::views::{format, theme};
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};

/// Header label and (minimum) width of a table column.
fn column(field: Field) -> (&'static str, u16) {
    match field {
        Field::Name => ("Account", 18),
        Field::Arr => ("ARR", 7),
        Field::Tier => ("Tier", 7),
        Field::Lifecycle => ("Stage", 10),
        Field::Health => ("Health", 12),
        Field::Nps => ("NPS", 4),
        Field::Renewal => ("Renews", 8),
        Field::LastLogin => ("Login", 8),
        Field::Utilization => ("Util", 4),
        Field::Owner => ("Owner", 13),
        Field::Tags => ("Tags", 10),
        _ => ("", 6),
    }
}

/// Which columns a CSM gives up last when the table is narrow.
const PRIORITY: [Field; 11] = [
    Field::Name,
    Field::Health,
    Field::Renewal,
    Field::Arr,
    Field::LastLogin,
    Field::Nps,
    Field::Utilization,
    Field::Tier,
    Field::Lifecycle,
    Field::Owner,
    Field::Tags,
];

/// The columns that fit a table `width` cells wide, as a bit set over [`TABLE_COLUMNS`].
pub fn shown_columns(width: u16) -> u16 {
    let mut room = width.saturating_sub(2);
    let mut mask = 0u16;
    for field in PRIORITY {
        let (_, need) = column(field);
        let need = need + 1;
        // Strictly in order: a narrower column further down never shows while a more
        // important one is hidden, so columns go and come back in one predictable order.
        if need > room && field != Field::Name {
            break;
        }
        room = room.saturating_sub(need);
        if let Some(i) = TABLE_COLUMNS.iter().position(|f| *f == field) {
            mask |= 1 << i;
        }
    }
    mask
}

/// One cell's text and style.
fn cell(row: &AccountRow, field: Field, model: &HealthModel) -> Cell<'static> {
    let a = &row.account;
    let dash = || Cell::from("—").style(theme::dim());
    match field {
        Field::Arr => a
            .arr
            .map_or_else(dash, |v| Cell::from(money::format_short(v))),
        Field::Tier => row.tier.map_or_else(dash, |t| Cell::from(t.as_str())),
        Field::Lifecycle => a.lifecycle.map_or_else(dash, |l| Cell::from(l.as_str())),
        Field::Health => match (row.health, row.band) {
            (Some(score), Some(band)) => {
                // A score resting on under half the model's weight is marked as unsure.
                let thin = row
                    .health_breakdown(model)
                    .is_some_and(|h| model.is_thin(&h));
                let mark = if thin { "?" } else { "" };
                let text = format!("{score:>3} {}{mark}", band.as_str());
                // " 47 critical?" gives up its alignment space rather than its "?".
                let text = if text.len() > usize::from(column(Field::Health).1) {
                    text.trim_start().to_owned()
                } else {
                    text
                };
                Cell::from(text).style(theme::band(band))
            }
            _ => dash(),
        },
        Field::Nps => row
            .nps
            .map_or_else(dash, |n| Cell::from(format!("{:>4}", n.nps))),
        Field::Renewal => row.days_to_renewal.map_or_else(dash, |d| {
            let style = if (0..=30).contains(&d) {
                theme::warn()
            } else {
                Style::new()
            };
            Cell::from(format::renewal(d.into())).style(style)
        }),
        Field::LastLogin => row.days_since_login.map_or_else(dash, |d| {
            let style = if d >= 7 { theme::warn() } else { Style::new() };
            Cell::from(format::since(d.into())).style(style)
        }),
        Field::Utilization => row
            .utilization
            .map_or_else(dash, |u| Cell::from(format!("{:>4}", format::percent(u)))),
        Field::Owner => a
            .owner
            .as_deref()
            .map_or_else(dash, |o| Cell::from(caret(o).into_owned())),
        _ => dash(),
    }
}

/// Draws the table of accounts into `area`.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let focused = state.focus == Focus::Table && !state.help;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(Line::from(vec![Span::styled(
            " 2 Accounts ",
            theme::header(),
        )]));
    if state.book.rows().is_empty() {
        let text = vec![
            Line::from("No accounts in this book yet."),
            Line::from(""),
            Line::from("Import your own from a shell:"),
            Line::from("  csdeck import accounts.csv usage.csv nps.csv tags.csv notes.csv"),
        ];
        frame.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    if state.visible.is_empty() {
        let text = vec![
            Line::from("No account matches."),
            Line::from(""),
            Line::styled("Esc clears the filter, then the segment.", theme::dim()),
        ];
        frame.render_widget(Paragraph::new(text).block(block), area);
        return;
    }
    let mask = shown_columns(area.width);
    let columns: Vec<(usize, Field)> = TABLE_COLUMNS
        .iter()
        .copied()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .collect();
    let header = Row::new(columns.iter().map(|(i, field)| {
        let (label, _) = column(*field);
        let arrow = match state.sort {
            (sorted, false) if sorted == *field => "↑",
            (sorted, true) if sorted == *field => "↓",
            _ => "",
        };
        let style = if *i == state.column && focused {
            theme::selected_column()
        } else {
            theme::header()
        };
        Cell::from(format!("{label}{arrow}")).style(style)
    }));
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|(_, f)| match f {
            Field::Name => Constraint::Min(column(*f).1),
            Field::Tags => Constraint::Fill(1),
            other => Constraint::Length(column(*other).1),
        })
        .collect();
    // The same split the table makes, so free text can be cut with a visible "…".
    let inner = block.inner(area);
    let cells_wide: Vec<usize> = Layout::horizontal(widths.iter().copied())
        .flex(Flex::Start)
        .spacing(1)
        .split(inner)
        .iter()
        .map(|r| usize::from(r.width))
        .collect();
    let window = state.table.visible(state.visible.len());
    let first = window.start;
    let rows = state.visible[window]
        .iter()
        .filter_map(|&i| state.book.rows().get(i))
        .map(|row| {
            let marked = state.marks.contains(&row.key);
            let cells = columns.iter().zip(&cells_wide).map(|((_, field), &wide)| {
                match field {
                    Field::Name => {
                        // A mark shows as a character too, so it reads without colour.
                        let marker = if marked { "● " } else { "" };
                        let name = format!("{marker}{}", caret(&row.account.name));
                        Cell::from(crate::domain::width::cut(&name, wide))
                    }
                    Field::Tags => Cell::from(crate::domain::width::cut(
                        &caret(&row.tags.join(", ")),
                        wide,
                    )),
                    _ => cell(row, *field, &state.model),
                }
            });
            let row = Row::new(cells);
            if marked {
                row.style(theme::marked())
            } else {
                row
            }
        });
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme::cursor_row(focused));
    let mut table_state =
        TableState::default().with_selected(Some(state.table.cursor.saturating_sub(first)));
    frame.render_stateful_widget(table, area, &mut table_state);
}

/// How many data rows fit in a table drawn in `area` (borders and header taken off).
pub fn rows_that_fit(area: Rect) -> u16 {
    area.height.saturating_sub(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(width: u16) -> Vec<Field> {
        let mask = shown_columns(width);
        PRIORITY
            .into_iter()
            .filter(|f| {
                let i = TABLE_COLUMNS.iter().position(|c| c == f).unwrap_or(0);
                mask & (1 << i) != 0
            })
            .collect()
    }

    #[test]
    fn columns_go_in_priority_order_as_the_table_narrows() {
        let mut before = shown(400);
        assert_eq!(before.len(), PRIORITY.len());
        for width in (0..400).rev() {
            let now = shown(width);
            // Always a prefix of the priority list, and never more than at a wider width.
            assert_eq!(now[..], PRIORITY[..now.len()], "width {width}");
            assert!(now.len() <= before.len(), "width {width}");
            before = now;
        }
        assert_eq!(shown(10), vec![Field::Name]);
    }
}
