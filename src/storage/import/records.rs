//! Rows of a mapped file turned into typed records, or into row errors that say why.

use super::cells::{self, CellResult, DateOrder};
use super::kind::{Kind, Mapping, Target};
use super::rows::{Row, Rows};
use crate::domain::nps::NpsResponse;
use crate::domain::{Account, Date, Status, Usage};
use serde_json::Value;
use std::collections::HashMap;

/// A rejected row: where, which column, what value and why.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// 1-based line of the file where the row starts.
    pub line: u64,
    /// The header of the offending column (empty when the row as a whole is wrong).
    pub column: String,
    pub value: String,
    pub reason: String,
    /// The row's cells as read, for the rejected-rows report.
    pub cells: Vec<String>,
}

impl RowError {
    /// `file:line: column X, value "v": reason`, the form every import error takes.
    pub fn describe(&self, file: &str) -> String {
        if self.column.is_empty() {
            format!("{file}:{}: {}", self.line, self.reason)
        } else {
            format!(
                "{file}:{}: column {}, value {:?}: {}",
                self.line, self.column, self.value, self.reason
            )
        }
    }
}

/// One subscription of an account (billing exports).
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub plan: Option<String>,
    pub seats: Option<i64>,
    pub mrr: Option<i64>,
    pub arr: Option<i64>,
    pub trial: Option<bool>,
    pub churned: Option<bool>,
    /// Monthly billing renews every month; anything else is taken as annual.
    pub monthly: bool,
}

/// One row's meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// An account, and the tags its row carries.
    Account(Box<Account>, Vec<String>),
    Subscription {
        account: String,
        subscription: Subscription,
    },
    Usage {
        account: String,
        usage: Usage,
        /// The file's other columns, kept with the snapshot.
        extra: serde_json::Map<String, Value>,
    },
    Ticket {
        account: String,
        open: bool,
    },
    Nps {
        account: String,
        response: NpsResponse,
        /// The file's other columns, kept with the answer.
        extra: serde_json::Map<String, Value>,
    },
    Tag {
        account: String,
        tag: String,
    },
    Note {
        account: String,
        date: Option<Date>,
        body: String,
    },
}

impl Record {
    /// What identifies the row within a file, for rows that must not repeat: an account, an
    /// account's snapshot of a day, a contact's answer of a day.
    pub fn key(&self) -> Option<String> {
        match self {
            Record::Account(a, _) => Some(a.external_id.clone()),
            Record::Usage { account, usage, .. } => {
                usage.date.map(|d| format!("{account}\u{0}{d}"))
            }
            Record::Nps {
                account, response, ..
            } if !response.contact.is_empty() => Some(format!(
                "{account}\u{0}{}\u{0}{}",
                response.date, response.contact
            )),
            _ => None,
        }
    }

    /// The [`key`](Record::key) in words, for the error that rejects a repeat.
    pub fn key_in_words(&self) -> String {
        match self {
            Record::Account(a, _) => format!("account_id {}", a.external_id),
            Record::Usage { account, usage, .. } => match usage.date {
                Some(d) => format!("a snapshot of {account} dated {d}"),
                None => String::new(),
            },
            Record::Nps {
                account, response, ..
            } => format!(
                "an answer of {} for {account} dated {}",
                response.contact, response.date
            ),
            _ => String::new(),
        }
    }
}

/// A parsed row with its line, so later errors (an unknown account) can point at it too.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    pub line: u64,
    pub record: Record,
}

/// What every row of a file is read with.
pub struct Context<'a> {
    pub mapping: &'a Mapping,
    /// The day order of each date column, decided from the whole column.
    pub date_orders: &'a HashMap<usize, DateOrder>,
    /// The date for answers and notes a file does not date.
    pub today: Date,
    /// The file writes numbers with a decimal comma (`1.234,50`).
    pub decimal_comma: bool,
}

/// Reads one row's cells under a mapping.
struct RowReader<'a> {
    context: &'a Context<'a>,
    cells: Row<'a>,
    line: u64,
    error: Option<RowError>,
}

impl<'a> RowReader<'a> {
    fn raw(&self, target: Target) -> Option<(usize, &'a str)> {
        let index = self.context.mapping.column_of(target)?;
        Some((index, self.cells.get(index).unwrap_or("")))
    }

