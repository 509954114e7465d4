"""The history of refreshes: each refresh records a run in curated/history/, and the
summary, `careerfacts diff` and `careerfacts history` say what changed between runs.

Unit tests build records and runs from claims stated directly; the CLI tests refresh a
copy of the seed project, add a page whose figure is stated plainly, and refresh again.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.history import (FORMAT, WHOLE_FORMAT, RunRecord, changes_between, latest_run,
                              load_runs, next_number, record_path, run_record)
from tests.conftest import copy_seed_project, run_from_claims, stated_claim

MEDIAN = dict(metric="wage", statistic="median", unit="USD/year")
NEW_PAGE = (b"Medical Records Specialists salary guide\n\n"
            b"Median annual wage: $52,000\n")


def record(number: int, **parts) -> RunRecord:
    return RunRecord(number, f"2026-11-30T1{number}:00:00Z", f"2026-11-30T1{number}:00:09Z",
                     0, **parts)


def fact(value: str, status: str = "resolved", sources=("seed-001",), rule="agreement"):
    return {"title": "wage · median · USD/year · United States", "value": value,
            "status": status, "rule": rule, "sources": list(sources)}


# --- what changed ---------------------------------------------------------------------------

def test_the_first_run_has_nothing_to_compare_with():
    changes = changes_between(None, record(1, facts={"f-1": fact("$50,250 a year")}))

    assert not changes
    assert changes.headline() == "the first recorded run: nothing to compare with"
    assert changes.lines() == []


def test_identical_runs_show_no_change():
    facts = {"f-1": fact("$50,250 a year")}

    changes = changes_between(record(1, facts=facts), record(2, facts=facts))

    assert not changes
    assert changes.headline() == "no change since run 1 (2026-11-30T11:00:00Z)"


def test_a_run_that_mended_a_problem_says_so_though_the_data_did_not_change():
    facts = {"f-1": fact("$50,250 a year")}
    broken = replace(record(1, facts=facts, counts={"problems": 1}), exit_code=1)

    changes = changes_between(broken, record(2, facts=facts, counts={"problems": 0}))

    assert not changes
    assert changes.headline() == ("no change since run 1 (2026-11-30T11:00:00Z) in the data; "
                                  "exit code 1 → 0; problems 1 → 0")


def test_facts_added_removed_and_changed_in_value_status_rule_or_sources():
    before = record(1, facts={"f-gone": fact("9%"), "f-same": fact("$1"),
                              "f-value": fact("$48,780 a year", "single-source",
                                              rule="single-source"),
                              "f-source": fact("7.1%", sources=("a",))})
    after = record(2, facts={"f-new": fact("14,200"), "f-same": fact("$1"),
                             "f-value": fact("$50,250 a year", "resolved",
                                             rule="primary-latest"),
                             "f-source": fact("7.1%", sources=("a", "b"))})

    changes = changes_between(before, after)

    assert [(c.change, c.fact_id) for c in changes.facts] == [
        ("added", "f-new"), ("removed", "f-gone"), ("changed", "f-source"),
        ("changed", "f-value")]
    value = next(c for c in changes.facts if c.fact_id == "f-value")
    assert value.details() == ["value $48,780 a year → $50,250 a year",
                               "status single-source → resolved",
                               "rule single-source → primary-latest"]
    assert next(c for c in changes.facts if c.fact_id == "f-source").details() == ["sources +b"]
    assert changes.headline() == ("since run 1 (2026-11-30T11:00:00Z): 1 fact added, "
                                  "1 fact removed, 2 facts changed")


def test_discrepancies_opened_closed_and_changed_with_their_pages_and_official_sources():
    sources = {"page": {"authority": "secondary"}, "bls": {"authority": "primary"},
               "oews": {"authority": "primary"}}

    def d(outcome, severity, queue, *ids):
        return {"title": "wage · median", "outcome": outcome, "severity": severity,
                "queue": queue, "sources": list(ids)}

    before = record(1, sources=sources, discrepancies={
        "d-closed": d("intra-source", "medium", "open", "page"),
        "d-moved": d("stale", "low", "explained", "bls", "oews")})
    after = record(2, sources=sources, discrepancies={
        "d-moved": d("conflict", "high", "open", "bls", "oews", "page"),
        "d-opened": d("categorical", "medium", "open", "page", "bls")})

    changes = changes_between(before, after)

    assert [line.split()[:3] for line in changes.lines()] == [
        ["discrepancy", "opened", "d-opened"], ["discrepancy", "closed", "d-closed"],
        ["discrepancy", "changed", "d-moved"]]
    moved = changes.discrepancies[-1]
    assert moved.line() == ("d-moved stale (low, explained) → conflict (high, open): "
                            "wage · median — page; 2 official sources")


def test_sources_added_removed_and_recaptured_under_the_same_id():
    before = record(1, sources={"a": {"sha256": "1", "path": "raw/a.txt", "title": "A"},
                                "b": {"sha256": "2", "path": "raw/b.txt", "title": "B"}})
    after = record(2, sources={"a": {"sha256": "9", "path": "raw/a.txt", "title": "A"},
                               "c": {"sha256": "3", "path": "raw/c.txt", "title": "C"}})

    changes = changes_between(before, after)

    assert [(c.change, c.source_id) for c in changes.sources] == [
        ("added", "c"), ("removed", "b"), ("changed", "a")]
    assert changes.as_dict()["sources"][0] == {"change": "added", "source_id": "c",
                                               "path": "raw/c.txt", "title": "C"}


# --- the record of a run ----------------------------------------------------------------------

def test_a_run_record_holds_its_facts_discrepancies_sources_and_inputs():
    claims = [stated_claim(48780, source="bls", figure="$48,780", period="2023",
                           stated_in="OEWS May 2023", **MEDIAN),
              stated_claim(50250, source="bls", figure="$50,250", period="2024",
                           stated_in="OEWS May 2024", **MEDIAN),
              stated_claim(48780, source="page", figure="$48,780", **MEDIAN)]
    run = run_from_claims(claims, {"bls": "primary", "page": "secondary"})

    made = run_record(run, 3, "2026-11-30T10:00:00Z", "2026-11-30T10:00:04Z", 0,
                      {"registry": "ab" * 32, "decisions": ""})

    [(fact_id, state)] = made.facts.items()
    assert fact_id == run.reconciliation.facts[0].fact_id
    assert state["value"] == "$50,250 a year" and state["status"] == "resolved"
    assert state["rule"] == "primary-latest" and state["release"] == "OEWS May 2024"
    assert state["sources"] == ["bls", "page"]
    [(discrepancy_id, found)] = made.discrepancies.items()
    assert (found["outcome"], found["severity"], found["queue"]) == ("stale", "low", "explained")
    assert made.sources["page"]["authority"] == "secondary"
    assert made.counts["facts"] == 1 and made.counts["explained"] == 1
    assert made.inputs == {"registry": "ab" * 32, "decisions": ""}
    assert made.path == "curated/history/run-0003.json"
    assert RunRecord.from_json(made.as_json()) == made


TEXT = st.text(max_size=12)


@settings(max_examples=60, deadline=None)
@given(number=st.integers(1, 10**6), exit_code=st.integers(0, 3),
       facts=st.dictionaries(TEXT, st.fixed_dictionaries(
           {"title": TEXT, "value": TEXT, "status": TEXT, "sources": st.lists(TEXT)}),
           max_size=4),
       counts=st.dictionaries(TEXT, st.integers(0, 10**6), max_size=4))
def test_a_record_reads_back_as_it_was_written(number, exit_code, facts, counts):
    made = RunRecord(number, "2026-11-30T10:00:00Z", "2026-11-30T10:00:01Z", exit_code,
                     counts=counts, facts=facts)

    assert RunRecord.from_json(made.as_json()) == made


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=200),
                 st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                              lambda inner: st.lists(inner, max_size=3)
                              | st.dictionaries(TEXT, inner, max_size=3),
                              max_leaves=8).map(lambda v: json.dumps(v).encode())))
def test_a_damaged_record_is_a_value_error_never_another_exception(data):
    try:
        RunRecord.from_json(data)
    except ValueError:
        pass


def test_an_unreadable_record_is_a_warning_and_its_number_is_never_reused(tmp_path):
    folder = tmp_path / "curated" / "history"
    folder.mkdir(parents=True)
    (tmp_path / record_path(1)).write_bytes(record(1).as_json())
    (tmp_path / record_path(2)).write_bytes(b"{ half a record")
    (tmp_path / record_path(3)).write_bytes(record(4).as_json())  # misnamed

    runs, problems = load_runs(tmp_path)

    assert [r.run for r in runs] == [1]
    assert [(p.code, p.path, p.severity) for p in problems] == [
        ("history-unreadable", "curated/history/run-0002.json", "warning"),
        ("history-unreadable", "curated/history/run-0003.json", "warning")]
    assert "records run 4, not 3" in problems[1].message
    assert next_number(tmp_path) == 4


# --- the command line -----------------------------------------------------------------------

def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def register(root: Path, source_id: str, name: str, data: bytes) -> None:
    (root / "raw" / name).write_bytes(data)
    registry = root / "raw" / "sources.yaml"
    document = yaml.safe_load(registry.read_text(encoding="utf-8"))
    document["sources"].append({"id": source_id, "path": name,
                                "sha256": hashlib.sha256(data).hexdigest(),
                                "retrieved": "2026-11-30", "title": "Salary guide",
                                "authority": "secondary", "occupation": "29-2072"})
    registry.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, object, object]:
    """A copy of the seed project refreshed, then refreshed again once a page stating a
    median of $52,000 (no release's) is added: (root, first result, second result)."""
    root = copy_seed_project(tmp_path_factory.mktemp("history") / "project")
    first = cli("--project", root, "refresh")
    register(root, "salary-guide", "salary_guide.txt", NEW_PAGE)
    second = cli("--project", root, "refresh")
    return root, first, second


MEDIAN_TITLE = "wage · median · USD/year · United States (Medical Records Specialists, SOC 29-2072)"


def test_each_refresh_records_a_run(two_runs):
    root, first, second = two_runs

    assert first.exit_code == second.exit_code == 0, second.output
    assert "run            1 recorded (curated/history/run-0001.json); the first recorded run" \
        in first.output
    runs, problems = load_runs(root)
    assert [r.run for r in runs] == [1, 2] and problems == []
    assert runs[1].sources["salary-guide"]["sha256"] == hashlib.sha256(NEW_PAGE).hexdigest()
    assert runs[1].inputs["registry"] == hashlib.sha256(
        (root / "raw" / "sources.yaml").read_bytes()).hexdigest()
    assert runs[1].counts["sources"] == runs[0].counts["sources"] + 1


def test_the_refresh_after_adding_a_page_reports_the_page_and_the_facts_it_changed(two_runs):
    _, _, second = two_runs
    output = second.output

    assert re.search(r"^run            2 recorded \(curated/history/run-0002\.json\); since "
                     r"run 1 \(.*\): 1 source added, 1 fact changed, 1 discrepancy changed$",
                     output, re.MULTILINE), output
    assert "  source added         salary-guide (raw/salary_guide.txt): Salary guide" in output
    [fact_line] = [line for line in output.splitlines() if line.startswith("  fact changed")]
    assert MEDIAN_TITLE in fact_line and fact_line.endswith("sources +salary-guide")
    [moved] = [line for line in output.splitlines()
               if line.startswith("  discrepancy changed")]
    assert "stale (low, explained) → conflict (high, open)" in moved
    assert "salary-guide" in moved


def test_diff_prints_what_the_refresh_said(two_runs):
    root, _, second = two_runs

    result = cli("--project", root, "diff")
    explicit = cli("--project", root, "diff", "1", "2")

    assert result.exit_code == 0, result.output
    assert result.output == explicit.output
    changes = [line.strip() for line in result.output.splitlines()[1:]]
    said = [line.strip() for line in second.output.splitlines()
            if line.startswith("  ") and re.match(r"\s+(source|fact|discrepancy) ", line)]
    assert changes == said
    assert result.output.startswith("run 2 (")


def test_diff_backwards_and_as_json(two_runs):
    root, _, _ = two_runs

    backwards = cli("--project", root, "diff", "2", "1")
    as_json = cli("--project", root, "diff", "--json")

    assert "source removed       salary-guide" in backwards.output
    found = json.loads(as_json.output)
    assert found["before"]["run"] == 1 and found["after"]["run"] == 2
    assert [s["source_id"] for s in found["sources"]] == ["salary-guide"]
    assert [f["title"] for f in found["facts"]] == [MEDIAN_TITLE]
    assert found["discrepancies"][0]["after"] == {"outcome": "conflict", "severity": "high",
                                                  "queue": "open"}


def test_diff_reads_whole_only_the_records_it_compares(tmp_path, monkeypatch):
    import pipeline.history

    (tmp_path / "curated" / "history").mkdir(parents=True)
    for number in range(1, 6):
        made = record(number, facts={"f-1": fact(f"${number}")})
        (tmp_path / made.path).write_bytes(made.as_json())
    whole, real = [], pipeline.history._parsed
    monkeypatch.setattr(pipeline.history, "_parsed",
                        lambda data: whole.append(b'"facts"' in data) or real(data))

    compared = cli("--project", tmp_path, "diff", "2", "4")
    read_whole = sum(whole)
    latest = cli("--project", tmp_path, "diff")

    assert compared.exit_code == latest.exit_code == 0, compared.output
    assert "fact changed         f-1" in compared.output and "$2 → $4" in compared.output
    assert read_whole == 2 and sum(whole) == 4  # runs 2 and 4, then 5 and 4
    assert latest.output.startswith("run 5 (") and "$4 → $5" in latest.output
    (tmp_path / record_path(5)).write_bytes(record(5, facts={"f-1": fact("$5")}).based(
        record(1, facts={"f-1": fact("$5")})).as_json())
    (tmp_path / record_path(1)).unlink()  # run 5 is based on it: it cannot be read
    itself = cli("--project", tmp_path, "diff", "4")
    assert itself.exit_code == 2 and "run 4 is the latest whose record can be read" in \
        itself.output


def test_diff_of_a_run_with_itself_is_a_usage_error(two_runs):
    root, _, _ = two_runs

    result = cli("--project", root, "diff", "2", "2")
    latest = cli("--project", root, "diff", "2")

    assert result.exit_code == 2 and "give two different runs" in result.output
    assert latest.exit_code == 2 and "run 2 is the latest" in latest.output


def test_diff_of_a_run_not_recorded_is_a_usage_error(two_runs):
    root, _, _ = two_runs

    result = cli("--project", root, "diff", "7")

    assert result.exit_code == 2
    assert "[history-run-unknown]" in result.output and "runs 1–2 recorded" in result.output
    assert "Traceback" not in result.output


def test_diff_without_history_and_with_one_run(tmp_path):
    root = copy_seed_project(tmp_path / "project")

    none = cli("--project", root, "diff")
    assert none.exit_code == 2 and "no run is recorded" in none.output
    assert cli("--project", root, "refresh").exit_code == 0
    one = cli("--project", root, "diff")

    assert one.exit_code == 0
    assert one.output.startswith("run 1 (") and "the first recorded run" in one.output


def test_history_lists_the_runs(two_runs):
    root, _, _ = two_runs

    table = cli("--project", root, "history")
    lines = cli("--project", root, "history", "--json")

    assert table.exit_code == 0
    assert [line.split()[0] for line in table.output.splitlines()] == ["run", "1", "2"]
    runs = [json.loads(line) for line in lines.output.splitlines()]
    assert [(r["run"], r["exit_code"]) for r in runs] == [(1, 0), (2, 0)]


def test_refresh_json_says_which_run_it_recorded_and_what_changed(tmp_path):
    root = copy_seed_project(tmp_path / "project")
    assert cli("--project", root, "refresh").exit_code == 0
    register(root, "salary-guide", "salary_guide.txt", NEW_PAGE)

    result = cli("--project", root, "refresh", "--json")

    summary = json.loads(result.output)
    assert summary["run"]["number"] == 2
    assert summary["run"]["record"] == "curated/history/run-0002.json"
    assert [s["source_id"] for s in summary["run"]["changes"]["sources"]] == ["salary-guide"]
    assert "curated/history/run-0002.json" in summary["outputs"]["changed"]


def test_an_unreadable_record_is_reported_and_the_refresh_goes_on(tmp_path):
    root = copy_seed_project(tmp_path / "project")
    assert cli("--project", root, "refresh").exit_code == 0
    (root / record_path(2)).write_text("not json", encoding="utf-8")

    result = cli("--project", root, "refresh")

    assert result.exit_code == 0, result.output
    assert "warning [history-unreadable]" in result.output
    assert "curated/history/run-0002.json" in result.output
    assert "run            3 recorded" in result.output
    assert "no change since run 1" in result.output


# --- a no-op refresh's record -----------------------------------------------------------------

_plain = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8),
                                st.floats(allow_nan=False, allow_infinity=False)),
                      lambda inner: st.one_of(st.lists(inner, max_size=3),
                                              st.dictionaries(st.text(max_size=6), inner,
                                                              max_size=3)),
                      max_leaves=12)
