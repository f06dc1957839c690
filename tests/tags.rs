//! Tags: storage rules (one tag whatever the case, merge on rename, delete, undo), the CLI, and
//! the dashboard's marks and tag keys carried out against a real database.

mod common;

use common::{ACCOUNTS_HEADER, Sandbox, parse_csv, stderr, stdout};
use csdeck::domain::health::HealthModel;
use csdeck::state::{Action, AppState, Effect};
use csdeck::storage::Db;
use csdeck::storage::import::ImportOptions;
use jiff::civil::date;

fn book(sandbox: &Sandbox) -> Db {
    let accounts = sandbox.write(
        "accounts.csv",
        &format!(
            "{ACCOUNTS_HEADER}\n\
             A-1,Acme,,EMEA,,,,150000,,,,,active,,,\n\
             A-2,Beta,,EMEA,,,,20000,,,,,active,,,\n\
             A-3,Gamma,,NA,,,,3000,,,,,active,,,\n\
             A-4,Delta,,NA,,,,40000,,,,,active,,,\n"
        ),
    );
    let mut db = Db::open(&sandbox.db()).unwrap();
    let options = ImportOptions::new(date(2026, 11, 24));
    db.import_file(&accounts, &options).unwrap();
    db
}

fn tags_of(db: &Db, key: i64) -> Vec<String> {
    db.tags_of(&[key]).unwrap().remove(0).1
}

#[test]
fn tags_are_one_whatever_the_case_and_changes_undo_exactly() {
    let sandbox = Sandbox::new();
    let mut db = book(&sandbox);
    let keys = db
        .keys_of(&["A-1".into(), "A-2".into(), "A-3".into()])
        .unwrap();
    let added = db.add_tag("VIP", &keys[..2]).unwrap();
    assert_eq!((added.changed, added.unchanged), (2, 0));
    // "vip" is the same tag; A-1 already has it.
    let again = db.add_tag("  vip ", &keys[..1]).unwrap();
    assert_eq!((again.changed, again.unchanged), (0, 1));
    let umlaut = db.add_tag("Ärger", &keys[2..]).unwrap();
    assert_eq!(umlaut.changed, 1);
    assert_eq!(db.add_tag("ärger", &keys[2..]).unwrap().unchanged, 1);
    assert_eq!(
        db.tag_counts().unwrap(),
        [("VIP".to_owned(), 2), ("Ärger".to_owned(), 1)]
    );
    assert!(db.add_tag("", &keys).is_err());
    assert!(db.add_tag(&"x".repeat(65), &keys).is_err());

    // Rename onto an existing tag merges; undo splits them again.
    let (merge, merged) = db.rename_tag("ärger", "vip").unwrap();
    assert!(merged);
    assert_eq!(tags_of(&db, keys[2]), ["VIP"]);
    assert_eq!(db.tag_counts().unwrap(), [("VIP".to_owned(), 3)]);
    db.undo_tags(&merge.undo).unwrap();
    assert_eq!(tags_of(&db, keys[2]), ["Ärger"]);
    assert_eq!(db.tag_counts().unwrap().len(), 2);

    // A plain rename, and its undo.
    let (rename, merged) = db.rename_tag("VIP", "key account").unwrap();
    assert!(!merged);
    assert_eq!(tags_of(&db, keys[0]), ["key account"]);
    db.undo_tags(&rename.undo).unwrap();
    assert_eq!(tags_of(&db, keys[0]), ["VIP"]);

    // Delete, and undo brings every account's tag back.
    let deleted = db.delete_tag("vip").unwrap();
    assert_eq!(deleted.changed, 2);
    assert!(tags_of(&db, keys[0]).is_empty());
    db.undo_tags(&deleted.undo).unwrap();
    assert_eq!(tags_of(&db, keys[1]), ["VIP"]);

    // Undoing an add removes only what it added, and a tag it created.
    let fresh = db.add_tag("beta", &keys).unwrap();
    db.undo_tags(&fresh.undo).unwrap();
    assert!(db.tag_counts().unwrap().iter().all(|(t, _)| t != "beta"));
    let removal = db.remove_tag("VIP", &keys).unwrap();
    assert_eq!((removal.changed, removal.unchanged), (2, 1));
    db.undo_tags(&removal.undo).unwrap();
    assert_eq!(db.tag_counts().unwrap()[0], ("VIP".to_owned(), 2));
}

