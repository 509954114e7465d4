"""Reconciliation of the seed pages against the official figures
(tests/seeds/expected_conflicts.md), its rules, and analysts' decisions."""
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractors.claims import new_claim
from pipeline.cli import main
from pipeline.decisions import load_decisions
from pipeline.outputs import facts_table
from pipeline.reconcile import (KEY_FIELDS, agree, clusters_of, infer_periods, key_of,
                                outcome_of, reading_of, reconcile, resolve)
from pipeline.refresh import refresh
from tests.conftest import SEED_PROJECT, copy_seed_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run():
    return refresh(SEED_PROJECT / "raw" / "sources.yaml",
                   decisions=ROOT / "tests" / "no-decisions.yaml")


def discrepancy(run, **key):
    found = [d for d in run.reconciliation.discrepancies
             if all(dict(zip(KEY_FIELDS, d.key))[k] == v for k, v in key.items())]
    assert len(found) == 1, [d.key for d in found]
    return found[0]


def by_figure(d, source_id):
    return [r for c in d.clusters for r in c.readings if r.source_id == source_id]


US_MEDIAN = dict(occupation="29-2072", metric="wage", statistic="median", unit="USD/year",
                 geography="United States", level="")


# --- the conflicts the seed pages must raise, explained by the official releases ----------

def test_median_pay_is_explained_as_stale_releases_resolved_to_the_latest_official(run):
    d = discrepancy(run, **US_MEDIAN)
    assert (d.outcome, d.queue, d.rule) == ("stale", "explained", "primary-latest")
    assert d.proposed.value == 50250 and d.proposed.claim.period == "2024"
    matches = run.reconciliation.matches
    behind = {r.claim.figure: (matches[r.claim.claim_id].release,
                               matches[r.claim.claim_id].releases_behind)
              for source in ("seed-001", "seed-002", "seed-003") for r in by_figure(d, source)}
    assert behind == {"$47,180": ("OEWS May 2022", 2), "$48,780": ("OEWS May 2023", 1),
                      "$49K": ("OEWS May 2023", 1), "$50,250": ("OEWS May 2024", 0),
                      "$24.16": ("OEWS May 2024", 0)}


def test_a_page_without_a_year_gets_the_year_of_the_release_it_matches(run):
    [page_median, rounded] = sorted(by_figure(discrepancy(run, **US_MEDIAN), "seed-003"),
                                    key=lambda r: r.claim.figure)
    for reading in (page_median, rounded):
        assert (reading.claim.period, reading.claim.period_basis) == ("2023", "matched")


def test_median_pay_fact_keeps_the_others_as_ranked_alternatives(run):
    facts = facts_table(run)
    row = facts[(facts.occupation == "29-2072") & (facts.metric == "wage")
                & (facts.statistic == "median") & (facts.level == "")].iloc[0]
    assert (row.value, row.period, row.status, row.rule, row.outcome) == (
        50250, "2024", "resolved", "primary-latest", "stale")
    assert "$47,180 (oews-national-2022; seed-002, 2022)" in row.alternatives
    ranks = run.reconciliation.ranks
    d = discrepancy(run, **US_MEDIAN)
    assert {ranks[r.claim.claim_id][1:] for r in by_figure(d, "seed-002")} == {
        ("deprecated", "superseded")}
    assert {ranks[r.claim.claim_id][1:] for r in by_figure(d, "seed-001")} == {
        ("preferred", "primary-latest")}


def test_growth_figures_are_matched_to_their_projection_cycles(run):
    d = discrepancy(run, occupation="29-2072", metric="employment_growth")
    assert (d.outcome, d.queue) == ("stale", "explained")
    releases = {r.claim.figure: run.reconciliation.matches[r.claim.claim_id].release
                for s in ("seed-001", "seed-002", "seed-003") for r in by_figure(d, s)}
    # no official 2022-32 figure is shipped (the secondary row that said 8% was retired)
    assert releases == {"9%": "Employment Projections 2023-2033", "8.5%": "",
                        "+7%": "Employment Projections 2024-2034"}
    assert d.proposed.value == 7.1 and d.proposed.claim.period == "2024-2034"
    assert d.proposed.source_id == "ep-occupation-2024-2034"