_mapping = st.dictionaries(st.text(max_size=8), _plain, max_size=4)


@settings(max_examples=150, deadline=None)
@given(_mapping, _mapping, _mapping, _mapping, _mapping, st.one_of(st.none(), st.integers(1, 6)),
       st.text(max_size=25), st.integers(0, 3))
def test_a_repeat_s_file_holds_its_header_and_reads_back_with_the_repeated_run(
        inputs, counts, sources, facts, discrepancies, repeats, started, code):
    from pipeline.history import RunRecord

    latest = RunRecord(7, "2026-11-30T10:00:00Z", "2026-11-30T10:01:00Z", code, inputs, counts,
                       sources, facts, discrepancies, repeats)

    record, data = RunRecord.from_json(latest.as_json()).repeated(8, started, "\u2028\n\"t\"")

    assert record.repeats == (repeats or 7) and (record.run, record.started) == (8, started)
    assert (record.sources, record.facts, record.discrepancies) == (sources, facts, discrepancies)
    header = json.loads(data)
    assert not {"sources", "facts", "discrepancies"} & header.keys()
    assert RunRecord.from_json(data).repeat_of(latest) == record


def test_a_no_op_refresh_records_its_header_and_history_and_diff_read_the_run_it_repeats(
        tmp_path):
    root = copy_seed_project(tmp_path / "project")
    assert cli("--project", root, "refresh").exit_code == 0
    for latest in (1, 2):  # nothing changed: each ran nothing and repeats run 1
        assert f"no change since run {latest}" in cli("--project", root, "refresh").output

    full = (root / record_path(1)).stat().st_size
    for number in (2, 3):
        document = json.loads((root / record_path(number)).read_bytes())
        assert document["repeats"] == 1 and document["format"] == WHOLE_FORMAT
        assert not {"sources", "facts", "discrepancies"} & document.keys()
        assert (root / record_path(number)).stat().st_size < min(1000, full)
        assert (root / record_path(number)).stat().st_mode & 0o777 == \
            (root / record_path(1)).stat().st_mode & 0o777 == 0o644
    runs, problems = load_runs(root)
    assert problems == [] and [r.run for r in runs] == [1, 2, 3]
    assert runs[0].facts and all(r.facts is runs[0].facts for r in runs)  # read once
    assert runs[2].counts == runs[0].counts and runs[2].sources == runs[0].sources
    result = cli("--project", root, "diff", "1", "3")
    assert result.exit_code == 0 and "run 3 (" in result.output
    assert "no change since run 1" in result.output
    listed = cli("--project", root, "history")
    assert listed.exit_code == 0 and len(listed.output.splitlines()) == 4
    assert [line.split()[-2:] for line in listed.output.splitlines()[2:]] == [
        ["run", "1"], ["run", "1"]]
    as_json = [json.loads(line) for line in cli("--project", root, "history", "--json").output
               .splitlines()]
    assert [r["repeats"] for r in as_json] == [None, 1, 1]