#[test]
fn tags_survive_reimports_and_tags_csv_adds_to_them() {
    let sandbox = Sandbox::new();
    let mut db = book(&sandbox);
    let keys = db.keys_of(&["A-1".into()]).unwrap();
    db.add_tag("champion", &keys).unwrap();
    drop(db);
    let accounts = sandbox.write(
        "again.csv",
        &format!("{ACCOUNTS_HEADER}\nA-1,Acme Renamed,,,,,,,,,,,,,,\n"),
    );
    let tags = sandbox.write("tags.csv", "account_id,tag\nA-1,CHAMPION\nA-1,beta\n");
    let out = sandbox.run(&["import", accounts.to_str().unwrap(), tags.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let db = Db::open(&sandbox.db()).unwrap();
    assert_eq!(tags_of(&db, keys[0]), ["beta", "champion"]);
}

#[test]
fn the_cli_adds_removes_renames_and_lists_by_id_expression_and_segment() {
    let sandbox = Sandbox::new();
    drop(book(&sandbox));
    let run = |args: &[&str]| {
        let out = sandbox.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    };
    assert_eq!(
        run(&["tag", "add", "vip", "A-1", "A-3"]),
        "tagged 2 accounts with 'vip' (0 already had it)\n"
    );
    assert_eq!(
        run(&["tag", "add", "VIP", "--where", "region = EMEA"]),
        "tagged 1 account with 'VIP' (1 already had it)\n"
    );
    assert_eq!(
        run(&["tag", "add", "big", "--segment", "high touch"]),
        "tagged 1 account with 'big' (0 already had it)\n"
    );
    assert_eq!(
        run(&["tag", "rm", "vip", "--where", "region = NA"]),
        "removed 'vip' from 1 account (1 did not have it)\n"
    );
    assert_eq!(
        run(&["tag", "rename", "big", "vip"]),
        "merged 'big' into 'vip' (1 account)\n"
    );
    assert_eq!(
        run(&["tag", "rename", "vip", "key"]),
        "renamed 'vip' to 'key' on 2 accounts\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&run(&["tag", "ls", "--format", "json"])).unwrap();
    assert_eq!(json, serde_json::json!([{"tag": "key", "count": 2}]));
    let (header, rows) = parse_csv(&run(&["tag", "ls", "--format", "csv"]));
    assert_eq!(
        (header, rows),
        (
            vec!["tag".to_owned(), "count".to_owned()],
            vec![vec!["key".to_owned(), "2".to_owned()]]
        )
    );
    assert_eq!(
        run(&["accounts", "--where", "tag:KEY", "--format", "csv"])
            .lines()
            .count(),
        3
    );

    // An unknown id changes nothing, exit 2.
    let out = sandbox.run(&["tag", "add", "x", "A-1", "A-404"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("A-404"), "{}", stderr(&out));
    assert!(!run(&["tag", "ls"]).contains(" x "));
    let out = sandbox.run(&["tag", "add", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("name the accounts"),
        "{}",
        stderr(&out)
    );
    let out = sandbox.run(&["tag", "rename", "nope", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        run(&["tag", "delete", "key"]),
        "deleted 'key' from 2 accounts\n"
    );
}

/// The dashboard over the sandbox's book, stepping the way the event loop does.
fn dashboard(sandbox: &Sandbox) -> (Db, AppState) {
    let db = book(sandbox);
    let today = date(2026, 11, 24);
    let loaded = db.load_book(today, &HealthModel::default()).unwrap();
    (
        db,
        AppState::new(loaded, today, HealthModel::default(), false),
    )
}

fn step(db: &mut Db, state: &mut AppState, action: Action) {
    if let Some(effect) = state.update(action) {
        let outcome = csdeck::app::carry_out(db, effect);
        state.update(outcome);
    }
}

fn type_text(db: &mut Db, state: &mut AppState, text: &str) {
    for ch in text.chars() {
        step(
            db,
            state,
            Action::Edit(tui_input::InputRequest::InsertChar(ch)),
        );
    }
}

#[test]
fn marking_three_rows_and_pressing_t_tags_exactly_those() {
    let sandbox = Sandbox::new();
    let (mut db, mut state) = dashboard(&sandbox);
    // Rows by name: Acme, Beta, Delta, Gamma. Mark Acme, skip Beta, mark Delta and Gamma.
    for action in [
        Action::ToggleMark,
        Action::Down,
        Action::ToggleMark,
        Action::ToggleMark,
    ] {
        step(&mut db, &mut state, action);
    }
    assert_eq!(state.marks.len(), 3);
    step(&mut db, &mut state, Action::TagPrompt);
    assert_eq!(state.line.as_ref().unwrap().prompt, "tag 3 accounts:");
    type_text(&mut db, &mut state, "q1-push");
    step(&mut db, &mut state, Action::Open);
    let tagged: Vec<&str> = state
        .book
        .rows()
        .iter()
        .filter(|r| r.tags.contains(&"q1-push".to_owned()))
        .map(|r| r.account.name.as_str())
        .collect();
    assert_eq!(tagged, ["Acme", "Delta", "Gamma"]);
    assert!(state.marks.is_empty());
    assert!(
        state
            .message
            .as_deref()
            .unwrap()
            .contains("tagged 3 accounts")
    );

    // T tags every listed account after a y; a segment is listed first.
    step(&mut db, &mut state, Action::OpenFilter);
    type_text(&mut db, &mut state, "region = NA");
    step(&mut db, &mut state, Action::Open);
    step(&mut db, &mut state, Action::TagAllPrompt);
    type_text(&mut db, &mut state, "na-team");
    step(&mut db, &mut state, Action::Open);
    assert_eq!(
        state.line.as_ref().unwrap().prompt,
        "tag all 2 accounts listed with 'na-team'? y/n"
    );
    assert!(matches!(state.pending, Some(Effect::AddTag { .. })));
    step(&mut db, &mut state, Action::Confirm);
    let na = db.tag_counts().unwrap();
    assert!(na.contains(&("na-team".to_owned(), 2)), "{na:?}");

    // U undoes the last change, however many accounts it touched; then the one before.
    step(&mut db, &mut state, Action::Back);
    step(&mut db, &mut state, Action::Undo);
    assert!(!db.tag_counts().unwrap().iter().any(|(t, _)| t == "na-team"));
    assert!(state.message.as_deref().unwrap().starts_with("undone"));
    step(&mut db, &mut state, Action::Undo);
    assert!(db.tag_counts().unwrap().is_empty());
    assert!(state.book.rows().iter().all(|r| r.tags.is_empty()));
    step(&mut db, &mut state, Action::Undo);
    assert_eq!(state.message.as_deref(), Some("nothing to undo"));
}

#[test]
fn tab_in_the_tag_prompt_fills_in_what_the_matching_tags_share() {
    let sandbox = Sandbox::new();
    let (mut db, mut state) = dashboard(&sandbox);
    for name in ["renewal risk Q4", "Renewal-risk", "champion"] {
        step(&mut db, &mut state, Action::TagPrompt);
        type_text(&mut db, &mut state, name);
        step(&mut db, &mut state, Action::Open);
    }
    step(&mut db, &mut state, Action::TagPrompt);
    type_text(&mut db, &mut state, "ren");
    step(&mut db, &mut state, Action::Complete);
    let line = state.line.as_ref().unwrap();
    assert_eq!(line.input.value(), "renewal");
    assert_eq!(line.hint.as_deref(), Some("renewal risk Q4  Renewal-risk"));
    type_text(&mut db, &mut state, " ");
    step(&mut db, &mut state, Action::Complete);
    assert_eq!(
        state.line.as_ref().unwrap().input.value(),
        "renewal risk Q4"
    );
}

#[test]
fn a_range_marks_every_row_between_and_esc_clears_marks_first() {
    let sandbox = Sandbox::new();
    let (mut db, mut state) = dashboard(&sandbox);
    step(&mut db, &mut state, Action::OpenFilter);
    type_text(&mut db, &mut state, "arr > 0");
    step(&mut db, &mut state, Action::Open);
    step(&mut db, &mut state, Action::MarkRange);
    step(&mut db, &mut state, Action::Down);
    step(&mut db, &mut state, Action::Down);
    step(&mut db, &mut state, Action::MarkRange);
    assert_eq!(state.marks.len(), 3);
    step(&mut db, &mut state, Action::Back);
    assert!(state.marks.is_empty());
    assert!(state.filter.is_some());
    step(&mut db, &mut state, Action::Back);
    assert!(state.filter.is_none());
}

#[test]
fn the_tag_manager_renames_merges_deletes_and_filters() {
    let sandbox = Sandbox::new();
    let mut db = book(&sandbox);
    let keys = db.keys_of(&["A-1".into(), "A-2".into()]).unwrap();
    db.add_tag("alpha", &keys).unwrap();
    db.add_tag("omega", &keys[..1]).unwrap();
    let loaded = db
        .load_book(date(2026, 11, 24), &HealthModel::default())
        .unwrap();
    let mut state = AppState::new(loaded, date(2026, 11, 24), HealthModel::default(), false);
    step(&mut db, &mut state, Action::ToggleTagManager);
    let manager = state.tag_manager.as_ref().unwrap();
    assert_eq!(
        manager.tags,
        [("alpha".to_owned(), 2), ("omega".to_owned(), 1)]
    );
    // Rename omega onto alpha: a merge.
    step(&mut db, &mut state, Action::Down);
    step(&mut db, &mut state, Action::RenameTagPrompt);
    step(
        &mut db,
        &mut state,
        Action::Edit(tui_input::InputRequest::DeleteLine),
    );
    type_text(&mut db, &mut state, "ALPHA");
    step(&mut db, &mut state, Action::Open);
    assert_eq!(
        state.tag_manager.as_ref().unwrap().tags,
        [("alpha".to_owned(), 2)]
    );
    // Enter lists the accounts with the tag.
    step(&mut db, &mut state, Action::Top);
    step(&mut db, &mut state, Action::Open);
    assert!(state.tag_manager.is_none());
    assert_eq!(state.visible.len(), 2);
    // Delete asks first; n cancels, y deletes.
    step(&mut db, &mut state, Action::ToggleTagManager);
    step(&mut db, &mut state, Action::DeleteTagPrompt);
    step(&mut db, &mut state, Action::Back);
    assert_eq!(db.tag_counts().unwrap().len(), 1);
    step(&mut db, &mut state, Action::DeleteTagPrompt);
    step(&mut db, &mut state, Action::Confirm);
    assert!(db.tag_counts().unwrap().is_empty());
}

#[test]
fn marks_only_reach_accounts_that_are_listed() {
    let sandbox = Sandbox::new();
    let (mut db, mut state) = dashboard(&sandbox);
    // Mark Acme (EMEA) and Beta (EMEA), then list only NA: the marks on hidden rows go.
    step(&mut db, &mut state, Action::ToggleMark);
    step(&mut db, &mut state, Action::ToggleMark);
    assert_eq!(state.marks.len(), 2);
    step(&mut db, &mut state, Action::OpenFilter);
    type_text(&mut db, &mut state, "region = NA");
    step(&mut db, &mut state, Action::Open);
    assert!(state.marks.is_empty());
    step(&mut db, &mut state, Action::TagPrompt);
    assert_eq!(state.line.as_ref().unwrap().prompt, "tag 1 account:");
}

#[test]
fn a_tag_change_counts_again_only_what_reads_tags_and_shows_what_a_whole_count_shows() {
    use csdeck::domain::triage::config::{DEFAULT_TRIAGE, load};
    let today = csdeck::demo::embedded::ANCHOR;
    let model = HealthModel::default();
    let custom = "[[custom]]\nname = \"wave\"\nwhen = 'tag:wave'\nweight = 35\n";
    for (user, reads_tags) in [(None, false), (Some(("triage.toml", custom)), true)] {
        let config = load(DEFAULT_TRIAGE, user).unwrap();
        let mut db = Db::open_in_memory().unwrap();
        csdeck::demo::embedded::load(&mut db, today).unwrap();
        db.save_segment(
            "wave",
            "tag:wave or (region = APAC and tag:qbr-scheduled)",
            None,
        )
        .unwrap();
        let book = db.load_book(today, &model).unwrap();
        let inputs = db
            .triage_inputs(&book, config.clone(), today, &model)
            .unwrap();
        assert_eq!(inputs.reads_tags(&book), reads_tags);
        let mut state = AppState::new(book, today, model.clone(), false);
        state.update(Action::TriageLoaded(Box::new(inputs)));
        // The list filtered on a tag too, so the tagged accounts join it.
        state.update(Action::OpenFilter);
        type_text(&mut db, &mut state, "region = EMEA or tag:wave");
        step(&mut db, &mut state, Action::Open);
        let listed = state.visible.len();
        let keys: Vec<i64> = state.book.rows().iter().step_by(7).map(|r| r.key).collect();
        let outcome = csdeck::app::carry_out(
            &mut db,
            Effect::AddTag {
                tag: "wave".into(),
                keys: keys.clone(),
            },
        );
        state.update(outcome);
        assert!(
            state.visible.len() > listed,
            "the tagged accounts are listed"
        );
        // Taken off some again, and an old tag off every account: the tag column follows.
        let listed = state.visible.len();
        let every: Vec<i64> = state.book.rows().iter().map(|r| r.key).collect();
        for (tag, keys) in [
            ("wave", keys.iter().step_by(2).copied().collect::<Vec<_>>()),
            ("qbr-scheduled", every),
        ] {
            let outcome = csdeck::app::carry_out(
                &mut db,
                Effect::RemoveTag {
                    tag: tag.into(),
                    keys,
                },
            );
            state.update(outcome);
        }
        assert!(
            state.visible.len() < listed,
            "the untagged accounts left the list"
        );

        // The same book counted whole from storage.
        let book = db.load_book(today, &model).unwrap();
        let inputs = db.triage_inputs(&book, config, today, &model).unwrap();
        let mut whole = AppState::new(book, today, model.clone(), false);
        whole.update(Action::TriageLoaded(Box::new(inputs)));
        whole.update(Action::OpenFilter);
        type_text(&mut db, &mut whole, "region = EMEA or tag:wave");
        step(&mut db, &mut whole, Action::Open);
        assert_eq!(state.sidebar.entries, whole.sidebar.entries);
        assert_eq!(state.visible, whole.visible);
        assert_eq!(state.stats, whole.stats);
        assert_eq!(state.queue, whole.queue, "reads tags: {reads_tags}");
        let wave = state
            .sidebar
            .entries
            .iter()
            .find(|e| e.label == "wave")
            .unwrap();
        assert!(wave.stats.count > 0);
        if reads_tags {
            assert!(
                state
                    .queue
                    .items
                    .iter()
                    .any(|i| i.hits.iter().any(|h| h.reason().contains("wave")))
            );
        }
    }
}

#[test]
fn undo_and_marks_wait_while_a_change_is_still_being_stored() {
    let sandbox = Sandbox::new();
    let (mut db, mut state) = dashboard(&sandbox);
    step(&mut db, &mut state, Action::TagPrompt);
    type_text(&mut db, &mut state, "first");
    step(&mut db, &mut state, Action::Open);
    assert_eq!(state.undo.len(), 1);
    // The loop counts a change handed to its writer and not answered yet.
    state.in_flight = 1;
    assert_eq!(state.update(Action::Undo), None);
    assert!(state.message.as_deref().unwrap().contains("still working"));
    // Nor a mark: the answer clears the marks.
    state.update(Action::ToggleMark);
    assert!(state.marks.is_empty());
    assert_eq!(state.undo.len(), 1, "the undo is kept for later");
    // Nor an export: it would write the tags as they were before the change.
    assert_eq!(state.update(Action::Export), None);
    assert!(state.message.as_deref().unwrap().contains("still working"));
    state.in_flight = 0;
    assert!(matches!(
        state.update(Action::Export),
        Some(Effect::Export { .. })
    ));
    assert!(matches!(state.update(Action::Undo), Some(Effect::Undo(_))));
}
