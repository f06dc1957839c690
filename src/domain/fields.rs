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
    // The order `compare_rows` gives, from keys made once per row: a million accounts sort
    // without lowercasing names on every comparison.
    rows.sort_by_cached_key(|row| SortKey::of(row, field, descending));
}

/// A row's place in a sort, owned: [`compare_rows`]'s order as a plain `Ord`.
struct SortKey {
    /// Present values first (in the asked direction), then rows without one.
    primary: (bool, Directed),
    name: String,
    id: String,
}

impl PartialEq for SortKey {
    fn eq(&self, other: &SortKey) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SortKey {}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &SortKey) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortKey {
    fn cmp(&self, other: &SortKey) -> Ordering {
        self.primary
            .0
            .cmp(&other.primary.0)
            .then_with(|| self.primary.1.cmp(&other.primary.1))
            .then_with(|| self.name.cmp(&other.name))
            .then_with(|| self.id.cmp(&other.id))
    }
}

/// A field's value as compared: text lowercased as [`compare_keys`] does, numbers by
/// `total_cmp`, reversed when descending.
enum Owned {
    Num(f64),
    Text(String),
}

struct Directed {
    value: Option<Owned>,
    descending: bool,
}

impl Directed {
    fn cmp(&self, other: &Directed) -> Ordering {
        let ord = match (&self.value, &other.value) {
            (Some(Owned::Num(x)), Some(Owned::Num(y))) => x.total_cmp(y),
            (Some(Owned::Text(x)), Some(Owned::Text(y))) => x.cmp(y),
            (Some(Owned::Num(_)), Some(Owned::Text(_))) => Ordering::Less,
            (Some(Owned::Text(_)), Some(Owned::Num(_))) => Ordering::Greater,
            _ => Ordering::Equal,
        };
        if self.descending { ord.reverse() } else { ord }
    }
}

/// Text as [`compare_keys`] compares it (ASCII folds byte by byte: the same answer, faster).
fn folded(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.chars().flat_map(char::to_lowercase).collect()
    }
}

impl SortKey {
    fn of(row: &AccountRow, field: Field, descending: bool) -> SortKey {
        let value = field.key(row).map(|key| match key {
            Key::Num(n) => Owned::Num(n),
            Key::Text(t) => Owned::Text(folded(t)),
        });
        SortKey {
            primary: (value.is_none(), Directed { value, descending }),
            name: folded(&row.account.name),
            id: row.account.external_id.clone(),
        }
    }
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