def test_a_repeat_whose_run_s_record_is_gone_is_unreadable_and_says_which_it_needs(tmp_path):
    folder = tmp_path / "curated" / "history"
    folder.mkdir(parents=True)
    first = record(1, facts={"f-1": fact("$48,780 a year")}, sources={"seed-001": {}})
    repeat, data = first.repeated(2, "2026-11-30T11:00:00Z", "2026-11-30T11:00:01Z")
    (tmp_path / record_path(2)).write_bytes(data)
    (tmp_path / record_path(3)).write_bytes(record(3).as_json())

    runs, problems = load_runs(tmp_path)

    assert [r.run for r in runs] == [3]
    assert [(p.code, p.path) for p in problems] == [
        ("history-unreadable", "curated/history/run-0002.json")]
    assert "it repeats run 1, whose record holds its facts and cannot be read" in \
        problems[0].message
    (tmp_path / record_path(1)).write_bytes(first.as_json())
    assert load_runs(tmp_path) == ([first, repeat, record(3)], [])


def test_a_refresh_that_changed_nothing_reads_a_repeat_s_header_only_but_needs_its_run(
        tmp_path):
    from pipeline.analyst import recorded_unchanged_run

    (tmp_path / "curated" / "history").mkdir(parents=True)
    first = record(1, facts={"f-1": fact("$48,780 a year")}, counts={"facts": 1})
    (tmp_path / record_path(1)).write_bytes(first.as_json())
    for number in (2, 3):
        made, changes, problems = recorded_unchanged_run(tmp_path, f"2026-11-30T1{number}:00Z")
        assert (made.run, made.repeats, made.counts, problems) == (number, 1, {"facts": 1}, [])
        assert changes.headline() == f"no change since run {number - 1} (" + (
            "2026-11-30T11:00:00Z)" if number == 2 else "2026-11-30T12:00Z)")
    latest, _ = latest_run(tmp_path, content=False)
    assert (latest.run, latest.repeats, latest.facts) == (3, 1, {})
    assert latest_run(tmp_path)[0].facts == first.facts

    (tmp_path / record_path(1)).unlink()
    made, changes, problems = recorded_unchanged_run(tmp_path, "2026-11-30T14:00Z")
    assert made is None and changes is None  # nothing to repeat: no record is written
    assert [p.path for p in problems] == [record_path(2), record_path(3)]
    assert "it repeats run 1, whose record holds its facts and is not there" in \
        problems[0].message


