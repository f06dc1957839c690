//! Tag names: trimmed, 1-64 characters of any language, one tag whatever the case.

/// The longest tag name accepted.
pub const MAX_TAG: usize = 64;

/// Checks and trims a tag name, or says what is wrong with it.
pub fn clean(name: &str) -> Result<String, String> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0 {
        return Err("a tag needs a name".into());
    }
    if length > MAX_TAG {
        return Err(format!(
            "tag names are at most {MAX_TAG} characters; this one has {length}"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("tag names cannot hold control characters".into());
    }
    if name.contains([',', ';']) {
        return Err(format!(
            "tag names cannot hold ',' or ';' (exports list tags with them): try {:?}",
            name.replace([',', ';'], " -")
        ));
    }
    Ok(name.to_owned())
}

/// The form two names are compared in: "VIP", "vip" and "Vip" are one tag, in any script.
pub fn fold(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The inverse of a tag change: what to put back and what to take away.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagUndo {
    /// (account key, tag name, tagged_at) pairs to restore.
    pub restore: Vec<(i64, String, String)>,
    /// (account key, tag name) pairs to remove.
    pub remove: Vec<(i64, String)>,
    /// A rename to reverse: (current name, earlier name).
    pub rename: Option<(String, String)>,
    /// What the change was, for the "undone: ..." message.
    pub description: String,
}

impl TagUndo {
    /// The accounts the undo touches.
    pub fn keys(&self) -> Vec<i64> {
        let mut keys: Vec<i64> = self
            .restore
            .iter()
            .map(|(k, _, _)| *k)
            .chain(self.remove.iter().map(|(k, _)| *k))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_checked_and_folded() {
        assert_eq!(clean("  beta ").unwrap(), "beta");
        assert!(clean("   ").is_err());
        assert!(clean(&"x".repeat(65)).is_err());
        assert!(clean(&"é".repeat(64)).is_ok());
        assert!(clean("a\u{1b}b").is_err());
        assert!(clean("R&D; EMEA").is_err());
        assert!(clean("a,b").is_err());
        assert_eq!(fold("ÄRGER"), fold("ärger"));
        assert_eq!(fold("VIP"), "vip");
    }
}
