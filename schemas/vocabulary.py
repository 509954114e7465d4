"""The closed vocabularies of the claims table, shared by extractors and pipeline.

Each set lists every value a column may hold; the pandera model checks them and the
extractors emit nothing else.
"""

METRICS = frozenset({
    "wage",
    "employment",
    "employment_growth",
    "annual_openings",
    "education",
    "experience",
    "training_duration",
    "education_duration",
    "certification_required",
})

STATISTICS = frozenset({
    "median", "mean", "p10", "p25", "p75", "p90",
    "range", "change", "typical", "flag", "unspecified",
})

UNITS = frozenset({
    "USD/year", "USD/hour", "USD/month", "USD/week", "percent", "count", "years", "category",
    "boolean",
})
"""Monthly and weekly pay keep their own unit: a page stating "$4,200 a month" says that,
not an annual figure."""

SCOPES = ("", "job-ad")
"""What a figure describes: "" the occupation as a whole (a statistic), "job-ad" the pay an
employer offers in one listing ("$17.00 - $22.25 an hour" on a job card)."""

PERIOD_BASES = frozenset({"stated", "inferred", "matched", "history", "unknown"})
"""matched: the period of the official release the figure was matched to (reconciliation);
history: the page states the period, and states the figure as a past one beside a newer one
("up from $58,000 in May 2022", "In May 2022 … $60,240"): matched to its release, but not
the page's vintage."""

OCCUPATION_BASES = ("stated", "registry", "title", "crosswalk")
"""How a claim's SOC code was found: printed on the page (29-2072, 29-2072.00), given by the
registry entry, matched from the page's title or heading, or mapped from a 2010 code."""

AUTHORITIES = frozenset({"primary", "secondary", "unknown"})

FORMATS = frozenset({"text", "html", "pdf", "csv", "xlsx", "xls"})

DATASETS = frozenset({
    "oews-national",  # OEWS national estimates, all occupations: one May release
    "ep-occupation",  # Employment Projections occupation.xlsx: one ten-year cycle
    "soc-crosswalk",  # SOC 2010 -> 2018 crosswalk
    "soc-structure",  # SOC 2018: major, minor, broad and detailed occupations
    "onet-alternate-titles",  # O*NET Alternate Titles
})
"""Official files registered as `dataset:`: read into the releases table or the occupation
classifications (pipeline/official.py), never by the page extractors."""

DATASET_FORMATS = frozenset({"csv", "xlsx", "xls"})

# Typical education needed for entry, in the Bureau of Labor Statistics' categories.
EDUCATION_LEVELS = (
    "no formal educational credential",
    "high school diploma or equivalent",
    "postsecondary nondegree award",
    "some college, no degree",
    "associate's degree",
    "bachelor's degree",
    "master's degree",
    "doctoral or professional degree",
)

# Career levels after normalisation; anything else keeps a slug of the page's words.
LEVELS = ("all", "entry", "early", "mid", "experienced", "senior", "principal", "expert",
          "not-leveled")

UNION_STATUSES = ("union", "nonunion")
SCHEDULES = ("full-time", "part-time")

HOURS_PER_YEAR = 2080
"""Full-time hours in a year: how BLS turns an hourly wage into an annual one."""

# Plausible bounds per unit; a figure outside is quarantined, not guessed at.
VALUE_BOUNDS = {
    "USD/year": (1_000.0, 2_000_000.0),
    "USD/hour": (1.0, 1_000.0),
    "USD/month": (100.0, 200_000.0),
    "USD/week": (20.0, 50_000.0),
    "percent": (-100.0, 1_000.0),
    "count": (0.0, 1e9),
    "years": (0.0, 60.0),
}

DEFAULT_GEOGRAPHY = "United States"

# `subgroup` holds a row label of a dimension the vocabulary has no name for, such as
# "Long-haul (OTR)" under "Type of driving", so such rows never collide.
QUALIFIERS = ("geography", "level", "industry", "union_status", "schedule", "subgroup", "scope")