# --- records based on a whole one ----------------------------------------------------------

def whole_and_next(tmp_path) -> tuple[RunRecord, RunRecord]:
    """Run 1's whole record (twenty facts) written, and run 2's, which changes one fact,
    removes one and adds one, written based on it."""
    (tmp_path / "curated" / "history").mkdir(parents=True, exist_ok=True)
    whole = record(1, facts={f"f-{n}": fact(f"${n}") for n in range(20)},
                   sources={"seed-001": {"sha256": "ab", "path": "raw/a.txt"}})
    facts = {**whole.facts, "f-0": fact("$99"), "f-20": fact("$20")}
    del facts["f-1"]
    later = record(2, facts=facts, sources=whole.sources).based(whole)
    for r in (whole, later):
        (tmp_path / r.path).write_bytes(r.as_json())
    return whole, later


def test_a_run_that_changed_a_few_entries_is_recorded_as_its_differences_and_read_whole(
        tmp_path):
    whole, later = whole_and_next(tmp_path)

    document = json.loads((tmp_path / later.path).read_bytes())
    assert document["based_on"] == 1 and document["sources"] == {}
    assert document["format"] == FORMAT == 3
    assert document["facts"] == {"f-0": fact("$99"), "f-1": None, "f-20": fact("$20")}
    # a whole record is laid out as before layout 3, for the careerfacts before it
    assert (tmp_path / whole.path).read_bytes() == whole.as_json()
    assert "based_on" not in json.loads(whole.as_json()) and \
        json.loads(whole.as_json())["format"] == WHOLE_FORMAT
    runs, problems = load_runs(tmp_path)
    assert runs == [whole, later] and problems == []
    assert sorted(runs[1].facts) == sorted(set(whole.facts) - {"f-1"} | {"f-20"})
    assert latest_run(tmp_path) == (later, [])
    assert [line.split()[:2] for line in changes_between(*runs).lines()] == [
        ["fact", "added"], ["fact", "removed"], ["fact", "changed"]]