def test_bachelors_degree_stays_an_open_conflict_against_the_official_award(run):
    d = discrepancy(run, metric="education", level="")
    assert (d.outcome, d.queue) == ("categorical", "open")
    assert "bachelor's degree" in d.explanation
    assert d.proposed.claim.value_text == "postsecondary nondegree award"
    assert d.proposed.source_id == "ep-occupation-2024-2034" and d.rule == "primary-latest"


def test_certification_is_a_categorical_conflict(run):
    d = discrepancy(run, metric="certification_required")
    assert (d.outcome, d.queue) == ("categorical", "open")
    assert sorted({c.representative.claim.value_text for c in d.clusters}) == ["no", "yes"]


def test_pages_mixing_releases_are_flagged_mixed_vintage(run):
    sources = run.reconciliation.sources
    assert sources["seed-001"].editions == (2023, 2024)  # 2024 wage, 2023-2033 growth
    assert sources["seed-003"].editions == (2023, 2024)  # 2023 wage, 2024-2034 growth
    assert sources["seed-002"].editions == ()  # 2022 wage; its growth matches no release
    assert sources["bls-pages-medical-records"].editions == ()


def test_job_level_table_contradicts_itself_on_all_us_workers(run):
    d = discrepancy(run, metric="wage", statistic="range", level="all")
    assert (d.outcome, d.severity, d.queue) == ("intra-source", "medium", "open")
    assert "All workers" in d.explanation and "All levels" in d.explanation
    assert "$69,908.80" in d.explanation and "$49,004.80" in d.explanation


def test_prose_full_time_average_not_in_its_own_table_is_reported(run):
    d = discrepancy(run, metric="wage", statistic="mean", schedule="full-time")
    assert d.outcome == "intra-source"
    assert "$50,793.60" in d.explanation and "$36,732.80 – $57,824.00" in d.explanation


def test_only_conflicts_categorical_and_intra_source_reach_the_queue(run):
    for d in run.reconciliation.discrepancies:
        assert (d.queue == "open") == (d.outcome in ("conflict", "categorical", "intra-source"))


# --- what must not be reported ----------------------------------------------------------

def test_no_discrepancy_compares_levels_or_percentiles_across_pages(run):
    for d in run.reconciliation.discrepancies:
        claims = [r.claim for c in d.clusters for r in c.readings if r.authority != "primary"]
        if len({c.source_id for c in claims}) > 1:
            assert all(c.statistic not in ("p10", "p25", "p75", "p90") for c in claims)
            assert all(c.level in ("", "all") for c in claims), d.key


def test_no_discrepancy_is_one_figure_repeated(run):
    for d in run.reconciliation.discrepancies:
        assert len(d.clusters) > 1
        figures = {(c.representative.value, c.representative.low, c.representative.high,
                    c.representative.claim.value_text, frozenset(c.periods)) for c in d.clusters}
        assert len(figures) == len(d.clusters)


def test_percentiles_do_not_conflict_with_their_own_range(run):
    for d in run.reconciliation.discrepancies:
        assert {r.source_id for c in d.clusters for r in c.readings} != {"seed-003"}


def test_nothing_is_lost(run):
    assert len(run.valid) + len(run.quarantined) == len(run.claims)
    assert set(run.reconciliation.ranks) == set(run.valid.claim_id)


# --- the rules on their own -------------------------------------------------------------

def claim(value=None, *, unit="USD/year", precision=1.0, source="s1", period="", low=None,
          high=None, statistic="median", metric="wage", value_text="", figure="$1",
          release=""):
    first, _, last = period.partition("-")
    return new_claim(source_id=source, metric=metric, statistic=statistic, unit=unit,
                     value=value, low=low, high=high, value_text=value_text, figure=figure,
                     precision=precision, quote=figure, locator=f"chars={value}-{low}-{source}",
                     method="test", period=period, stated_in=release,
                     period_start=int(first) if first else None,
                     period_end=int(last or first) if period else None)


@pytest.mark.parametrize("a, b, same", [
    (claim(49000, precision=1000), claim(48780), True),
    (claim(49000, precision=1000), claim(48400), False),
    (claim(24.16, unit="USD/hour", precision=0.01), claim(50250), True),
    (claim(24.16, unit="USD/hour", precision=0.01), claim(50300), False),
    (claim(9, unit="percent", metric="employment_growth"),
     claim(8.4, unit="percent", metric="employment_growth", precision=0.1), False),
    (claim(50250, period="2024"), claim(50250, period="2023"), False),
    (claim(low=55000, high=None, statistic="range"), claim(low=55000, high=80000,
                                                           statistic="range"), False),
], ids=["thousands", "thousands-off", "hourly", "hourly-off", "percent", "other-year",
        "open-range"])
