//! Touch tiers: how much CSM attention an account's ARR buys.

/// Coverage model by ARR: high >= 100k, hybrid 25k-100k, low 5k-25k, digital < 5k.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    High,
    Hybrid,
    Low,
    Digital,
}

impl Tier {
    /// Every tier from most to least touch.
    pub const ALL: [Tier; 4] = [Tier::High, Tier::Hybrid, Tier::Low, Tier::Digital];

    /// The tier an ARR (in minor units) falls in.
    pub fn for_arr(arr_minor: i64) -> Tier {
        let major = arr_minor / 100;
        if major >= 100_000 {
            Tier::High
        } else if major >= 25_000 {
            Tier::Hybrid
        } else if major >= 5_000 {
            Tier::Low
        } else {
            Tier::Digital
        }
    }

    /// The lowercase word used in files, filters and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::High => "high",
            Tier::Hybrid => "hybrid",
            Tier::Low => "low",
            Tier::Digital => "digital",
        }
    }

    /// Rank for sorting by value: high touch sorts above digital when descending.
    pub fn rank(self) -> u8 {
        match self {
            Tier::Digital => 0,
            Tier::Low => 1,
            Tier::Hybrid => 2,
            Tier::High => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_edges_follow_the_design() {
        assert_eq!(Tier::for_arr(100_000 * 100), Tier::High);
        assert_eq!(Tier::for_arr(99999 * 100 + 99), Tier::Hybrid);
        assert_eq!(Tier::for_arr(25_000 * 100), Tier::Hybrid);
        assert_eq!(Tier::for_arr(24999 * 100 + 99), Tier::Low);
        assert_eq!(Tier::for_arr(5_000 * 100), Tier::Low);
        assert_eq!(Tier::for_arr(4999 * 100 + 99), Tier::Digital);
        assert_eq!(Tier::for_arr(0), Tier::Digital);
    }
}
