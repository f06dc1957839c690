//! The synthetic book of business: deterministic for a seed, realistic enough that every
//! built-in segment of DESIGN.md has members, and scalable to a million accounts.

use super::rng::Rng;
use super::words::*;
use crate::domain::money;
use crate::domain::{Date, Lifecycle};
use jiff::ToSpan;
use std::io::Write;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    pub accounts: usize,
    pub seed: u64,
    /// The day the book is "as of": snapshots end here, renewals are counted from here.
    pub today: Date,
}

/// The five canonical files being written.
pub struct DemoWriters<W: Write> {
    pub accounts: csv::Writer<W>,
    pub usage: csv::Writer<W>,
    pub nps: csv::Writer<W>,
    pub tags: csv::Writer<W>,
    pub notes: csv::Writer<W>,
}

impl<W: Write> DemoWriters<W> {
    /// Wraps five sinks, one per canonical file.
    pub fn new(sinks: [W; 5]) -> DemoWriters<W> {
        let [accounts, usage, nps, tags, notes] = sinks.map(csv::Writer::from_writer);
        DemoWriters {
            accounts,
            usage,
            nps,
            tags,
            notes,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.accounts.flush()?;
        self.usage.flush()?;
        self.nps.flush()?;
        self.tags.flush()?;
        self.notes.flush()
    }
}

/// The demo book as five canonical CSV texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoBook {
    pub accounts: String,
    pub usage: String,
    pub nps: String,
    pub tags: String,
    pub notes: String,
}

