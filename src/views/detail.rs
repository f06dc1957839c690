//! The detail pane: everything known about the account under the cursor, and why its health
//! score is what it is.

use crate::domain::AccountRow;
use crate::domain::health::HealthModel;
use crate::domain::history::HealthPoint;
use crate::domain::money;
use crate::domain::sanitize::caret;
use crate::state::{AppState, DetailTab, Focus};
use crate::views::{format, health, theme};
use jiff::civil::Date;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

const LABEL_WIDTH: usize = 14;

fn pair(label: &str, value: String) -> Line<'static> {
    // A long label (an imported column name) keeps a space before its value.
    let label = if label.chars().count() >= LABEL_WIDTH {
        format!("{label} ")
    } else {
        format!("{label:<LABEL_WIDTH$}")
    };
    Line::from(vec![Span::styled(label, theme::label()), Span::raw(value)])
}

/// "1 passive", "3 passives".
fn count(n: u32, noun: &str) -> String {
    crate::domain::plural::count(n as usize, noun)
}

fn section(title: &str) -> Line<'static> {
    Line::from(Span::styled(title.to_owned(), theme::section()))
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

/// The lines of the detail pane for one account.
pub fn lines(
    row: &AccountRow,
    model: &HealthModel,
    history: Option<&[HealthPoint]>,
    notes: Option<&[(Date, String)]>,
    today: Date,
) -> Vec<Line<'static>> {
    let a = &row.account;
    let mut out = Vec::new();
    out.push(Line::from(vec![
        Span::styled(caret(&a.name).into_owned(), theme::header()),
        Span::styled(format!("  {}", caret(&a.external_id)), theme::dim()),
    ]));
    out.extend(health::lines(row, model, history, today));
    out.push(Line::from(""));

    out.push(section("Account"));
    out.push(pair(
        "Industry",
        format::text_or_dash(a.industry.as_deref()),
    ));
    let place = match (&a.region, &a.country) {
        (Some(r), Some(c)) => format!("{} · {}", caret(r), caret(c)),
        (r, c) => format::text_or_dash(r.as_deref().or(c.as_deref())),
    };
    out.push(pair("Region", place));
    out.push(pair("Employees", opt(a.employees)));
    out.push(pair("Plan", format::text_or_dash(a.plan.as_deref())));
    out.push(pair("Owner", format::text_or_dash(a.owner.as_deref())));
    out.push(pair(
        "Stage / status",
        format!(
            "{} / {}",
            opt(a.lifecycle.map(|l| l.as_str())),
            opt(a.status.map(|s| s.as_str()))
        ),
    ));
    out.push(Line::from(""));

    out.push(section("Contract"));
    let currency = a.currency.as_deref().map(caret).unwrap_or_default();
    let amount = |v: Option<i64>| {
        v.map_or_else(
            || "—".into(),
            |m| format!("{} {currency}", money::format_grouped(m)),
        )
    };
    out.push(pair(
        "ARR",
        format!("{} · {}", amount(a.arr), opt(row.tier.map(|t| t.as_str()))),
    ));
    out.push(pair("MRR", amount(a.mrr)));
    out.push(pair("Seats", opt(a.seats)));
    out.push(pair("Start", opt(a.contract_start)));
    out.push(pair(
        "Renewal",
        match (a.renewal_date, row.days_to_renewal) {
            (Some(d), Some(days)) => format!("{d}  ({})", format::renewal(days.into())),
            _ => "—".into(),
        },
    ));
    out.push(Line::from(""));

    match &row.usage {
        Some(u) => {
            out.push(section(&format!("Usage  (as of {})", opt(u.date))));
            out.push(pair(
                "Active users",
                match (u.active_users, row.utilization) {
                    (Some(n), Some(util)) => {
                        format!("{n} of {} seats ({})", opt(a.seats), format::percent(util))
                    }
                    (n, _) => opt(n),
                },
            ));
            out.push(pair("Logins (30d)", opt(u.logins_30d)));
            out.push(pair(
                "Last login",
                match (u.last_login, row.days_since_login) {
                    (Some(d), Some(days)) => format!("{d}  ({})", format::since(days.into())),
                    _ => "—".into(),
                },
            ));
            let pct =
                |v: Option<f64>| v.map_or("—".into(), |v| format!("{}%", format::number(v)));
            out.push(pair("Adoption", pct(u.feature_adoption)));
            out.push(pair("Onboarding", pct(u.onboarding)));
            out.push(pair("Open tickets", opt(u.open_tickets)));
            out.push(pair("CSAT", u.csat.map_or("—".into(), format::number)));
            out.push(pair("Overdue inv.", opt(u.overdue_invoices)));
        }
        None => {
            out.push(section("Usage"));
            out.push(Line::styled("no usage snapshots imported", theme::dim()));
        }
    }
    out.push(Line::from(""));

    out.push(section("NPS  last 365 days (n: every answer)"));
    match row.nps {
        Some(n) => {
            out.push(pair(
                "NPS",
                format!(
                    "{}  from {} response{}",
                    n.nps,
                    n.count,
                    if n.count == 1 { "" } else { "s" }
                ),
            ));
            out.push(pair(
                "Mean score",
                format!("{:.1}  ({})", n.mean_score, n.category().as_str()),
            ));
            out.push(Line::styled(
                format!(
                    "{} · {} · {}",
                    count(n.promoters, "promoter"),
                    count(n.passives, "passive"),
                    count(n.detractors, "detractor")
                ),
                theme::dim(),
            ));
        }
        None => out.push(Line::styled("no responses in the window", theme::dim())),
    }
    out.push(Line::from(""));

    out.push(section("Notes"));
    match notes {
        None => out.push(Line::styled("notes loading…", theme::dim())),
        Some([]) => out.push(Line::styled("no notes", theme::dim())),
        Some(list) => {
            for (date, body) in list {
                out.push(Line::styled(date.to_string(), theme::label()));
                for line in body.lines() {
                    out.push(Line::from(format!("  {}", caret(line))));
                }
            }
        }
    }
    out.push(Line::from(""));

    out.push(section("Tags"));
    if row.tags.is_empty() {
        out.push(Line::styled("no tags", theme::dim()));
    } else {
        out.push(Line::from(caret(&row.tags.join(", ")).into_owned()));
    }

    if !a.extra.is_empty() {
        out.push(Line::from(""));
        out.push(section("Imported fields"));
        for (key, value) in &a.extra {
            let value = match value {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push(pair(&caret(key), caret(&value).into_owned()));
        }
    }
    out
}

