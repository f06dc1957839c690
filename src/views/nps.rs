//! NPS views: an account's answers (the detail pane's NPS tab) and the NPS of the listed
//! accounts with the answers it counts (the segment NPS view, `N`).

use crate::domain::AccountRow;
use crate::domain::nps::{self, Category, NpsResponse, NpsSummary, Window};
use crate::domain::sanitize::caret;
use crate::state::AppState;
use crate::views::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::collections::HashMap;

fn category_style(category: Category) -> Style {
    match category {
        Category::Promoter => theme::band(crate::domain::health::Band::Healthy),
        Category::Passive => theme::band(crate::domain::health::Band::AtRisk),
        Category::Detractor => theme::band(crate::domain::health::Band::Critical),
    }
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The summary lines of an NPS: the score with its count, and the split.
fn summary_lines(summary: Option<NpsSummary>, window: &str) -> Vec<Line<'static>> {
    match summary {
        Some(s) => vec![
            Line::from(vec![
                Span::styled(s.label(), theme::section()),
                Span::styled(format!(" · {window}"), theme::dim()),
            ]),
            Line::styled(
                format!(
                    "{} · {} · {}",
                    plural(s.promoters, "promoter"),
                    plural(s.passives, "passive"),
                    plural(s.detractors, "detractor")
                ),
                theme::dim(),
            ),
        ],
        None => vec![Line::from(vec![
            Span::styled("NPS —", theme::section()),
            Span::styled(format!(" · no answers in the {window}"), theme::dim()),
        ])],
    }
}

/// One answer: a heading line, then its comment as written (every line of it).
fn answer_lines(
    response: &NpsResponse,
    who: Option<&str>,
    note: Option<&str>,
) -> Vec<Line<'static>> {
    let category = Category::of_score(response.score);
    let contact = if response.contact.is_empty() {
        "anonymous".to_owned()
    } else {
        caret(&response.contact).into_owned()
    };
    let mut head = vec![
        Span::raw(format!("{}  ", response.date)),
        Span::styled(
            format!("{:>2} {}", response.score, category.as_str()),
            category_style(category),
        ),
        Span::raw("  "),
    ];
    if let Some(who) = who {
        head.push(Span::styled(format!("{} · ", caret(who)), theme::header()));
    }
    head.push(Span::raw(contact));
    let mut out = vec![Line::from(head)];
    if let Some(note) = note {
        out.push(Line::styled(format!("  ({note})"), theme::dim()));
    }
    if let Some(comment) = response.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        for line in comment.lines() {
            out.push(Line::from(format!("  {}", caret(line))));
        }
    }
    out
}

/// The NPS tab of the detail pane for one account.
pub fn account_lines(state: &AppState, row: &AccountRow) -> Vec<Line<'static>> {
    let window = state.nps_window();
    let label = state.nps_window_label();
    let mut out = vec![Line::from(vec![
        Span::styled(caret(&row.account.name).into_owned(), theme::header()),
        Span::styled(
            format!("  {}", caret(&row.account.external_id)),
            theme::dim(),
        ),
    ])];
    let Some(responses) = state.selected_responses() else {
        out.push(Line::styled("answers loading…", theme::dim()));
        return out;
    };
    let counted = nps::counted(responses, window);
    let summary = nps::scores_summary(counted.iter().map(|r| r.score));
    out.extend(summary_lines(summary, &label));
    if responses.is_empty() {
        out.push(Line::styled(
            "no NPS answers imported for this account",
            theme::dim(),
        ));
        return out;
    }
    // Scores over time, one mark per answer, oldest first.
    const BARS: [char; 11] = ['▁', '▁', '▂', '▃', '▃', '▄', '▅', '▆', '▆', '▇', '█'];
    // At most the last 30 answers, so the chart stays on one line.
    let shown = &responses[responses.len().saturating_sub(30)..];
    let mut chart = vec![Span::raw("  ")];
    for response in shown {
        chart.push(Span::styled(
            BARS[usize::from(response.score.min(10))].to_string(),
            category_style(Category::of_score(response.score)),
        ));
    }
    chart.push(Span::styled(
        format!("  {} → {}", shown[0].date, shown[shown.len() - 1].date),
        theme::dim(),
    ));
    out.push(Line::from(chart));
    out.push(Line::from(""));
    out.push(Line::styled(
        format!("Answers, newest first ({})", responses.len()),
        theme::section(),
    ));
    for response in responses.iter().rev() {
        let note = if counted.iter().any(|c| std::ptr::eq(*c, response)) {
            None
        } else if !window.contains(response.date) {
            Some("not counted: outside window")
        } else {
            Some("not counted: newer answer")
        };
        out.extend(answer_lines(response, None, note));
    }
    out
}

/// The lines of the segment NPS view.
pub fn segment_lines(state: &AppState) -> Vec<Line<'static>> {
    let Some(view) = &state.segment_nps else {
        return Vec::new();
    };
    let window: Window = state.nps_window();
    let counted = nps::counted_by_account(&view.responses, window);
    let summary = nps::scores_summary(counted.iter().map(|(_, r)| r.score));
    let what = match (&state.segment, &state.filter) {
        (None, None) => "all accounts".to_owned(),
        (Some(s), None) => s.label.clone(),
        (None, Some(f)) => format!("/{f}"),
        (Some(s), Some(f)) => format!("{} + /{f}", s.label),
    };
    let mut out = vec![Line::styled(
        format!(
            "NPS of {} ({})",
            caret(&what),
            crate::domain::plural::count(state.visible.len(), "account")
        ),
        theme::header(),
    )];
    out.extend(summary_lines(summary, &state.nps_window_label()));
    // Each quarter counts its own answers, not just those that are still the latest.
    let in_window: Vec<(i64, &NpsResponse)> = view
        .responses
        .iter()
        .filter(|(_, r)| window.contains(r.date))
        .map(|(key, r)| (*key, r))
        .collect();
    let quarters = nps::by_quarter(&in_window);
    if !quarters.is_empty() {
        let trend: Vec<String> = quarters
            .iter()
            .map(|(q, s)| {
                let flag = if s.count < nps::SMALL_N {
                    ", small n"
                } else {
                    ""
                };
                format!("{q} {} (n={}{flag})", s.nps, s.count)
            })
            .collect();
        out.push(Line::styled(
            format!("By quarter: {}", trend.join(" · ")),
            theme::dim(),
        ));
    }
    out.push(Line::from(""));
    let names: HashMap<i64, &str> = state
        .visible_rows()
        .map(|r| (r.key, r.account.name.as_str()))
        .collect();
    let shown: Vec<&(i64, &NpsResponse)> = counted
        .iter()
        .filter(|(_, r)| {
            !view.detractors_only || Category::of_score(r.score) == Category::Detractor
        })
        .collect();
    out.push(Line::styled(
        if view.detractors_only {
            format!("Detractors, newest first ({}): the call list", shown.len())
        } else {
            format!("Counted answers, newest first ({})", shown.len())
        },
        theme::section(),
    ));
    for (key, response) in shown {
        out.extend(answer_lines(response, names.get(key).copied(), None));
    }
    out
}

/// Draws the segment NPS view over `area`.
pub fn draw_segment(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let Some(view) = &state.segment_nps else {
        return;
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(true))
        .title(Span::styled(
            " NPS of the listed accounts ",
            theme::header(),
        ))
        .title_bottom(Span::styled(
            " d detractors · w window · Esc close ",
            theme::dim(),
        ));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(segment_lines(state))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll, 0)),
        area,
    );
}
