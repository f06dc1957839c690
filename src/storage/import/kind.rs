//! What an imported file holds and which column feeds which field: header matching by alias.

use crate::error::{Error, Result};

/// The five kinds of file csdeck imports (DESIGN.md's canonical files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Accounts,
    Usage,
    Nps,
    Tags,
    Notes,
}

impl Kind {
    /// Every kind, in the order files must be applied (accounts before what refers to them).
    pub const ALL: [Kind; 5] = [
        Kind::Accounts,
        Kind::Usage,
        Kind::Nps,
        Kind::Tags,
        Kind::Notes,
    ];

    /// The word `--kind` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Accounts => "accounts",
            Kind::Usage => "usage",
            Kind::Nps => "nps",
            Kind::Tags => "tags",
            Kind::Notes => "notes",
        }
    }

    /// Reads a `--kind` word.
    pub fn parse(text: &str) -> Option<Kind> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// The fields a file of this kind must have.
    fn required(self) -> &'static [Target] {
        match self {
            Kind::Accounts => &[Target::AccountId, Target::Name],
            Kind::Usage => &[Target::AccountId, Target::Date],
            Kind::Nps => &[Target::AccountId, Target::Date, Target::Score],
            Kind::Tags => &[Target::AccountId, Target::Tag],
            Kind::Notes => &[Target::AccountId, Target::Body],
        }
    }

    /// The canonical header, for error messages that say what was expected.
    pub fn canonical_header(self) -> &'static str {
        match self {
            Kind::Accounts => {
                "account_id,name,industry,region,country,employees,plan,arr,mrr,currency,seats,lifecycle,status,owner,contract_start,renewal_date"
            }
            Kind::Usage => {
                "account_id,date,active_users,logins_30d,last_login,feature_adoption,onboarding,open_tickets,csat,overdue_invoices"
            }
            Kind::Nps => "account_id,date,contact,score,comment",
            Kind::Tags => "account_id,tag",
            Kind::Notes => "account_id,date,body",
        }
    }

    /// The targets a column of this kind may feed, with the header spellings that mean each.
    fn aliases(self) -> &'static [(Target, &'static [&'static str])] {
        use Target::*;
        match self {
            Kind::Accounts => &[
                (AccountId, &["account_id", "accountid", "external_id", "id"]),
                (Name, &["name", "account_name", "company", "company_name"]),
                (Industry, &["industry"]),
                (Region, &["region"]),
                (Country, &["country"]),
                (Employees, &["employees", "employee_count"]),
                (Plan, &["plan"]),
                (Arr, &["arr"]),
                (Mrr, &["mrr"]),
                (Currency, &["currency"]),
                (Seats, &["seats", "licenses"]),
                (Lifecycle, &["lifecycle", "lifecycle_stage", "stage"]),
                (Status, &["status"]),
                (Owner, &["owner", "csm"]),
                (ContractStart, &["contract_start", "start_date"]),
                (RenewalDate, &["renewal_date", "renewal"]),
            ],
            Kind::Usage => &[
                (AccountId, &["account_id", "accountid", "external_id"]),
                (Date, &["date", "snapshot_date"]),
                (ActiveUsers, &["active_users"]),
                (Logins30d, &["logins_30d"]),
                (LastLogin, &["last_login"]),
                (FeatureAdoption, &["feature_adoption"]),
                (Onboarding, &["onboarding"]),
                (OpenTickets, &["open_tickets"]),
                (Csat, &["csat"]),
                (OverdueInvoices, &["overdue_invoices"]),
            ],
            Kind::Nps => &[
                (AccountId, &["account_id", "accountid", "external_id"]),
                (Date, &["date", "response_date"]),
                (Contact, &["contact", "email"]),
                (Score, &["score", "nps_score"]),
                (Comment, &["comment"]),
            ],
            Kind::Tags => &[
                (AccountId, &["account_id", "accountid", "external_id"]),
                (Tag, &["tag", "tags"]),
            ],
            Kind::Notes => &[
                (AccountId, &["account_id", "accountid", "external_id"]),
                (Date, &["date", "created_at"]),
                (Body, &["body", "note"]),
            ],
        }
    }
}

/// A field an imported column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    AccountId,
    Name,
    Industry,
    Region,
    Country,
    Employees,
    Plan,
    Arr,
    Mrr,
    Currency,
    Seats,
    Lifecycle,
    Status,
    Owner,
    ContractStart,
    RenewalDate,
    Date,
    ActiveUsers,
    Logins30d,
    LastLogin,
    FeatureAdoption,
    Onboarding,
    OpenTickets,
    Csat,
    OverdueInvoices,
    Contact,
    Score,
    Comment,
    Tag,
    Body,
}

/// How each column of a file is used.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub kind: Kind,
    /// One entry per header column: the field it feeds, or none (kept in `extra` for accounts).
    pub columns: Vec<Option<Target>>,
    pub headers: Vec<String>,
}