def test_agreement_respects_stated_precision_and_period(a, b, same):
    assert agree(reading_of(a, "unknown"), reading_of(b, "unknown")) is same


def test_the_latest_primary_release_outranks_a_later_page():
    readings = [reading_of(claim(50000, source="agency", period="2023"), "primary"),
                reading_of(claim(52000, source="blog", period="2024"), "secondary")]
    clusters = clusters_of(readings)
    winner, rule = resolve(clusters)
    assert rule == "primary-latest" and clusters[winner].representative.value == 50000


def test_a_tie_is_left_to_an_analyst():
    readings = [reading_of(claim(50000, source="a"), "secondary"),
                reading_of(claim(52000, source="b"), "secondary")]
    assert resolve(clusters_of(readings)) == (None, "none")


def test_pages_copying_one_stale_figure_count_once():
    official = [claim(47180, source="bls", period="2022", release="OEWS May 2022"),
                claim(50250, source="bls", period="2024", release="OEWS May 2024")]
    pages = [claim(47180, source=s) for s in ("copy-a", "copy-b", "copy-c")]
    fresh = [claim(50250, source=s) for s in ("fresh-a", "fresh-b")]
    result = reconcile(official + pages + fresh,
                       {"bls": "primary", **{c.source_id: "secondary" for c in pages + fresh}})
    [fact] = result.facts
    stale = next(c for c in fact.clusters if c.representative.value == 47180)
    assert stale.copies and stale.independent_sources == 2  # bls + the copies as one
    assert fact.chosen.value == 50250


def test_a_copy_cluster_keeps_its_id_as_pages_join_and_leave():
    official = [claim(47180, source="bls", period="2022", release="OEWS May 2022"),
                claim(48780, source="bls", period="2023", release="OEWS May 2023"),
                claim(50250, source="bls", period="2024", release="OEWS May 2024")]

    def copies(sources: tuple[str, ...], figure: float = 47180) -> str:
        pages = [claim(figure, source=s) for s in sources]
        result = reconcile(official + pages, {"bls": "primary",
                                              **{c.source_id: "secondary" for c in pages}})
        [fact] = result.facts
        return next(c for c in fact.clusters if c.representative.value == figure).copies

    named = copies(("copy-a", "copy-b", "copy-c"))
    assert named.startswith("k-") and len(named) == 14
    assert copies(("copy-a", "copy-b")) == named  # one left
    assert copies(("copy-a", "copy-b", "copy-c", "copy-d")) == named  # one joined
    assert copies(("copy-a",)) == ""  # one page alone copies no one
    assert copies(("copy-a", "copy-b"), figure=48780) not in ("", named)  # another figure


def test_same_period_different_figures_is_a_conflict():
    readings = [reading_of(claim(50000, source="a", period="2024"), "secondary"),
                reading_of(claim(52000, source="b", period="2024"), "secondary")]
    assert outcome_of(key_of(readings[0].claim), clusters_of(readings))[0] == "conflict"


def test_ranges_across_pages_differ_by_definition():
    readings = [reading_of(claim(low=1000, high=2000, statistic="range", source="a"), "unknown"),
                reading_of(claim(low=1500, high=2500, statistic="range", source="b"), "unknown")]
    assert outcome_of(key_of(readings[0].claim), clusters_of(readings))[0] == "definition"


def test_two_releases_with_the_same_rounded_figure_are_ambiguous():
    official = [claim(48780, source="bls", period="2023", release="OEWS May 2023"),
                claim(49100, source="bls", period="2024", release="OEWS May 2024")]
    page = claim(49000, precision=1000, source="page", figure="$49K")
    result = reconcile(official + [page], {"bls": "primary", "page": "secondary"})
    match = result.matches[page.claim_id]
    assert match.outcome == "ambiguous"
    assert match.candidates == ("OEWS May 2023", "OEWS May 2024")


def test_a_page_stating_a_year_once_lends_it_to_its_repeat():
    stated, bare = claim(47180, period="2022"), claim(47180.0, figure="$47,180")
    inferred = {c.claim_id: c for c in infer_periods([stated, bare])}[bare.claim_id]
    assert (inferred.period, inferred.period_basis) == ("2022", "inferred")


