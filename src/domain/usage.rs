//! Usage snapshots: what an account did, as of a date.

use jiff::civil::Date;

/// One snapshot of an account's product usage and support state. The latest one is "current".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Usage {
    pub date: Option<Date>,
    pub active_users: Option<i64>,
    pub logins_30d: Option<i64>,
    pub last_login: Option<Date>,
    /// Share of key features in use, 0-100.
    pub feature_adoption: Option<f64>,
    /// Onboarding checklist progress, 0-100.
    pub onboarding: Option<f64>,
    pub open_tickets: Option<i64>,
    pub csat: Option<f64>,
    pub overdue_invoices: Option<i64>,
}

impl Usage {
    /// License utilization as a fraction (active users / seats); none without both figures.
    pub fn utilization(&self, seats: Option<i64>) -> Option<f64> {
        match (self.active_users, seats) {
            (Some(users), Some(seats)) if seats > 0 => Some(users as f64 / seats as f64),
            _ => None,
        }
    }
}