def test_the_next_run_is_based_on_the_same_whole_record_not_on_a_chain(tmp_path):
    whole, later = whole_and_next(tmp_path)
    latest, _ = latest_run(tmp_path)
    (tmp_path / record_path(3)).write_bytes(latest.repeated(3, "t0", "t1")[1])

    latest, _ = latest_run(tmp_path)  # a repeat of run 2, which is based on run 1
    third = record(4, facts={**later.facts, "f-2": fact("$7")}, sources=later.sources)
    third = third.based(latest.whole())
    (tmp_path / third.path).write_bytes(third.as_json())

    assert third.based_on == 1 and latest.facts == later.facts
    assert json.loads((tmp_path / third.path).read_bytes())["facts"] == {
        "f-0": fact("$99"), "f-1": None, "f-2": fact("$7"), "f-20": fact("$20")}
    runs, problems = load_runs(tmp_path)
    assert [r.run for r in runs] == [1, 2, 3, 4] and problems == []
    assert runs[3] == third and runs[2].facts == later.facts


_ENTRIES = st.dictionaries(st.sampled_from([f"f-{n}" for n in range(12)]),
                           st.fixed_dictionaries({"value": TEXT, "sources": st.lists(TEXT)}),
                           max_size=12)


@settings(max_examples=150, deadline=None)
@given(before=_ENTRIES, after=_ENTRIES, sources=_ENTRIES)
def test_a_based_record_read_on_its_base_is_the_record_written(before, after, sources):
    whole = record(1, facts=before, sources=sources, discrepancies=sources)
    later = record(2, facts=after, sources=sources, discrepancies=sources)
    written = later.based(whole)
    read = RunRecord.from_json(written.as_json())

    if written.based_on is None:  # too many differences: written whole
        assert read == later
    else:
        assert read.on_base(whole) == written == replace(later, based_on=1)
        assert set(read.facts) == set(before) ^ set(after) | {
            k for k in set(before) & set(after) if before[k] != after[k]}


