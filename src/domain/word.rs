//! A word many accounts repeat, held once.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A word many accounts share (a region, a plan, an owner): one copy in memory however many
/// accounts carry it, so a million accounts do not hold a million copies of "EMEA". The
/// pointer is thin (one word, not `Arc<str>`'s two): six of them sit in every account, and at a
/// million accounts the second word of each costs 48 MB.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shared(Arc<Box<str>>);

impl Deref for Shared {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        self
    }
}

/// Hashes and compares as its text, so a set of words can be searched with a `&str`.
impl Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        self
    }
}

impl From<&str> for Shared {
    fn from(text: &str) -> Shared {
        Shared(Arc::new(Box::from(text)))
    }
}

impl From<String> for Shared {
    fn from(text: String) -> Shared {
        Shared(Arc::new(text.into_boxed_str()))
    }
}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn a_word_is_one_pointer_wide_even_when_optional() {
        assert_eq!(
            std::mem::size_of::<Option<Shared>>(),
            std::mem::size_of::<usize>()
        );
    }

    proptest! {
        #[test]
        fn a_word_orders_hashes_and_shows_as_its_text(a in ".{0,8}", b in ".{0,8}") {
            let (x, y) = (Shared::from(a.as_str()), Shared::from(b.clone()));
            prop_assert_eq!(x.cmp(&y), a.as_str().cmp(b.as_str()));
            prop_assert_eq!(x == y, a == b);
            prop_assert_eq!(x.to_string(), a.clone());
            prop_assert_eq!(format!("{x:?}"), format!("{a:?}"));
            let set: HashSet<Shared> = [x.clone()].into_iter().collect();
            prop_assert!(set.contains(a.as_str()));
            prop_assert_eq!(set.contains(b.as_str()), a == b);
        }
    }
}
