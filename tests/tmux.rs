//! End to end in a real terminal: the binary in tmux on a fresh database, read off the screen.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A tmux server of this test's own, killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(cwd: &Path, command: &str) -> Tmux {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let socket = format!(
            "csdeck-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let status = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "new-session",
                "-d",
                "-x",
                "160",
                "-y",
                "45",
                "-s",
                "t",
            ])
            .arg("-c")
            .arg(cwd)
            .arg(command)
            .status()
            .expect("tmux must be installed to run the terminal tests (.ci/run installs it)");
        assert!(status.success(), "tmux did not start");
        Tmux { socket }
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn resize(&self, width: u16, height: u16) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "resize-window", "-t", "t", "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .status()
            .expect("resize-window");
        assert!(status.success());
    }

    /// Esc alone: a pause after it, as a person makes, so the next key is not read as Alt+key.
    fn escape(&self) {
        self.keys(&["Escape"]);
        std::thread::sleep(Duration::from_millis(150));
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t"])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    /// Waits until the screen shows `text`, returning the screen.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |screen| screen.contains(text))
    }

    /// Waits until the screen satisfies `ready` (described by `what` if it never does).
    fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn wait_for_file(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.ends_with('\n')
        {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_dashboard_opens_on_the_demo_book_shows_help_and_quits_cleanly() {
    let sandbox = common::Sandbox::new();
    let binary = env!("CARGO_BIN_EXE_csdeck");
    let command = format!(
        "CSDECK_CONFIG_DIR=. CSDECK_TODAY={today} {binary} --db fresh.db; echo $? > exit.txt; stty -a > stty.txt; sleep 60",
        today = common::TODAY
    );
    let tmux = Tmux::start(sandbox.dir.path(), &command);
    let screen = tmux.wait_for("DEMO BOOK");
    let rows = screen
        .lines()
        .filter(|l| {
            l.starts_with('│')
                && (l.contains("healthy") || l.contains("at-risk") || l.contains("critical"))
        })
        .count();
    assert!(rows >= 20, "only {rows} account rows:\n{screen}");
    assert!(screen.contains("300 accounts"), "{screen}");

    tmux.keys(&["?"]);
    // Lines only help shows (the context bar has neither).
    tmux.wait_for("Keys (Esc closes)");
    tmux.wait_for("focus the account detail");

    tmux.keys(&["q"]);
    tmux.wait_until("help to close", |screen| {
        !screen.contains("Keys (Esc closes)") && screen.contains("sort ↑")
    });
    // Mark three accounts and tag them.
    tmux.keys(&["Space", "Space", "Space", "t"]);
    tmux.wait_for("tag 3 accounts:");
    tmux.keys(&["-l", "e2e-tag"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("tagged 3 accounts with 'e2e-tag'");
    tmux.keys(&["j", "Enter"]);
    tmux.wait_for("Esc/q  back");
    tmux.keys(&["q"]);
    tmux.wait_for("sort ↑");
    tmux.keys(&["q"]);

    let code = wait_for_file(&sandbox.path("exit.txt"));
    assert_eq!(code.trim(), "0");
    // The terminal is back in cooked mode with echo on.
    let stty = wait_for_file(&sandbox.path("stty.txt"));
    assert!(stty.contains(" icanon") && stty.contains(" echo"), "{stty}");
    assert!(
        !stty.contains("-icanon") && !stty.contains(" -echo "),
        "{stty}"
    );
    let listed = common::csdeck(
        sandbox.dir.path(),
        &sandbox.path("fresh.db"),
        &["accounts", "--where", "tag:e2e-tag", "--format", "csv"],
    );
    assert_eq!(
        common::stdout(&listed).lines().count(),
        4,
        "{}",
        common::stdout(&listed)
    );
    let after = tmux.screen();
    assert!(
        !after.contains("DEMO BOOK"),
        "alternate screen left behind:\n{after}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sandbox.path("fresh.db"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn ctrl_c_quits_from_the_detail_pane() {
    let sandbox = common::Sandbox::new();
    let binary = env!("CARGO_BIN_EXE_csdeck");
    let command = format!(
        "CSDECK_CONFIG_DIR=. CSDECK_TODAY={today} {binary} --db fresh.db; echo $? > exit.txt; sleep 60",
        today = common::TODAY
    );
    let tmux = Tmux::start(sandbox.dir.path(), &command);
    tmux.wait_for("DEMO BOOK");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Esc/q  back");
    tmux.keys(&["C-c"]);
    assert_eq!(wait_for_file(&sandbox.path("exit.txt")).trim(), "0");
}

#[test]
fn a_panic_restores_the_terminal() {
    let sandbox = common::Sandbox::new();
    let binary = env!("CARGO_BIN_EXE_csdeck");
    let command = format!(
        "CSDECK_TEST_PANIC=1 CSDECK_CONFIG_DIR=. CSDECK_TODAY={today} {binary} --db fresh.db 2> err.txt; \
         echo $? > exit.txt; stty -a > stty.txt; sleep 60",
        today = common::TODAY
    );
    let _tmux = Tmux::start(sandbox.dir.path(), &command);
    let code = wait_for_file(&sandbox.path("exit.txt"));
    assert_ne!(code.trim(), "0");
    let stty = wait_for_file(&sandbox.path("stty.txt"));
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig"] {
        assert!(
            flags.contains(&flag),
            "{flag} is off after a panic:\n{stty}"
        );
    }
    let err = std::fs::read_to_string(sandbox.path("err.txt")).unwrap();
    assert!(err.contains("panicking on purpose"), "{err}");
}

#[test]
fn a_monday_morning_session_through_every_main_screen() {
    let sandbox = common::Sandbox::new();
    let binary = env!("CARGO_BIN_EXE_csdeck");
    let command = format!(
        "CSDECK_CONFIG_DIR=. CSDECK_TODAY={today} {binary} --db book.db; echo $? > exit.txt; stty -a > stty.txt; sleep 60",
        today = common::TODAY
    );
    let tmux = Tmux::start(sandbox.dir.path(), &command);
    tmux.wait_for("300 of 300 accounts");

    // Sort by health, worst first is ascending: step to the Health column and press s.
    for _ in 0..3 {
        tmux.keys(&["l"]);
    }
    tmux.keys(&["s"]);
    tmux.wait_for("sorted by health ascending");

    // The segment sidebar: the first segment is "high touch".
    tmux.keys(&["1", "j", "Enter"]);
    let screen = tmux.wait_for("high touch · 49 of 300 accounts");
    assert!(screen.contains("▸high touch"), "{screen}");

    // A filter over it, live, with its count.
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "band != healthy"]);
    let screen = tmux.wait_until("the filtered count", |s| {
        s.contains("high touch + /band != healthy")
    });
    assert!(!screen.contains("49 of 300"), "{screen}");
    tmux.keys(&["Enter"]);

    // Open the first account: the health breakdown, then its NPS answers.
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("login recency");
    assert!(screen.contains("weakest"), "{screen}");
    tmux.keys(&["r"]);
    tmux.wait_for("Account · [NPS] · Timeline");
    tmux.escape();

    // Help, from the keymap.
    tmux.keys(&["?"]);
    tmux.wait_for("Keys (Esc closes)");
    tmux.escape();
    tmux.wait_until("help to close", |s| !s.contains("Keys (Esc closes)"));

    // Another process tags an account while the dashboard is open: it shows up by itself.
    let out = common::csdeck(
        sandbox.dir.path(),
        &sandbox.path("book.db"),
        &["tag", "add", "from-the-cli", "--segment", "high touch"],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    tmux.wait_for("the book changed on disk: reloaded");

    // A tiny terminal still works, and the full size comes back.
    tmux.resize(30, 6);
    tmux.wait_until("a compact screen", |s| {
        s.lines().count() <= 6 && s.contains("2 Accounts")
    });
    tmux.resize(20, 5);
    std::thread::sleep(Duration::from_millis(300));
    tmux.resize(160, 45);
    tmux.wait_for("Segments");

    // Esc backs out the filter, then the segment; q quits.
    tmux.escape();
    tmux.escape();
    tmux.wait_for("All accounts · 300 of 300 accounts");
    tmux.keys(&["q"]);
    assert_eq!(wait_for_file(&sandbox.path("exit.txt")).trim(), "0");
    let stty = wait_for_file(&sandbox.path("stty.txt"));
    assert!(stty.split_whitespace().any(|f| f == "icanon"), "{stty}");
}

#[test]
fn two_dashboards_on_one_book_see_each_others_changes() {
    let sandbox = common::Sandbox::new();
    let binary = env!("CARGO_BIN_EXE_csdeck");
    let command = |exit: &str| {
        format!(
            "CSDECK_CONFIG_DIR=. CSDECK_TODAY={today} {binary} --db shared.db; echo $? > {exit}; sleep 60",
            today = common::TODAY
        )
    };
    let first = Tmux::start(sandbox.dir.path(), &command("first.txt"));
    first.wait_for("300 of 300 accounts");
    let second = Tmux::start(sandbox.dir.path(), &command("second.txt"));
    second.wait_for("300 of 300 accounts");
    // Tag the account under the cursor in the first; the second shows it without a key press.
    first.keys(&["t"]);
    first.wait_for("tag 1 account:");
    first.keys(&["-l", "seen-twice"]);
    first.keys(&["Enter"]);
    first.wait_for("tagged 1 account with 'seen-twice'");
    second.wait_for("the book changed on disk: reloaded");
    // The first stored that change on its writer's connection: not news to itself.
    std::thread::sleep(Duration::from_millis(1200));
    let screen = first.screen();
    assert!(!screen.contains("changed on disk"), "{screen}");
    second.keys(&["#"]);
    second.wait_for("seen-twice");
    second.escape();
    first.keys(&["q"]);
    second.keys(&["q"]);
    assert_eq!(wait_for_file(&sandbox.path("first.txt")).trim(), "0");
    assert_eq!(wait_for_file(&sandbox.path("second.txt")).trim(), "0");
}

#[test]
fn your_own_book_opens_on_triage_where_a_snooze_and_a_note_last_across_restarts() {
    let sandbox = common::Sandbox::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let files: Vec<String> = ["accounts", "usage", "nps", "notes"]
        .iter()
        .map(|k| format!("{root}/sample-data/{k}.csv"))
        .collect();
    let mut args = vec!["import"];
    args.extend(files.iter().map(String::as_str));
    let out = sandbox.run(&args);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let binary = env!("CARGO_BIN_EXE_csdeck");
    let command = |exit: &str| {
        format!(
            "CSDECK_CONFIG_DIR=. CSDECK_TODAY={today} {binary} --db book.db; echo $? > {exit}; sleep 60",
            today = common::TODAY
        )
    };
    let tmux = Tmux::start(sandbox.dir.path(), &command("first.txt"));
    // Not the demo book: the first screen is the queue, with reasons and the count.
    let count = |screen: &str| -> Option<usize> {
        screen
            .split("! Triage · ")
            .nth(1)?
            .split(' ')
            .next()?
            .parse()
            .ok()
    };
    // The same count in the title and the status bar (read once both lines are drawn).
    let screen = tmux.wait_until("the queue's count in its title and the status bar", |s| {
        count(s).is_some_and(|open| s.contains(&format!("! {open} to triage")))
    });
    let open = count(&screen).unwrap_or_default();
    assert!(screen.contains("no login for"), "{screen}");
    // Snooze the first item for a week.
    tmux.keys(&["z"]);
    tmux.wait_for("w a week");
    tmux.keys(&["w"]);
    tmux.wait_for("snoozed until 2026-12-01");
    tmux.wait_for(&format!("! {} to triage", open - 1));
    // A two-line note on the next one, saved with Ctrl-s.
    tmux.keys(&["n"]);
    tmux.wait_for("Ctrl-s save");
    tmux.keys(&["-l", "Called the sponsor"]);
    tmux.keys(&["Enter"]);
    tmux.keys(&["-l", "procurement freeze until Q2"]);
    tmux.keys(&["C-s"]);
    tmux.wait_for("note saved");
    // It opens on the account's timeline, and Esc comes back to the queue.
    tmux.keys(&["Enter"]);
    tmux.wait_for("[Account] · NPS · Timeline");
    tmux.keys(&["H"]);
    tmux.wait_for("Called the sponsor");
    tmux.escape();
    tmux.wait_for("need you now");
    // q closes the queue, then quits from the list.
    tmux.keys(&["q"]);
    tmux.wait_for("sort ↑");
    tmux.keys(&["q"]);
    assert_eq!(wait_for_file(&sandbox.path("first.txt")).trim(), "0");

    // Restarted: the snooze is remembered and the note is found by search.
    let again = Tmux::start(sandbox.dir.path(), &command("second.txt"));
    again.wait_for(&format!("! Triage · {} accounts need you now", open - 1));
    again.keys(&[":"]);
    again.keys(&["-l", "notes procurement"]);
    again.keys(&["Enter"]);
    again.wait_for("Notes matching 'procurement' · 1 note");
    again.keys(&["Enter"]);
    again.wait_for("[Timeline]");
    again.escape();
    again.wait_for("Notes matching");
    again.escape();
    again.wait_for("sort ↑");
    again.keys(&["q"]);
    assert_eq!(wait_for_file(&sandbox.path("second.txt")).trim(), "0");
}

#[test]
fn a_big_book_lists_its_first_page_at_once_and_the_rest_follows() {
    let sandbox = common::Sandbox::new();
    let path = sandbox.path("big.db");
    drop(csdeck::storage::Db::open(&path).unwrap());
    // 100k plain accounts, written straight into the schema (an import of them takes a while
    // in a debug build).
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO accounts (external_id, name, region, arr, created_at, updated_at) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
             SELECT printf('BIG-%06d', i), printf('Account %06d', 100001 - i), \
                    CASE i % 3 WHEN 0 THEN 'EMEA' WHEN 1 THEN 'NA' ELSE 'APAC' END, \
                    (i % 200) * 1000, '2026-01-01', '2026-01-01' FROM n;",
        )
        .unwrap();
    let binary = env!("CARGO_BIN_EXE_csdeck");
    let command = format!(
        "CSDECK_CONFIG_DIR=. CSDECK_TODAY={today} {binary} --db big.db; echo $? > exit.txt; sleep 60",
        today = common::TODAY
    );
    let tmux = Tmux::start(sandbox.dir.path(), &command);
    let screen = tmux.wait_for("the first 500 by name are listed");
    assert!(screen.contains("reading all 100000 accounts"), "{screen}");
    assert!(screen.contains("Account 000001"), "{screen}");
    // A filter waits for the whole book and says so; looking through the page and opening an
    // account work.
    tmux.keys(&["/"]);
    tmux.wait_for("still reading all 100000 accounts");
    tmux.keys(&["j", "j", "Enter"]);
    let screen = tmux.wait_for("BIG-099998");
    assert!(screen.contains("Account 000003"), "{screen}");
    // The whole book keeps that account open, and the filter works.
    let screen = tmux.wait_for("All accounts · 100000 of 100000 accounts");
    assert!(screen.contains("BIG-099998"), "{screen}");
    tmux.escape();
    tmux.keys(&["/"]);
    tmux.keys(&["-l", "region = EMEA"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("/region = EMEA · 33333 of 100000 accounts");
    tmux.keys(&["q"]);
    assert_eq!(wait_for_file(&sandbox.path("exit.txt")).trim(), "0");
}