def test_a_run_that_changed_many_entries_is_recorded_whole():
    whole = record(1, facts={f"f-{n}": fact(f"${n}") for n in range(8)})
    changed = record(2, facts={f"f-{n}": fact(f"${n + 1}") for n in range(8)})

    assert changed.based(whole) is changed and changed.based(None) is changed
    assert "based_on" not in json.loads(changed.as_json())


def test_a_based_record_whose_whole_record_is_gone_is_unreadable_and_says_which_it_needs(
        tmp_path):
    whole, later = whole_and_next(tmp_path)
    (tmp_path / whole.path).unlink()

    runs, [unreadable] = load_runs(tmp_path)
    assert runs == [] and unreadable.path == later.path
    assert "it is based on run 1, whose record holds most of its facts and cannot be read " \
           "(the file is gone)" in unreadable.message
    assert latest_run(tmp_path) == (None, [unreadable])
    # its header is all a refresh that changed nothing needs: it repeats run 2, whose
    # outputs are published, not an older run
    header, problems = latest_run(tmp_path, content=False)
    assert header == later.header() and problems == []
    listed, [warning] = load_runs(tmp_path, content=False)
    assert listed == [later.header()] and warning.code == "history-base-unreadable"
    assert "holds its differences from run 1's, which is not there" in warning.message
    from pipeline.analyst import recorded_unchanged_run
    repeat, _, _ = recorded_unchanged_run(tmp_path, "2026-11-30T15:00:00Z")
    assert repeat.run == 3 and repeat.repeats == 2
    listing = cli("--project", tmp_path, "history")
    assert "  run 2" in listing.stdout and "(based on run 1)" in listing.stdout


def test_a_record_based_on_no_whole_record_or_on_a_later_run_is_unreadable(tmp_path):
    whole, later = whole_and_next(tmp_path)
    (tmp_path / record_path(3)).write_bytes(whole.repeated(3, "t0", "t1")[1])
    document = json.loads(later.as_json())
    document["run"], document["based_on"] = 4, 3  # based on a repeat
    (tmp_path / record_path(4)).write_text(json.dumps(document))

    runs, [unreadable] = load_runs(tmp_path)
    assert [r.run for r in runs] == [1, 2, 3] and unreadable.path == record_path(4)
    assert "it is based on run 3, whose record holds most of its facts, but that record " \
           "is not a whole one" in unreadable.message

    document = json.loads(later.as_json())
    document["based_on"] = 2
    with pytest.raises(ValueError, match="not an earlier one"):
        RunRecord.from_json(json.dumps(document).encode())


