"""The official tables of a run: every release of every occupation, and the SOC
classifications, read once from the registered official files and cached.

    official_tables(captures, cache_dir) -> Official, problems

The files registered with `dataset:` (raw/official/) are read by extractors/official.py.
Their release rows are put on SOC 2018 codes here, so that a page about Medical Records
Specialists (29-2072) meets every release of its statistics:

| relation | the row was published as | example |
|---|---|---|
| `same` | this SOC 2018 code | 29-2072 in OEWS May 2024 |
| `crosswalk` | a SOC 2010 code that maps one-to-one to it | 47-2111 in May 2016 |
| `split` | a SOC 2010 occupation split since into several: a broader group | 29-2071 in May 2018, for 29-2072 and 29-9021 |
| `merged` | one of several SOC 2010 occupations merged since: a part | 15-1132 in May 2016, for 15-1252 |
| `hybrid` | an OEWS or EP combination naming it among others: a broader group | 29-2098 in May 2020 |
| `as-published` | a code no classification knows (an OEWS aggregate): kept as it is | 21-1018 |

The result is cached under `cache_dir/official-KEY/` as Parquet, KEY hashing the files'
sha256, the registry's dataset and period, and the reader version: a refresh whose
official files did not change reads no spreadsheet. `curated/releases.parquet` is a copy
of the cached releases table, one row per figure (see docs/data-contract.md).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extractors.document import DocumentError
from extractors.official import READER_VERSION, READERS, OfficialFileError, sheets
from pipeline.registry import Capture
from schemas.problems import Problem, problem

MAPPING_VERSION = "1"

RELEASE_COLUMNS = (
    "occupation", "occupation_title", "metric", "statistic", "unit", "geography", "release",
    "program", "period", "period_start", "period_end", "value", "low", "high", "value_text",
    "figure", "precision", "special", "note", "published_code", "published_title",
    "relation", "occupation_level", "pairs_with", "source_id", "locator",
)
"""The releases table (curated/releases.parquet): see RELEASE_INDEX."""

RELEASE_INDEX = ("occupation", "metric", "statistic", "unit", "geography", "release", "period",
                 "published_code")
"""What makes a row of the releases table unique. Without `published_code` a key repeats
only for `merged` rows: a SOC 2018 occupation that gathered parts of several SOC 2010
occupations gets one row per part (Project Management Specialists, 13-1082, holds
parts of 11-9199, 13-1199 and 15-1199 in OEWS May 2013: three employment rows, none of
them the occupation's own figure, so none is matched against)."""

COMPARABLE = ("same", "crosswalk", "split", "hybrid")
"""Relations whose figure is the release's figure for the occupation (a broader group
at worst); a `merged` part is only one of several figures of that release."""

RELEASE_DATASETS = ("oews-national", "ep-occupation")


@dataclass(frozen=True)
class SocEntry:
    code: str
    title: str
    level: str  # major | minor | broad | detailed
    parent: str


@dataclass
class Official:
    """The official tables: the releases (read from the cache on demand), the SOC 2018
    structure, the SOC 2010 -> 2018 crosswalk, and the titles for occupation resolution."""

    directory: Path | None = None  # the cache directory holding the Parquet files
    structure: dict[str, SocEntry] = field(default_factory=dict)
    crosswalk: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 2010 -> 2018 codes
    rows_per_source: dict[str, int] = field(default_factory=dict)
    _titles: object = None

    @property
    def releases_path(self) -> Path | None:
        path = self.directory / "releases.parquet" if self.directory else None
        return path if path and path.exists() else None

    def releases_of(self, occupations) -> list[dict]:
        """The release rows of these SOC codes, as dicts in the table's order.

        >>> Official().releases_of({"29-2072"})
        []
        """
        wanted = sorted(set(occupations))
        if not wanted or self.releases_path is None:
            return []
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        # a batch at a time, on this thread: reading the whole table to filter it took
        # a hundred MB or more, which the process kept
        codes = pa.array(wanted, pa.string())
        rows: list[dict] = []
        for batch in pq.ParquetFile(self.releases_path).iter_batches(batch_size=16_384,
                                                                     use_threads=False):
            rows += batch.filter(pc.is_in(batch.column("occupation"), value_set=codes)).to_pylist()
        return rows

    def title_of(self, code: str) -> str:
        entry = self.structure.get(code)
        return entry.title if entry else ""

    def titles(self) -> list[dict]:
        """Rows (soc, kind, title): SOC 2018 titles (kind soc-major … soc-detailed) and
        O*NET titles and alternate titles; read when a title has to be resolved."""
        if self._titles is None:
            path = self.directory / "titles.parquet" if self.directory else None
            if path and path.exists():
                import pyarrow.parquet as pq
                self._titles = pq.read_table(path).to_pylist()
            else:
                self._titles = [dict(soc=e.code, kind=f"soc-{e.level}", title=e.title)
                                for e in self.structure.values()]
        return self._titles  # type: ignore[return-value]


def official_captures(captures: list[Capture]) -> list[Capture]:
    return [c for c in captures if c.source.dataset]


def cache_key(captures: list[Capture]) -> str:
    """A hash of what the official tables are made from: each file's sha256, dataset and
    period, and the versions of the readers and of the mapping to SOC 2018."""
    parts = [f"reader={READER_VERSION}", f"mapping={MAPPING_VERSION}"]
    parts += sorted(f"{c.source.id}|{c.source.dataset}|{c.source.period}|{c.source.format}|"
                    f"{c.source.sha256}" for c in official_captures(captures))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def official_tables(captures: list[Capture], cache_dir: Path
                    ) -> tuple[Official, list[Problem]]:
    """The official tables of the registered official files, from the cache when their
    key is there, else read and cached. A file that cannot be read costs only its own
    rows (a problem names it)."""
    chosen = official_captures(captures)
    if not chosen:
        return Official(), []
    key = cache_key(chosen)
    directory = Path(cache_dir) / f"official-{key}"
    if (directory / "done.json").exists():
        return _load(directory)
    built, problems = _built(chosen)
    return _load(_publish(Path(cache_dir), key, built, problems))


@dataclass
class _Built:
    releases: list[dict]
    structure: list[dict]
    crosswalk: list[dict]
    titles: list[dict]
    rows_per_source: dict[str, int]


def _built(chosen: list[Capture]) -> tuple[_Built, list[Problem]]:
    problems: list[Problem] = []
    read: dict[str, list[tuple[Capture, list[dict]]]] = defaultdict(list)
    for capture in sorted(chosen, key=lambda c: c.source.id):
        source = capture.source
        try:
            found = sheets(capture.data, source.format)
            reader = READERS[source.dataset]
            rows, issues = (reader(found, source.period) if source.dataset in RELEASE_DATASETS
                            else reader(found))
        except (OfficialFileError, DocumentError) as exc:  # DocumentError: the file changed
            problems.append(problem(exc.code, source_id=source.id, path=source.path,
                                    detail=exc.detail))
            continue
        except OSError as exc:  # removed or unreadable since the registry was read
            problems.append(problem("registry-file-missing", source_id=source.id,
                                    path=source.path,
                                    detail=f"cannot be read: {exc.strerror or exc}"))
            continue
        problems += [problem(code, source_id=source.id, path=source.path, detail=detail)
                     for code, detail in issues]
        read[source.dataset].append((capture, rows))
    structure = _union(read["soc-structure"], ("code",), problems)
    crosswalk = _union(read["soc-crosswalk"], ("soc2010", "soc2018"), problems)
    releases = []
    counts: dict[str, int] = {}
    for dataset in RELEASE_DATASETS:
        for capture, rows in read[dataset]:
            for row in rows:
                row["source_id"] = capture.source.id
            counts[capture.source.id] = len(rows)
            releases += rows
    mapped = releases_on_soc_2018(releases, structure, crosswalk)
    titles = [dict(soc=s["code"], kind=f"soc-{s['level']}", title=s["title"]) for s in structure]
    for _, rows in read["onet-alternate-titles"]:
        titles += [dict(soc=r["soc"], kind=r["kind"], title=r["title"]) for r in rows]
    return _Built(mapped, structure, crosswalk, titles, counts), problems


def _union(copies: list[tuple[Capture, list[dict]]], key: tuple[str, ...],
           problems: list[Problem]) -> list[dict]:
    """One table from several copies of a classification, which must agree."""
    if not copies:
        return []
    first_capture, first = copies[0]
    keys = {tuple(r[k] for k in key) for r in first}
    merged = list(first)
    for capture, rows in copies[1:]:
        other = {tuple(r[k] for k in key) for r in rows}
        if other != keys:
            problems.append(problem(
                "official-copies-disagree", source_id=capture.source.id, path=capture.source.path,
                detail=f"{len(other - keys)} rows not in {first_capture.source.id}, "
                       f"{len(keys - other)} of its rows missing"))
            merged += [r for r in rows if tuple(r[k] for k in key) not in keys]
    return merged


HYBRID_SEPARATORS = re.compile(r"(,\s+and\s+|;\s+and\s+|,\s+|;\s+|\s+and\s+)")


def hybrid_components(title: str, detailed: dict[str, str]) -> list[str]:
    """The SOC 2018 detailed occupations an OEWS/EP combined title lists, or [] when its
    words are not a list of known titles.

    >>> known = {"medical dosimetrists": "29-2036", "medical records specialists": "29-2072",
    ...          "health technologists and technicians, all other": "29-2099"}
    >>> hybrid_components("Medical Dosimetrists, Medical Records Specialists, and Health "
    ...                   "Technologists and Technicians, All Other", known)
    ['29-2036', '29-2072', '29-2099']
    >>> hybrid_components("Database Administrators and Architects", known)
    []
    """
    pieces = HYBRID_SEPARATORS.split(title.strip())
    words, separators = pieces[0::2], pieces[1::2]
    n = len(words)
    best: dict[int, list[str]] = {0: []}
    for end in range(1, n + 1):
        for start in range(end):
            if start not in best:
                continue
            phrase = words[start]
            for k in range(start, end - 1):
                phrase += separators[k] + words[k + 1]
            code = detailed.get(_title_key(phrase))
            if code and (end not in best or len(best[start]) + 1 < len(best[end])):
                best[end] = best[start] + [code]
    found = best.get(n, [])
    return found if len(found) >= 2 else []


def _title_key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def releases_on_soc_2018(rows: list[dict], structure: list[dict], crosswalk: list[dict]
                         ) -> list[dict]:
    """The release rows put on SOC 2018 codes (see the module docstring), sorted.

    A file is read as SOC 2010 when it holds more codes that only SOC 2010 has than
    detailed codes that only SOC 2018 has (OEWS May 2013-2018); otherwise its codes are
    SOC 2018 and only the 2010-only ones go through the crosswalk (OEWS May 2019-2020
    mix both)."""
    in_2018 = {s["code"]: s for s in structure}
    detailed_2018 = {s["code"] for s in structure if s["level"] == "detailed"}
    by_title = {_title_key(s["title"]): s["code"] for s in structure if s["level"] == "detailed"}
    forward: dict[str, list[str]] = defaultdict(list)
    for pair in crosswalk:
        if pair["soc2018"] not in forward[pair["soc2010"]]:
            forward[pair["soc2010"]].append(pair["soc2018"])
    only_2010 = set(forward) - set(in_2018)
    only_2018 = detailed_2018 - set(forward)
    by_source: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_source[row["source_id"]].add(row["published_code"])
    soc_2010_files = {s for s, codes in by_source.items()
                      if len(codes & only_2010) > len(codes & only_2018)}
    hybrids: dict[str, list[str]] = {}
    mapped: list[dict] = []
    for row in rows:
        code = row["published_code"]
        targets: list[str]
        if code in forward and (row["source_id"] in soc_2010_files or code not in in_2018):
            targets = sorted(forward[code])
            relation = "crosswalk" if len(targets) == 1 else "split"
        elif code in in_2018:
            targets, relation = [code], "same"
        else:
            if code not in hybrids:
                hybrids[code] = hybrid_components(row["published_title"], by_title)
            targets = hybrids[code] or [code]
            relation = "hybrid" if hybrids[code] else "as-published"
        for target in targets:
            entry = in_2018.get(target)
            mapped.append({**row, "occupation": target, "relation": relation,
                           "occupation_title": entry["title"] if entry else row["published_title"]})
    # several published rows of one release for one occupation: each is only a part
    parts: dict[tuple, set[str]] = defaultdict(set)
    for row in mapped:
        parts[_release_key(row)].add(row["published_code"])
    for row in mapped:
        if len(parts[_release_key(row)]) > 1:
            row["relation"] = "merged"
    mapped.sort(key=lambda r: (r["occupation"], r["metric"], r["statistic"], r["unit"],
                               r["geography"], r["period_end"] or 0, r["period"], r["release"],
                               r["published_code"], r["source_id"], r["locator"]))
    return mapped


def _release_key(row: dict) -> tuple:
    return (row["occupation"], row["metric"], row["statistic"], row["unit"], row["geography"],
            row["release"], row["period"])


def _frame(rows: list[dict], columns: tuple[str, ...]):
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns))
    for name in frame.columns:
        if name in ("value", "low", "high", "precision"):
            frame[name] = frame[name].astype("float64")
        elif name in ("period_start", "period_end"):
            frame[name] = frame[name].astype("Int64")
        else:
            frame[name] = frame[name].fillna("").astype(str)
    return frame


