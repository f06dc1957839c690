//! Counts in words: "1 account", "3 accounts". Messages a CSM reads should not say "1 accounts".

/// `n` and the noun, with an "s" unless `n` is one.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1, "account"), "1 account");
        assert_eq!(count(0, "account"), "0 accounts");
        assert_eq!(count(12, "promoter"), "12 promoters");
    }
}