    /// Applies a cell parser to the target's column, keeping the first error.
    fn get<T>(&mut self, target: Target, parse: impl Fn(&str) -> CellResult<T>) -> Option<T> {
        let (index, raw) = self.raw(target)?;
        match parse(raw) {
            Ok(value) => value,
            Err(reason) => {
                self.fail(index, raw, reason);
                None
            }
        }
    }

    fn text(&mut self, target: Target) -> Option<String> {
        self.get(target, |c| Ok(cells::text(c)))
    }

    fn shared(&mut self, target: Target) -> Option<crate::domain::account::Shared> {
        self.text(target).map(Into::into)
    }

    fn date(&mut self, target: Target) -> Option<Date> {
        let order = self
            .context
            .mapping
            .column_of(target)
            .and_then(|i| self.context.date_orders.get(&i).copied());
        self.get(target, |c| cells::date(c, order))
    }

    /// A column the row cannot do without.
    fn required(&mut self, target: Target, what: &str) -> Option<String> {
        let (index, raw) = self.raw(target)?;
        let value = cells::text(raw);
        if value.is_none() {
            self.fail(index, raw, format!("is empty; every row needs {what}"));
        }
        value
    }

    fn fail(&mut self, index: usize, raw: &str, reason: String) {
        if self.error.is_none() {
            self.error = Some(RowError {
                line: self.line,
                column: self
                    .context
                    .mapping
                    .headers
                    .get(index)
                    .cloned()
                    .unwrap_or_default(),
                value: raw.to_owned(),
                reason,
                cells: self.cells.to_vec(),
            });
        }
    }
}

fn row_error(line: u64, reason: String, cells: Row<'_>) -> RowError {
    RowError {
        line,
        column: String::new(),
        value: String::new(),
        reason,
        cells: cells.to_vec(),
    }
}