impl DemoBook {
    /// The files in import order with their canonical names.
    pub fn files(&self) -> [(&'static str, &str); 5] {
        [
            ("accounts.csv", &self.accounts),
            ("usage.csv", &self.usage),
            ("nps.csv", &self.nps),
            ("tags.csv", &self.tags),
            ("notes.csv", &self.notes),
        ]
    }
}

/// Generates a book in memory.
pub fn generate_book(spec: &DemoSpec) -> DemoBook {
    let mut writers =
        DemoWriters::new([Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new()]);
    // Writing to a Vec cannot fail.
    let _ = generate(spec, &mut writers);
    let text = |w: csv::Writer<Vec<u8>>| {
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    };
    DemoBook {
        accounts: text(writers.accounts),
        usage: text(writers.usage),
        nps: text(writers.nps),
        tags: text(writers.tags),
        notes: text(writers.notes),
    }
}

/// Streams the five canonical files (accounts.csv, usage.csv, nps.csv, tags.csv, notes.csv)
/// into `dir`: memory stays flat however many accounts (a million is a few GB of CSV).
pub fn write_csv_dir(spec: &DemoSpec, dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let names = [
        "accounts.csv",
        "usage.csv",
        "nps.csv",
        "tags.csv",
        "notes.csv",
    ];
    let open = |name: &str| -> std::io::Result<std::io::BufWriter<std::fs::File>> {
        Ok(std::io::BufWriter::new(std::fs::File::create(
            dir.join(name),
        )?))
    };
    let sinks = [
        open(names[0])?,
        open(names[1])?,
        open(names[2])?,
        open(names[3])?,
        open(names[4])?,
    ];
    generate(spec, &mut DemoWriters::new(sinks))
}

/// Writes the whole book, header rows first.
pub fn generate<W: Write>(spec: &DemoSpec, out: &mut DemoWriters<W>) -> std::io::Result<()> {
    let header = |k: &str| k.split(',').map(str::to_owned).collect::<Vec<_>>();
    use crate::storage::import::Kind;
    out.accounts
        .write_record(header(Kind::Accounts.canonical_header()))?;
    out.usage
        .write_record(header(Kind::Usage.canonical_header()))?;
    out.nps.write_record(header(Kind::Nps.canonical_header()))?;
    out.tags
        .write_record(header(Kind::Tags.canonical_header()))?;
    out.notes
        .write_record(header(Kind::Notes.canonical_header()))?;
    let width = spec.accounts.to_string().len().max(4);
    let name_space = NAME_HEADS.len() * NAME_TAILS.len();
    for index in 0..spec.accounts {
        let mut rng = Rng::new(spec.seed.wrapping_mul(1_000_003).wrapping_add(index as u64));
        let id = format!("ACC-{:0width$}", index + 1);
        // A stride coprime to the name space walks every name before repeating one.
        let slot = (index * 7919) % name_space;
        let mut name = format!(
            "{} {}",
            NAME_HEADS[slot % NAME_HEADS.len()],
            NAME_TAILS[slot / NAME_HEADS.len()]
        );
        if index >= name_space {
            name.push_str(&format!(" {}", index / name_space + 1));
        }
        let account = DemoAccount::draw(&mut rng, spec.today);
        account.write(&id, &name, &mut rng, spec.today, out)?;
    }
    out.flush()
}

/// One account's hidden profile, from which every file's rows follow.
struct DemoAccount {
    stage: Lifecycle,
    /// Underlying health now, 0-1.
    quality: f64,
    /// Change of quality over the past year (positive: improving).
    trend: f64,
    arr_major: i64,
    seats: i64,
    plan: &'static str,
    contract_start: Date,
    renewal: Date,
    /// Onboarding accounts that got stuck.
    stalled: bool,
}

fn days(n: i64) -> jiff::Span {
    n.days()
}

fn shift(date: Date, n: i64) -> Date {
    date.checked_add(days(n)).unwrap_or(date)
}

impl DemoAccount {
    fn draw(rng: &mut Rng, today: Date) -> DemoAccount {
        let stages = [
            Lifecycle::Trial,
            Lifecycle::Onboarding,
            Lifecycle::Adoption,
            Lifecycle::Expansion,
            Lifecycle::Renewal,
            Lifecycle::Churned,
        ];
        let stage = stages[rng.weighted(&[0.05, 0.12, 0.33, 0.18, 0.25, 0.07])];
        let quality = match rng.weighted(&[0.55, 0.30, 0.15]) {
            0 => 0.68 + rng.unit() * 0.32,
            1 => 0.40 + rng.unit() * 0.30,
            _ => rng.unit() * 0.40,
        };
        let quality = if stage == Lifecycle::Churned {
            quality * 0.5
        } else {
            quality
        };
        let trend = (rng.unit() - 0.5) * 0.6;
        let (plan, low, high) = *rng.pick(&[
            ("Starter", 1_200, 6_000),
            ("Starter", 2_000, 9_000),
            ("Growth", 6_000, 30_000),
            ("Growth", 10_000, 40_000),
            ("Business", 25_000, 110_000),
            ("Enterprise", 90_000, 420_000),
        ]);
        let arr_major = rng.range(low, high) / 100 * 100;
        let seat_price = rng.range(240, 720);
        let seats = (arr_major / seat_price).max(3);
        let (contract_start, renewal) = match stage {
            Lifecycle::Trial => {
                let start = shift(today, -rng.range(3, 25));
                (start, shift(start, 30))
            }
            Lifecycle::Onboarding => {
                let start = shift(today, -rng.range(10, 150));
                (start, shift(start, 365))
            }
            Lifecycle::Renewal => {
                let renewal = shift(today, rng.range(1, 95));
                (shift(renewal, -365 * rng.range(1, 3)), renewal)
            }
            Lifecycle::Churned => {
                let renewal = shift(today, -rng.range(10, 300));
                (shift(renewal, -365 * rng.range(1, 2)), renewal)
            }
            _ => {
                let renewal = shift(today, rng.range(20, 365));
                (shift(renewal, -365 * rng.range(1, 4)), renewal)
            }
        };
        let age = crate::domain::row::days_between(contract_start, today);
        let stalled = stage == Lifecycle::Onboarding && age > 60 && rng.chance(0.6);
        DemoAccount {
            stage,
            quality,
            trend,
            arr_major,
            seats,
            plan,
            contract_start,
            renewal,
            stalled,
        }
    }

