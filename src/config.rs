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

/// The health model in force: the default, with the user's health.toml laid over it. A broken
/// file is an error, never a silent fallback: wrong weights would show wrong scores.
pub fn health_model() -> Result<HealthModel> {
    let Some(path) = config_dir().map(|d| d.join("health.toml")) else {
        return health_config::load(health_config::DEFAULT_MODEL, None).map_err(Error::runtime);
    };
    let user = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Error::usage(format!(
                "cannot read the health model {}: {e}",
                path.display()
            )));
        }
    };
    let label = path.display().to_string();
    health_config::load(
        health_config::DEFAULT_MODEL,
        user.as_deref().map(|text| (label.as_str(), text)),
    )
    .map_err(|message| {
        Error::usage(format!(
            "{message}: fix the file, or remove it to use the default model"
        ))
    })
}

/// The triage signals in force: the default, with the user's triage.toml laid over it. A
/// broken file is an error: a queue with a wrong threshold would hide accounts silently.
pub fn triage_config() -> Result<crate::domain::triage::TriageConfig> {
    use crate::domain::triage::config;
    let Some(path) = config_dir().map(|d| d.join("triage.toml")) else {
        return config::load(config::DEFAULT_TRIAGE, None).map_err(Error::runtime);
    };
    let user = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Error::usage(format!(
                "cannot read the triage signals {}: {e}",
                path.display()
            )));
        }
    };
    let label = path.display().to_string();
    config::load(
        config::DEFAULT_TRIAGE,
        user.as_deref().map(|text| (label.as_str(), text)),
    )
    .map_err(|message| {
        Error::usage(format!(
            "{message}: fix the file, or remove it to use the default signals"
        ))
    })
}
