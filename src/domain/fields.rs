//! The account fields a CSM sorts and lists by, with one ordering rule for the dashboard and CLI.

use crate::domain::row::AccountRow;
use std::cmp::Ordering;

/// A listed, sortable field. Names match the filter language of DESIGN.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Id,
    Industry,
    Region,
    Country,
    Plan,
    Tier,
    Lifecycle,
    Status,
    Owner,
    Arr,
    Mrr,
    Seats,
    ActiveUsers,
    Utilization,
    Health,
    Band,
    Nps,
    NpsScore,
    NpsCategory,
    Renewal,
    LastLogin,
    Onboarding,
    Tickets,
    Employees,
    Csat,
    Tags,
    /// Days since the contract started (account age).
    ContractStart,
}

/// A field's value for ordering: numbers compare as numbers, text case-insensitively.
enum Key<'a> {
    Num(f64),
    Text(&'a str),
}

impl Field {
    /// Every field, in the order DESIGN.md lists them.
    pub const ALL: [Field; 28] = [
        Field::Name,
        Field::Id,
        Field::Industry,
        Field::Region,
        Field::Country,
        Field::Plan,
        Field::Tier,
        Field::Lifecycle,
        Field::Status,
        Field::Owner,
        Field::Arr,
        Field::Mrr,
        Field::Seats,
        Field::ActiveUsers,
        Field::Utilization,
        Field::Health,
        Field::Band,
        Field::Nps,
        Field::NpsScore,
        Field::NpsCategory,
        Field::Renewal,
        Field::LastLogin,
        Field::Onboarding,
        Field::Tickets,
        Field::Employees,
        Field::Csat,
        Field::Tags,
        Field::ContractStart,
    ];

    /// The name used on the command line and in filters.
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Id => "id",
            Field::Industry => "industry",
            Field::Region => "region",
            Field::Country => "country",
            Field::Plan => "plan",
            Field::Tier => "tier",
            Field::Lifecycle => "lifecycle",
            Field::Status => "status",
            Field::Owner => "owner",
            Field::Arr => "arr",
            Field::Mrr => "mrr",
            Field::Seats => "seats",
            Field::ActiveUsers => "active_users",
            Field::Utilization => "utilization",
            Field::Health => "health",
            Field::Band => "band",
            Field::Nps => "nps",
            Field::NpsScore => "nps_score",
            Field::NpsCategory => "nps_category",
            Field::Renewal => "renewal",
            Field::LastLogin => "last_login",
            Field::Onboarding => "onboarding",
            Field::Tickets => "tickets",
            Field::Employees => "employees",
            Field::Csat => "csat",
            Field::Tags => "tags",
            Field::ContractStart => "contract_start",
        }
    }

    /// Reads a field name, accepting the CSV column names too (`renewal_date`, `days_to_renewal`).
    pub fn parse(text: &str) -> Option<Field> {
        let lower = text.trim().to_ascii_lowercase();
        let canonical = match lower.as_str() {
            "renewal_date" | "days_to_renewal" => "renewal",
            "days_since_login" => "last_login",
            "age" | "customer_since" => "contract_start",
            "open_tickets" => "tickets",
            "account_id" | "external_id" => "id",
            other => other,
        };
        Field::ALL.into_iter().find(|f| f.name() == canonical)
    }

    /// Orders two rows by this field ascending; rows without a value compare as equal here
    /// (see [`sort_rows`], which puts them last in either direction).
    fn key(self, row: &AccountRow) -> Option<Key<'_>> {
        let a = &row.account;
        let int = |v: Option<i64>| v.map(|n| Key::Num(n as f64));
        match self {
            Field::Name => Some(Key::Text(&a.name)),
            Field::Id => Some(Key::Text(&a.external_id)),
            Field::Industry => a.industry.as_deref().map(Key::Text),
            Field::Region => a.region.as_deref().map(Key::Text),
            Field::Country => a.country.as_deref().map(Key::Text),
            Field::Plan => a.plan.as_deref().map(Key::Text),
            Field::Owner => a.owner.as_deref().map(Key::Text),
            Field::Tier => row.tier.map(|t| Key::Num(f64::from(t.rank()))),
            Field::Lifecycle => a.lifecycle.map(|l| Key::Num(l as u8 as f64)),
            Field::Status => a.status.map(|s| Key::Text(s.as_str())),
            Field::Arr => int(a.arr),
            Field::Mrr => int(a.mrr),
            Field::Seats => int(a.seats),
            Field::Employees => int(a.employees),
            Field::ActiveUsers => int(row.usage.as_ref().and_then(|u| u.active_users)),
            Field::Utilization => row.utilization.map(Key::Num),
            Field::Health => row.health.map(|h| Key::Num(f64::from(h))),
            Field::Band => row.band.map(|b| Key::Num(b as u8 as f64)),
            Field::Nps => row.nps.map(|n| Key::Num(f64::from(n.nps))),
            Field::NpsScore | Field::NpsCategory => row.nps.map(|n| Key::Num(n.mean_score)),
            Field::Renewal => row.days_to_renewal.map(|d| Key::Num(d as f64)),
            Field::LastLogin => row.days_since_login.map(|d| Key::Num(d as f64)),
            Field::Onboarding => row.usage.as_ref().and_then(|u| u.onboarding).map(Key::Num),
            Field::Tickets => int(row.usage.as_ref().and_then(|u| u.open_tickets)),
            Field::Csat => row.usage.as_ref().and_then(|u| u.csat).map(Key::Num),
            Field::Tags => row.tags.first().map(|t| Key::Text(t)),
            // Ascending: the oldest customers first.
            Field::ContractStart => row.days_since_start.map(|d| Key::Num(-(d as f64))),
        }
    }
}