def test_reconcile_is_deterministic(run):
    claims = [c for c in run.claims if c.claim_id in set(run.valid.claim_id)]
    authorities = {c.source.id: c.source.authority for c in run.captures}
    first = reconcile(claims, authorities)
    second = reconcile(list(reversed(claims)), authorities)
    assert [d.discrepancy_id for d in first.discrepancies] == [
        d.discrepancy_id for d in second.discrepancies]
    assert [(f.fact_id, f.rule, f.chosen and f.chosen.claim.claim_id) for f in first.facts] == [
        (f.fact_id, f.rule, f.chosen and f.chosen.claim.claim_id) for f in second.facts]


# --- analyst decisions ------------------------------------------------------------------

@pytest.fixture
def project(tmp_path):
    return copy_seed_project(tmp_path)


def cli(project, *args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False,
                                env={"GIT_AUTHOR_NAME": "analyst"})
    return result


def test_a_decision_changes_the_resolution_and_survives_refreshes(project, monkeypatch):
    monkeypatch.chdir(project)
    d = discrepancy(refresh(project / "raw" / "sources.yaml"), **US_MEDIAN)
    result = cli(project, "decide", d.discrepancy_id, "--prefer", "seed-003",
                 "--reason", "the 2024 figure is not final")
    assert result.exit_code == 0, result.output
    [decision], problems = load_decisions(project / "decisions.yaml")
    assert (decision.action, decision.target, decision.author, problems) == (
        "prefer", "seed-003", "analyst", [])
    for _ in range(2):
        assert cli(project, "refresh").exit_code == 0
        facts = (project / "curated" / "facts.csv").read_text()
        row = next(line for line in facts.splitlines() if ",wage,median,USD/year,United States,,"
                   in line and "29-2072" in line)
        assert ",48780," in row and ",analyst," in row
    report = (project / "reports" / "discrepancies.md").read_text()
    assert "the 2024 figure is not final" in report and "applied" in report


def test_a_decision_whose_evidence_changed_needs_review(project, monkeypatch):
    monkeypatch.chdir(project)
    d = discrepancy(refresh(project / "raw" / "sources.yaml"), **US_MEDIAN)
    assert cli(project, "decide", d.discrepancy_id, "--prefer", "48780",
               "--reason", "checked by phone").exit_code == 0
    # the page behind the decision is re-captured with another figure
    page = project / "raw" / "002_b0dd88c80110e052.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("$47,180 in 2022", "$47,190 in 2022"),
                    encoding="utf-8")
    import hashlib
    import re
    registry = project / "raw" / "sources.yaml"
    text = registry.read_text()
    registry.write_text(re.sub(r"9347769f[0-9a-f]+", hashlib.sha256(page.read_bytes()).hexdigest(),
                               text))
    rerun = refresh(registry)
    [result] = rerun.reconciliation.decisions
    assert result.status == "needs-review" and "changed" in result.why
    assert discrepancy(rerun, **US_MEDIAN).rule == "primary-latest"  # not applied silently
    assert discrepancy(rerun, **US_MEDIAN).queue == "open"  # back in the analyst's queue
    refreshed = cli(project, "refresh")
    assert refreshed.exit_code == 1  # a decision that is not applied is a finding
    assert "decisions      1 (0 applied, 1 needs-review)" in refreshed.output
    assert "decision-needs-review" in refreshed.output and "checked by phone" not in refreshed.output
    assert "needs-review" in (project / "reports" / "discrepancies.md").read_text()
    assert (project / "decisions.yaml").exists()  # never dropped


def test_decide_refuses_an_unknown_discrepancy_or_target(project, monkeypatch):
    monkeypatch.chdir(project)
    assert cli(project, "decide", "d-000000000000", "--not-a-conflict",
               "--reason", "x").exit_code == 2
    d = discrepancy(refresh(project / "raw" / "sources.yaml"), **US_MEDIAN)
    result = cli(project, "decide", d.discrepancy_id, "--prefer", "seed-999", "--reason", "x")
    assert result.exit_code == 2 and "seed-999" in result.output
    assert not (project / "decisions.yaml").exists()


# --- the official files ------------------------------------------------------------------