/// Parses one row of cells, or says what is wrong with it.
pub fn parse_row(context: &Context<'_>, cells: Row<'_>) -> Result<ParsedRow, RowError> {
    let mapping = context.mapping;
    let line = cells.line;
    if cells.len() > mapping.headers.len()
        && cells
            .iter()
            .skip(mapping.headers.len())
            .any(|c| !c.trim().is_empty())
    {
        return Err(row_error(
            line,
            format!(
                "the row has {} cells but the header has {} columns: check for an unquoted \
                 delimiter in a value",
                cells.len(),
                mapping.headers.len()
            ),
            cells,
        ));
    }
    let mut r = RowReader {
        context,
        cells,
        line,
        error: None,
    };
    let dc = context.decimal_comma;
    let record = match mapping.kind {
        Kind::Accounts => read_account(&mut r),
        Kind::Subscriptions => {
            let account = r.required(Target::AccountId, "an account_id");
            r.required(Target::SubscriptionId, "a subscription_id");
            let billing = r.text(Target::Billing).unwrap_or_default().to_lowercase();
            Record::Subscription {
                account: account.unwrap_or_default(),
                subscription: Subscription {
                    start: r.date(Target::ContractStart),
                    end: r.date(Target::RenewalDate),
                    plan: r.text(Target::Plan),
                    seats: r.get(Target::Seats, |c| cells::count_in(c, dc)),
                    mrr: r.get(Target::Mrr, |c| cells::amount_in(c, dc)),
                    arr: r.get(Target::Arr, |c| cells::amount_in(c, dc)),
                    trial: r.get(Target::TrialFlag, cells::boolean),
                    churned: r.get(Target::ChurnFlag, cells::boolean),
                    monthly: billing.starts_with("month"),
                },
            }
        }
        Kind::Usage => {
            let account = r.required(Target::AccountId, "an account_id");
            let date = r.date(Target::Date);
            if date.is_none() && r.error.is_none() {
                r.required(Target::Date, "a snapshot date");
            }
            let usage = Usage {
                date,
                active_users: r.get(Target::ActiveUsers, |c| cells::count_in(c, dc)),
                logins_30d: r.get(Target::Logins30d, |c| cells::count_in(c, dc)),
                last_login: r.date(Target::LastLogin),
                feature_adoption: r.get(Target::FeatureAdoption, |c| {
                    cells::ranged(c, 0.0, 100.0, dc)
                }),
                onboarding: r.get(Target::Onboarding, |c| cells::ranged(c, 0.0, 100.0, dc)),
                open_tickets: r.get(Target::OpenTickets, |c| cells::count_in(c, dc)),
                csat: r.get(Target::Csat, |c| cells::ranged(c, 0.0, 100.0, dc)),
                overdue_invoices: r.get(Target::OverdueInvoices, |c| cells::count_in(c, dc)),
            };
            if let Some(login) = usage.last_login
                && login > context.today
                && let Some((index, raw)) = r.raw(Target::LastLogin)
            {
                r.fail(
                    index,
                    raw,
                    format!(
                        "is in the future (today is {}): check the date's order or year",
                        context.today
                    ),
                );
            }
            Record::Usage {
                account: account.unwrap_or_default(),
                usage,
                extra: unmapped(&r),
            }
        }
        Kind::Tickets => {
            let account = r.required(Target::AccountId, "an account_id");
            let status = r.required(Target::TicketStatus, "a ticket status");
            let closed = status.as_deref().map(str::to_lowercase).is_some_and(|s| {
                matches!(
                    s.as_str(),
                    "resolved"
                        | "closed"
                        | "solved"
                        | "done"
                        | "cancelled"
                        | "canceled"
                        | "completed"
                        | "deleted"
                )
            });
            Record::Ticket {
                account: account.unwrap_or_default(),
                open: !closed,
            }
        }
        Kind::Nps => {
            let account = r.required(Target::AccountId, "an account_id");
            let date = match mapping.column_of(Target::Date) {
                Some(_) => {
                    let date = r.date(Target::Date);
                    if date.is_none() && r.error.is_none() {
                        r.required(Target::Date, "a response date");
                    }
                    date
                }
                None => Some(context.today),
            };
            let score = r.get(Target::Score, cells::score);
            if score.is_none() && r.error.is_none() {
                r.required(Target::Score, "a score 0-10");
            }
            // E-mail addresses are case-insensitive: one contact, however an export spells it.
            let contact = r
                .text(Target::Contact)
                .map(|c| if c.contains('@') { c.to_lowercase() } else { c })
                .unwrap_or_default();
            let comment = r.text(Target::Comment);
            Record::Nps {
                account: account.unwrap_or_default(),
                response: NpsResponse {
                    date: date.unwrap_or(Date::MIN),
                    contact,
                    score: score.unwrap_or(0),
                    comment,
                },
                extra: unmapped(&r),
            }
        }
        Kind::Tags => Record::Tag {
            account: r
                .required(Target::AccountId, "an account_id")
                .unwrap_or_default(),
            tag: r
                .get(Target::Tag, |cell| {
                    if cell.trim().is_empty() {
                        return Err("is empty; every row needs a tag name".to_owned());
                    }
                    crate::domain::tag::clean(cell).map(Some)
                })
                .unwrap_or_default(),
        },
        Kind::Notes => Record::Note {
            account: r
                .required(Target::AccountId, "an account_id")
                .unwrap_or_default(),
            date: r.date(Target::Date),
            body: r.required(Target::Body, "a note").unwrap_or_default(),
        },
    };
    match r.error {
        Some(error) => Err(error),
        None => Ok(ParsedRow { line, record }),
    }
}

/// The row's cells under columns that feed no field, by header (empty cells left out).
fn unmapped(r: &RowReader<'_>) -> serde_json::Map<String, Value> {
    let mapping = r.context.mapping;
    mapping
        .headers
        .iter()
        .enumerate()
        .filter(|(i, _)| mapping.columns.get(*i).copied().flatten().is_none())
        .filter_map(|(i, header)| {
            let value = r.cells.get(i).and_then(cells::text)?;
            Some((header.trim().to_owned(), Value::String(value)))
        })
        .collect()
}

