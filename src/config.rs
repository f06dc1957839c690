//! The user's configuration folder: where their own health model lives.

use crate::domain::health::HealthModel;
use crate::domain::health_config;
use crate::error::{Error, Result};
use std::path::PathBuf;

/// Overrides the configuration folder (tests, several setups side by side).
pub const CONFIG_DIR_VAR: &str = "CSDECK_CONFIG_DIR";

/// The folder csdeck reads its configuration from, if one can be found.
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os(CONFIG_DIR_VAR) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "csdeck").map(|d| d.config_dir().to_path_buf()),
    }
}

/// Builds a configuration from the default text and, if any, the user's `(label, text)`.
type Loader<T> = fn(&str, Option<(&str, &str)>) -> std::result::Result<T, String>;

/// A configuration in force: `default` with the user's `file` (in the config folder) laid
/// over it by `load`. A file that cannot be read or is broken is an error naming it, never a
/// silent fallback. `what` names the configuration in messages ("health model").
fn layered<T>(file: &str, what: &str, default: &str, load: Loader<T>) -> Result<T> {
    let Some(path) = config_dir().map(|d| d.join(file)) else {
        return load(default, None).map_err(Error::runtime);
    };
    let user = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Error::usage(format!(
                "cannot read the {what} {}: {e}",
                path.display()
            )));
        }
    };
    let label = path.display().to_string();
    load(default, user.as_deref().map(|text| (label.as_str(), text))).map_err(|message| {
        Error::usage(format!(
            "{message}: fix the file, or remove it to use the default {what}"
        ))
    })
}

/// The health model in force: the default, with the user's health.toml laid over it. Wrong
/// weights would show wrong scores, so a broken file stops csdeck.
pub fn health_model() -> Result<HealthModel> {
    layered(
        "health.toml",
        "health model",
        health_config::DEFAULT_MODEL,
        health_config::load,
    )
}

/// The triage signals in force: the default, with the user's triage.toml laid over it. A
/// queue with a wrong threshold would hide accounts silently, so a broken file stops csdeck.
pub fn triage_config() -> Result<crate::domain::triage::TriageConfig> {
    use crate::domain::triage::config;
    layered(
        "triage.toml",
        "triage signals",
        config::DEFAULT_TRIAGE,
        config::load,
    )
}
