//! What an imported file holds and which column feeds which field: headers matched case-, space-
//! and punctuation-insensitively against aliases drawn from real exports (Salesforce, HubSpot,
//! Stripe, Totango, ChurnZero, Zendesk, survey tools), with `--map` overrides.

use crate::error::{Error, Result};

/// The kinds of file csdeck imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Accounts,
    /// Billing subscriptions (several per account): the latest sets ARR, plan, seats, renewal.
    Subscriptions,
    Usage,
    /// Support tickets: the open ones are counted per account.
    Tickets,
    Nps,
    Tags,
    Notes,
}

impl Kind {
    /// Every kind, in the order files are applied (accounts before what refers to them).
    pub const ALL: [Kind; 7] = [
        Kind::Accounts,
        Kind::Subscriptions,
        Kind::Usage,
        Kind::Tickets,
        Kind::Nps,
        Kind::Tags,
        Kind::Notes,
    ];

    /// The word `--kind` takes.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Accounts => "accounts",
            Kind::Subscriptions => "subscriptions",
            Kind::Usage => "usage",
            Kind::Tickets => "tickets",
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
            Kind::Accounts => &[Target::Name],
            Kind::Subscriptions => &[Target::SubscriptionId, Target::AccountId],
            Kind::Usage => &[Target::AccountId, Target::Date],
            Kind::Tickets => &[Target::AccountId, Target::TicketStatus],
            Kind::Nps => &[Target::AccountId, Target::Score],
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
            Kind::Subscriptions => {
                "subscription_id,account_id,start_date,end_date,plan,seats,mrr,arr,is_trial,churn_flag,billing_frequency"
            }
            Kind::Usage => {
                "account_id,date,active_users,logins_30d,last_login,feature_adoption,onboarding,open_tickets,csat,overdue_invoices"
            }
            Kind::Tickets => "account_id,ticket_id,created_date,subject,priority,status",
            Kind::Nps => "account_id,date,contact,score,comment",
            Kind::Tags => "account_id,tag",
            Kind::Notes => "account_id,date,body",
        }
    }

    /// The targets a column of this kind may feed, with the header spellings that mean each
    /// (compared after [`normalize_header`]).
    fn aliases(self) -> &'static [(Target, &'static [&'static str])] {
        use Target::*;
        const ACCOUNT_ID: &[&str] = &[
            "account_id",
            "accountid",
            "external_id",
            "account_external_id",
            "accountexternalid",
            "customer_id",
            "company_id",
            "organization_id",
            "org_id",
        ];
        match self {
            Kind::Accounts => &[
                (
                    AccountId,
                    &[
                        "account_id",
                        "accountid",
                        "external_id",
                        "accountexternalid",
                        "id",
                        "record_id",
                        "customer_id",
                        "company_id",
                        "organization_id",
                        "18_digit_account_id",
                    ],
                ),
                (
                    Name,
                    &[
                        "name",
                        "account_name",
                        "company",
                        "company_name",
                        "customer_name",
                        "customer",
                        "organization",
                        "organization_name",
                        "account",
                    ],
                ),
                (Industry, &["industry", "sector", "vertical"]),
                (Region, &["region", "territory", "sales_region", "geo"]),
                (
                    Country,
                    &[
                        "country",
                        "billing_country",
                        "country_region",
                        "country/region",
                    ],
                ),
                (
                    Employees,
                    &[
                        "employees",
                        "number_of_employees",
                        "employee_count",
                        "headcount",
                        "company_size",
                    ],
                ),
                (
                    Plan,
                    &[
                        "plan",
                        "plan_tier",
                        "plan_name",
                        "subscription_plan",
                        "product",
                        "edition",
                    ],
                ),
                (
                    Arr,
                    &[
                        "arr",
                        "annual_recurring_revenue",
                        "arr_amount",
                        "contract_value",
                        "annual_contract_value",
                        "acv",
                    ],
                ),
                (Mrr, &["mrr", "monthly_recurring_revenue", "mrr_amount"]),
                (
                    Currency,
                    &["currency", "currency_code", "currency_iso_code"],
                ),
                (
                    Seats,
                    &[
                        "seats",
                        "licenses",
                        "licences",
                        "license_count",
                        "seat_count",
                        "purchased_seats",
                        "quantity",
                    ],
                ),
                (
                    Lifecycle,
                    &["lifecycle", "journey_stage", "customer_stage", "cs_stage"],
                ),
                (
                    Status,
                    &[
                        "status",
                        "account_status",
                        "customer_status",
                        "subscription_status",
                    ],
                ),
                (TrialFlag, &["is_trial", "trial", "in_trial", "trial_flag"]),
                (
                    ChurnFlag,
                    &["churn_flag", "churned", "is_churned", "has_churned"],
                ),
                (
                    Owner,
                    &[
                        "owner",
                        "csm",
                        "csm_name",
                        "account_owner",
                        "owner_name",
                        "company_owner",
                        "success_manager",
                        "customer_success_manager",
                        "account_manager",
                    ],
                ),
                (
                    ContractStart,
                    &[
                        "contract_start",
                        "contract_start_date",
                        "start_date",
                        "customer_since",
                        "signup_date",
                        "subscription_start",
                    ],
                ),
                (
                    RenewalDate,
                    &[
                        "renewal_date",
                        "renewal",
                        "contract_end_date",
                        "contract_end",
                        "contract_renewal_date",
                        "next_renewal_date",
                        "renews_on",
                        "end_date",
                    ],
                ),
                (Tags, &["tags", "labels"]),
                // Figures csdeck derives itself (its own exports carry them): never stored.
                (
                    Derived,
                    &[
                        "tier",
                        "touch_tier",
                        "health",
                        "band",
                        "nps",
                        "nps_score",
                        "nps_category",
                        "days_to_renewal",
                        "days_since_login",
                        "utilization",
                        "active_users",
                        "last_login",
                        "onboarding",
                        "tickets",
                        "usage_date",
                        "logins_30d",
                        "feature_adoption",
                        "csat",
                        "overdue_invoices",
                        "nps_count",
                    ],
                ),
            ],
            Kind::Subscriptions => &[
                (
                    SubscriptionId,
                    &["subscription_id", "subscriptionid", "sub_id"],
                ),
                (AccountId, ACCOUNT_ID),
                (
                    ContractStart,
                    &["start_date", "started_at", "current_period_start", "start"],
                ),
                (
                    RenewalDate,
                    &[
                        "end_date",
                        "ended_at",
                        "current_period_end",
                        "renewal_date",
                        "end",
                    ],
                ),
                (Plan, &["plan", "plan_tier", "plan_name", "product"]),
                (Seats, &["seats", "quantity", "licenses"]),
                (Mrr, &["mrr", "mrr_amount"]),
                (Arr, &["arr", "arr_amount", "annual_amount"]),
                (TrialFlag, &["is_trial", "trial"]),
                (
                    ChurnFlag,
                    &["churn_flag", "churned", "canceled", "cancelled"],
                ),
                (
                    Billing,
                    &["billing_frequency", "billing_period", "interval"],
                ),
            ],
            Kind::Usage => &[
                (AccountId, ACCOUNT_ID),
                (
                    Date,
                    &[
                        "date",
                        "snapshot_date",
                        "month",
                        "period",
                        "as_of",
                        "report_date",
                        "week",
                    ],
                ),
                (
                    ActiveUsers,
                    &[
                        "active_users",
                        "mau",
                        "monthly_active_users",
                        "users_active",
                    ],
                ),
                (Logins30d, &["logins_30d", "logins", "login_count"]),
                (
                    LastLogin,
                    &[
                        "last_login",
                        "last_login_date",
                        "last_seen",
                        "last_active",
                        "last_activity",
                    ],
                ),
                (
                    FeatureAdoption,
                    &["feature_adoption", "adoption", "adoption_score"],
                ),
                (
                    Onboarding,
                    &["onboarding", "onboarding_progress", "onboarding_completion"],
                ),
                (OpenTickets, &["open_tickets", "tickets_open", "open_cases"]),
                (Csat, &["csat", "csat_score", "satisfaction"]),
                (
                    OverdueInvoices,
                    &["overdue_invoices", "past_due_invoices", "unpaid_invoices"],
                ),
            ],
            Kind::Tickets => &[
                (AccountId, ACCOUNT_ID),
                (TicketStatus, &["status", "ticket_status", "state"]),
                (
                    TicketInfo,
                    &[
                        "ticket_id",
                        "ticketid",
                        "priority",
                        "subject",
                        "case_number",
                        "created_date",
                    ],
                ),
            ],
            Kind::Nps => &[
                (AccountId, ACCOUNT_ID),
                (
                    Date,
                    &[
                        "date",
                        "response_date",
                        "submitted_at",
                        "created_at",
                        "responded_at",
                        "survey_date",
                        "timestamp",
                        "created_at_utc",
                        "date_submitted",
                        "submitted",
                        "submission_date",
                        "completed_at",
                        "recorded_date",
                    ],
                ),
                (
                    Contact,
                    &[
                        "contact",
                        "email",
                        "respondent",
                        "respondent_email",
                        "person_email",
                        "contact_email",
                    ],
                ),
                (
                    Score,
                    &[
                        "score",
                        "nps_score",
                        "nps",
                        "rating",
                        "likelihood_to_recommend",
                    ],
                ),
                (
                    Comment,
                    &[
                        "comment",
                        "comments",
                        "verbatim",
                        "verbatim_comment",
                        "feedback",
                        "reason",
                    ],
                ),
            ],
            Kind::Tags => &[(AccountId, ACCOUNT_ID), (Tag, &["tag", "tags", "label"])],
            Kind::Notes => &[
                (AccountId, ACCOUNT_ID),
                (Date, &["date", "created_at", "note_date"]),
                (Body, &["body", "note", "notes", "text", "content"]),
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
    /// Tags of an accounts file (split on `;` or `,`).
    Tags,
    /// A yes/no column that means the account is on trial.
    TrialFlag,
    /// A yes/no column that means the account churned.
    ChurnFlag,
    /// A figure csdeck computes itself; ignored on import.
    Derived,
    SubscriptionId,
    /// Monthly or annual billing of a subscription.
    Billing,
    Date,
    ActiveUsers,
    Logins30d,
    LastLogin,
    FeatureAdoption,
    Onboarding,
    OpenTickets,
    Csat,
    OverdueInvoices,
    TicketStatus,
    /// A column that marks a file as tickets (id, priority, subject); not stored.
    TicketInfo,
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
    /// What the reader should know (the name used as the id, a missing date...).
    pub warnings: Vec<String>,
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

    /// Headers of columns csdeck derives itself and so ignores.
    pub fn derived(&self) -> impl Iterator<Item = &str> {
        self.columns
            .iter()
            .zip(&self.headers)
            .filter(|(c, _)| **c == Some(Target::Derived))
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

/// A `--map COLUMN=FIELD` override: the column (any spelling) and the field's canonical name,
/// or `extra` to keep it as an extra field, or `ignore`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    pub column: String,
    pub field: String,
}

impl ColumnMap {
    /// Reads `COLUMN=FIELD`.
    pub fn parse(text: &str) -> Result<ColumnMap, String> {
        let (column, field) = text.rsplit_once('=').ok_or_else(|| {
            format!("--map {text:?}: expected COLUMN=FIELD, e.g. \"Company Name=name\"")
        })?;
        if column.trim().is_empty() || field.trim().is_empty() {
            return Err(format!("--map {text:?}: expected COLUMN=FIELD"));
        }
        Ok(ColumnMap {
            column: column.trim().to_owned(),
            field: field.trim().to_ascii_lowercase(),
        })
    }
}

/// What a mapped column becomes: a field, extra, or nothing.
enum Override {
    Field(Target),
    Extra,
    Ignore,
}

fn resolve_override(kind: Kind, field: &str) -> Option<Override> {
    match field {
        "extra" => return Some(Override::Extra),
        "ignore" | "skip" => return Some(Override::Ignore),
        _ => {}
    }
    let norm = normalize_header(field);
    kind.aliases()
        .iter()
        .find(|(_, names)| normalize_header(names[0]) == norm)
        .map(|(t, _)| Override::Field(*t))
}

/// Every field name `--map` accepts, for its error message.
fn map_fields() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Kind::ALL
        .iter()
        .flat_map(|k| k.aliases().iter().map(|(_, names)| names[0]))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether a header reads like a survey's "how likely are you to recommend us" question.
fn is_recommend_question(norm: &str) -> bool {
    norm.contains("recommend") && (norm.contains("likely") || norm.contains("010"))
}

fn alias_for(kind: Kind, header: &str) -> Option<Target> {
    let find = |norm: &str| {
        kind.aliases()
            .iter()
            .find(|(_, names)| names.iter().any(|n| normalize_header(n) == norm))
            .map(|(t, _)| *t)
    };
    let norm = normalize_header(header);
    if let Some(target) = find(&norm) {
        return Some(target);
    }
    // Report-style labels: "Account: Account Name" means "Account Name".
    if let Some((_, tail)) = header.rsplit_once(':')
        && let Some(target) = find(&normalize_header(tail))
    {
        return Some(target);
    }
    match kind {
        Kind::Nps if is_recommend_question(&norm) => Some(Target::Score),
        Kind::Nps if norm.contains("reason") && norm.contains("score") => Some(Target::Comment),
        _ => None,
    }
}

fn map_for(kind: Kind, headers: &[String], maps: &[ColumnMap]) -> Mapping {
    let mut columns: Vec<Option<Target>> = vec![None; headers.len()];
    let mut forced = vec![false; headers.len()];
    for map in maps {
        let norm = normalize_header(&map.column);
        if let Some(index) = headers.iter().position(|h| normalize_header(h) == norm) {
            match resolve_override(kind, &map.field) {
                Some(Override::Field(target)) => {
                    columns[index] = Some(target);
                    forced[index] = true;
                }
                Some(Override::Extra) | Some(Override::Ignore) => {
                    columns[index] = match resolve_override(kind, &map.field) {
                        Some(Override::Ignore) => Some(Target::Derived),
                        _ => None,
                    };
                    forced[index] = true;
                }
                None => {}
            }
        }
    }
    for (index, header) in headers.iter().enumerate() {
        if forced[index] {
            continue;
        }
        columns[index] = alias_for(kind, header).filter(|t| {
            // One column per field: the first wins, unless a --map already took the field.
            *t == Target::Derived || *t == Target::TicketInfo || !columns.contains(&Some(*t))
        });
    }
    let mut mapping = Mapping {
        kind,
        columns,
        headers: headers.to_vec(),
        warnings: Vec::new(),
    };
    if kind == Kind::Accounts
        && mapping.column_of(Target::AccountId).is_none()
        && let Some(name) = mapping.column_of(Target::Name)
    {
        mapping.warnings.push(format!(
            "there is no id column: the {:?} column is used as each account's id (use --map COLUMN=account_id to pick another)",
            headers[name]
        ));
    }
    if kind == Kind::Nps && mapping.column_of(Target::Date).is_none() {
        mapping
            .warnings
            .push("there is no date column: the answers are dated today".into());
    }
    mapping
}

/// Maps a header to a kind: the one given, or the kind whose required columns are all present
/// and that uses the most columns.
pub fn detect(
    headers: &[String],
    forced: Option<Kind>,
    maps: &[ColumnMap],
    file: &str,
) -> Result<Mapping> {
    check_unique(headers, file)?;
    // A --map whose column this file lacks is for another file of the run.
    for map in maps {
        let known = matches!(map.field.as_str(), "extra" | "ignore" | "skip")
            || map_fields()
                .iter()
                .any(|f| normalize_header(f) == normalize_header(&map.field));
        if !known {
            return Err(Error::usage(format!(
                "--map {}={}: unknown field {:?}: use one of {}, extra or ignore",
                map.column,
                map.field,
                map.field,
                map_fields().join(", ")
            )));
        }
    }
    if let Some(kind) = forced {
        let mapping = map_for(kind, headers, maps);
        check_required(&mapping, file)?;
        return Ok(mapping);
    }
    let best = Kind::ALL
        .into_iter()
        .map(|kind| map_for(kind, headers, maps))
        .filter(|m| m.kind.required().iter().all(|t| m.column_of(*t).is_some()))
        .filter(|m| match m.kind {
            // A usage file needs at least one figure; a tickets file something ticket-like.
            Kind::Usage => m.columns.iter().flatten().count() > 2,
            Kind::Tickets => m.column_of(Target::TicketInfo).is_some(),
            _ => true,
        })
        .max_by_key(|m| {
            let used = m
                .columns
                .iter()
                .filter(|c| c.is_some_and(|t| t != Target::Derived))
                .count();
            // On a tie the earlier kind wins (max_by_key keeps the last maximum).
            (used, std::cmp::Reverse(m.kind))
        });
    // Survey answers with no account column are not accounts, whatever else they have.
    let nps = map_for(Kind::Nps, headers, maps);
    if nps.column_of(Target::Score).is_some()
        && nps.column_of(Target::Contact).is_some()
        && nps.column_of(Target::AccountId).is_none()
    {
        return Err(Error::usage(format!(
            "{file}:1: this looks like NPS answers ({}) but no column names the account: add one, \
             or say which column it is with --map COLUMN=account_id",
            headers.join(",")
        )));
    }
    best.ok_or_else(|| {
        let expected: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("{} ({})", k.as_str(), k.canonical_header()))
            .collect();
        Error::usage(format!(
            "{file}:1: cannot tell what this file holds from its header ({}): expected the \
             columns of one of {}; or pass --kind (and --map COLUMN=FIELD)",
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
             rename the column(s) or use --map COLUMN=FIELD (expected header: {})",
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
            let mapping = detect(&headers(kind.canonical_header()), None, &[], "f.csv").unwrap();
            assert_eq!(mapping.kind, kind, "{}", kind.canonical_header());
            assert_eq!(mapping.unmapped().count(), 0, "{kind:?}");
        }
    }

    #[test]
    fn headers_match_case_and_punctuation_insensitively() {
        let mapping = detect(
            &headers("Account ID,Name,ARR,Billing State"),
            None,
            &[],
            "f",
        )
        .unwrap();
        assert_eq!(mapping.kind, Kind::Accounts);
        assert_eq!(mapping.column_of(Target::Arr), Some(2));
        assert_eq!(mapping.unmapped().collect::<Vec<_>>(), ["Billing State"]);
    }

    #[test]
    fn real_export_headers_are_recognised() {
        let salesforce = detect(
            &headers("NAME,TYPE,BILLINGCOUNTRY,INDUSTRY,ANNUALREVENUE,NUMBEROFEMPLOYEES"),
            None,
            &[],
            "f",
        )
        .unwrap();
        assert_eq!(salesforce.kind, Kind::Accounts);
        assert_eq!(salesforce.column_of(Target::Country), Some(2));
        assert_eq!(salesforce.column_of(Target::Employees), Some(5));
        assert_eq!(
            salesforce.column_of(Target::Arr),
            None,
            "AnnualRevenue is not ARR"
        );
        assert!(!salesforce.warnings.is_empty());
        let report = detect(
            &headers("Account: Account Name,Account: Industry,Account ID"),
            None,
            &[],
            "f",
        )
        .unwrap();
        assert_eq!(report.column_of(Target::Name), Some(0));
        assert_eq!(report.column_of(Target::Industry), Some(1));
        let hubspot = detect(
            &headers("Record ID,Company name,Company owner,Country/Region"),
            None,
            &[],
            "f",
        )
        .unwrap();
        assert_eq!(
            (
                hubspot.column_of(Target::AccountId),
                hubspot.column_of(Target::Owner)
            ),
            (Some(0), Some(2))
        );
        let survey = detect(
            &headers("Account ID,Email,How likely are you to recommend us to a friend? (0-10),What is the main reason for your score?,Submitted At"),
            None,
            &[],
            "f",
        )
        .unwrap();
        assert_eq!(survey.kind, Kind::Nps);
        assert_eq!(survey.column_of(Target::Score), Some(2));
        assert_eq!(survey.column_of(Target::Comment), Some(3));
        let tickets = detect(
            &headers("account_id,ticket_id,created_date,subject,priority,status"),
            None,
            &[],
            "f",
        )
        .unwrap();
        assert_eq!(tickets.kind, Kind::Tickets);
        let subscriptions = detect(&headers("subscription_id,account_id,start_date,end_date,plan_tier,seats,mrr_amount,arr_amount"), None, &[], "f").unwrap();
        assert_eq!(subscriptions.kind, Kind::Subscriptions);
        let ours = detect(
            &headers("id,name,tier,health,arr,tags,renewal_date"),
            None,
            &[],
            "f",
        )
        .unwrap();
        assert_eq!(ours.derived().collect::<Vec<_>>(), ["tier", "health"]);
        assert_eq!(ours.column_of(Target::Tags), Some(5));
    }

    #[test]
    fn map_overrides_and_explains_its_mistakes() {
        let maps = [
            ColumnMap::parse("Company=account_id").unwrap(),
            ColumnMap::parse("Revenue=arr").unwrap(),
        ];
        let mapping = detect(&headers("Company,Name,Revenue"), None, &maps, "f").unwrap();
        assert_eq!(mapping.column_of(Target::AccountId), Some(0));
        assert_eq!(mapping.column_of(Target::Arr), Some(2));
        // A map for a column this file lacks belongs to another file of the run.
        let other = detect(
            &headers("a,name"),
            None,
            &[ColumnMap::parse("b=arr").unwrap()],
            "f",
        )
        .unwrap();
        assert_eq!(other.column_of(Target::Arr), None);
        let err = detect(
            &headers("a,name"),
            None,
            &[ColumnMap::parse("a=revenue").unwrap()],
            "f",
        )
        .unwrap_err();
        assert!(err.message.contains("unknown field"), "{}", err.message);
        assert!(ColumnMap::parse("nothing").is_err());
    }

    #[test]
    fn survey_answers_without_an_account_are_explained() {
        let err = detect(&headers("Name,Email,Score,Comment"), None, &[], "s.csv").unwrap_err();
        assert!(
            err.message.contains("--map COLUMN=account_id"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_repeated_column_is_refused() {
        let err = detect(&headers("account_id,name,Foo,foo"), None, &[], "f.csv").unwrap_err();
        assert!(err.message.contains("columns 3 and 4"), "{}", err.message);
    }

    #[test]
    fn an_unknown_header_says_what_was_expected() {
        let err = detect(&headers("foo,bar"), None, &[], "x.csv").unwrap_err();
        assert!(err.message.contains("x.csv:1"), "{}", err.message);
        assert!(err.message.contains("--kind"));
        let err = detect(&headers("foo,bar"), Some(Kind::Tags), &[], "x.csv").unwrap_err();
        assert!(err.message.contains("account_id, tag"), "{}", err.message);
    }
}
