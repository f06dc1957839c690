//! What a change counts again equals a whole count of the book as stored after it: a saved or
//! removed segment reuses every other figure, and the queue stays unless its filters changed.

use csdeck::domain::health::HealthModel;
use csdeck::domain::triage::config::{DEFAULT_TRIAGE, load};
use csdeck::state::{Action, AppState};
use csdeck::storage::Db;

/// The state after `change` to the segments, next to one counted whole from storage.
fn after(db: &Db, state: &mut AppState, config: &csdeck::domain::triage::TriageConfig) -> AppState {
    let (today, model) = (csdeck::demo::embedded::ANCHOR, HealthModel::default());
    state.update(Action::SavedSegments {
        saved: db.saved_segments().unwrap(),
        message: "changed".into(),
    });
    let book = db.load_book(today, &model).unwrap();
    let inputs = db
        .triage_inputs(&book, config.clone(), today, &model)
        .unwrap();
    let mut whole = AppState::new(book, today, model, false);
    whole.update(Action::TriageLoaded(Box::new(inputs)));
    whole
}

#[test]
fn saving_and_removing_segments_shows_what_a_whole_count_shows() {
    let (today, model) = (csdeck::demo::embedded::ANCHOR, HealthModel::default());
    let custom = "[[custom]]\nname = \"big one\"\nwhen = 'segment:big'\nweight = 35\n";
    for user in [None, Some(("triage.toml", custom))] {
        let config = load(DEFAULT_TRIAGE, user).unwrap();
        let mut db = Db::open_in_memory().unwrap();
        csdeck::demo::embedded::load(&mut db, today).unwrap();
        db.save_segment("big", "arr >= 100k", None).unwrap();
        let book = db.load_book(today, &model).unwrap();
        let inputs = db
            .triage_inputs(&book, config.clone(), today, &model)
            .unwrap();
        let mut state = AppState::new(book, today, model.clone(), false);
        state.update(Action::TriageLoaded(Box::new(inputs)));
        let queued = state.queue.open_count();

        // A new segment: counted, every other figure kept.
        db.save_segment("emea renewals", "region = EMEA and renewal <= 90d", None)
            .unwrap();
        let whole = after(&db, &mut state, &config);
        assert_eq!(state.sidebar.entries, whole.sidebar.entries);
        assert!(
            state
                .sidebar
                .entries
                .iter()
                .any(|e| e.label == "emea renewals")
        );
        assert_eq!(state.queue, whole.queue);

        // A segment a signal names, changed: that queue is counted again.
        db.save_segment("big", "arr >= 200k", Some("big")).unwrap();
        let whole = after(&db, &mut state, &config);
        assert_eq!(state.sidebar.entries, whole.sidebar.entries);
        assert_eq!(state.queue, whole.queue, "{user:?}");
        if user.is_some() {
            assert_ne!(
                state.queue.open_count(),
                queued,
                "fewer accounts are big now"
            );
        }

        // Removed.
        db.remove_segment("emea renewals").unwrap();
        let whole = after(&db, &mut state, &config);
        assert_eq!(state.sidebar.entries, whole.sidebar.entries);
        assert!(
            !state
                .sidebar
                .entries
                .iter()
                .any(|e| e.label == "emea renewals")
        );
        assert_eq!(state.queue, whole.queue);
    }
}
