//! Filtering benchmarks: how long a keystroke in the filter line takes (compile + evaluate over
//! every account + figures), and what building the sidebar and drawing a frame cost, at 10k and
//! 100k accounts. Prints medians; run with `cargo bench --bench filter`.

use csdeck::demo::{DemoSpec, generate_book};
use csdeck::domain::health::HealthModel;
use csdeck::state::{Action, AppState, Sidebar};
use csdeck::storage::Db;
use csdeck::storage::import::{ImportOptions, prepare_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};
use tui_input::InputRequest;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let today = jiff::civil::date(2026, 11, 24);
    let model = HealthModel::default();
    for accounts in [10_000usize, 100_000] {
        let book = generate_book(&DemoSpec {
            accounts,
            seed: 7,
            today,
        });
        let mut db = Db::open_in_memory().expect("db");
        let options = ImportOptions::new(today);
        let files = book
            .files()
            .iter()
            .map(|(name, text)| prepare_text(name, text, &options).expect("prepare"))
            .collect();
        let start = Instant::now();
        db.import_all(files, &options).expect("import");
        let import = start.elapsed();
        let start = Instant::now();
        let loaded = db.load_book(today, &model).expect("load");
        let load = start.elapsed();
        println!(
            "{accounts} accounts: import {} · load book {}",
            ms(import),
            ms(load)
        );

        for expression in [
            "region = EMEA",
            "renewal <= 30d and (band = critical or nps_category = detractor) and not tag:churned",
            "segment:\"upsell candidates\" or (arr >= 100k and region in (EMEA, APAC))",
        ] {
            let compile = time(200, || loaded.compile(expression).expect("compile"));
            let predicate = loaded.compile(expression).expect("compile");
            let evaluate = time(21, || loaded.matching(&predicate).len());
            println!(
                "  filter {expression:?}: compile {} · evaluate {}",
                ms(compile),
                ms(evaluate)
            );
        }
        let sidebar = time(5, || Sidebar::build(&loaded));
        println!(
            "  sidebar (every segment and facet with figures): {}",
            ms(sidebar)
        );

        let mut state = AppState::new(loaded, today, model.clone(), false);
        let mut terminal = Terminal::new(TestBackend::new(160, 45)).expect("terminal");
        let area = ratatui::layout::Rect::new(0, 0, 160, 45);
        state.update(csdeck::views::measure(area, &state));
        state.update(Action::OpenFilter);
        for ch in "renewal <= 90d and region = EMEA".chars() {
            state.update(Action::Edit(InputRequest::InsertChar(ch)));
        }
        // A keystroke: one character appended and removed, each re-filtering every account,
        // then the frame drawn.
        let keystroke = time(41, || {
            state.update(Action::Edit(InputRequest::InsertChar(' ')));
            state.update(Action::Edit(InputRequest::DeletePrevChar));
            terminal
                .draw(|f| csdeck::views::draw(f, &state))
                .expect("draw");
        }) / 2;
        let frame = time(101, || {
            terminal
                .draw(|f| csdeck::views::draw(f, &state))
                .expect("draw")
                .area
        });
        let scroll = time(101, || {
            state.update(Action::Down);
            terminal
                .draw(|f| csdeck::views::draw(f, &state))
                .expect("draw")
                .area
        });
        println!(
            "  keystroke in the filter line to drawn frame: {} · frame: {} · cursor move + frame: {}",
            ms(keystroke),
            ms(frame),
            ms(scroll)
        );
    }
}
