//! The health block of the account view: the score, why it is what it is (one row per component
//! with its input in words, a bar, weight and points, the weakest marked), and how it moved.

use crate::domain::AccountRow;
use crate::domain::explain::input_in_words;
use crate::domain::health::HealthModel;
use crate::domain::history::{self, HealthPoint};
use crate::views::theme;
use jiff::civil::Date;
use ratatui::text::{Line, Span};

/// Width of the component name column.
const NAME_WIDTH: usize = 14;
/// Cells of a component's score bar.
const BAR_WIDTH: usize = 8;

/// A score 0-100 as a bar of [`BAR_WIDTH`] cells.
pub fn bar(score: f64) -> String {
    let filled = ((score.clamp(0.0, 100.0) / 100.0) * BAR_WIDTH as f64).round() as usize;
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

fn signed(change: i32) -> String {
    match change {
        0 => "±0".into(),
        c if c > 0 => format!("+{c}"),
        c => c.to_string(),
    }
}

/// The lines of the health block.
pub fn lines(
    row: &AccountRow,
    model: &HealthModel,
    history: Option<&[HealthPoint]>,
    today: Date,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(health) = row.health_breakdown(model) else {
        out.push(Line::from(vec![
            Span::styled("Health ", theme::label()),
            Span::styled("no score: no usage or NPS imported yet", theme::dim()),
        ]));
        return out;
    };
    let mut head = vec![
        Span::styled("Health ", theme::section()),
        Span::styled(
            format!("{} {}", health.score, health.band.as_str()),
            theme::band(health.band),
        ),
    ];
    if let Some((points, band)) = model.points_to_next_band(health.score) {
        head.push(Span::styled(
            format!(" · {points} points to {}", band.as_str()),
            theme::dim(),
        ));
    }
    out.push(Line::from(head));
    let missing = model.missing(&health);
    if !missing.is_empty() {
        let style = if model.is_thin(&health) {
            theme::warn()
        } else {
            theme::dim()
        };
        out.push(Line::styled(
            format!(
                "  from {} of {} components · no input for {}",
                health.components.len(),
                health.components.len() + missing.len(),
                missing.join(", ")
            ),
            style,
        ));
    }
    match history {
        Some(points) if !points.is_empty() => {
            let changes: Vec<String> = [30, 90]
                .into_iter()
                .filter_map(|days| {
                    history::change_since(points, health.score, today, days)
                        .map(|c| format!("{} vs {days}d ago", signed(c)))
                })
                .collect();
            if !changes.is_empty() {
                out.push(Line::styled(
                    format!("  {}", changes.join(" · ")),
                    theme::dim(),
                ));
            }
            let (first, last) = (points[0].date, points[points.len() - 1].date);
            out.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(history::sparkline(points), theme::band(health.band)),
                Span::styled(format!("  {first} → {last}"), theme::dim()),
            ]));
        }
        Some(_) => out.push(Line::styled(
            "  no history: no dated snapshots",
            theme::dim(),
        )),
        None => out.push(Line::styled("  history loading…", theme::dim())),
    }
    let weakest = health.weakest().map(|c| c.kind);
    for component in &health.components {
        let is_weakest = Some(component.kind) == weakest && component.score < 100.0;
        let mut spans = vec![
            Span::styled(
                format!("{:<NAME_WIDTH$}", component.kind.name()),
                theme::label(),
            ),
            Span::styled(
                bar(component.score),
                theme::band(model.band(component.score.round() as u8)),
            ),
            Span::raw(format!(
                " {:>3} × {:>2.0}% = {:>4.1}",
                component.score.round(),
                component.weight,
                component.contribution
            )),
        ];
        if is_weakest {
            spans.push(Span::styled(" ◀", theme::warn()));
        }
        out.push(Line::from(spans));
        out.push(Line::styled(
            format!("  {}", input_in_words(row, component)),
            theme::dim(),
        ));
    }
    if let Some(component) = health.weakest().filter(|c| c.score < 100.0) {
        let lost = component.points_lost();
        out.push(Line::from(vec![
            Span::styled("◀ weakest: ", theme::warn()),
            Span::raw(format!("{}, -{lost:.1} points", component.kind.name())),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_fill_with_the_score() {
        assert_eq!(bar(0.0), "░░░░░░░░");
        assert_eq!(bar(62.0), "█████░░░");
        assert_eq!(bar(100.0), "████████");
        assert_eq!(bar(250.0), "████████");
    }
}
