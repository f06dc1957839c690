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

/// A word many accounts share (a region, a plan, an owner): one copy in memory however many
/// accounts carry it, so a million accounts do not hold a million copies of "EMEA".
pub type Shared = std::sync::Arc<str>;

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
    pub extra: Map<String, Value>,
}
