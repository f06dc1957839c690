//! The dashboard drawn into ratatui's TestBackend, driven through Actions only.

use csdeck::demo;
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
    let today = demo::embedded::ANCHOR;
    let mut db = Db::open_in_memory().unwrap();
    demo::embedded::load(&mut db, today).unwrap();
    let rows = db.load_rows(today, &HealthModel::default()).unwrap();
    AppState::new(rows, today, HealthModel::default(), true)
}

/// Steps the state the way the event loop does, then draws it.
struct Screen {
    terminal: Terminal<TestBackend>,
    state: AppState,
}

impl Screen {
    fn new(state: AppState, width: u16, height: u16) -> Screen {
        let mut screen = Screen {
            terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
            state,
        };
        screen.draw();
        screen
    }

    fn draw(&mut self) {
        let size = self.terminal.size().unwrap();
        let area = Rect::new(0, 0, size.width, size.height);
        let rows = views::table_rows(area, &self.state);
        self.state.update(Action::Viewport(rows));
        let limit = views::detail_limit(area, &self.state);
        self.state.update(Action::DetailLimit(limit));
        let state = &self.state;
        self.terminal.draw(|f| views::draw(f, state)).unwrap();
    }

    fn press(&mut self, actions: &[Action]) {
        for action in actions {
            self.state.update(*action);
            self.draw();
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
    assert!(text.contains("Health breakdown"), "{text}");
    assert!(text.contains("Esc  back to the list"), "{text}");
    insta::assert_snapshot!("detail_focused", text);
    screen.press(&[Action::Down, Action::Down, Action::Down]);
    assert!(screen.state.detail_scroll > 0);
    screen.press(&[Action::QuitOrBack]);
    assert!(!screen.state.quit);
    assert_eq!(screen.state.selected().unwrap().account.name, name);
    assert!(screen.text().contains("next account"));
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
    screen.press(&[Action::Down; 5]);
    let under_cursor = screen.state.selected().unwrap().key;
    // Account, ARR, Tier, Stage, Health.
    screen.press(&[Action::ColumnRight; 4]);
    screen.press(&[Action::SortAscending]);
    assert_eq!(screen.state.selected().unwrap().key, under_cursor);
    let healths: Vec<u8> = screen.state.rows.iter().filter_map(|r| r.health).collect();
    assert!(healths.windows(2).all(|w| w[0] <= w[1]));
    assert!(screen.text().contains("Health↑"));
    screen.press(&[Action::SortDescending, Action::Top]);
    let first = screen.state.rows[0].health.unwrap();
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
    let last = screen.state.rows[299].account.name.clone();
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
    assert!(narrow.text().contains("Contract"), "{}", narrow.text());
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
        AppState::new(vec![row], today, HealthModel::default(), false),
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
            vec![],
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
