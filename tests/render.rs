//! The dashboard drawn into ratatui's TestBackend, driven through Actions only.

use csdeck::demo;
use csdeck::domain::book::Book;
use csdeck::domain::health::HealthModel;
use csdeck::domain::{Account, AccountRow};
use csdeck::state::{Action, AppState};
use csdeck::storage::Db;
use csdeck::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

/// The demo book as of its anchor date, so every figure is fixed.
fn demo_state() -> AppState {
    demo_book().1
}

/// The demo book with the database it came from (for health histories).
fn demo_book() -> (Db, AppState) {
    let today = demo::embedded::ANCHOR;
    let mut db = Db::open_in_memory().unwrap();
    demo::embedded::load(&mut db, today).unwrap();
    let book = db.load_book(today, &HealthModel::default()).unwrap();
    (db, AppState::new(book, today, HealthModel::default(), true))
}

/// Steps the state the way the event loop does, then draws it.
struct Screen {
    terminal: Terminal<TestBackend>,
    state: AppState,
    /// Where health histories come from, as the event loop loads them.
    db: Option<Db>,
}

impl Screen {
    fn new(state: AppState, width: u16, height: u16) -> Screen {
        let mut screen = Screen {
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
            state,
            db: None,
        };
        screen.draw();
        screen
    }

    fn draw(&mut self) {
        let size = self.terminal.size().unwrap();
        let area = Rect::new(0, 0, size.width, size.height);
        let layout = views::measure(area, &self.state);
        self.state.update(layout);
        if let (Some(db), Some(key)) = (&self.db, self.state.history_wanted()) {
            for action in csdeck::app::load_history(db, &self.state, key) {
                self.state.update(action);
            }
        }
        let state = &self.state;
        self.terminal.draw(|f| views::draw(f, state)).unwrap();
    }

    fn press(&mut self, actions: &[Action]) {
        for action in actions {
            self.state.update(action.clone());
            self.draw();
        }
    }

    fn type_text(&mut self, text: &str) {
        for ch in text.chars() {
            self.press(&[Action::Edit(tui_input::InputRequest::InsertChar(ch))]);
        }
    }

    fn lines(&self) -> Vec<String> {
        let buffer = self.terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
            })
            .collect()
    }

    fn text(&self) -> String {
        self.lines().join("\n")
    }
}

/// The demo book at 160x45 with the cursor on the first account `pick` accepts, histories
/// loading from the book as in the dashboard.
fn demo_screen_at(pick: impl Fn(&csdeck::domain::AccountRow) -> bool) -> Screen {
    let (db, state) = demo_book();
    let mut screen = Screen::new(state, 160, 45);
    screen.db = Some(db);
    let target = screen.state.visible_rows().position(pick).unwrap();
    screen.press(&vec![Action::Down; target]);
    screen
}

#[test]
fn first_screen_lists_accounts_with_totals_and_keys() {
    let screen = Screen::new(demo_state(), 160, 45);
    let lines = screen.lines();
    let account_rows = lines
        .iter()
        .filter(|l| l.contains(" in ") || l.contains(" ago"))
        .filter(|l| l.starts_with('│'))
        .count();
    assert!(account_rows >= 20, "{}", screen.text());
    assert!(lines[lines.len() - 2].contains("300 accounts"));
    assert!(lines[lines.len() - 2].contains("DEMO BOOK"));
    assert!(lines[lines.len() - 1].contains("Enter"));
    insta::assert_snapshot!("first_screen", screen.text());
}

#[test]
fn enter_opens_the_detail_and_q_backs_out() {
    let mut screen = Screen::new(demo_state(), 160, 45);
    screen.press(&[Action::Down, Action::Down, Action::Open]);
    let name = screen.state.selected().unwrap().account.name.clone();
    let text = screen.text();
    assert!(
        text.contains("login recency") && text.contains("seats active"),
        "{text}"
    );
    assert!(text.contains("Esc/q  back"), "{text}");
    insta::assert_snapshot!("detail_focused", text);
    screen.press(&[Action::Down, Action::Down, Action::Down]);
    assert!(screen.state.detail_scroll > 0);
    screen.press(&[Action::QuitOrBack]);
    assert!(!screen.state.quit);
    assert_eq!(screen.state.selected().unwrap().account.name, name);
    assert!(screen.text().contains("sort ↑"));
    screen.press(&[Action::QuitOrBack]);
    assert!(screen.state.quit);
}

