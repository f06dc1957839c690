//! The history facts of every account, as the queue looks them up: in key order, one entry
//! per account that has any. At a million accounts a hash map of them took 220 MB (its table
//! sized for the whole book and doubled past it); in order they take what they hold, 90 MB.

use super::Facts;

/// Facts by account key, sorted by key, one entry per key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactsByAccount(Vec<(i64, Facts)>);

impl FactsByAccount {
    /// The account's facts, if it has any.
    pub fn get(&self, key: i64) -> Option<&Facts> {
        self.0
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|at| &self.0[at].1)
    }

    /// How many accounts have facts.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no account has any.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(i64, Facts)> for FactsByAccount {
    /// Facts in any order; of two for one key the later is kept, as a map's insert keeps it.
    fn from_iter<I: IntoIterator<Item = (i64, Facts)>>(items: I) -> FactsByAccount {
        let mut all: Vec<(i64, Facts)> = items.into_iter().collect();
        // Stable, so equal keys stay in the order they came and the last of each wins below.
        if !all.is_sorted_by_key(|(k, _)| *k) {
            all.sort_by_key(|(k, _)| *k);
        }
        // `dedup_by` keeps the earlier of two: it takes the later one's facts first.
        all.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(&mut later.1, &mut earlier.1);
            }
            same
        });
        all.shrink_to_fit();
        FactsByAccount(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn facts(n: u8) -> Facts {
        Facts {
            detractor_before: Some(n),
            ..Facts::default()
        }
    }

    proptest! {
        /// Whatever order the facts come in, a look-up answers as a map built from them does.
        #[test]
        fn answers_as_a_map_does(entries in proptest::collection::vec((0i64..50, 0u8..10), 0..80)) {
            let map: HashMap<i64, Facts> =
                entries.iter().map(|&(k, n)| (k, facts(n))).collect();
            let ordered: FactsByAccount =
                entries.iter().map(|&(k, n)| (k, facts(n))).collect();
            prop_assert_eq!(ordered.len(), map.len());
            for key in -1..51 {
                prop_assert_eq!(ordered.get(key), map.get(&key));
            }
        }
    }
}