/// Two names in the list's order (case folded, as the list sorts), for callers that hold
/// names only.
pub fn name_order(a: &str, b: &str) -> Ordering {
    compare_keys(&Key::Text(a), &Key::Text(b))
}

fn compare_keys(a: &Key<'_>, b: &Key<'_>) -> Ordering {
    match (a, b) {
        (Key::Num(x), Key::Num(y)) => x.total_cmp(y),
        (Key::Text(x), Key::Text(y)) if x.is_ascii() && y.is_ascii() => x
            .bytes()
            .map(|b| b.to_ascii_lowercase())
            .cmp(y.bytes().map(|b| b.to_ascii_lowercase())),
        (Key::Text(x), Key::Text(y)) => {
            let xs = x.chars().flat_map(char::to_lowercase);
            let ys = y.chars().flat_map(char::to_lowercase);
            xs.cmp(ys)
        }
        (Key::Num(_), Key::Text(_)) => Ordering::Less,
        (Key::Text(_), Key::Num(_)) => Ordering::Greater,
    }
}

/// Sorts rows by a field; rows without a value go last whichever the direction, and ties keep
/// name order so the list is stable between loads.
pub fn sort_rows(rows: &mut [AccountRow], field: Field, descending: bool) {
    let mut order = sorted_order(rows, field, descending);
    permute(rows, &mut order);
}

/// The rows' places in [`sort_rows`] order, leaving the rows where they are.
pub fn sorted_order(rows: &[AccountRow], field: Field, descending: bool) -> Vec<usize> {
    sorted_order_split(rows, field, descending, SORT_APART_FROM)
}

/// From this many rows on, each half is sorted on its own core and the halves merged.
const SORT_APART_FROM: usize = 50_000;

/// [`sorted_order`], halves sorted on two threads from `apart_from` rows on.
fn sorted_order_split(
    rows: &[AccountRow],
    field: Field,
    descending: bool,
    apart_from: usize,
) -> Vec<usize> {
    // Sorted as small keys made once per row, with no allocation for ASCII text: a key orders
    // two rows only when `compare_rows` would order them the same way, and equal keys fall back
    // to `compare_rows` itself. A million accounts sort without lowercasing a name per compare.
    let order = |x: &(PrefixKey, usize), y: &(PrefixKey, usize)| {
        x.0.cmp(&y.0)
            .then_with(|| compare_rows(&rows[x.1], &rows[y.1], field, descending))
    };
    let sorted_keys = |from: usize, to: usize| {
        let mut keys: Vec<(PrefixKey, usize)> = (from..to)
            .map(|at| (PrefixKey::of(&rows[at], field, descending), at))
            .collect();
        keys.sort_unstable_by(order);
        keys
    };
    if rows.len() < apart_from.max(2) {
        return sorted_keys(0, rows.len())
            .into_iter()
            .map(|(_, at)| at)
            .collect();
    }
    let half = rows.len() / 2;
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| sorted_keys(half, rows.len()));
        let first = sorted_keys(0, half);
        (first, second.join())
    });
    let second = second.unwrap_or_else(|e| std::panic::resume_unwind(e));
    // Merged: on equal keys the first half's row comes first, as `compare_rows` ties are
    // broken by the rows themselves.
    let mut merged = Vec::with_capacity(rows.len());
    let (mut a, mut b) = (first.iter().peekable(), second.iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        if order(x, y).is_le() {
            merged.push(x.1);
            a.next();
        } else {
            merged.push(y.1);
            b.next();
        }
    }
    merged.extend(a.map(|(_, at)| *at));
    merged.extend(b.map(|(_, at)| *at));
    merged
}

/// Puts `rows[order[i]]` at place `i` for every `i`, in place (`order` is used up).
fn permute<T>(rows: &mut [T], order: &mut [usize]) {
    for place in 0..rows.len() {
        // The row for this place may already have been swapped away to a later place: follow
        // where it went. Every earlier place is final.
        let mut from = order[place];
        while from < place {
            from = order[from];
        }
        order[place] = from;
        rows.swap(place, from);
    }
}