/// What the pane shows: the account, its NPS answers or its timeline.
fn content(state: &AppState, row: &AccountRow) -> Vec<Line<'static>> {
    match state.detail_tab {
        DetailTab::Nps => crate::views::nps::account_lines(state, row),
        DetailTab::Timeline => crate::views::timeline::lines(state, row),
        DetailTab::Account => lines(
            row,
            &state.model,
            state.selected_history(),
            state.selected_notes(),
            state.today,
        ),
    }
}

/// The pane's title: its number, then the tabs with the shown one marked.
fn title(state: &AppState) -> String {
    let tabs: Vec<String> = DetailTab::ALL
        .iter()
        .map(|tab| {
            if *tab == state.detail_tab {
                format!("[{}]", tab.title())
            } else {
                tab.title().to_owned()
            }
        })
        .collect();
    format!(" 3 {} ", tabs.join(" · "))
}

/// How far the detail pane in `area` can scroll before its last line leaves the screen.
pub fn scroll_limit(state: &AppState, area: Rect) -> u16 {
    let Some(row) = state.selected() else {
        return 0;
    };
    let inner = area.width.saturating_sub(2).max(1);
    let paragraph = Paragraph::new(content(state, row)).wrap(Wrap { trim: false });
    let height = paragraph.line_count(inner);
    u16::try_from(height)
        .unwrap_or(u16::MAX)
        .saturating_sub(area.height.saturating_sub(2))
}

/// Draws the detail pane into `area`.
pub fn draw(frame: &mut Frame<'_>, state: &AppState, area: Rect) {
    let focused = state.focus == Focus::Detail && !state.help;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(Span::styled(title(state), theme::header()));
    let text = match state.selected() {
        Some(row) => content(state, row),
        None => vec![Line::styled("no account selected", theme::dim())],
    };
    let paragraph = Paragraph::new(text)
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((state.detail_scroll, 0));
    frame.render_widget(paragraph, area);
}