#[test]
fn help_lists_every_binding_of_the_keymap() {
    let mut screen = Screen::new(demo_state(), 160, 45);
    screen.press(&[Action::ToggleHelp]);
    let text = screen.text();
    for binding in csdeck::keymap::bindings(csdeck::state::Mode::Table) {
        assert!(text.contains(binding.help), "help lacks {:?}", binding.help);
    }
    screen.press(&[Action::QuitOrBack]);
    assert!(!screen.state.help);
    assert!(!screen.state.quit);
}

#[test]
fn sorting_by_the_selected_column_reorders_and_keeps_the_cursor_account() {
    let mut screen = Screen::new(demo_state(), 160, 45);
    screen.press(&vec![Action::Down; 5]);
    let under_cursor = screen.state.selected().unwrap().key;
    // Step right to the Health column (narrower screens hide some columns on the way).
    for _ in 0..10 {
        if csdeck::state::TABLE_COLUMNS[screen.state.column]
            == csdeck::domain::fields::Field::Health
        {
            break;
        }
        screen.press(&[Action::ColumnRight]);
    }
    assert_eq!(
        csdeck::state::TABLE_COLUMNS[screen.state.column],
        csdeck::domain::fields::Field::Health
    );
    screen.press(&[Action::SortAscending]);
    assert_eq!(screen.state.selected().unwrap().key, under_cursor);
    let healths: Vec<u8> = screen
        .state
        .visible_rows()
        .filter_map(|r| r.health)
        .collect();
    assert!(healths.windows(2).all(|w| w[0] <= w[1]));
    assert!(screen.text().contains("Health↑"));
    screen.press(&[Action::SortDescending, Action::Top]);
    let first = screen.state.visible_rows().next().unwrap().health.unwrap();
    assert_eq!(Some(&first), healths.iter().max());
    assert!(screen.text().contains("Health↓"));
}

#[test]
fn paging_moves_by_screenfuls_and_stops_at_the_ends() {
    let mut screen = Screen::new(demo_state(), 160, 45);
    let viewport = screen.state.table.viewport;
    assert!(viewport >= 20);
    screen.press(&[Action::PageDown]);
    assert_eq!(screen.state.table.cursor, viewport);
    screen.press(&[Action::HalfPageUp]);
    assert_eq!(screen.state.table.cursor, viewport - viewport / 2);
    screen.press(&[Action::Bottom]);
    assert_eq!(screen.state.table.cursor, 299);
    let last = screen
        .state
        .visible_rows()
        .last()
        .unwrap()
        .account
        .name
        .clone();
    assert!(screen.text().contains(&last));
    screen.press(&[Action::Down, Action::PageDown]);
    assert_eq!(screen.state.table.cursor, 299);
}

#[test]
fn any_terminal_size_draws_without_panicking() {
    let state = demo_state();
    for width in 0..60 {
        for height in 0..14 {
            let mut screen = Screen::new(state.clone(), width, height);
            screen.press(&[Action::Open, Action::ToggleHelp]);
        }
    }
    let mut narrow = Screen::new(state, 90, 30);
    narrow.press(&[Action::Open]);
    assert!(narrow.text().contains("seats active"), "{}", narrow.text());
    assert!(!narrow.text().contains("Renews"), "{}", narrow.text());
}