/// The start of a row's place in a sort: where two keys differ, `compare_rows` orders the rows
/// the same way; where they do not, it has the last word.
struct PrefixKey {
    /// The field's value in the asked direction (`u128::MAX`: none, last either way).
    primary: u128,
    /// Whether equal primaries mean equal values, so that `secondary` may decide.
    exact: bool,
    /// The first bytes of the folded name (by name: the next ones, in the asked direction).
    secondary: u128,
}

impl PrefixKey {
    fn of(row: &AccountRow, field: Field, descending: bool) -> PrefixKey {
        let name = &row.account.name;
        let directed = |n: u128| if descending { !n } else { n };
        if field == Field::Name {
            // The first sixteen bytes are equal only where the names' starts are, so the next
            // sixteen order such names as their rest does.
            return PrefixKey {
                primary: directed(folded_prefix(name, 0).0),
                exact: true,
                secondary: directed(folded_prefix(name, PREFIX).0),
            };
        }
        let (primary, exact) = match field.key(row) {
            None => (u128::MAX, true),
            Some(Key::Num(n)) => (directed(u128::from(ordered_bits(n)) << 64), true),
            Some(Key::Text(t)) => {
                let (prefix, whole) = folded_prefix(t, 0);
                (directed(prefix), whole)
            }
        };
        PrefixKey {
            primary,
            // A value that lands on the no-value mark is told apart by `compare_rows`.
            exact: exact && (primary != u128::MAX || field.key(row).is_none()),
            secondary: folded_prefix(name, 0).0,
        }
    }

    fn cmp(&self, other: &PrefixKey) -> Ordering {
        self.primary.cmp(&other.primary).then_with(|| {
            if self.exact && other.exact {
                self.secondary.cmp(&other.secondary)
            } else {
                Ordering::Equal
            }
        })
    }
}

/// An f64 as a u64 in `total_cmp` order.
fn ordered_bits(n: f64) -> u64 {
    let bits = n.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// How many bytes of text a sort key holds.
const PREFIX: usize = 16;

/// [`PREFIX`] bytes of the text as [`compare_keys`] compares it, from byte `skip` on, big-endian and
/// padded with zeros, so a smaller text never gets a larger number (lowercased UTF-8 compares
/// byte by byte as its characters do); and whether those bytes are the whole text.
fn folded_prefix(text: &str, skip: usize) -> (u128, bool) {
    if text.is_ascii() {
        fill_prefix(text.bytes().map(|b| b.to_ascii_lowercase()).skip(skip))
    } else {
        let folded: String = text.chars().flat_map(char::to_lowercase).collect();
        fill_prefix(folded.bytes().skip(skip))
    }
}

/// The first [`PREFIX`] bytes, and whether they were all there were (a zero byte counts as
/// not whole: it reads as padding).
fn fill_prefix(folded: impl Iterator<Item = u8>) -> (u128, bool) {
    let mut bytes = [0u8; PREFIX];
    let mut whole = true;
    for (at, b) in folded.enumerate() {
        match bytes.get_mut(at) {
            Some(slot) if b != 0 => *slot = b,
            Some(_) => whole = false,
            None => return (u128::from_be_bytes(bytes), false),
        }
    }
    (u128::from_be_bytes(bytes), whole)
}

/// The ordering [`sort_rows`] uses, for callers that sort indices or windows.
pub fn compare_rows(a: &AccountRow, b: &AccountRow, field: Field, descending: bool) -> Ordering {
    let primary = match (field.key(a), field.key(b)) {
        (Some(x), Some(y)) => {
            let ord = compare_keys(&x, &y);
            if descending { ord.reverse() } else { ord }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    primary
        .then_with(|| compare_keys(&Key::Text(&a.account.name), &Key::Text(&b.account.name)))
        .then_with(|| a.account.external_id.cmp(&b.account.external_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_sorted_apart_and_merged_are_the_order_sorted_at_once() {
        let mut db = crate::storage::Db::open_in_memory().unwrap();
        let today = crate::demo::embedded::ANCHOR;
        crate::demo::embedded::load(&mut db, today).unwrap();
        let mut rows = db
            .load_rows(today, &crate::domain::health::HealthModel::default())
            .unwrap();
        // From an order no field has, and an odd count.
        rows.reverse();
        rows.pop();
        for field in Field::ALL {
            for descending in [false, true] {
                let once = sorted_order_split(&rows, field, descending, usize::MAX);
                let apart = sorted_order_split(&rows, field, descending, 2);
                assert_eq!(apart, once, "{field:?} descending={descending}");
            }
        }
    }
}