def test_the_median_resolves_to_the_oews_may_2024_file(run):
    d = discrepancy(run, **US_MEDIAN)
    assert (d.proposed.value, d.proposed.source_id, d.proposed.claim.stated_in) == (
        50250, "oews-national-2024", "OEWS May 2024")
    matched = {r.claim.figure: run.reconciliation.matches[r.claim.claim_id].figure.source_id
               for source in ("seed-002", "seed-003") for r in by_figure(d, source)}
    assert matched == {"$47,180": "oews-national-2022", "$48,780": "oews-national-2023",
                       "$49K": "oews-national-2023"}


def test_the_report_leads_with_the_answer_per_occupation_by_title(run):
    from pipeline.report import discrepancy_report

    report = discrepancy_report(run).splitlines()
    heading = report.index("### Medical Records Specialists (SOC 29-2072)")
    assert heading < 10
    median = next(line for line in report if line.startswith("| median pay |"))
    assert "**$50,250 a year**" in median and "OEWS May 2024 (oews-national-2024)" in median
    assert "| 1 (seed-001) | 2 (seed-002, seed-003) |" in median
    series = next(line for line in report if line.startswith("- **median pay**"))
    assert "OEWS May 2022: $47,180 ← seed-002 ($47,180)" in series
    assert report.index("## Open discrepancies (the analyst's queue)") < report.index("## Summary")


def _page_claims(prose: list[tuple], table: list[tuple]):
    """A page's prose claims and its table rows: (statistic, value, low, high, figure)."""
    from tests.conftest import stated_claim

    def made(statistic, value, low, high, figure, method):
        return replace(stated_claim(value, low=low, high=high, source="blog", figure=figure,
                                    statistic=statistic), method=method)
    return ([made(*row, "sentence") for row in prose] +
            [made(*row, "table-row") for row in table])


def test_prose_that_restates_its_own_table_with_another_figure_is_intra_source():
    from pipeline.reconcile import restatements

    claims = _page_claims([("mean", 50793.6, None, None, "$50,793.60")],
                          [("range", None, 36732.8, 57824.0, "$36,732.80 – $57,824.00")])

    found = restatements(claims, {"blog": "secondary"})

    assert [(d.outcome, d.queue) for d in found] == [("intra-source", "open")]
    assert "prose gives mean $50,793.60, a figure its own table does not hold" in found[0].explanation


def test_a_table_of_other_percentiles_does_not_contradict_the_prose():
    from pipeline.reconcile import restatements

    table = [("p25", 40050.0, None, None, "$40,050"), ("median", 50250.0, None, None, "$50,250"),
             ("p75", 62300.0, None, None, "$62,300")]
    agreeing = _page_claims([("p10", 35100.0, None, None, "$35,100"),
                             ("p90", 77450.0, None, None, "$77,450"),
                             ("median", 50250.0, None, None, "$50,250")], table)
    differing = _page_claims([("median", 48000.0, None, None, "$48,000")], table)

    restating = _page_claims([("unspecified", 50250.0, None, None, "$50,250"),
                              ("mean", 50250.0, None, None, "$50,250")],
                             [("median", 50250.0, None, None, "$50,250"),
                              ("range", None, 36000.0, 70000.0, "$36,000 – $70,000")])

    assert restatements(agreeing, {"blog": "secondary"}) == []
    assert restatements(restating, {"blog": "secondary"}) == []  # any row's figure agrees
    assert [d.outcome for d in restatements(differing, {"blog": "secondary"})] == [
        "intra-source"]


def test_a_discrepancy_decided_without_a_figure_does_not_ask_for_a_decision(project,
                                                                            monkeypatch):
    monkeypatch.chdir(project)
    run = refresh(project / "raw" / "sources.yaml")
    d = next(d for d in run.reconciliation.discrepancies
             if d.outcome == "intra-source" and d.proposed is None)
    assert cli(project, "decide", d.discrepancy_id, "--not-a-conflict",
               "--reason", "the prose averages another population").exit_code == 0

    assert cli(project, "refresh").exit_code == 0

    report = (project / "reports" / "discrepancies.md").read_text(encoding="utf-8")
    section = report.split(f"`{d.discrepancy_id}` · **", 1)[1].split("\n### ", 1)[0]
    assert "Resolution: none — the analysts' decision settles it without choosing one figure" \
        in section and "an analyst must decide" not in section
    assert "Decision: not-a-conflict — “the prose averages another population”" in section
    view = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "the analysts&#39; decision settles it" in view or \
        "the analysts' decision settles it" in view