#[test]
fn control_characters_in_imported_text_are_drawn_as_carets() {
    let account = Account {
        external_id: "EVIL-1".into(),
        name: "Evil\u{1b}[2J\u{1b}]0;pwned\u{7}Corp".into(),
        owner: Some("Mallory\r\n".into()),
        ..Account::default()
    };
    let today = demo::embedded::ANCHOR;
    let row = AccountRow::derive(
        1,
        account,
        None,
        None,
        vec!["x\u{1b}[31m".into()],
        today,
        &HealthModel::default(),
    );
    let mut screen = Screen::new(
        AppState::new(
            Book::new(vec![row], &[]),
            today,
            HealthModel::default(),
            false,
        ),
        160,
        20,
    );
    screen.press(&[Action::Open]);
    let text = screen.text();
    assert!(text.contains("Evil^[[2J^[]0;pwned^GCorp"), "{text}");
    assert!(text.contains("Mallory^M^J"), "{text}");
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn an_empty_book_says_how_to_import() {
    let screen = Screen::new(
        AppState::new(
            Book::new(vec![], &[]),
            demo::embedded::ANCHOR,
            HealthModel::default(),
            false,
        ),
        120,
        20,
    );
    assert!(screen.text().contains("csdeck import accounts.csv"));
    assert!(screen.text().contains("0 accounts"));
}

#[test]
fn typing_a_filter_narrows_the_list_live_and_a_bad_one_keeps_the_last_result() {
    let mut screen = Screen::new(demo_state(), 160, 45);
    let emea = screen
        .state
        .book
        .rows()
        .iter()
        .filter(|r| r.account.region.as_deref() == Some("EMEA"))
        .count();
    screen.press(&[Action::OpenFilter]);
    screen.type_text("region = EMEA");
    let text = screen.text();
    assert!(text.contains(&format!("{emea} of 300 accounts")), "{text}");
    assert_eq!(screen.state.visible.len(), emea);
    insta::assert_snapshot!("filter_typed", text);

    // A broken expression: the error shows under the line and the list stays as it was.
    screen.type_text(" and arr >>= 5");
    let text = screen.text();
    assert!(
        text.contains("column 23: expected a value after '>'"),
        "{text}"
    );
    assert_eq!(screen.state.visible.len(), emea);
    // Enter does not accept a broken filter; Esc puts back the one from before (none).
    screen.press(&[Action::Open]);
    assert!(screen.state.line.is_some());
    screen.press(&[Action::Back]);
    assert!(screen.state.line.is_none());
    assert_eq!(screen.state.visible.len(), 300);
    assert!(screen.text().contains("300 of 300 accounts"));
}

#[test]
fn tab_completes_fields_and_values_in_the_filter_line() {
    let mut screen = Screen::new(demo_state(), 160, 45);
    screen.press(&[Action::OpenFilter]);
    screen.type_text("regi");
    screen.press(&[Action::Complete]);
    assert_eq!(screen.state.line.as_ref().unwrap().input.value(), "region ");
    screen.type_text("in (EM");
    screen.press(&[Action::Complete]);
    assert_eq!(
        screen.state.line.as_ref().unwrap().input.value(),
        "region in (EMEA "
    );
    screen.type_text(", AP");
    screen.press(&[Action::Complete]);
    screen.type_text(")");
    screen.press(&[Action::Open]);
    assert!(screen.state.line.is_none());
    assert_eq!(
        screen.state.filter.as_deref(),
        Some("region in (EMEA , APAC )")
    );
    assert!(
        screen
            .state
            .visible_rows()
            .all(|r| matches!(r.account.region.as_deref(), Some("EMEA" | "APAC")))
    );
}

#[test]
fn the_sidebar_applies_segments_and_facets_and_esc_backs_out() {
    let mut screen = Screen::new(demo_state(), 160, 45);
    let high = screen
        .state
        .book
        .rows()
        .iter()
        .filter(|r| r.tier == Some(csdeck::domain::tier::Tier::High))
        .count();
    screen.press(&[Action::FocusPane(1), Action::Down, Action::Open]);
    assert_eq!(screen.state.segment.as_ref().unwrap().label, "high touch");
    assert_eq!(screen.state.visible.len(), high);
    let text = screen.text();
    assert!(
        text.contains(&format!("high touch · {high} of 300 accounts")),
        "{text}"
    );
    insta::assert_snapshot!("segment_applied", text);

    // A filter over the segment, then Esc clears the filter, then the segment.
    screen.press(&[Action::OpenFilter]);
    screen.type_text("band = healthy");
    screen.press(&[Action::Open]);
    let both = screen.state.visible.len();
    assert!(both < high);
    assert!(
        screen
            .state
            .visible_rows()
            .all(|r| r.tier == Some(csdeck::domain::tier::Tier::High))
    );
    screen.press(&[Action::Back]);
    assert_eq!(screen.state.visible.len(), high);
    screen.press(&[Action::Back]);
    assert_eq!(screen.state.visible.len(), 300);

    // Facets drill down: the Region heading's first value.
    screen.press(&[Action::FocusPane(1)]);
    let region_heading = screen
        .state
        .sidebar
        .entries
        .iter()
        .position(|e| e.label == "Region")
        .unwrap();
    while screen.state.sidebar.cursor <= region_heading {
        screen.press(&[Action::Down]);
    }
    let value = screen.state.sidebar.selected().unwrap().clone();
    screen.press(&[Action::Open]);
    assert!(
        screen
            .state
            .visible_rows()
            .all(|r| r.account.region.as_deref() == Some(value.label.as_str()))
    );
    assert_eq!(screen.state.visible.len(), value.stats.count);
}

#[test]
fn the_command_line_saves_the_current_view_as_a_segment() {
    let mut screen = Screen::new(demo_state(), 160, 45);
    screen.press(&[Action::FocusPane(1), Action::Down, Action::Open]);
    screen.press(&[Action::OpenFilter]);
    screen.type_text("renewal <= 90d");
    screen.press(&[Action::Open, Action::OpenCommand]);
    screen.type_text("save big renewals");
    let effect = screen.state.update(Action::Open);
    assert_eq!(
        effect,
        Some(csdeck::state::Effect::SaveSegment {
            name: "big renewals".into(),
            expression: "segment:\"high touch\" and (renewal <= 90d)".into(),
            replacing: None,
        })
    );
    // Saving under a built-in's name is refused with a message, and nothing is done.
    screen.press(&[Action::OpenCommand]);
    screen.type_text("save critical");
    assert_eq!(screen.state.update(Action::Open), None);
    assert!(
        screen
            .state
            .message
            .as_deref()
            .unwrap()
            .contains("built-in")
    );
}

#[test]
fn the_breakdown_explains_the_score_with_history() {
    // An at-risk account with a full year of snapshots.
    let mut screen = demo_screen_at(|r| {
        r.band == Some(csdeck::domain::health::Band::AtRisk) && r.tags.is_empty()
    });
    screen.press(&[Action::Open]);
    let row = screen.state.selected().unwrap().clone();
    let text = screen.text();
    for expected in [
        "utilization",
        "login recency",
        "nps",
        "◀ weakest",
        "points to healthy",
        "vs 30d ago",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
    let seats = format!("of {} seats active", row.account.seats.unwrap());
    assert!(text.contains(&seats), "{text}");
    let history = screen.state.selected_history().unwrap();
    assert!(history.len() >= 10);
    insta::assert_snapshot!("health_breakdown", text);
}

#[test]
fn without_colour_marks_and_the_cursor_still_show() {
    let mut state = demo_state();
    state.no_color = true;
    let mut screen = Screen::new(state, 160, 45);
    screen.press(&[Action::ToggleMark, Action::ToggleMark]);
    let buffer = screen.terminal.backend().buffer().clone();
    assert!(
        buffer
            .content
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset && c.bg == ratatui::style::Color::Reset)
    );
    let text = screen.text();
    assert_eq!(text.matches("● ").count(), 2, "{text}");
    assert!(text.contains("2 marked"));
    // The cursor row is drawn in reverse video.
    let reversed = buffer
        .content
        .iter()
        .filter(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
        .count();
    assert!(reversed > 100);
}

#[test]
fn the_nps_tab_shows_every_answer_with_its_comment_as_written() {
    let today = demo::embedded::ANCHOR;
    let mut db = Db::open_in_memory().unwrap();
    let options = csdeck::storage::import::ImportOptions::new(today);
    db.import_text(
        "accounts.csv",
        "account_id,name,region\nN-1,Northwind,EMEA\n",
        &options,
    )
    .unwrap();
    db.import_text(
        "nps.csv",
        "account_id,date,contact,score,comment\n\
         N-1,2026-01-10,ana@north.example,2,\"Too slow.\nPlease fix the sync.\"\n\
         N-1,2026-09-01,ana@north.example,10,Much better now \u{1b}[31m!\n\
         N-1,2026-10-15,cy@north.example,3,Rechnungen sind falsch\n\
         N-1,2025-01-01,dee@north.example,0,too old\n",
        &options,
    )
    .unwrap();
    let book = db.load_book(today, &HealthModel::default()).unwrap();
    let mut screen = Screen::new(
        AppState::new(book, today, HealthModel::default(), false),
        160,
        45,
    );
    screen.db = Some(db);
    screen.press(&[Action::Open, Action::ShowTab(csdeck::state::DetailTab::Nps)]);
    let text = screen.text();
    for expected in [
        "NPS 0 (n=2, small n) · last 365 days",
        "1 promoter · 0 passives · 1 detractor",
        "Too slow.",
        "Please fix the sync.",
        "Rechnungen sind falsch",
        "Much better now ^[[31m!",
        "not counted: newer answer",
        "not counted: outside window",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
    assert!(!text.contains('\u{1b}'));
    insta::assert_snapshot!("nps_tab", text);
    // `w` widens the window to all time: dee's old answer counts too.
    for _ in 0..4 {
        screen.press(&[Action::CycleNpsWindow]);
    }
    assert!(
        screen.text().contains("NPS -33 (n=3, small n) · all time"),
        "{}",
        screen.text()
    );
}

#[test]
fn the_segment_nps_view_lists_the_counted_answers_and_the_call_list() {
    let (mut db, state) = demo_book();
    let mut screen = Screen::new(state, 160, 45);
    let status_nps = screen.state.stats.nps.unwrap();
    let effect = screen.state.update(Action::ToggleSegmentNps).unwrap();
    let loaded = csdeck::app::carry_out(&mut db, effect);
    screen.press(&[loaded]);
    let text = screen.text();
    assert!(
        text.contains("NPS of all accounts (300 accounts)"),
        "{text}"
    );
    assert!(text.contains(&status_nps.label()), "{text}");
    assert!(
        text.contains(&format!(
            "Counted answers, newest first ({})",
            status_nps.count
        )),
        "{text}"
    );
    assert!(text.contains("By quarter:"), "{text}");
    screen.press(&[Action::ToggleDetractors]);
    assert!(
        screen.text().contains(&format!(
            "Detractors, newest first ({}): the call list",
            status_nps.detractors
        )),
        "{}",
        screen.text()
    );
    screen.press(&[Action::Back]);
    assert!(screen.state.segment_nps.is_none());
}

#[test]
fn the_account_view_shows_its_notes_newest_first() {
    let mut screen = demo_screen_at(|r| r.account.external_id == "ACC-0001");
    screen.press(&[Action::Open, Action::Bottom]);
    let text = screen.text();
    assert!(text.contains("Notes"), "{text}");
    assert!(
        text.contains("QBR held; they want a roadmap preview"),
        "{text}"
    );
}

#[test]
fn a_long_message_wraps_over_the_context_bar_and_is_read_whole() {
    let mut screen = Screen::new(demo_state(), 80, 30);
    let message = "accounts.csv: 120 added, 0 updated (1 warning: the demo book was cleared) · \
                   usage.csv: 1440 added, 0 updated · nps.csv: 300 added, 0 updated · \
                   tickets.csv: 0 added, 40 updated END";
    screen.press(&[Action::Message(message.into())]);
    let lines = screen.lines();
    let bottom = lines[lines.len() - 3..].join("");
    assert!(bottom.contains("accounts.csv: 120 added"), "{bottom}");
    assert!(
        bottom.contains("tickets.csv: 0 added, 40 updated END"),
        "{bottom}"
    );
    // The next key takes the message away and the bar is one line of keys again.
    screen.press(&[Action::Down]);
    let text = screen.text();
    assert!(!text.contains("tickets.csv"), "{text}");
    assert!(
        screen.lines()[29].contains("down"),
        "{}",
        screen.lines()[29]
    );

    // A compact screen has no key bar, but a message still gets its line.
    for height in [5, 8, 11] {
        let mut small = Screen::new(demo_state(), 60, height);
        small.press(&[Action::Message("exported 3 accounts".into())]);
        assert!(
            small.text().contains("exported 3 accounts"),
            "{}",
            small.text()
        );
    }
}

/// Carries an effect out as the event loop does, and steps the state on its outcome.
fn carry(screen: &mut Screen, effect: Option<csdeck::state::Effect>) {
    let effect = effect.expect("an effect for storage");
    let db = screen.db.as_mut().expect("a database");
    let outcome = csdeck::app::carry_out(db, effect);
    screen.press(&[outcome]);
}

#[test]
fn the_triage_queue_ranks_with_reasons_and_the_timeline_shows_notes_and_snoozes() {
    use csdeck::state::{DetailTab, NoteEdit, SnoozeFor};
    let (db, mut state) = demo_book();
    let today = demo::embedded::ANCHOR;
    let inputs = db
        .triage_inputs(
            &state.book,
            csdeck::domain::triage::TriageConfig::default(),
            today,
            &HealthModel::default(),
        )
        .unwrap();
    state.update(Action::TriageLoaded(Box::new(inputs)));
    state.update(Action::ToggleTriage);
    let mut screen = Screen::new(state, 160, 45);
    screen.db = Some(db);
    let text = screen.text();
    let open = screen.state.queue.open_count();
    assert!(open > 10, "{text}");
    assert!(
        text.contains(&format!("! Triage · {open} accounts need you now")),
        "{text}"
    );
    assert!(text.contains(&format!("! {open} to triage")), "{text}");
    assert!(
        text.contains("d  done") && text.contains("z  snooze"),
        "{text}"
    );
    insta::assert_snapshot!("triage_queue", text);

    // A note on the first item's account, written over two lines.
    let first = screen.state.triage_selected().unwrap().key;
    screen.press(&[Action::AddNote]);
    for c in "Called Ana".chars() {
        screen.press(&[Action::NoteKey(NoteEdit::Char(c))]);
    }
    screen.press(&[Action::NoteKey(NoteEdit::Newline)]);
    for c in "budget freeze".chars() {
        screen.press(&[Action::NoteKey(NoteEdit::Char(c))]);
    }
    assert!(screen.text().contains("Ctrl-s save"));
    let save = screen.state.update(Action::SaveNote);
    carry(&mut screen, save);
    assert!(screen.state.note.is_none());
    // Then snoozed for a week: out of the queue, the count goes down everywhere.
    screen.press(&[Action::TriageSnoozePrompt]);
    assert!(
        screen
            .text()
            .contains("d a day · w a week · r until 2 weeks before renewal")
    );
    let snooze = screen.state.update(Action::Snooze(SnoozeFor::Week));
    carry(&mut screen, snooze);
    assert_eq!(screen.state.queue.open_count(), open - 1);
    assert!(
        screen
            .text()
            .contains("snoozed until 2026-12-01 · U undoes")
    );
    assert_ne!(screen.state.triage_selected().unwrap().key, first);

    // With done and snoozed items shown, the snoozed one opens on its timeline.
    screen.press(&[Action::TriageShowAll, Action::Top, Action::Open]);
    assert_eq!(screen.state.selected().unwrap().key, first);
    screen.press(&[Action::ShowTab(DetailTab::Timeline)]);
    let text = screen.text();
    for expected in [
        "[Timeline]",
        "2026-11-24 triage snoozed until",
        "2026-12-01: renews in",
        "2026-11-24 note   Called Ana",
        "budget freeze",
        " health ",
    ] {
        assert!(text.contains(expected), "{expected}:\n{text}");
    }
    insta::assert_snapshot!("timeline", text);
    // Esc goes back to the queue, where it was.
    screen.press(&[Action::Back]);
    assert!(screen.state.triage_view.is_some());
    // U undoes the snooze.
    let undo = screen.state.update(Action::Undo);
    carry(&mut screen, undo);
    assert_eq!(screen.state.queue.open_count(), open);
}

#[test]
fn a_broken_signal_says_so_instead_of_an_empty_queue() {
    use csdeck::domain::triage::config;
    let (db, mut state) = demo_book();
    let bad = "[[custom]]\nname = \"x\"\nwhen = \"regin = EMEA\"\n";
    let config = config::load(config::DEFAULT_TRIAGE, Some(("triage.toml", bad))).unwrap();
    let inputs = db
        .triage_inputs(
            &state.book,
            config,
            demo::embedded::ANCHOR,
            &HealthModel::default(),
        )
        .unwrap();
    state.update(Action::TriageLoaded(Box::new(inputs)));
    state.update(Action::ToggleTriage);
    let screen = Screen::new(state, 160, 45);
    let text = screen.text();
    assert!(text.contains("! triage signals broken"), "{text}");
    assert!(
        text.contains("the triage signals are broken: triage.toml: custom 'x'.when"),
        "{text}"
    );
    assert!(!text.contains("0 to triage"), "{text}");
}

#[test]
fn after_a_sort_the_queue_still_shows_each_items_own_account() {
    let (db, mut state) = demo_book();
    let inputs = db
        .triage_inputs(
            &state.book,
            csdeck::domain::triage::TriageConfig::default(),
            demo::embedded::ANCHOR,
            &HealthModel::default(),
        )
        .unwrap();
    state.update(Action::TriageLoaded(Box::new(inputs)));
    // Sort the list by ARR, largest first (the second column), then back to the queue.
    state.update(Action::ColumnRight);
    state.update(Action::SortDescending);
    assert!(
        state
            .message
            .as_deref()
            .unwrap_or("")
            .contains("sorted by arr")
    );
    state.update(Action::ToggleTriage);
    assert!(state.queue.items.len() > 10);
    for item in &state.queue.items {
        assert_eq!(state.book.rows()[item.row].key, item.key);
    }
    let top = state.triage_selected().unwrap();
    let name = state.book.rows()[top.row].account.name.clone();
    let screen = Screen::new(state, 160, 45);
    assert!(screen.text().contains(&name), "{}", screen.text());
}

#[test]
fn a_book_counted_by_its_reader_shows_as_one_counted_here() {
    use csdeck::state::Ready;
    let today = demo::embedded::ANCHOR;
    let model = HealthModel::default();
    let (mut db, state) = demo_book();
    let triage = db
        .triage_inputs(
            &state.book,
            csdeck::domain::triage::TriageConfig::default(),
            today,
            &model,
        )
        .unwrap();
    // A tag written elsewhere: the book read again carries it.
    db.add_tag("reread", &[state.book.rows()[3].key]).unwrap();
    let reloaded = |state: &AppState, ready: bool| {
        let mut book = db.load_book(today, &model).unwrap();
        let ready =
            ready.then(|| Box::new(Ready::of(&mut book, state.sort, &triage, &model, today)));
        Action::Reloaded {
            book: Box::new(book),
            triage: Box::new(triage.clone()),
            message: "reloaded".into(),
            demo: true,
            model: Box::new(model.clone()),
            ready,
        }
    };
    for sort in [None, Some(Action::SortDescending)] {
        let mut here = demo_book().1;
        here.update(Action::TriageLoaded(Box::new(triage.clone())));
        if let Some(sort) = &sort {
            here.update(Action::ColumnRight);
            here.update(sort.clone());
        }
        let mut counted = demo_book().1;
        counted.update(Action::TriageLoaded(Box::new(triage.clone())));
        // Counted by the reader in name order: after a sort by ARR it is counted again here.
        let ready = reloaded(&counted, true);
        if let Some(sort) = &sort {
            counted.update(Action::ColumnRight);
            counted.update(sort.clone());
        }
        counted.update(ready);
        here.update(reloaded(&here, false));
        assert_eq!(counted.sidebar, here.sidebar, "{sort:?}");
        assert_eq!(counted.queue, here.queue, "{sort:?}");
        assert_eq!(counted.visible, here.visible, "{sort:?}");
        assert!(
            counted
                .book
                .rows()
                .iter()
                .any(|r| r.tags.contains(&"reread".to_owned()))
        );
        for item in &counted.queue.items {
            assert_eq!(counted.book.rows()[item.row].key, item.key);
        }
    }
}

/// The demo book's first page as a big book's dashboard shows it while the rest is read.
fn first_page_screen(accounts: usize) -> Screen {
    let (db, _) = demo_book();
    let (today, model) = (demo::embedded::ANCHOR, HealthModel::default());
    let first = db.first_by_name(accounts, today, &model).unwrap();
    let state = AppState::reading(first, 300, today, model, false);
    let mut screen = Screen::new(state, 160, 45);
    screen.db = Some(db);
    screen
}

#[test]
fn a_big_books_first_page_can_be_read_while_the_rest_is_read() {
    let mut screen = first_page_screen(20);
    let text = screen.text();
    assert!(
        text.contains("reading all 300 accounts… the first 20 by name are listed"),
        "{text}"
    );
    // Counts of the page would pass for the book's: no sidebar, no totals.
    assert!(
        !text.contains("Segments") && !text.contains("ARR 1"),
        "{text}"
    );
    // The context bar offers only what works now.
    let bar = screen.lines().last().cloned().unwrap();
    assert!(bar.contains("open") && bar.contains("quit"), "{bar}");
    assert!(!bar.contains("filter") && !bar.contains("sort"), "{bar}");
    // What waits for the whole book says so, and changes nothing.
    for action in [
        Action::OpenFilter,
        Action::SortDescending,
        Action::TagPrompt,
        Action::Bottom,
    ] {
        screen.press(std::slice::from_ref(&action));
        assert!(screen.state.line.is_none(), "{action:?}");
        assert!(
            screen.text().contains("still reading all 300 accounts"),
            "{action:?}: {}",
            screen.text()
        );
    }
    assert_eq!(
        screen.state.sort,
        (csdeck::domain::fields::Field::Name, false)
    );
    // Moving and opening an account work, with its history.
    screen.press(&[Action::Down, Action::Down, Action::Open]);
    let third = screen.state.book.rows()[2].clone();
    assert_eq!(screen.state.selected().map(|r| r.key), Some(third.key));
    assert_eq!(screen.state.focus, csdeck::state::Focus::Detail);
    assert!(screen.text().contains(&third.account.external_id));
    assert!(screen.state.history.is_some());
    screen.press(&[Action::QuitOrBack]);
    assert_eq!(screen.state.focus, csdeck::state::Focus::Table);
    assert!(!screen.state.quit);
    screen.press(&[Action::QuitOrBack]);
    assert!(screen.state.quit);
}

#[test]
fn the_whole_book_takes_the_place_reached_on_its_first_page() {
    let (db, whole) = demo_book();
    let (today, model) = (demo::embedded::ANCHOR, HealthModel::default());
    let inputs = db
        .triage_inputs(
            &whole.book,
            csdeck::domain::triage::TriageConfig::default(),
            today,
            &model,
        )
        .unwrap();
    // An own book opens on the queue: the whole read sets that up.
    let whole_as_read = || {
        let mut state = whole.clone();
        state.toggle_triage();
        state
    };

    // Looked around: the same account, pane and history; the queue is a key away.
    let mut page = first_page_screen(40);
    page.press(&[Action::Down, Action::Down, Action::Down, Action::Open]);
    let key = page.state.selected().map(|r| r.key);
    let mut state = whole_as_read();
    state.take_place_of(page.state, true, true);
    assert_eq!(state.selected().map(|r| r.key), key);
    assert_eq!(state.focus, csdeck::state::Focus::Detail);
    assert!(state.triage_view.is_none());
    assert_eq!(state.history.as_ref().map(|h| Some(h.0)), Some(key));
    assert!(
        state
            .message
            .as_deref()
            .unwrap()
            .contains("! opens the queue")
    );
    state.update(Action::TriageLoaded(Box::new(inputs.clone())));
    assert!(
        state.triage_view.is_none(),
        "the queue never takes over a place"
    );

    // Untouched: the queue opens once it is counted, unless a key comes first.
    let untouched = first_page_screen(40);
    let mut state = whole_as_read();
    state.take_place_of(untouched.state, false, true);
    assert!(state.triage_view.is_none());
    state.update(Action::TriageLoaded(Box::new(inputs.clone())));
    assert!(state.triage_view.is_some());
    let untouched = first_page_screen(40);
    let mut state = whole_as_read();
    state.take_place_of(untouched.state, false, true);
    state.update(Action::Down);
    state.update(Action::TriageLoaded(Box::new(inputs)));
    assert!(state.triage_view.is_none());
}