def test_a_refresh_that_changes_a_page_records_its_differences_only(two_runs):
    root, _, _ = two_runs
    first = (root / record_path(1)).stat().st_size
    document = json.loads((root / record_path(2)).read_bytes())

    assert document["based_on"] == 1 and list(document["sources"]) == ["salary-guide"]
    assert len(document["facts"]) == 1 and len(document["discrepancies"]) == 1
    assert (root / record_path(2)).stat().st_size < first / 2


def test_a_format_1_repeat_holds_its_own_copy_and_is_read_as_it_is(tmp_path):
    (tmp_path / "curated" / "history").mkdir(parents=True)
    copy = replace(record(4, facts={"f-1": fact("$1")}), repeats=2)  # format 1 spelt the repeated run's facts out
    (tmp_path / record_path(4)).write_bytes(copy.as_json().replace(f'"format": {WHOLE_FORMAT}'.encode(),
                                                                   b'"format": 1'))

    assert load_runs(tmp_path) == ([copy], [])


def in_a_newer_layout(made: RunRecord) -> bytes:
    """A record as a later careerfacts might write it: the layout after this one's, with
    a key this one does not know."""
    document = json.loads(made.as_json())
    document.update({"format": FORMAT + 1, "weights": {"f-1": 0.5}})
    return json.dumps(document).encode()


def test_a_record_of_a_newer_layout_is_read_with_one_warning_saying_to_upgrade(tmp_path):
    (tmp_path / "curated" / "history").mkdir(parents=True)
    first, second = record(1), record(2, facts={"f-1": fact("$50,250 a year")})
    (tmp_path / record_path(1)).write_bytes(first.as_json())
    (tmp_path / record_path(2)).write_bytes(in_a_newer_layout(second))
    for number in (3, 4):  # repeats of run 2: its record is read once, and warned of once
        (tmp_path / record_path(number)).write_bytes(
            second.repeated(number, "t0", "t1")[1])

    runs, problems = load_runs(tmp_path)

    assert [r.run for r in runs] == [1, 2, 3, 4] and runs[1] == second
    assert runs[3].facts == second.facts
    [warning] = problems
    assert (warning.code, warning.path, warning.severity) == (
        "history-newer-layout", "curated/history/run-0002.json", "warning")
    assert (f"its layout is version {FORMAT + 1}, and this careerfacts reads layouts up to "
            f"version {FORMAT}") in warning.line()
    assert "upgrade careerfacts" in warning.hint
    latest, problems = latest_run(tmp_path)
    assert latest.facts == second.facts and [p.code for p in problems] == [
        "history-newer-layout"]


def test_history_and_diff_warn_once_of_a_record_of_a_newer_layout(tmp_path):
    (tmp_path / "curated" / "history").mkdir(parents=True)
    (tmp_path / record_path(1)).write_bytes(record(1).as_json())
    (tmp_path / record_path(2)).write_bytes(in_a_newer_layout(record(2)))

    for result in (cli("--project", tmp_path, "history"), cli("--project", tmp_path, "diff")):
        assert result.exit_code == 0, result.output
        assert result.stderr.count("warning [history-newer-layout]") == 1, result.stderr
        assert "careerfacts: warning [history-newer-layout] curated/history/run-0002.json: " \
               f"its layout is version {FORMAT + 1}" in result.stderr


def test_an_older_layout_is_read_without_a_warning(tmp_path):
    (tmp_path / "curated" / "history").mkdir(parents=True)
    (tmp_path / record_path(1)).write_bytes(record(1).as_json().replace(f'"format": {WHOLE_FORMAT}'.encode(),
                                                                         b'"format": 1'))
    (tmp_path / record_path(2)).write_bytes(record(2).as_json().replace(f'  "format": {WHOLE_FORMAT},\n'.encode(),
                                                                         b""))

    assert load_runs(tmp_path) == ([record(1), record(2)], [])


def test_a_record_of_a_newer_layout_that_cannot_be_read_says_a_newer_careerfacts_wrote_it(
        tmp_path):
    (tmp_path / "curated" / "history").mkdir(parents=True)
    document = json.loads(in_a_newer_layout(record(1)))
    del document["started"]  # a later layout might name it otherwise
    (tmp_path / record_path(1)).write_text(json.dumps(document))

    runs, [unreadable] = load_runs(tmp_path)

    assert runs == [] and unreadable.code == "history-unreadable"
    assert (f"lacks 'started' (written by a newer careerfacts: layout {FORMAT + 1}, where "
            f"this one reads up to {FORMAT}; upgrade it)") in unreadable.message