def test_a_mistyped_discrepancy_in_decisions_yaml_needs_review_and_names_the_near_one(project):
    run = refresh(project / "raw" / "sources.yaml")
    d = discrepancy(run, **US_MEDIAN)
    typo = d.discrepancy_id[:-1] + ("0" if d.discrepancy_id[-1] != "0" else "1")
    (project / "decisions.yaml").write_text(
        f"decisions:\n  - discrepancy: {typo}\n    action: not-a-conflict\n"
        "    reason: the pages measure different things\n    author: analyst\n"
        f"    date: 2026-12-01\n    evidence: {d.evidence}\n", encoding="utf-8")

    [result] = refresh(project / "raw" / "sources.yaml",
                       decisions=project / "decisions.yaml").reconciliation.decisions

    assert result.status == "needs-review"
    assert result.why == ("the discrepancy is not among this run's: the claims behind it "
                          f"changed, or its id is mistyped (did you mean {d.discrepancy_id}?)")


@pytest.mark.parametrize("action, settled", [("not-a-conflict", True), ("split", True),
                                             ("deprecate", False), ("prefer", False)])
def test_only_a_decision_that_keeps_every_figure_settles_a_discrepancy_without_one(action,
                                                                                   settled):
    from pipeline.decisions import Decision, DecisionResult
    from pipeline.reconcile import Discrepancy
    from pipeline.report import RULES, no_resolution

    decision = Decision("d-1", action, "why", "analyst", "2026-12-01", "e", "seed-002")
    for status in ("applied", "needs-review"):
        d = Discrepancy("d-1", ("29-2072",), "conflict", "high", "decided", "", (), None,
                        "none", "e", (DecisionResult(decision, status),))
        assert (no_resolution(d) != RULES["none"]) == (settled and status == "applied")


def test_decide_takes_a_range_as_the_report_shows_it_and_refuses_a_repeat_spelt_otherwise(
        project, monkeypatch):
    from pipeline.reconcile import is_restatement
    from pipeline.report import fact_value, figure_of

    monkeypatch.chdir(project)
    run = refresh(project / "raw" / "sources.yaml")
    d, reading = next((d, r) for d in run.reconciliation.discrepancies if not is_restatement(d)
                      for c in d.clusters for r in c.readings
                      if r.claim.low is not None and r.claim.high is not None
                      and figure_of(r) != r.claim.figure)

    for shown in (figure_of(reading), fact_value(reading)):
        result = cli(project, "decide", d.discrepancy_id, "--deprecate", shown, "--reason", "x")
        assert result.exit_code == (0 if shown == figure_of(reading) else 2), result.output
    assert "already has deprecate" in result.output  # the same figure, spelt as the report does
    replaced = cli(project, "decide", d.discrepancy_id, "--not-a-conflict", "--replace",
                   "--reason", "one population")
    assert "--replace: no recorded decision it contradicts" in replaced.output


def test_a_page_s_prose_against_its_table_takes_no_prefer_or_deprecate(project, monkeypatch):
    from pipeline.reconcile import RESTATEMENT_DECISIONS, is_restatement

    monkeypatch.chdir(project)
    run = refresh(project / "raw" / "sources.yaml")
    d = next(d for d in run.reconciliation.discrepancies if is_restatement(d))
    claim = d.clusters[0].readings[0].claim

    refused = cli(project, "decide", d.discrepancy_id, "--prefer", claim.claim_id,
                  "--reason", "the prose is right")
    assert refused.exit_code == 2 and "no figure of it can be preferred" in refused.output
    # written by hand, it is not applied silently: it needs review
    (project / "decisions.yaml").write_text(
        f"decisions:\n  - discrepancy: {d.discrepancy_id}\n    action: prefer\n"
        f"    target: {claim.claim_id}\n    reason: the prose is right\n    author: analyst\n"
        f"    date: 2026-12-01\n    evidence: {d.evidence}\n", encoding="utf-8")
    [result] = refresh(project / "raw" / "sources.yaml",
                       decisions=project / "decisions.yaml").reconciliation.decisions
    assert (result.status, result.why) == ("needs-review", RESTATEMENT_DECISIONS)
    assert cli(project, "decide", d.discrepancy_id, "--not-a-conflict", "--replace",
               "--reason", "two populations").exit_code == 0
