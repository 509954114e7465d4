"""The source registry: good entries load, each bad entry costs one problem and only
itself, and a registry file that cannot be used at all raises RegistryError."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.document import sniff_format
from pipeline.registry import Capture, RegistryError, load_registry

REPO = Path(__file__).resolve().parent.parent

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"
HTML = b"<!doctype html>\n<html><body><p>Median pay: $50,250</p></body></html>\n"
TEXT = b"Median pay: $50,250 per year\n"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry(source_id: str, path: str, data: bytes | None = None, **fields) -> dict:
    out = {"id": source_id, "path": path, "sha256": sha(data or b""),
           "retrieved": "2026-01-09", "title": f"Page {source_id}", "authority": "secondary"}
    out.update(fields)
    return out


def write_registry(root: Path, entries: list, pages: dict[str, bytes]) -> Path:
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, data in pages.items():
        (raw / name).write_bytes(data)
    registry = raw / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": entries}, sort_keys=False), encoding="utf-8")
    return registry


GOOD_PAGES = {"pdf_page.txt": PDF, "html_page.txt": HTML, "text_page.txt": TEXT}
GOOD_ENTRIES = [
    entry("good-pdf", "pdf_page.txt", PDF),
    entry("good-html", "html_page.txt", HTML, occupation="29-2072"),
    entry("good-text", "text_page.txt", TEXT, publisher="Pub", url="https://example.org/p"),
]
GOOD_IDS = ["good-pdf", "good-html", "good-text"]


# --- a good registry ------------------------------------------------------------------

def test_good_registry_loads_every_entry_without_problems(tmp_path):
    registry = write_registry(tmp_path, GOOD_ENTRIES, GOOD_PAGES)

    captures, problems = load_registry(registry)

    assert problems == []
    assert [c.source.id for c in captures] == GOOD_IDS
    assert all(isinstance(c, Capture) for c in captures)


def test_good_registry_shows_paths_relative_to_root_with_hashes_and_bytes(tmp_path):
    registry = write_registry(tmp_path, GOOD_ENTRIES, GOOD_PAGES)

    captures, _ = load_registry(registry)

    by_id = {c.source.id: c for c in captures}
    assert by_id["good-pdf"].source.path == "raw/pdf_page.txt"
    assert by_id["good-html"].source.path == "raw/html_page.txt"
    assert by_id["good-text"].source.path == "raw/text_page.txt"
    for capture, data in ((by_id["good-pdf"], PDF), (by_id["good-html"], HTML),
                          (by_id["good-text"], TEXT)):
        assert capture.data == data
        assert capture.source.sha256 == sha(data)
    assert by_id["good-html"].source.occupation == "29-2072"
    assert by_id["good-text"].source.publisher == "Pub"
    assert by_id["good-text"].source.retrieved == "2026-01-09"


def test_format_is_sniffed_from_content_when_absent(tmp_path):
    # every page is named .txt, so only the content can tell pdf and html apart
    registry = write_registry(tmp_path, GOOD_ENTRIES, GOOD_PAGES)

    captures, _ = load_registry(registry)

    assert {c.source.id: c.source.format for c in captures} == {
        "good-pdf": "pdf", "good-html": "html", "good-text": "text"}


def test_format_given_in_the_entry_wins_over_sniffing(tmp_path):
    registry = write_registry(tmp_path, [entry("forced", "page.txt", HTML, format="text")],
                              {"page.txt": HTML})

    captures, problems = load_registry(registry)

    assert problems == []
    assert captures[0].source.format == "text"


@pytest.mark.parametrize("data, path, expected", [
    (b"%PDF-1.7 ...", "x.txt", "pdf"),
    (b"\xef\xbb\xbf  %pdf-1.4", "x.txt", "pdf"),
    (b"<!DOCTYPE html><html></html>", "x.txt", "html"),
    (b"\n  <!doctype html>", "x.txt", "html"),
    (b"<html><body>hi</body></html>", "x.txt", "html"),
    (b"Median pay: $50,250", "x.txt", "text"),
    (b"Median pay: $50,250", "x.html", "html"),
    (b"Median pay: $50,250", "x.pdf", "pdf"),
    (b"", "x", "text"),
])
def test_sniff_format(data, path, expected):
    assert sniff_format(data, path) == expected


# --- one broken entry among good ones ---------------------------------------------------

def _missing_file(root):
    return entry("bad", "nothere.txt", b"x"), {}


def _folder(root):
    (root / "raw" / "pages").mkdir(parents=True)
    return entry("bad", "pages", b"x"), {}


def _sha_mismatch(root):
    return entry("bad", "bad.txt", b"other bytes"), {"bad.txt": b"Median pay: $1"}


def _outside_relative(root):
    (root / "x.txt").write_bytes(TEXT)
    return entry("bad", "../x.txt", TEXT), {}


def _outside_absolute(root):
    outside = root / "elsewhere.txt"
    outside.write_bytes(TEXT)
    return entry("bad", str(outside), TEXT), {}


def _unknown_key(root):
    return entry("bad", "bad.txt", TEXT, colour="red"), {"bad.txt": TEXT}


def _missing_title(root):
    e = entry("bad", "bad.txt", TEXT)
    del e["title"]
    return e, {"bad.txt": TEXT}


def _bad_authority(root):
    return entry("bad", "bad.txt", TEXT, authority="official"), {"bad.txt": TEXT}


def _bad_date(root):
    return entry("bad", "bad.txt", TEXT, retrieved="9 January 2026"), {"bad.txt": TEXT}


def _bad_soc(root):
    return entry("bad", "bad.txt", TEXT, occupation="29-207"), {"bad.txt": TEXT}


def _digits_sha(root):  # 64 zeros unquoted: YAML reads the number 0
    return entry("bad", "bad.txt", TEXT, sha256=0), {"bad.txt": TEXT}


# (case, expected code, strings the problem's one-line message must contain)
BROKEN = [
    (_missing_file, "registry-file-missing", ["bad", "raw/nothere.txt does not exist"]),
    (_folder, "registry-file-missing", ["bad", "raw/pages is a folder, not a file"]),
    (_sha_mismatch, "registry-sha256-mismatch", ["bad", "raw/bad.txt", sha(b"other bytes")]),
    (_outside_relative, "registry-path-outside-raw", ["bad", "../x.txt"]),
    (_outside_absolute, "registry-path-outside-raw", ["bad", "elsewhere.txt"]),
    (_unknown_key, "registry-invalid-entry", ["bad", "colour", "raw/sources.yaml"]),
    (_missing_title, "registry-invalid-entry", ["bad", "title", "raw/sources.yaml"]),
    (_bad_authority, "registry-invalid-entry", ["bad", "official", "raw/sources.yaml"]),
    (_bad_date, "registry-invalid-entry", ["bad", "retrieved", "raw/sources.yaml"]),
    (_bad_soc, "registry-invalid-entry", ["bad", "occupation", "29-207",
                                          "raw/sources.yaml"]),
    (_digits_sha, "registry-invalid-entry", ["bad", "sha256 must be 64 hexadecimal digits",
                                             "a number: quote"]),
]


@pytest.mark.parametrize("make_bad, code, named", BROKEN,
                         ids=[case.__name__.lstrip("_") for case, _, _ in BROKEN])
def test_broken_entry_gives_one_problem_and_good_entries_still_load(tmp_path, make_bad,
                                                                      code, named):
    bad, bad_pages = make_bad(tmp_path)
    entries = [GOOD_ENTRIES[0], bad, *GOOD_ENTRIES[1:]]
    registry = write_registry(tmp_path, entries, {**GOOD_PAGES, **bad_pages})

    captures, problems = load_registry(registry)

    assert [c.source.id for c in captures] == GOOD_IDS
    assert [p.code for p in problems] == [code]
    assert problems[0].source_id == "bad"
    assert problems[0].severity == "error"
    line = problems[0].line()
    for text in named:
        assert text in line, f"{text!r} not in {line!r}"


def test_duplicate_id_keeps_the_first_entry_and_reports_the_second(tmp_path):
    entries = [*GOOD_ENTRIES, entry("good-text", "dup.txt", b"Median pay: $2")]
    registry = write_registry(tmp_path, entries, {**GOOD_PAGES, "dup.txt": b"Median pay: $2"})

    captures, problems = load_registry(registry)

    assert [c.source.id for c in captures] == GOOD_IDS
    assert {c.source.id: c.source.path for c in captures}["good-text"] == "raw/text_page.txt"
    assert [p.code for p in problems] == ["registry-duplicate-id"]
    assert problems[0].source_id == "good-text"
    assert "good-text" in problems[0].line()


def test_duplicate_id_message_names_the_file(tmp_path):
    entries = [*GOOD_ENTRIES, entry("good-text", "dup.txt", b"Median pay: $2")]
    registry = write_registry(tmp_path, entries, {**GOOD_PAGES, "dup.txt": b"Median pay: $2"})

    _, problems = load_registry(registry)

    line = problems[0].line()
    assert "dup.txt" in line or "sources.yaml" in line


def test_entry_that_is_not_a_mapping_gives_one_problem(tmp_path):
    registry = write_registry(tmp_path, [*GOOD_ENTRIES, "just a string"], GOOD_PAGES)

    captures, problems = load_registry(registry)

    assert [c.source.id for c in captures] == GOOD_IDS
    assert [p.code for p in problems] == ["registry-invalid-entry"]
    assert "entry 4" in problems[0].line()


def test_every_broken_entry_is_reported_at_once(tmp_path):
    bads = [make(tmp_path) for make, _, _ in BROKEN]
    entries = [*GOOD_ENTRIES]
    pages = dict(GOOD_PAGES)
    for n, (bad, bad_pages) in enumerate(bads):
        entries.append({**bad, "id": f"bad-{n}"})
        pages.update(bad_pages)
    registry = write_registry(tmp_path, entries, pages)

    captures, problems = load_registry(registry)

    assert [c.source.id for c in captures] == GOOD_IDS
    assert [p.source_id for p in problems] == [f"bad-{n}" for n in range(len(BROKEN))]
    assert [p.code for p in problems] == [code for _, code, _ in BROKEN]


def test_impossible_calendar_date_is_a_problem_of_its_entry(tmp_path):
    bad = entry("bad", "bad.txt", TEXT)
    registry = write_registry(tmp_path, [*GOOD_ENTRIES, bad], {**GOOD_PAGES, "bad.txt": TEXT})
    registry.write_text(registry.read_text().replace("'2026-01-09'\n  title: Page bad",
                                                     "2026-02-30\n  title: Page bad"))
    assert "2026-02-30" in registry.read_text()

    captures, problems = load_registry(registry)

    assert [c.source.id for c in captures] == GOOD_IDS
    assert [p.code for p in problems] == ["registry-invalid-entry"]


# --- registries that cannot be used at all ----------------------------------------------

@pytest.mark.parametrize("text", [
    "sources:\n  - {id: a, path: [unclosed\n",
    "sources: [\n",
    "\tsources: x\n",
], ids=["unclosed-flow", "unclosed-list", "tab-indent"])
def test_invalid_yaml_raises_registry_error_naming_the_file(tmp_path, text):
    (tmp_path / "raw").mkdir()
    registry = tmp_path / "raw" / "sources.yaml"
    registry.write_text(text, encoding="utf-8")

    with pytest.raises(RegistryError) as caught:
        load_registry(registry)

    assert caught.value.problem.code == "registry-unreadable"
    assert caught.value.problem.path == "raw/sources.yaml"
    assert "raw/sources.yaml" in str(caught.value)
    assert "\n" not in str(caught.value) and "<unicode string>" not in str(caught.value)


@pytest.mark.parametrize("text", [
    "",
    "- id: a\n",
    "sources: {id: a}\n",
    "sources:\n",
    "entries:\n  - id: a\n",
], ids=["empty", "top-level-list", "sources-mapping", "sources-null", "no-sources-key"])
def test_registry_without_a_sources_list_raises_registry_error(tmp_path, text):
    (tmp_path / "raw").mkdir()
    registry = tmp_path / "raw" / "sources.yaml"
    registry.write_text(text, encoding="utf-8")

    with pytest.raises(RegistryError) as caught:
        load_registry(registry)

    assert caught.value.problem.code == "registry-unreadable"
    assert "sources:" in str(caught.value)
    assert "raw/sources.yaml" in str(caught.value)
    assert ("it is empty" in str(caught.value)) == (text == "")


def test_empty_sources_list_loads_nothing(tmp_path):
    registry = write_registry(tmp_path, [], {})

    assert load_registry(registry) == ([], [])


def test_missing_registry_file_raises_registry_error(tmp_path):
    (tmp_path / "raw").mkdir()

    with pytest.raises(RegistryError) as caught:
        load_registry(tmp_path / "raw" / "sources.yaml")

    assert caught.value.problem.code == "registry-not-found"
    assert "raw/sources.yaml does not exist" in str(caught.value)
    assert "--project" in str(caught.value) and "YAML" not in str(caught.value)


def test_registry_that_is_not_utf8_raises_registry_error(tmp_path):
    (tmp_path / "raw").mkdir()
    registry = tmp_path / "raw" / "sources.yaml"
    registry.write_bytes(b"sources:\n  - id: caf\xe9\n")

    with pytest.raises(RegistryError) as caught:
        load_registry(registry)

    assert caught.value.problem.code == "registry-unreadable"


# --- the project's own registry: generic, whatever curators have registered ---------------

def test_every_registered_source_loads_without_problems():
    import yaml

    captures, problems = load_registry(REPO / "raw" / "sources.yaml")
    entries = yaml.safe_load((REPO / "raw" / "sources.yaml").read_text())["sources"]

    assert [p.line() for p in problems] == []
    assert [c.source.id for c in captures] == [e["id"] for e in entries]
    for capture in captures:
        assert capture.source.path.startswith("raw/")
        assert (REPO / capture.source.path).read_bytes() == capture.data
        assert capture.source.sha256 == sha(capture.data)
        assert capture.source.format in ("text", "html", "pdf", "csv", "xlsx", "xls")


def test_the_seed_project_registry_loads_its_pages_and_official_files():
    from tests.conftest import SEED_IDS, SEED_PROJECT

    captures, problems = load_registry(SEED_PROJECT / "raw" / "sources.yaml")

    assert problems == []
    pages = {c.source.id: c.source.format for c in captures if not c.source.dataset}
    assert pages == {**{i: "text" for i in SEED_IDS[:4]}, "bls-pages-medical-records": "csv"}
    assert {c.source.period for c in captures if c.source.dataset == "oews-national"} == {
        str(year) for year in range(2013, 2025)}


def test_official_files_are_registered_as_datasets_with_their_release():
    captures, _ = load_registry(REPO / "raw" / "sources.yaml")
    official = {c.source.id: c.source for c in captures if c.source.dataset}
    # the shipped files, whatever later releases a curator registers beside them
    assert {s.period for s in official.values() if s.dataset == "oews-national"} >= {
        str(year) for year in range(2013, 2025)}
    assert all(s.authority == "primary" and s.path.startswith("raw/official/")
               for s in official.values())


def test_a_dataset_entry_is_checked(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "t.csv").write_bytes(b"code,title\n")
    digest = sha(b"code,title\n")
    (raw / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{id: a, path: t.csv, sha256: {digest}, retrieved: 2026-01-09, title: T, "
        "authority: primary, dataset: oews-nationwide}\n"
        f"  - {{id: b, path: t.csv, sha256: {digest}, retrieved: 2026-01-09, title: T, "
        "authority: primary, dataset: oews-national, period: May 2024}\n")
    captures, problems = load_registry(raw / "sources.yaml")
    assert captures == []
    assert ["dataset 'oews-nationwide' is not one of" in p.message for p in problems] == [True, False]
    assert "period must be a year" in problems[1].message


# --- a registry parsed an entry at a time ----------------------------------------------------

class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


_SCALARS = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.sampled_from(["- a", "  - b", "a: b", "'q'", '"q"', "#x", "x\n- y", "2026-01-09",
                     "*a", "&a", "[x", "{x", "|", ">", "? x", "---", "...", "\t- t"]),
    st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
_ENTRIES = st.lists(st.dictionaries(
    st.sampled_from(["id", "path", "sha256", "title", "notes", "retrieved", "tags"]),
    st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3)), min_size=1, max_size=5),
    min_size=1, max_size=8)


def _dumped(entries: list, indent: int, width: int, comment: str) -> str:
    text = yaml.dump({"sources": entries}, Dumper=_NoAliases, default_flow_style=False,
                     allow_unicode=True, indent=indent, width=width, sort_keys=False)
    return comment + text


@given(_ENTRIES, st.integers(0, len(GOOD_IDS)), st.sampled_from([2, 4]),
       st.sampled_from([20, 80, 1000]), st.sampled_from(["", "# pages\n\n"]),
       st.one_of(_SCALARS, st.lists(_SCALARS, max_size=2)))
@settings(max_examples=300, deadline=None)
def test_a_registry_parsed_an_entry_at_a_time_is_the_whole_files_parse(
        entries, at, indent, width, comment, changed):
    """Whatever the entries hold (quotes, colons, "- " and line breaks in their text, YAML's
    own marks), the entries parsed one at a time, and again with one entry changed and
    the others' blocks taken from the first parse, are what parsing the file whole gives;
    or the file is parsed whole."""
    from pipeline.registry import _Loader, entry_values

    def whole(text: str):
        try:
            return yaml.load(text, Loader=_Loader)
        except yaml.YAMLError:
            return "error"

    text = _dumped(entries, indent, width, comment)
    found = entry_values(text.encode("utf-8"), {})
    if found is not None:
        assert found[0] == whole(text)
    entries = [dict(e) for e in entries]
    entries[at % len(entries)]["notes"] = changed
    again = _dumped(entries, indent, width, comment)
    found_again = entry_values(again.encode("utf-8"), found[1] if found else {})
    if found_again is not None:
        assert found_again[0] == whole(again)


@pytest.mark.parametrize("text", [
    'sources:\n  - id: a\n    title: "one\n  - two"\n  - id: b\n',  # "- " inside quotes
    "sources:\n  - id: a\n    tags: [x,\n  - y]\n  - id: b\n",  # inside a flow list
    "sources:\n  - id: a\n    tags: &t [x]\n  - id: b\n    tags: *t\n",  # an alias
    "sources:\n  - id: a\n    notes: |\n      - kept\n  - id: b\n",  # a literal block
    "sources:\n- id: a\n  path: a.txt\n- id: b\n",  # items not indented
    "sources:\r\n  - id: a\r\n  - id: b\r\n",  # CRLF
    "# top\nsources: # the pages\n  # first\n  - id: a\n\n  # second\n  - id: b\n",
    "sources:\n  - id: a\nother: 1\n",  # another key: parsed whole
    "sources:\n  - id: a\n    title: x\u2028y\n",  # a break YAML reads: parsed whole
    "sources:\n  - id: a\n   path: odd\n",  # bad indentation: the whole file's error
    "sources:\n\t\n  - id: a\n",  # a line of a tab: YAML's error
    "# x\x7f\nsources:\n  - id: a\n",  # a character YAML does not take
    "sources:#c\n  - id: a\n",  # a key YAML does not read as `sources`
    "sources:\n  - id: a\n\xa0\n",  # a no-break space is no blank line to YAML
    "sources:\n  - id: a\n\x0c\n",
    "sources:\n  - id: a\n  - id: a\n",  # the same entry twice
], ids=["quoted", "flow", "alias", "literal", "flush", "crlf", "comments", "other-key",
        "line-separator", "bad-indent", "tab-line", "control", "key-comment", "nbsp-line",
        "form-feed", "twice"])
def test_registries_of_any_layout_load_as_when_parsed_whole(tmp_path, text):
    """With a cache (an entry at a time, then again after an entry changed) and without
    (the file parsed whole), a registry gives the same entries, or the same error."""
    (tmp_path / "raw").mkdir()
    registry = tmp_path / "raw" / "sources.yaml"

    def loaded(cache_dir):
        try:
            captures, problems = load_registry(registry, cache_dir=cache_dir)
        except RegistryError as exc:
            return str(exc)
        return [c.source for c in captures], [p.message for p in problems]

    for version in (text, text.replace("id: b", "id: c")):
        registry.write_text(version, encoding="utf-8", newline="")
        assert loaded(tmp_path / "cache") == loaded(None)


def test_a_changed_entry_is_the_only_one_parsed_again(tmp_path, monkeypatch):
    registry = write_registry(tmp_path, GOOD_ENTRIES, GOOD_PAGES)
    cache = tmp_path / "cache"
    first, _ = load_registry(registry, cache_dir=cache)
    import pipeline.registry as module
    parsed = []
    real = module.yaml.load

    def counted(text, Loader):
        parsed.append(text)
        return real(text, Loader=Loader)

    monkeypatch.setattr(module.yaml, "load", counted)
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text.replace("title: Page good-html", "title: Page good-html, again"),
                        encoding="utf-8")
    again, problems = load_registry(registry, cache_dir=cache)
    assert len(parsed) == 1 and "Page good-html, again" in parsed[0]
    assert [c.source.title for c in again] == ["Page good-pdf", "Page good-html, again",
                                               "Page good-text"]
    assert [c.source.id for c in again] == [c.source.id for c in first] == GOOD_IDS
    assert problems == []


@pytest.mark.parametrize("relative", ["page.txt", "pages/p.txt", "../outside.txt", "a/../b.txt",
                                      "/etc/hosts", "pages/../../raw/p.txt", ".", "..",
                                      "link/p.txt", "pages/"])
def test_registered_paths_are_checked_as_pathlib_checks_them(tmp_path, relative):
    """The resolver's checks of a path, made on its text for thousands of entries, say
    what pathlib's `is_relative_to` and `relative_to` say of it."""
    from pipeline.registry import _Resolver, _shown

    raw = tmp_path / "raw"
    (raw / "pages").mkdir(parents=True)
    (raw / "link").symlink_to(tmp_path)  # a folder that leads out of raw/
    resolve = _Resolver(raw, tmp_path)
    target = resolve(raw / relative)
    assert resolve.within_raw(target) == target.is_relative_to(resolve.raw_dir)
    assert resolve.shown(target) == _shown(target, resolve.root, resolved=True)


def test_a_path_with_a_nul_is_its_entry_s_problem_alone(tmp_path):
    entries = GOOD_ENTRIES + [entry("nul", "p\0.txt", TEXT)]
    registry = write_registry(tmp_path, entries, GOOD_PAGES)
    for cache in (None, tmp_path / "cache"):
        captures, problems = load_registry(registry, cache_dir=cache)
        assert [c.source.id for c in captures] == GOOD_IDS
        assert [(p.code, p.source_id) for p in problems] == [("registry-file-missing", "nul")]