@pytest.mark.parametrize("repeats", [5, 6])
def test_a_repeat_of_itself_or_a_later_run_is_unreadable_not_a_loop(tmp_path, repeats):
    (tmp_path / "curated" / "history").mkdir(parents=True)
    _, data = record(1).repeated(5, "t0", "t1")
    data = data.replace(b'"repeats": 1', b'"repeats": %d' % repeats)
    (tmp_path / record_path(5)).write_bytes(data)

    runs, problems = load_runs(tmp_path)

    assert runs == [] and f"it repeats run {repeats}, which is not an earlier one" in \
        problems[0].message


def test_a_damaged_run_is_parsed_once_however_many_repeats_name_it(tmp_path, monkeypatch):
    import pipeline.history as history

    (tmp_path / "curated" / "history").mkdir(parents=True)
    first = record(1, facts={"f-1": fact("$1")})
    (tmp_path / record_path(1)).write_bytes(first.as_json().replace(b'"run": 1', b'"run": 9'))
    for number in range(2, 7):
        (tmp_path / record_path(number)).write_bytes(first.repeated(number, "t0", "t1")[1])
    parsed = []
    real = history._parsed
    monkeypatch.setattr(history, "_parsed", lambda data: parsed.append(data) or real(data))

    runs, problems = load_runs(tmp_path)
    assert runs == [] and len(problems) == 6 and len(parsed) == 6  # run 1's file once
    assert all("it records run 9, not 1" in p.message for p in problems)
    parsed.clear()
    assert latest_run(tmp_path) == (None, problems) and len(parsed) == 6


@pytest.mark.parametrize("damage", ["torn", "deleted"])
def test_history_lists_a_repeat_whose_run_s_facts_cannot_be_read_and_diff_says_why(
        tmp_path, damage):
    (tmp_path / "curated" / "history").mkdir(parents=True)
    first = record(1, facts={"f-1": fact("$1")})
    (tmp_path / record_path(1)).write_bytes(first.as_json()[:-20])  # torn
    for number in (2, 3):
        (tmp_path / record_path(number)).write_bytes(first.repeated(number, "t0", "t1")[1])
    (tmp_path / record_path(4)).write_bytes(record(4).as_json())
    if damage == "deleted":
        (tmp_path / record_path(1)).unlink()

    listed = cli("--project", tmp_path, "history")
    compared = cli("--project", tmp_path, "diff", "2", "4")
    skipped = cli("--project", tmp_path, "diff", "5")

    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["run", "2", "3", "4"]
    assert listed.stderr.count("warning [history-repeat-unreadable]") == 2
    assert "run 2 ran nothing and repeats run 1, whose record (curated/history/run-0001.json)" \
        in listed.stderr
    assert ("the file is gone" if damage == "deleted" else "Unterminated string") in listed.stderr
    assert "Errno" not in listed.stderr + compared.output
    assert compared.exit_code == 2 and "run 2's record cannot be read: it repeats run 1" in \
        compared.output
    assert skipped.exit_code == 2 and "(runs 2–4 recorded)" in skipped.output


def test_duckdb_reads_the_history_as_the_docs_say(tmp_path, monkeypatch):
    """The query docs/analyst-view.md gives for the history, with a repeat among more
    full records than DuckDB samples for the columns."""
    import duckdb

    (tmp_path / "curated" / "history").mkdir(parents=True)
    runs = [record(n, facts={"f-1": fact(f"${n}")}, counts={"facts": 1, "open": 0})
            for n in range(1, 40)]
    for r in runs:
        (tmp_path / r.path).write_bytes(r.as_json())
    (tmp_path / record_path(40)).write_bytes(runs[-1].repeated(40, "t0", "t1")[1])
    query = (Path(__file__).parent.parent / "docs" / "analyst-view.md").read_text(
        encoding="utf-8").split("```sql\n")[-1].split("```")[0]
    monkeypatch.chdir(tmp_path)

    with duckdb.connect() as con:
        rows = con.execute(query).fetchall()
        (tmp_path / record_path(40)).unlink()  # a history of runs that all ran
        without = con.execute(query).fetchall()

    assert [(row[0], row[-1]) for row in rows[-2:]] == [(39, 39), (40, 39)]
    assert rows[-1][3:5] == (1, 0)
    assert without == rows[:-1]


_json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10),
              st.sampled_from(["\x00\x1f\x7f\"\\\n\t", "\u2028\u2029", "é€😀", "</script>"])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["run", "counts", "sources", "facts", "discrepancies",
                                        "inputs", "started", "repeats"]), _json_value))
def test_a_record_is_laid_out_byte_for_byte_as_the_json_module_lays_it_out(document):
    from pipeline.history import json_document

    expected = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert json_document(document) == expected.encode("utf-8")
