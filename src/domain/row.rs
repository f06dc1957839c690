//! An account as the list shows it: the stored account plus its current usage, NPS, tags and
//! every figure derived from them for a given day.

use crate::domain::health::{Band, Health, HealthInputs, HealthModel};
use crate::domain::nps::NpsSummary;
use crate::domain::tier::Tier;
use crate::domain::{Account, Usage};
use jiff::civil::Date;

/// One listed account with derived figures, computed once per load so sorting and drawing are cheap.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    /// The database key, for follow-up queries about this account.
    pub key: i64,
    pub account: Account,
    /// The latest usage snapshot, if any.
    pub usage: Option<Usage>,
    pub nps: Option<NpsSummary>,
    pub tags: Vec<String>,
    pub tier: Option<Tier>,
    /// active users / seats, as a fraction.
    pub utilization: Option<f64>,
    /// Negative once the renewal date has passed.
    pub days_to_renewal: Option<i32>,
    pub days_since_login: Option<i32>,
    /// Days since the contract started: the account's age as a customer.
    pub days_since_start: Option<i32>,
    pub health: Option<u8>,
    pub band: Option<Band>,
}

impl AccountRow {
    /// Derives every computed figure as of `today` with the given health model.
    pub fn derive(
        key: i64,
        account: Account,
        usage: Option<Usage>,
        nps: Option<NpsSummary>,
        tags: Vec<String>,
        today: Date,
        model: &HealthModel,
    ) -> AccountRow {
        let tier = account.arr.map(Tier::for_arr);
        let utilization = usage.as_ref().and_then(|u| u.utilization(account.seats));
        let days_to_renewal = account.renewal_date.map(|d| day_count(today, d));
        let days_since_login = usage
            .as_ref()
            .and_then(|u| u.last_login)
            .map(|d| day_count(d, today));
        let days_since_start = account.contract_start.map(|d| day_count(d, today));
        let mut row = AccountRow {
            key,
            account,
            usage,
            nps,
            tags,
            tier,
            utilization,
            days_to_renewal,
            days_since_login,
            days_since_start,
            health: None,
            band: None,
        };
        if let Some(score) = model.score_only(&row.health_inputs()) {
            row.health = Some(score);
            row.band = Some(model.band(score));
        }
        row
    }

    /// The inputs the health model reads for this account today.
    pub fn health_inputs(&self) -> HealthInputs {
        let mut inputs = crate::domain::history::inputs_on(
            self.usage
                .as_ref()
                .and_then(|u| u.date)
                .unwrap_or(jiff::civil::Date::MIN),
            self.usage.as_ref(),
            self.account.seats,
            &[],
        );
        // Login recency counts to today, not to the snapshot's date; NPS is the current one.
        inputs.days_since_login = self.days_since_login.map(|d| i64::from(d.max(0)));
        inputs.nps_score = self.nps.map(|n| n.mean_score);
        inputs
    }

    /// The full breakdown of this account's score, for the detail pane and `health`.
    pub fn health_breakdown(&self, model: &HealthModel) -> Option<Health> {
        model.score(&self.health_inputs())
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    i64::from(day_count(from, to))
}

/// [`days_between`] as a row holds it: half the width, three times in each of a million rows.
fn day_count(from: Date, to: Date) -> i32 {
    from.until(to).map_or(0, |span| span.get_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between(date(2026, 11, 24), date(2026, 12, 24)), 30);
        assert_eq!(days_between(date(2026, 11, 24), date(2026, 11, 20)), -4);
        assert_eq!(days_between(date(2024, 2, 28), date(2024, 3, 1)), 2);
    }

    #[test]
    fn derive_computes_tier_utilization_and_days() {
        let account = Account {
            external_id: "A1".into(),
            name: "Acme".into(),
            arr: Some(30_000 * 100),
            seats: Some(80),
            renewal_date: Some(date(2026, 12, 4)),
            ..Account::default()
        };
        let usage = Usage {
            active_users: Some(42),
            last_login: Some(date(2026, 11, 15)),
            ..Usage::default()
        };
        let row = AccountRow::derive(
            1,
            account,
            Some(usage),
            None,
            vec![],
            date(2026, 11, 24),
            &HealthModel::default(),
        );
        assert_eq!(row.tier, Some(Tier::Hybrid));
        assert!((row.utilization.unwrap() - 0.525).abs() < 1e-9);
        assert_eq!(row.days_to_renewal, Some(10));
        assert_eq!(row.days_since_login, Some(9));
        assert!(row.health.is_some());
    }
}
