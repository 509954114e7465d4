"""Analysts' decisions: they name one figure, they combine, they leave the queue, and a
refresh says when one needs review. CLI tests run on a copy of the seed project."""
from __future__ import annotations

import csv
import io
import json
import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.decisions import Decision, load_decisions
from pipeline.reconcile import KEY_FIELDS, apply_decisions, clusters_of, reading_of
from pipeline.refresh import refresh
from tests.conftest import REPO, copy_seed_project, stated_claim

US_MEDIAN = dict(occupation="29-2072", metric="wage", statistic="median", unit="USD/year",
                 geography="United States", level="")
MEDIAN_HISTORY = (b"soc,metric,statistic,unit,value,period\n"
                  b"29-2072,wage,median,USD/year,47180,2022\n"
                  b"29-2072,wage,median,USD/year,48780,2023\n"
                  b"29-2072,wage,median,USD/year,50250,2024\n")
"""A secondary table stating the median of three years: one source, three figures."""


def register_median_history(root: Path) -> None:
    import hashlib
    (root / "raw" / "median_history.csv").write_bytes(MEDIAN_HISTORY)
    registry = root / "raw" / "sources.yaml"
    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    document["sources"].append({
        "id": "median-history", "path": "median_history.csv",
        "sha256": hashlib.sha256(MEDIAN_HISTORY).hexdigest(), "retrieved": "2026-03-02",
        "title": "Medical Records Specialists median pay by year", "authority": "secondary",
        "occupation": "29-2072"})
    registry.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = copy_seed_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def cli(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args],
                              env={"GIT_AUTHOR_NAME": "Ada Analyst", **(env or {})})


def discrepancy(run, **key):
    [found] = [d for d in run.reconciliation.discrepancies
               if all(dict(zip(KEY_FIELDS, d.key))[k] == v for k, v in key.items())]
    return found


def rows(root: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((root / name).read_text(encoding="utf-8"))))


def median_fact(root: Path) -> dict:
    [row] = [r for r in rows(root, "curated/facts.csv")
             if all(r[k] == v for k, v in US_MEDIAN.items())]
    return row


def seed_run(root: Path):
    return refresh(root / "raw" / "sources.yaml", decisions=root / "decisions.yaml")


# --- a decision names one figure -----------------------------------------------------------

