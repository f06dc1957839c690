//! Rows of a mapped file turned into typed records, or into row errors that say why.

use super::cells::{self, CellResult};
use super::kind::{Kind, Mapping, Target};
use crate::domain::nps::NpsResponse;
use crate::domain::{Account, Date, Usage};
use serde_json::Value;

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

/// One row's meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Account(Account),
    Usage {
        account: String,
        usage: Usage,
    },
    Nps {
        account: String,
        response: NpsResponse,
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
    /// What identifies the row within a file (and says so in words), for rows that must not
    /// repeat: an account, an account's snapshot of a day, a contact's answer of a day.
    pub fn key(&self) -> Option<(String, String)> {
        match self {
            Record::Account(a) => Some((
                a.external_id.clone(),
                format!("account_id {}", a.external_id),
            )),
            Record::Usage { account, usage } => usage.date.map(|d| {
                (
                    format!("{account}\u{0}{d}"),
                    format!("a snapshot of {account} dated {d}"),
                )
            }),
            Record::Nps { account, response } if !response.contact.is_empty() => Some((
                format!("{account}\u{0}{}\u{0}{}", response.date, response.contact),
                format!(
                    "an answer of {} for {account} dated {}",
                    response.contact, response.date
                ),
            )),
            _ => None,
        }
    }
}

/// A parsed row with its line, so later errors (an unknown account) can point at it too.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    pub line: u64,
    pub record: Record,
    pub cells: Vec<String>,
}

/// Reads one row's cells under a mapping.
pub struct RowReader<'a> {
    mapping: &'a Mapping,
    cells: &'a [String],
    line: u64,
    error: Option<RowError>,
}

impl<'a> RowReader<'a> {
    fn new(mapping: &'a Mapping, cells: &'a [String], line: u64) -> Self {
        RowReader {
            mapping,
            cells,
            line,
            error: None,
        }
    }

    fn raw(&self, target: Target) -> Option<(usize, &'a str)> {
        let index = self.mapping.column_of(target)?;
        Some((index, self.cells.get(index).map_or("", String::as_str)))
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
                column: self.mapping.headers.get(index).cloned().unwrap_or_default(),
                value: raw.to_owned(),
                reason,
                cells: self.cells.to_vec(),
            });
        }
    }
}

/// Parses one row of cells, or says what is wrong with it.
pub fn parse_row(mapping: &Mapping, cells: &[String], line: u64) -> Result<ParsedRow, RowError> {
    if cells.len() > mapping.headers.len() {
        return Err(RowError {
            line,
            column: String::new(),
            value: String::new(),
            reason: format!(
                "the row has {} cells but the header has {} columns: check for an unquoted \
                 delimiter in a value",
                cells.len(),
                mapping.headers.len()
            ),
            cells: cells.to_vec(),
        });
    }
    let mut r = RowReader::new(mapping, cells, line);
    let record = match mapping.kind {
        Kind::Accounts => Record::Account(read_account(&mut r)),
        Kind::Usage => {
            let account = r.required(Target::AccountId, "an account_id");
            let date = r.get(Target::Date, cells::date);
            if date.is_none() && r.error.is_none() {
                r.required(Target::Date, "a snapshot date");
            }
            let usage = Usage {
                date,
                active_users: r.get(Target::ActiveUsers, cells::count),
                logins_30d: r.get(Target::Logins30d, cells::count),
                last_login: r.get(Target::LastLogin, cells::date),
                feature_adoption: r
                    .get(Target::FeatureAdoption, |c| cells::number_in(c, 0.0, 100.0)),
                onboarding: r.get(Target::Onboarding, |c| cells::number_in(c, 0.0, 100.0)),
                open_tickets: r.get(Target::OpenTickets, cells::count),
                csat: r.get(Target::Csat, |c| cells::number_in(c, 0.0, 100.0)),
                overdue_invoices: r.get(Target::OverdueInvoices, cells::count),
            };
            Record::Usage {
                account: account.unwrap_or_default(),
                usage,
            }
        }
        Kind::Nps => {
            let account = r.required(Target::AccountId, "an account_id");
            let date = r.get(Target::Date, cells::date);
            if date.is_none() && r.error.is_none() {
                r.required(Target::Date, "a response date");
            }
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
            date: r.get(Target::Date, cells::date),
            body: r.required(Target::Body, "a note").unwrap_or_default(),
        },
    };
    match r.error {
        Some(error) => Err(error),
        None => Ok(ParsedRow {
            line,
            record,
            cells: cells.to_vec(),
        }),
    }
}

fn read_account(r: &mut RowReader<'_>) -> Account {
    let external_id = r
        .required(Target::AccountId, "an account_id")
        .unwrap_or_default();
    let name = r.required(Target::Name, "a name").unwrap_or_default();
    let mut account = Account {
        external_id,
        name,
        industry: r.text(Target::Industry),
        region: r.text(Target::Region),
        country: r.text(Target::Country),
        employees: r.get(Target::Employees, cells::count),
        plan: r.text(Target::Plan),
        arr: r.get(Target::Arr, cells::amount),
        mrr: r.get(Target::Mrr, cells::amount),
        currency: r.text(Target::Currency),
        seats: r.get(Target::Seats, cells::count),
        lifecycle: r.get(Target::Lifecycle, cells::lifecycle),
        status: r.get(Target::Status, cells::status),
        owner: r.text(Target::Owner),
        contract_start: r.get(Target::ContractStart, cells::date),
        renewal_date: r.get(Target::RenewalDate, cells::date),
        extra: serde_json::Map::new(),
    };
    let mapping = r.mapping;
    for (index, header) in mapping.headers.iter().enumerate() {
        if mapping.columns.get(index).copied().flatten().is_some() {
            continue;
        }
        // An empty cell clears the value a previous import left (json_patch drops nulls).
        let value = r
            .cells
            .get(index)
            .and_then(|c| cells::text(c))
            .map_or(Value::Null, Value::String);
        account.extra.insert(header.trim().to_owned(), value);
    }
    account
}