    /// Quality at a point `t` of the past year (0 = a year ago, 1 = now), with noise.
    fn quality_at(&self, t: f64, rng: &mut Rng) -> f64 {
        (self.quality + self.trend * (t - 1.0) + (rng.unit() - 0.5) * 0.1).clamp(0.0, 1.0)
    }

    fn write<W: Write>(
        &self,
        id: &str,
        name: &str,
        rng: &mut Rng,
        today: Date,
        out: &mut DemoWriters<W>,
    ) -> std::io::Result<()> {
        let (region, countries, _) =
            REGIONS[rng.weighted(&REGIONS.iter().map(|r| r.2).collect::<Vec<_>>())];
        let country = *rng.pick(countries);
        let industry = *rng.pick(INDUSTRIES);
        let owner = *rng.pick(OWNERS);
        // Company size follows the plan: a log-uniform draw within the plan's usual range.
        let (smallest, largest): (f64, f64) = match self.plan {
            "Starter" => (5.0, 200.0),
            "Growth" => (20.0, 1_000.0),
            "Business" => (100.0, 5_000.0),
            _ => (500.0, 60_000.0),
        };
        let employees = (smallest * (largest / smallest).powf(rng.unit())).round() as i64;
        let status = match self.stage {
            Lifecycle::Trial => "trial",
            Lifecycle::Churned => "churned",
            _ => "active",
        };
        let arr = self.arr_major * 100;
        out.accounts.write_record([
            id,
            name,
            industry,
            region,
            country,
            &employees.to_string(),
            self.plan,
            &money::format_major(arr),
            &money::format_major(arr / 12),
            "USD",
            &self.seats.to_string(),
            self.stage.as_str(),
            status,
            owner,
            &self.contract_start.to_string(),
            &self.renewal.to_string(),
        ])?;
        let last_quality = self.write_usage(id, rng, today, out)?;
        let domain: String = name
            .split_whitespace()
            .next()
            .unwrap_or("example")
            .to_ascii_lowercase();
        self.write_nps(id, &domain, rng, today, out)?;
        self.write_tags(id, last_quality, rng, out)?;
        if rng.chance(0.35) {
            for _ in 0..rng.range(1, 3) {
                let date = shift(today, -rng.range(1, 120));
                out.notes
                    .write_record([id, &date.to_string(), *rng.pick(NOTES)])?;
            }
        }
        Ok(())
    }

    /// Monthly snapshots over the past year; returns the latest quality.
    fn write_usage<W: Write>(
        &self,
        id: &str,
        rng: &mut Rng,
        today: Date,
        out: &mut DemoWriters<W>,
    ) -> std::io::Result<f64> {
        let offset = rng.range(0, 6);
        let end = if self.stage == Lifecycle::Churned {
            self.renewal
        } else {
            today
        };
        let mut last_quality = self.quality;
        let mut onboarding_progress: f64 = 0.0;
        // A dormant account stopped logging in weeks ago.
        let dormant = rng.chance(0.12);
        for k in (0..12).rev() {
            let date = shift(end, -(offset + 30 * k));
            if date < self.contract_start {
                continue;
            }
            let t = 1.0 - k as f64 / 11.0;
            let q = self.quality_at(t, rng);
            last_quality = q;
            let utilization = (0.12 + q * 0.9 + (rng.unit() - 0.5) * 0.12).clamp(0.02, 1.08);
            let active = ((self.seats as f64) * utilization).round() as i64;
            let since_login = if dormant && k == 0 {
                rng.range(8, 60)
            } else if q > 0.7 {
                rng.range(0, 3)
            } else if q > 0.4 {
                rng.range(1, 9)
            } else {
                rng.range(4, 40)
            };
            let age = crate::domain::row::days_between(self.contract_start, date);
            let onboarding =
                if self.stage == Lifecycle::Onboarding || self.stage == Lifecycle::Trial {
                    let cap = if self.stalled { 35.0 + q * 45.0 } else { 100.0 };
                    onboarding_progress = (age as f64 * 1.1).min(cap).max(onboarding_progress);
                    onboarding_progress.round()
                } else {
                    100.0
                };
            let adoption = (15.0 + q * 80.0 + (rng.unit() - 0.5) * 10.0)
                .clamp(0.0, 100.0)
                .round();
            let tickets = ((1.0 - q) * rng.range(0, 9) as f64).round() as i64;
            let csat = (55.0 + q * 45.0 + (rng.unit() - 0.5) * 10.0)
                .clamp(0.0, 100.0)
                .round();
            let overdue = if q < 0.3 && rng.chance(0.4) {
                rng.range(1, 2)
            } else {
                i64::from(rng.chance(0.03))
            };
            let logins = (active as f64 * (1.0 + q * 14.0)).round() as i64;
            out.usage.write_record([
                id,
                &date.to_string(),
                &active.to_string(),
                &logins.to_string(),
                &shift(date, -since_login).to_string(),
                &adoption.to_string(),
                &onboarding.to_string(),
                &tickets.to_string(),
                &csat.to_string(),
                &overdue.to_string(),
            ])?;
        }
        Ok(last_quality)
    }