def readme_decide_commands() -> list[tuple[list[str], str]]:
    """The README's `careerfacts decide` command lines: (arguments, the comment after them)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = []
    for line in readme.splitlines():
        if line.strip().startswith(".venv/bin/careerfacts decide "):
            command, _, comment = line.partition("  # ")
            found.append((shlex.split(command)[1:], comment.strip()))
    return found


def test_the_readme_decision_example_resolves_the_median_to_50250(project):
    [args] = [args for args, comment in readme_decide_commands() if not comment]

    decided = cli(*args)
    refreshed = cli("refresh")

    assert decided.exit_code == 0, decided.output
    assert refreshed.exit_code == 0, refreshed.output
    fact = median_fact(project)
    assert (fact["value"], fact["period"], fact["rule"]) == ("50250", "2024", "analyst")


def test_the_readme_refused_decision_is_refused_as_it_says(project):
    [(args, comment)] = [(a, c) for a, c in readme_decide_commands() if c]
    assert comment.startswith("refused: ")

    result = cli(*args)

    assert result.exit_code == 2, result.output
    assert comment.removeprefix("refused: ") in result.output
    assert not (project / "decisions.yaml").exists()


def test_preferring_a_source_that_states_several_figures_is_a_usage_error(project):
    register_median_history(project)
    d = discrepancy(seed_run(project), **US_MEDIAN)
    table = {r.claim.claim_id: r.claim for c in d.clusters for r in c.readings
             if r.source_id == "median-history"}
    assert len(table) == 3  # 2022, 2023 and 2024

    result = cli("decide", d.discrepancy_id, "--prefer", "median-history", "--reason", "table")

    assert result.exit_code == 2, result.output
    assert "names 3 figures" in result.output
    for claim_id, claim in table.items():
        assert re.search(rf"{re.escape(claim.figure)} \({claim.period}\): median-history {claim_id}",
                         result.output), (claim_id, result.output)
    assert not (project / "decisions.yaml").exists()


def test_preferring_a_page_that_contradicts_itself_is_a_usage_error(project):
    d = discrepancy(seed_run(project), metric="wage", statistic="range", level="all")

    result = cli("decide", d.discrepancy_id, "--prefer", "seed-000", "--reason", "x")

    assert result.exit_code == 2, result.output
    assert "names 2 figures" in result.output
    assert len(re.findall(r"seed-000 c-[0-9a-f]{16}", result.output)) == 2


def test_a_claim_id_names_one_figure_even_of_a_source_stating_several(project):
    register_median_history(project)
    d = discrepancy(seed_run(project), **US_MEDIAN)
    [latest] = [r.claim for c in d.clusters for r in c.readings
                if r.source_id == "median-history" and r.claim.period == "2024"]

    assert cli("decide", d.discrepancy_id, "--prefer", latest.claim_id, "--reason", "x").exit_code == 0
    assert cli("refresh").exit_code == 0

    assert (median_fact(project)["value"], median_fact(project)["rule"]) == ("50250", "analyst")


def test_a_hand_written_prefer_of_a_source_with_several_figures_needs_review(project):
    register_median_history(project)
    d = discrepancy(seed_run(project), **US_MEDIAN)
    (project / "decisions.yaml").write_text(yaml.safe_dump({"decisions": [dict(
        discrepancy=d.discrepancy_id, action="prefer", target="median-history", reason="table",
        author="Ada", date="2026-03-02", evidence=d.evidence)]}), encoding="utf-8")

    [result] = seed_run(project).reconciliation.decisions

    assert result.status == "needs-review"
    assert "names 3 figures" in result.why and "prefer one claim id" in result.why


PAY_PAGE = b"Medical Records Specialists\n\nMedian annual wage: $50,250\nMedian hourly wage: $24.16\n"
"""A page stating its median both a year and an hour: two figures that agree."""


def test_preferring_a_source_stating_a_year_and_an_hour_figure_is_a_usage_error(
        project, careerfacts_register_page):
    careerfacts_register_page(project, "pay-page", "pay_page.txt", PAY_PAGE, occupation="29-2072",
                              authority="secondary")
    d = discrepancy(seed_run(project), **US_MEDIAN)
    mine = [r.claim for c in d.clusters for r in c.readings if r.source_id == "pay-page"]
    assert sorted(c.unit for c in mine) == ["USD/hour", "USD/year"]
    assert len({i for i, c in enumerate(d.clusters) for r in c.readings
                if r.source_id == "pay-page"}) == 1  # they agree: one cluster

    result = cli("decide", d.discrepancy_id, "--prefer", "pay-page", "--reason", "x")

    assert result.exit_code == 2, result.output
    assert "names 2 figures" in result.output and "an hour figure count as two" in result.output
    for claim in mine:
        assert f"pay-page {claim.claim_id}" in result.output
    assert not (project / "decisions.yaml").exists()
    year = next(c for c in mine if c.unit == "USD/year")
    assert cli("decide", d.discrepancy_id, "--prefer", year.claim_id, "--reason", "x").exit_code == 0


def test_a_hand_written_prefer_of_a_source_stating_a_year_and_an_hour_figure_needs_review():
    from pipeline.decisions import evidence_of
    claims = [stated_claim(50250, source="page", figure="$50,250"),
              stated_claim(24.16, source="page", figure="$24.16", unit="USD/hour",
                           precision=0.01),
              stated_claim(47180, source="other", figure="$47,180")]
    clusters = clusters_of([reading_of(c, "secondary") for c in claims])
    assert len(clusters) == 2
    evidence = evidence_of(claims)

    by_source = apply_decisions([_decision("prefer", "page", evidence)], evidence, clusters)
    by_claim = apply_decisions([_decision("prefer", claims[0].claim_id, evidence)], evidence,
                               clusters)

    assert by_source.results[0].status == "needs-review"
    assert "names 2 figures" in by_source.results[0].why
    assert by_claim.results[0].status == "applied"


# --- several decisions on one discrepancy -----------------------------------------------------

def test_two_deprecations_of_one_discrepancy_both_apply(project):
    d = discrepancy(seed_run(project), **US_MEDIAN)

    first = cli("decide", d.discrepancy_id, "--deprecate", "seed-002", "--reason", "old")
    second = cli("decide", d.discrepancy_id, "--deprecate", "seed-003", "--reason", "undated")

    assert first.exit_code == second.exit_code == 0, second.output
    decisions, problems = load_decisions(project / "decisions.yaml")
    assert [(x.action, x.target) for x in decisions] == [("deprecate", "seed-002"),
                                                          ("deprecate", "seed-003")]
    run = seed_run(project)
    assert [r.status for r in run.reconciliation.decisions] == ["applied", "applied"]
    ranks = run.reconciliation.ranks
    for source in ("seed-002", "seed-003"):
        claims = [r.claim.claim_id for c in d.clusters for r in c.readings if r.source_id == source]
        assert {ranks[i][1:] for i in claims} == {("deprecated", "analyst")}


def test_a_second_prefer_is_refused_unless_it_replaces_the_first(project):
    d = discrepancy(seed_run(project), **US_MEDIAN)
    assert cli("decide", d.discrepancy_id, "--prefer", "48780", "--reason", "a").exit_code == 0

    refused = cli("decide", d.discrepancy_id, "--prefer", "$50,250", "--reason", "b")
    replaced = cli("decide", d.discrepancy_id, "--prefer", "$50,250", "--reason", "b", "--replace")

    assert refused.exit_code == 2, refused.output
    assert "already has prefer 48780 (Ada Analyst," in refused_text(refused)
    assert "--replace" in refused.output
    assert replaced.exit_code == 0, replaced.output
    decisions, _ = load_decisions(project / "decisions.yaml")
    assert [(x.action, x.target) for x in decisions] == [("prefer", "$50,250")]


def refused_text(result) -> str:
    return " ".join(result.output.split())


def test_the_same_decision_twice_is_refused(project):
    d = discrepancy(seed_run(project), **US_MEDIAN)
    assert cli("decide", d.discrepancy_id, "--deprecate", "seed-002", "--reason", "a").exit_code == 0

    again = cli("decide", d.discrepancy_id, "--deprecate", "seed-002", "--reason", "a")

    assert again.exit_code == 2 and "already has deprecate seed-002" in again.output
    assert len(load_decisions(project / "decisions.yaml")[0]) == 1


def test_decide_json_prints_what_was_recorded(project):
    d = discrepancy(seed_run(project), **US_MEDIAN)
    assert cli("decide", d.discrepancy_id, "--prefer", "48780", "--reason", "a").exit_code == 0

    result = cli("decide", d.discrepancy_id, "--prefer", "$50,250", "--reason",
                 "the agency's latest release", "--replace", "--json")

    assert result.exit_code == 0, result.output
    recorded = json.loads(result.stdout)
    [decision] = load_decisions(project / "decisions.yaml")[0]
    assert recorded == {
        "exit_code": 0, "discrepancy_id": d.discrepancy_id, "action": "prefer",
        "target": "$50,250", "reason": "the agency's latest release", "author": "Ada Analyst",
        "date": decision.date, "evidence": decision.evidence,
        "file": str(project / "decisions.yaml"),
        "replaced": [{"action": "prefer", "target": "48780", "author": "Ada Analyst",
                      "date": decision.date}]}


@pytest.mark.parametrize("args, said", [
    (("d-000000000000", "--not-a-conflict"), "no discrepancy 'd-000000000000'"),
    (("{d}", "--deprecate", "seed-002"), "already has deprecate seed-002"),
], ids=["unknown-discrepancy", "repeated"])
def test_decide_json_reports_a_refusal_as_an_object_with_its_exit_code(project, args, said):
    d = discrepancy(seed_run(project), **US_MEDIAN)
    assert cli("decide", d.discrepancy_id, "--deprecate", "seed-002", "--reason", "a").exit_code == 0
    before = (project / "decisions.yaml").read_bytes()

    result = cli("decide", *(a.format(d=d.discrepancy_id) for a in args), "--reason", "a",
                 "--json")

    assert result.exit_code == 2, result.output
    refused = json.loads(result.stdout)
    assert refused["exit_code"] == 2 and said in refused["error"]
    assert (project / "decisions.yaml").read_bytes() == before
    assert "Traceback" not in result.output


def _decision(action: str, target: str, evidence: str) -> Decision:
    return Decision("d-0f6fb36664df", action, "why", "Ada", "2026-03-02", evidence, target)


def _clusters():
    claims = [stated_claim(47180, source="a", figure="$47,180"),
              stated_claim(48780, source="b", figure="$48,780"),
              stated_claim(50250, source="c", figure="$50,250")]
    return claims, clusters_of([reading_of(c, "secondary") for c in claims])


def test_contradicting_prefers_both_need_review():
    claims, clusters = _clusters()
    from pipeline.decisions import evidence_of
    evidence = evidence_of(claims)

    decided = apply_decisions([_decision("prefer", "a", evidence),
                               _decision("prefer", "c", evidence)], evidence, clusters)

    assert [r.status for r in decided.results] == ["needs-review", "needs-review"]
    assert decided.winner is None and decided.queue == "open"


def test_a_prefer_and_a_deprecate_of_one_figure_both_need_review():
    claims, clusters = _clusters()
    from pipeline.decisions import evidence_of
    evidence = evidence_of(claims)

    decided = apply_decisions([_decision("prefer", "$48,780", evidence),
                               _decision("deprecate", "b", evidence)], evidence, clusters)

    assert [r.status for r in decided.results] == ["needs-review", "needs-review"]
    assert "another decision deprecates (b)" in decided.results[0].why
    assert "another decision prefers ($48,780)" in decided.results[1].why
    assert decided.winner is None and decided.deprecated == frozenset()
    assert decided.queue == "open"


def test_a_prefer_of_a_value_contradicts_deprecating_a_source_that_states_it():
    from pipeline.decisions import evidence_of
    claims = [stated_claim(47180, source="official", figure="$47,180"),
              stated_claim(47180, source="page", figure="$47,180"),
              stated_claim(50250, source="latest", figure="$50,250")]
    clusters = clusters_of([reading_of(c, "secondary") for c in claims])
    evidence = evidence_of(claims)

    contradictory = apply_decisions([_decision("prefer", "$47,180", evidence),
                                     _decision("deprecate", "page", evidence)], evidence, clusters)
    compatible = apply_decisions([_decision("prefer", claims[0].claim_id, evidence),
                                  _decision("deprecate", "page", evidence)], evidence, clusters)

    assert [r.status for r in contradictory.results] == ["needs-review", "needs-review"]
    assert [r.status for r in compatible.results] == ["applied", "applied"]
    assert compatible.deprecated == {claims[1].claim_id}


def test_decide_refuses_to_deprecate_the_source_of_a_preferred_value(project):
    d = discrepancy(seed_run(project), **US_MEDIAN)
    assert cli("decide", d.discrepancy_id, "--prefer", "$47,180", "--reason", "a").exit_code == 0

    refused = cli("decide", d.discrepancy_id, "--deprecate", "seed-002", "--reason", "b")

    assert refused.exit_code == 2, refused.output
    assert "already has prefer $47,180" in refused_text(refused)
    assert "cannot be both preferred and deprecated" in refused_text(refused)
    assert [(x.action, x.target) for x in load_decisions(project / "decisions.yaml")[0]] == [
        ("prefer", "$47,180")]
    replaced = cli("decide", d.discrepancy_id, "--deprecate", "seed-002", "--reason", "b",
                   "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert [(x.action, x.target) for x in load_decisions(project / "decisions.yaml")[0]] == [
        ("deprecate", "seed-002")]


def test_contradictory_decisions_in_the_file_are_not_applied_and_support_nothing(project):
    d = discrepancy(seed_run(project), **US_MEDIAN)
    entries = [dict(discrepancy=d.discrepancy_id, action=action, target=target, reason="x",
                    author="Ada", date="2026-03-02", evidence=d.evidence)
               for action, target in (("prefer", "$47,180"), ("deprecate", "seed-002"))]
    (project / "decisions.yaml").write_text(yaml.safe_dump({"decisions": entries}),
                                            encoding="utf-8")

    result = cli("refresh")

    assert result.exit_code == 1, result.output
    assert "decisions      2 (0 applied, 2 needs-review)" in result.output
    fact = median_fact(project)
    assert (fact["value"], fact["rule"]) == ("50250", "primary-latest")
    assert "seed-002" not in fact["supporting_sources"]


def test_a_deprecated_source_is_not_among_the_supporting_sources(project):
    d = discrepancy(seed_run(project), **US_MEDIAN)
    [official] = [r.claim for c in d.clusters for r in c.readings
                  if r.source_id == "oews-national-2022" and r.claim.unit == "USD/year"]
    assert cli("decide", d.discrepancy_id, "--prefer", official.claim_id, "--reason", "a").exit_code == 0
    assert cli("decide", d.discrepancy_id, "--deprecate", "seed-002", "--reason", "b").exit_code == 0

    assert cli("refresh").exit_code == 0
    fact = median_fact(project)

    assert (fact["value"], fact["rule"], fact["chosen_claim_id"]) == (
        "47180", "analyst", official.claim_id)
    assert fact["supporting_sources"] == "oews-national-2022"


# --- decided discrepancies leave the queue; refreshes say what needs review ---------------------

def test_a_decided_discrepancy_leaves_the_open_queue(project):
    before = cli("refresh")
    d = discrepancy(seed_run(project), metric="education", level="")
    assert d.queue == "open"
    open_before = int(re.search(r"discrepancies\s+\d+ \((\d+) open", before.output).group(1))

    assert cli("decide", d.discrepancy_id, "--prefer", "postsecondary nondegree award",
               "--reason", "the agency's category").exit_code == 0
    after = cli("refresh")

    assert after.exit_code == 0, after.output
    assert re.search(rf"discrepancies\s+\d+ \({open_before - 1} open, 1 decided, ", after.output)
    assert {r["discrepancy_id"]: r["queue"] for r in rows(project, "curated/discrepancies.csv")}[
        d.discrepancy_id] == "decided"
    report = (project / "reports" / "discrepancies.md").read_text(encoding="utf-8")
    assert d.discrepancy_id not in section(report, "Open discrepancies")
    assert d.discrepancy_id in section(report, "Decided by analysts")


def section(report: str, title: str) -> str:
    """The text of a `## title` section of the report, up to the next `## ` heading."""
    start = report.index(f"\n## {title}")
    end = report.find("\n## ", start + 4)
    return report[start:end if end != -1 else None]


def test_a_decision_that_needs_review_changes_the_exit_code_and_the_summary(project):
    d = discrepancy(seed_run(project), **US_MEDIAN)
    (project / "decisions.yaml").write_text(yaml.safe_dump({"decisions": [dict(
        discrepancy=d.discrepancy_id, action="prefer", target="48780", reason="phone",
        author="Ada", date="2026-03-02", evidence="e-000000000000")]}), encoding="utf-8")

    result = cli("refresh")

    assert result.exit_code == 1, result.output
    assert "decisions      1 (0 applied, 1 needs-review)" in result.output
    assert "1 × decision-needs-review" in result.output
    assert [(r["code"], r["severity"]) for r in rows(project, "reports/problems.csv")] == [
        ("decision-needs-review", "warning")]


# --- who decides ---------------------------------------------------------------------------

def test_the_author_is_gits_user_name_when_user_is_unset(project, tmp_path):
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Grace Curator\n", encoding="utf-8")
    d = discrepancy(seed_run(project), **US_MEDIAN)

    result = CliRunner().invoke(main, ["decide", d.discrepancy_id, "--prefer", "48780",
                                       "--reason", "x"],
                                env={"USER": None, "LOGNAME": None, "GIT_AUTHOR_NAME": None,
                                     "GIT_CONFIG_GLOBAL": str(gitconfig),
                                     "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)})

    assert result.exit_code == 0, result.output
    assert load_decisions(project / "decisions.yaml")[0][0].author == "Grace Curator"


def test_the_author_is_the_login_without_git_user_name(project, tmp_path):
    import pwd
    import os
    d = discrepancy(seed_run(project), **US_MEDIAN)

    result = CliRunner().invoke(main, ["decide", d.discrepancy_id, "--prefer", "48780",
                                       "--reason", "x"],
                                env={"USER": None, "LOGNAME": None, "LNAME": None,
                                     "USERNAME": None, "GIT_AUTHOR_NAME": None,
                                     "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
                                     "HOME": str(tmp_path)})

    assert result.exit_code == 0, result.output
    assert load_decisions(project / "decisions.yaml")[0][0].author == pwd.getpwuid(os.getuid()).pw_name