impl Mapping {
    /// The column index feeding a target, if the file has one.
    pub fn column_of(&self, target: Target) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(target))
    }

    /// Headers that feed nothing.
    pub fn unmapped(&self) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .zip(&self.headers)
            .filter(|(c, _)| c.is_none())
            .map(|(_, h)| h.as_str())
    }
}

/// Lowercases and drops everything but letters and digits, so `Account ID`, `account_id` and
/// `AccountId` are one header.
pub fn normalize_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn map_for(kind: Kind, headers: &[String]) -> Mapping {
    let mut columns: Vec<Option<Target>> = Vec::with_capacity(headers.len());
    for header in headers {
        let norm = normalize_header(header);
        let target = kind
            .aliases()
            .iter()
            .find(|(_, names)| names.iter().any(|n| normalize_header(n) == norm))
            .map(|(t, _)| *t)
            .filter(|t| !columns.contains(&Some(*t)));
        columns.push(target);
    }
    Mapping {
        kind,
        columns,
        headers: headers.to_vec(),
    }
}

/// Maps a header to a kind: the one given, or the kind whose required columns are all present
/// and that uses the most columns.
pub fn detect(headers: &[String], forced: Option<Kind>, file: &str) -> Result<Mapping> {
    check_unique(headers, file)?;
    if let Some(kind) = forced {
        let mapping = map_for(kind, headers);
        check_required(&mapping, file)?;
        return Ok(mapping);
    }
    let best = Kind::ALL
        .into_iter()
        .map(|kind| map_for(kind, headers))
        .filter(|m| m.kind.required().iter().all(|t| m.column_of(*t).is_some()))
        .max_by_key(|m| {
            let used = m.columns.iter().filter(|c| c.is_some()).count();
            // On a tie the earlier kind wins (max_by_key keeps the last maximum).
            (used, std::cmp::Reverse(m.kind))
        });
    best.ok_or_else(|| {
        let expected: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("{} ({})", k.as_str(), k.canonical_header()))
            .collect();
        Error::usage(format!(
            "{file}:1: cannot tell what this file holds from its header ({}): expected the \
             columns of one of {}; or pass --kind",
            headers.join(","),
            expected.join("; ")
        ))
    })
}

/// Two columns with one name (after folding case and punctuation) would make one of them lose
/// its data: refuse the file and say which.
fn check_unique(headers: &[String], file: &str) -> Result<()> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        let norm = normalize_header(header);
        if norm.is_empty() {
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == norm) {
            return Err(Error::usage(format!(
                "{file}:1: columns {} and {} are both named {:?}: rename or remove one",
                first + 1,
                index + 1,
                header.trim()
            )));
        }
        seen.push((norm, index));
    }
    Ok(())
}

fn check_required(mapping: &Mapping, file: &str) -> Result<()> {
    let missing: Vec<&str> = mapping
        .kind
        .required()
        .iter()
        .filter(|t| mapping.column_of(**t).is_none())
        .map(|t| {
            mapping
                .kind
                .aliases()
                .iter()
                .find(|(a, _)| a == t)
                .map_or("?", |(_, names)| names[0])
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "{file}:1: a {} file needs the column(s) {}, and its header has none by that name: \
             rename the column(s) (expected header: {})",
            mapping.kind.as_str(),
            missing.join(", "),
            mapping.kind.canonical_header()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(str::to_owned).collect()
    }

    #[test]
    fn detects_each_canonical_kind() {
        for kind in Kind::ALL {
            let mapping = detect(&headers(kind.canonical_header()), None, "f.csv").unwrap();
            assert_eq!(mapping.kind, kind);
            assert_eq!(mapping.unmapped().count(), 0, "{kind:?}");
        }
    }

    #[test]
    fn headers_match_case_and_punctuation_insensitively() {
        let mapping = detect(&headers("Account ID,Name,ARR,Billing State"), None, "f").unwrap();
        assert_eq!(mapping.kind, Kind::Accounts);
        assert_eq!(mapping.column_of(Target::Arr), Some(2));
        assert_eq!(mapping.unmapped().collect::<Vec<_>>(), ["Billing State"]);
    }

    #[test]
    fn a_repeated_column_is_refused() {
        let err = detect(&headers("account_id,name,Foo,foo"), None, "f.csv").unwrap_err();
        assert!(err.message.contains("columns 3 and 4"), "{}", err.message);
        let err = detect(&headers("account_id,name,Name"), None, "f.csv").unwrap_err();
        assert!(err.message.contains("columns 2 and 3"), "{}", err.message);
    }

    #[test]
    fn an_unknown_header_says_what_was_expected() {
        let err = detect(&headers("foo,bar"), None, "x.csv").unwrap_err();
        assert!(err.message.contains("x.csv:1"), "{}", err.message);
        assert!(err.message.contains("--kind"));
        let err = detect(&headers("foo,bar"), Some(Kind::Tags), "x.csv").unwrap_err();
        assert!(err.message.contains("account_id, tag"), "{}", err.message);
    }
}
