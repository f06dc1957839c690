//! An account as the CSM's book of business records it: firmographics and contract.

use jiff::civil::Date;
use serde_json::{Map, Value};

/// Where an account is in its customer journey; drives segments and the onboarding rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lifecycle {
    Trial,
    Onboarding,
    Adoption,
    Expansion,
    Renewal,
    Churned,
}

impl Lifecycle {
    /// Every stage in journey order, so segment catalogs and help list them the same way.
    pub const ALL: [Lifecycle; 6] = [
        Lifecycle::Trial,
        Lifecycle::Onboarding,
        Lifecycle::Adoption,
        Lifecycle::Expansion,
        Lifecycle::Renewal,
        Lifecycle::Churned,
    ];

    /// The lowercase word used in files, filters and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Trial => "trial",
            Lifecycle::Onboarding => "onboarding",
            Lifecycle::Adoption => "adoption",
            Lifecycle::Expansion => "expansion",
            Lifecycle::Renewal => "renewal",
            Lifecycle::Churned => "churned",
        }
    }

    /// Reads a stage case-insensitively, so exports written as `Onboarding` import cleanly.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(text))
    }
}

/// Whether the customer pays: a trial, an active subscription, or gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Trial,
    Active,
    Churned,
}

impl Status {
    /// Every status, in the order a CSM reads them.
    pub const ALL: [Status; 3] = [Status::Trial, Status::Active, Status::Churned];

    /// The lowercase word used in files, filters and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Trial => "trial",
            Status::Active => "active",
            Status::Churned => "churned",
        }
    }

    /// Reads a status case-insensitively.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}

pub use super::word::Shared;

/// One customer account. Money is in minor units (cents) so sums never drift.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Account {
    /// The id the CRM gave the account; every import matches on it.
    pub external_id: String,
    pub name: String,
    pub industry: Option<Shared>,
    pub region: Option<Shared>,
    pub country: Option<Shared>,
    pub employees: Option<i64>,
    pub plan: Option<Shared>,
    /// Annual recurring revenue in minor units.
    pub arr: Option<i64>,
    /// Monthly recurring revenue in minor units.
    pub mrr: Option<i64>,
    pub currency: Option<Shared>,
    pub seats: Option<i64>,
    pub lifecycle: Option<Lifecycle>,
    pub status: Option<Status>,
    /// The CSM who owns the account.
    pub owner: Option<Shared>,
    pub contract_start: Option<Date>,
    pub renewal_date: Option<Date>,
    /// Every imported column that maps to no field, so nothing a user imported is dropped.
    pub extra: Extra,
}

/// The imported columns of an account that map to no field. Most accounts have none, so none
/// costs one pointer instead of an empty map's 72 bytes (72 MB at a million accounts).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extra(Option<Box<Map<String, Value>>>);

impl Extra {
    /// The column's value, if the account has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.as_ref()?.get(key)
    }

    /// Whether the account has no such column.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|map| map.is_empty())
    }

    /// The columns' names, in import order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().flat_map(|map| map.keys())
    }

    /// Sets a column (a null clears it when the import is stored).
    pub fn insert(&mut self, key: String, value: Value) {
        self.0.get_or_insert_default().insert(key, value);
    }

    /// The columns as a JSON object, as stored.
    pub fn to_map(&self) -> Map<String, Value> {
        self.0.as_deref().cloned().unwrap_or_default()
    }

    /// [`Extra::to_map`], without a copy.
    pub fn into_map(self) -> Map<String, Value> {
        self.0.map(|map| *map).unwrap_or_default()
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Extra {
        Extra((!map.is_empty()).then(|| Box::new(map)))
    }
}

impl<'a> IntoIterator for &'a Extra {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Flatten<std::option::IntoIter<&'a Map<String, Value>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.as_deref().into_iter().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_columns_keep_their_order_and_none_costs_a_pointer() {
        assert_eq!(std::mem::size_of::<Extra>(), std::mem::size_of::<usize>());
        let none = Extra::from(Map::new());
        assert!(none.is_empty() && none.get("x").is_none() && none.keys().count() == 0);
        assert_eq!(none.to_map(), Map::new());
        let mut extra = Extra::default();
        extra.insert("Billing State".into(), Value::String("TX".into()));
        extra.insert("Account Source".into(), Value::Null);
        assert!(!extra.is_empty());
        assert_eq!(
            extra.get("Billing State"),
            Some(&Value::String("TX".into()))
        );
        let keys: Vec<&String> = extra.keys().collect();
        assert_eq!(keys, ["Billing State", "Account Source"]);
        let pairs: Vec<(&String, &Value)> = (&extra).into_iter().collect();
        assert_eq!(pairs.len(), 2);
        let map = extra.to_map();
        assert_eq!(Extra::from(map.clone()), extra);
        assert_eq!(extra.into_map(), map);
    }
}