    fn write_nps<W: Write>(
        &self,
        id: &str,
        domain: &str,
        rng: &mut Rng,
        today: Date,
        out: &mut DemoWriters<W>,
    ) -> std::io::Result<()> {
        let responses = match rng.weighted(&[0.22, 0.3, 0.25, 0.15, 0.08]) {
            n @ 0..=4 => n,
            _ => 0,
        };
        let contacts: Vec<String> = (0..rng.range(1, 3))
            .map(|_| format!("{}@{domain}.example", rng.pick(FIRST_NAMES)))
            .collect();
        let mut seen: Vec<(Date, &str)> = Vec::new();
        for _ in 0..responses {
            let ago = rng.range(5, 540);
            let date = shift(today, -ago);
            let contact = rng.pick(&contacts).as_str();
            // One answer per contact per day, as a survey tool records it.
            if date < self.contract_start || seen.contains(&(date, contact)) {
                continue;
            }
            seen.push((date, contact));
            let t = 1.0 - (ago as f64 / 365.0).min(1.0);
            let q = self.quality_at(t, rng);
            let score = (q * 10.5 + (rng.unit() - 0.5) * 3.0)
                .round()
                .clamp(0.0, 10.0) as u8;
            let pool = match score {
                9.. => PROMOTER_COMMENTS,
                7..=8 => PASSIVE_COMMENTS,
                _ => DETRACTOR_COMMENTS,
            };
            out.nps.write_record([
                id,
                &date.to_string(),
                contact,
                &score.to_string(),
                *rng.pick(pool),
            ])?;
        }
        Ok(())
    }

    fn write_tags<W: Write>(
        &self,
        id: &str,
        quality: f64,
        rng: &mut Rng,
        out: &mut DemoWriters<W>,
    ) -> std::io::Result<()> {
        let wanted = [
            ("exec-sponsor", self.arr_major >= 100_000 && rng.chance(0.4)),
            ("champion-left", self.trend < -0.15 && rng.chance(0.4)),
            ("expansion-opportunity", quality > 0.8 && rng.chance(0.4)),
            (
                "renewal-risk",
                self.stage == Lifecycle::Renewal && quality < 0.5 && rng.chance(0.7),
            ),
            ("beta-program", rng.chance(0.07)),
            ("reference-customer", quality > 0.85 && rng.chance(0.25)),
            ("security-review", rng.chance(0.04)),
            ("migration", rng.chance(0.04)),
            ("qbr-scheduled", rng.chance(0.12)),
        ];
        for (tag, wanted) in wanted {
            debug_assert!(TAGS.contains(&tag));
            if wanted {
                out.tags.write_record([id, tag])?;
            }
        }
        Ok(())
    }
}