fn read_account(r: &mut RowReader<'_>) -> Record {
    let dc = r.context.decimal_comma;
    let name = r.required(Target::Name, "a name").unwrap_or_default();
    // A file without an id column (a Salesforce report) keys its accounts by name.
    let external_id = match r.context.mapping.column_of(Target::AccountId) {
        Some(_) => r
            .required(Target::AccountId, "an account_id")
            .unwrap_or_default(),
        None => name.clone(),
    };
    let mut status = r.get(Target::Status, cells::status);
    let trial = r.get(Target::TrialFlag, cells::boolean);
    let churned = r.get(Target::ChurnFlag, cells::boolean);
    if status.is_none() && (trial.is_some() || churned.is_some()) {
        status = Some(match (churned, trial) {
            (Some(true), _) => Status::Churned,
            (_, Some(true)) => Status::Trial,
            _ => Status::Active,
        });
    }
    let mut account = Account {
        external_id,
        name,
        industry: r.shared(Target::Industry),
        region: r.shared(Target::Region),
        country: r.shared(Target::Country),
        employees: r.get(Target::Employees, |c| cells::count_in(c, dc)),
        plan: r.shared(Target::Plan),
        arr: r.get(Target::Arr, |c| cells::amount_in(c, dc)),
        mrr: r.get(Target::Mrr, |c| cells::amount_in(c, dc)),
        currency: r.shared(Target::Currency),
        seats: r.get(Target::Seats, |c| cells::count_in(c, dc)),
        lifecycle: r.get(Target::Lifecycle, cells::lifecycle),
        status,
        owner: r.shared(Target::Owner),
        contract_start: r.date(Target::ContractStart),
        renewal_date: r.date(Target::RenewalDate),
        extra: Default::default(),
    };
    let tags: Vec<String> = r
        .text(Target::Tags)
        .map(|t| {
            t.split([';', ','])
                .filter_map(|tag| crate::domain::tag::clean(tag).ok())
                .collect()
        })
        .unwrap_or_default();
    let mapping = r.context.mapping;
    for (index, header) in mapping.headers.iter().enumerate() {
        if mapping.columns.get(index).copied().flatten().is_some() {
            continue;
        }
        // An empty cell clears the value a previous import left (json_patch drops nulls).
        let value = r
            .cells
            .get(index)
            .and_then(cells::text)
            .map_or(Value::Null, Value::String);
        account.extra.insert(header.trim().to_owned(), value);
    }
    Record::Account(Box::new(account), tags)
}

/// Decides each date column's day order from its values: a first number over 12 means
/// day-first, a second over 12 month-first. A column with both is an error; one with neither
/// takes `given` (or stays undecided, and its ambiguous cells are errors naming --date-order).
pub fn date_orders(
    mapping: &Mapping,
    rows: &Rows,
    given: Option<DateOrder>,
    file: &str,
) -> Result<HashMap<usize, DateOrder>, String> {
    const DATE_TARGETS: [Target; 4] = [
        Target::Date,
        Target::LastLogin,
        Target::ContractStart,
        Target::RenewalDate,
    ];
    let mut orders = HashMap::new();
    for target in DATE_TARGETS {
        let Some(index) = mapping.column_of(target) else {
            continue;
        };
        // The first cell that shows each order, as (line, value).
        let mut day_first: Option<(u64, &str)> = None;
        let mut month_first: Option<(u64, &str)> = None;
        for row in rows.iter() {
            let Some(cell) = row.get(index) else {
                continue;
            };
            let Some((a, b, _)) = cells::slashed(cell.trim()) else {
                continue;
            };
            if a > 12 && b <= 12 {
                day_first.get_or_insert((row.line, cell));
            } else if b > 12 && a <= 12 {
                month_first.get_or_insert((row.line, cell));
            }
        }
        let header = &mapping.headers[index];
        let order = match (day_first, month_first) {
            (Some((l1, v1)), Some((l2, v2))) => {
                if given.is_none() {
                    return Err(format!(
                        "{file}: column {header:?} mixes day-first dates (line {l1}: {v1}) and \
                         month-first dates (line {l2}: {v2}): make them one order, or pass \
                         --date-order to say which is right (the others are then rejected)"
                    ));
                }
                given
            }
            (Some(_), None) => Some(DateOrder::Dmy),
            (None, Some(_)) => Some(DateOrder::Mdy),
            (None, None) => given,
        };
        if let Some(order) = given.or(order) {
            orders.insert(index, order);
        }
    }
    Ok(orders)
}