def _write(directory: Path, built: _Built, problems: list[Problem]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    def save(name: str, frame) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        # row groups of 20,000 rows sorted by occupation: a read of a few occupations
        # skips the rest of the file
        pq.write_table(table, directory / name, compression="zstd", row_group_size=20_000)

    save("releases.parquet", _frame(built.releases, RELEASE_COLUMNS))
    save("structure.parquet", _frame(built.structure, ("code", "title", "level", "parent")))
    save("crosswalk.parquet", _frame(built.crosswalk, ("soc2010", "title2010", "soc2018",
                                                       "title2018")))
    save("titles.parquet", _frame(built.titles, ("soc", "kind", "title")))
    (directory / "done.json").write_text(json.dumps({
        "problems": [dict(code=p.code, source_id=p.source_id, path=p.path, detail=p.detail)
                     for p in problems],
        "rows_per_source": built.rows_per_source,
    }, indent=1, sort_keys=True), encoding="utf-8")


def _publish(cache_dir: Path, key: str, built: _Built, problems: list[Problem]) -> Path:
    """Write the tables into a temporary sibling and rename it into place (another refresh
    may be doing the same: the first rename wins, the other copy is discarded); remove the
    directories of keys no longer in use."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    final = cache_dir / f"official-{key}"
    staging = Path(tempfile.mkdtemp(prefix=f".official-{key}.", dir=cache_dir))
    try:
        _write(staging, built, problems)
        try:
            os.rename(staging, final)
        except OSError:
            if not (final / "done.json").exists():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    for old in cache_dir.glob("official-*"):
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return final


def _load(directory: Path) -> tuple[Official, list[Problem]]:
    import pyarrow.parquet as pq

    done = json.loads((directory / "done.json").read_text(encoding="utf-8"))
    structure = {r["code"]: SocEntry(r["code"], r["title"], r["level"], r["parent"])
                 for r in pq.read_table(directory / "structure.parquet").to_pylist()}
    forward: dict[str, list[str]] = defaultdict(list)
    for r in pq.read_table(directory / "crosswalk.parquet").to_pylist():
        if r["soc2018"] not in forward[r["soc2010"]]:
            forward[r["soc2010"]].append(r["soc2018"])
    problems = [problem(p["code"], source_id=p["source_id"], path=p["path"], detail=p["detail"])
                for p in done["problems"]]
    return Official(directory, structure, {k: tuple(sorted(v)) for k, v in forward.items()},
                    done["rows_per_source"]), problems


def official_readings(claims, matches, rows: list[dict], sources) -> list:
    """The official figures that join the pages' figures in reconciliation, as claims of
    the official files: for every (occupation, metric, statistic, unit, geography) a page
    states a matchable figure for, each release's figure — of the program the page's
    figures were matched to (OEWS employment and Employment Projections jobs measure
    different things), annual wages rather than the same release's hourly ones, and no
    merged parts (one of several figures of a release). The releases table keeps the
    rest.

    Returns claims whose `stated_in` is the release, `status` official, `quote` the
    published code, title, column and cell ("29-2072, Medical Records Specialists,
    A_MEDIAN: 50250"), `locator` the cell ("xlsx:national_M2024_dl!row=1047;col=A_MEDIAN").
    """
    return official_readings_of(wanted_programs(claims, matches, sources), rows, sources)


def wanted_programs(claims, matches, sources, wanted: dict[tuple, set[str]] | None = None
                    ) -> dict[tuple, set[str]]:
    """(occupation, metric, statistic, unit, geography) -> the programs (OEWS, EP) the
    pages' matchable figures of it were matched to (none: any program), gathered into
    `wanted`, which may already hold other claims' (a run gathers it a slice at a time)."""
    from pipeline.vintage import _matchable, family_of

    wanted = defaultdict(set) if wanted is None else wanted
    for claim in claims:
        source = sources.get(claim.source_id)
        if (source and source.authority == "primary") or not _matchable(claim):
            continue
        match = matches.get(claim.claim_id)
        programs = wanted[family_of(claim)]
        if match is not None and match.program and match.outcome in ("matched", "differs"):
            programs.add(match.program)
    return wanted


def official_readings_of(wanted: dict[tuple, set[str]], rows: list[dict], sources) -> list:
    """The official readings (see `official_readings`) of the families in `wanted`."""
    from extractors.claims import new_claim
    from pipeline.vintage import family_of, program_of

    chosen: dict[tuple, dict] = {}
    for row in rows:
        family = family_of(_Row(row))
        if family not in wanted or row["relation"] not in COMPARABLE:
            continue
        if row["value"] is None and row["low"] is None and not row["value_text"]:
            continue
        programs = wanted[family]
        if programs and program_of(row["release"]) not in programs:
            continue
        key = (family, row["release"], row["period"])
        best = chosen.get(key)
        rank = (row["unit"] != "USD/year", COMPARABLE.index(row["relation"]), row["source_id"],
                row["locator"])
        if best is None or rank < best[0]:
            chosen[key] = (rank, row)
    readings = []
    basis = {"same": "stated", "crosswalk": "crosswalk", "split": "crosswalk", "hybrid": "title"}
    for _, row in sorted(chosen.values(), key=lambda x: (x[1]["source_id"], x[1]["locator"],
                                                          x[1]["occupation"])):
        column = row["locator"].rsplit("col=", 1)[-1]
        source = sources.get(row["source_id"])
        published = "" if row["relation"] == "same" else (
            f"published as {row['published_code']} {row['published_title']} ({row['relation']})")
        quote = f"{row['published_code']}, {row['published_title']}, {column}: {row['figure']}"
        readings.append(new_claim(
            source_id=row["source_id"], occupation=row["occupation"],
            occupation_basis=basis[row["relation"]], metric=row["metric"],
            statistic=row["statistic"], unit=row["unit"], value=row["value"], low=row["low"],
            high=row["high"], value_text=row["value_text"], figure=row["figure"],
            precision=row["precision"], period=row["period"], period_start=row["period_start"],
            period_end=row["period_end"], geography=row["geography"], stated_in=row["release"],
            status="official", citation=source.url if source else "", qualifier_text=published,
            quote=quote + (f" ({row['note']})" if row["note"] else ""), locator=row["locator"],
            extractor=f"official/{READER_VERSION}", method="release-row",
            anchor=row["occupation"]))
    return readings


class _Row:
    """A releases-table row read as attributes (for family_of)."""

    def __init__(self, row: dict):
        self.__dict__.update(row)
