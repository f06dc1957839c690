//! The vocabulary of the demo book: company names, places, people and what customers say.

/// First halves of company names.
pub const NAME_HEADS: &[&str] = &[
    "Acme",
    "Northwind",
    "Bluefin",
    "Cobalt",
    "Summit",
    "Harbor",
    "Evergreen",
    "Ironclad",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orchid",
    "Pinnacle",
    "Quartz",
    "Redwood",
    "Sterling",
    "Tidewater",
    "Umbra",
    "Vantage",
    "Willow",
    "Zenith",
    "Atlas",
    "Beacon",
    "Cascade",
    "Driftwood",
    "Ember",
    "Foxglove",
    "Granite",
    "Halcyon",
    "Ivory",
    "Juniper",
    "Keystone",
    "Lakeshore",
    "Magnolia",
    "Northstar",
    "Oakridge",
    "Paragon",
    "Riverbend",
    "Sapphire",
    "Trailhead",
    "Upland",
    "Verdant",
    "Westbrook",
    "Yellowstone",
    "Aurora",
    "Brightpath",
    "Crestline",
    "Delta",
    "Elevate",
    "Fairway",
    "Greenleaf",
    "Highland",
    "Insight",
    "Jetstream",
    "Kinetic",
    "Lighthouse",
    "Momentum",
    "Nova",
    "Orbit",
    "Prairie",
];

/// Second halves of company names.
pub const NAME_TAILS: &[&str] = &[
    "Logistics",
    "Health",
    "Analytics",
    "Foods",
    "Capital",
    "Robotics",
    "Media",
    "Energy",
    "Software",
    "Biotech",
    "Retail",
    "Labs",
    "Partners",
    "Systems",
    "Freight",
    "Insurance",
    "Learning",
    "Motors",
    "Telecom",
    "Hospitality",
    "Realty",
    "Pharma",
    "Security",
    "Studios",
    "Networks",
    "Outfitters",
    "Dynamics",
    "Foundry",
    "Group",
    "Holdings",
    "Markets",
    "Clinics",
    "Aerospace",
    "Payments",
    "Consulting",
    "Brewing",
    "Apparel",
    "Agritech",
    "Cloud",
    "Works",
];

/// Industries, as CRMs spell them.
pub const INDUSTRIES: &[&str] = &[
    "Software",
    "Healthcare",
    "Financial Services",
    "Retail",
    "Manufacturing",
    "Education",
    "Media",
    "Logistics",
    "Hospitality",
    "Energy",
];

/// Regions with their countries and how much of the book each holds.
pub const REGIONS: &[(&str, &[&str], f64)] = &[
    ("NA", &["United States", "Canada"], 0.42),
    (
        "EMEA",
        &[
            "United Kingdom",
            "Germany",
            "France",
            "Netherlands",
            "Sweden",
            "Spain",
            "South Africa",
        ],
        0.30,
    ),
    (
        "APAC",
        &["Australia", "Japan", "Singapore", "India", "New Zealand"],
        0.18,
    ),
    ("LATAM", &["Brazil", "Mexico", "Chile", "Colombia"], 0.10),
];

/// The CSM team that owns the book.
pub const OWNERS: &[&str] = &[
    "Maya Patel",
    "Jordan Lee",
    "Sofia Alvarez",
    "Liam O'Connor",
    "Aisha Bello",
    "Noah Fischer",
];

/// Contact first names for survey respondents.
pub const FIRST_NAMES: &[&str] = &[
    "alex", "sam", "priya", "chen", "fatima", "lucas", "emma", "diego", "hana", "omar", "zoe",
    "ivan", "grace", "kofi", "mia", "raj", "lena", "tom", "yuki", "nina",
];

/// What promoters say.
pub const PROMOTER_COMMENTS: &[&str] = &[
    "The reporting saves my team hours every week.",
    "Support is fast and actually understands our setup.",
    "Rollout to the second team went smoothly, we want more seats.",
    "Best tool in our stack, the automations are brilliant.",
    "Our CSM is proactive and the QBRs are genuinely useful.",
    "We recommended you to two partner companies already.",
    "Dashboards finally give leadership the numbers they ask for.",
    "",
];

/// What passives say.
pub const PASSIVE_COMMENTS: &[&str] = &[
    "Good product, but the mobile app lags behind the web.",
    "Works well once set up; onboarding took longer than planned.",
    "Pricing feels high for the features we actually use.",
    "Solid overall. Would like better Salesforce sync.",
    "Reporting is fine but exports are clunky.",
    "We are still figuring out the advanced features.",
    "",
];

/// What detractors say.
pub const DETRACTOR_COMMENTS: &[&str] = &[
    "Support takes days to answer P1 tickets.",
    "Our champion left and nobody here knows how to use it.",
    "The last release broke our integration twice.",
    "Too expensive for what we get, evaluating alternatives.",
    "Performance is slow with our data volume.",
    "We never finished onboarding; the team went back to spreadsheets.",
    "Billing errors again this quarter.",
    "",
];

/// Tags a CS team puts on accounts.
pub const TAGS: &[&str] = &[
    "exec-sponsor",
    "champion-left",
    "expansion-opportunity",
    "renewal-risk",
    "beta-program",
    "reference-customer",
    "security-review",
    "migration",
    "qbr-scheduled",
];

/// Notes from calls and emails.
pub const NOTES: &[&str] = &[
    "QBR held; they want a roadmap preview for the reporting module.",
    "Champion moving to a new role next month; ask for an intro to the successor.",
    "Raised pricing concerns ahead of renewal; send ROI summary.",
    "Onboarding call: SSO configured, data import still pending.",
    "Asked about adding the analytics add-on for the EMEA team.",
    "Escalated ticket about sync failures to engineering.",
    "Exec sponsor confirmed budget for next year.",
    "Usage dipped after their reorg; schedule a re-training session.",
];
