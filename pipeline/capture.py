"""`careerfacts capture`: pages from the web into `raw/` and the registry, reproducibly.

For each target (a URL with, optionally, its occupation, id, title, authority):

1. the previous capture of the same URL gives the validators of a conditional request
   (`If-None-Match`, `If-Modified-Since`);
2. the page is fetched politely (`pipeline/fetch.py`): a 304, or a body with the sha256
   of the URL's latest capture, is "unchanged" and writes nothing;
3. anything else is a new capture, written to `raw/` under a new name (never over an
   existing file) with its entry appended to the registry, both atomically and under
   the project's lock. The entry records the URL, final URL and redirects, HTTP status,
   content type, validators, retrieval time, for an archived copy the original URL and
   the archive's timestamp, and the capture it supersedes (the page's latest capture at
   or before the moment it shows).

A page that reverts to what an older capture held is a new capture too: the page changed
back, and its latest capture no longer says what it says. A URL whose bytes are those of
another URL's capture is registered under its own URL (a new file with the same bytes:
git stores them once); the refresh counts byte-identical captures once
(`pipeline/pages.py`).

A failed fetch writes nothing and is a problem with a stable code (`capture-timeout`,
`capture-robots-disallowed`, `capture-http-404`, …); the other targets go on.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from pipeline.fetch import Fetcher, FetchError, NotModified, Page, url_problem
from pipeline.pages import archived_copy, normalised_url, page_url
from pipeline.publish import exclusive
from pipeline.registry import (ID, SOC, Source, append_entry, moment, registry_entries,
                               write_file_atomically)
from schemas.problems import Problem, problem
from schemas.vocabulary import AUTHORITIES


# --- capturing into the registry -------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """A page to capture, as the command line or the watchlist names it."""

    url: str
    occupation: str = ""  # SOC code for the registry entry
    id: str = ""  # the capture's id; made from the URL and time when empty
    title: str = ""  # else the page's <title>, else the URL
    authority: str = "unknown"
    publisher: str = ""


@dataclass(frozen=True)
class Outcome:
    """What capturing one target did."""

    url: str
    status: str  # captured | unchanged | failed
    source_id: str = ""  # the new capture, or the registered capture it is unchanged from
    path: str = ""  # the file written, relative to the project
    why: str = ""  # for unchanged: 304, or same bytes; for captured: what it supersedes
    problem: Problem | None = None
    entry: dict = field(default_factory=dict)


WATCHLIST_KEYS = {"url", "occupation", "id", "title", "authority", "publisher", "notes"}


class TargetsError(Exception):
    """A list of targets that cannot be used (a usage error, exit 2)."""


def targets_from_file(path: Path) -> list[Target]:
    """The pages a file names: a watchlist (YAML, a `pages:` list of mappings with `url`
    and optionally occupation, id, title, authority, publisher, notes) or plain text (one
    URL a line; blank lines and `#` comments ignored). Raises TargetsError.

    >>> import tempfile, pathlib
    >>> scratch = tempfile.TemporaryDirectory(); f = pathlib.Path(scratch.name) / "watchlist.yaml"
    >>> _ = f.write_text('pages:\\n  - url: https://example.org/mrs\\n    occupation: "29-2072"\\n')
    >>> targets_from_file(f)
    [Target(url='https://example.org/mrs', occupation='29-2072', id='', title='', authority='unknown', publisher='')]
    >>> scratch.cleanup()
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetsError(f"{path}: cannot be read ({exc.__class__.__name__}: {exc})") from None
    if Path(path).suffix.lower() not in (".yaml", ".yml"):
        return [Target(line.strip()) for line in text.splitlines()
                if line.strip() and not line.lstrip().startswith("#")]
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TargetsError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from None
    pages = document.get("pages") if isinstance(document, dict) else None
    if not isinstance(pages, list):
        raise TargetsError(f"{path}: expected a mapping with a `pages:` list of "
                           "{url: …, occupation: …}")
    targets = []
    for number, page in enumerate(pages, start=1):
        where = f"{path}: page {number}"
        if not isinstance(page, dict) or not page.get("url"):
            raise TargetsError(f"{where} needs a `url:`")
        unknown = sorted(set(map(str, page)) - WATCHLIST_KEYS)
        if unknown:
            raise TargetsError(f"{where} has unknown key(s) {', '.join(unknown)}; allowed: "
                               f"{', '.join(sorted(WATCHLIST_KEYS))}")
        target = Target(str(page["url"]), str(page.get("occupation") or ""),
                        str(page.get("id") or ""), str(page.get("title") or ""),
                        str(page.get("authority") or "unknown"), str(page.get("publisher") or ""))
        problem_text = target_problem(target)
        if problem_text:
            raise TargetsError(f"{where}: {problem_text}")
        targets.append(target)
    return targets


def target_problem(target: Target) -> str:
    """Why a target's own fields cannot be used ("" when they can)."""
    if target.occupation and not SOC.match(target.occupation):
        return f"occupation {target.occupation!r} is not a SOC code such as 29-2072"
    if target.id and not ID.match(target.id):
        return f"id {target.id!r} must be a lowercase slug (a-z, 0-9, . _ -)"
    if target.authority not in AUTHORITIES:
        return f"authority {target.authority!r} is not one of {', '.join(sorted(AUTHORITIES))}"
    return ""


def slug(url: str, limit: int = 40) -> str:
    """A page's URL as the start of an id.

    >>> slug("https://www.bls.gov/ooh/healthcare/medical-records-specialists.htm")
    'bls-gov-ooh-healthcare-medical-records'
    """
    parts = urlsplit(url if "//" in url else "//" + url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = re.sub(r"\.(s?html?|php|aspx?|jsp)$", "", parts.path.lower())
    text = re.sub(r"[^a-z0-9]+", "-", f"{host}{path}").strip("-") or "page"
    if len(text) > limit:
        text = text[:limit].rsplit("-", 1)[0]
    return text


def _stamp(iso: str) -> str:
    """'2026-03-02T14:03:22Z' -> '20260302-140322'."""
    return re.sub(r"\D", "", iso)[:8] + "-" + re.sub(r"\D", "", iso)[8:14]


def _title(page: Page) -> str:
    """The page's own title: <title> (or og:title) of HTML, the Title of a PDF's metadata."""
    text = ""
    if page.format == "html":
        from extractors.document import DocumentError, decode
        try:
            html, _ = decode(page.body, "html")
        except DocumentError:
            return ""
        m = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S) or re.search(
            r"""<meta[^>]+property=["']og:title["'][^>]+content=["']([^"']+)""", html, re.I)
        if m:
            import html as entities
            text = entities.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))
    elif page.format == "pdf":
        import io
        try:
            import pdfplumber
            with pdfplumber.open(io.BytesIO(page.body)) as pdf:
                value = pdf.metadata.get("Title", "")
            text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        except Exception:  # a PDF the title cannot be read from still gets captured
            text = ""
    return " ".join(text.split())[:200]


def new_entry(target: Target, page: Page, retrieved: str, capture_id: str,
              supersedes: str) -> dict:
    """The registry entry of a new capture (keys in the order curators read them)."""
    archive = archived_copy(page.final_url) or archived_copy(page.url)
    entry = {
        "id": capture_id,
        "path": f"{capture_id}.{page.format}",
        "format": page.format,
        "sha256": hashlib.sha256(page.body).hexdigest(),
        "retrieved": retrieved,
        "title": target.title or _title(page) or (archive[0] if archive else page.final_url),
        "authority": target.authority,
    }
    if target.occupation:
        entry["occupation"] = target.occupation
    if target.publisher:
        entry["publisher"] = target.publisher
    entry["url"] = page.url
    if page.final_url != page.url:
        entry["final_url"] = page.final_url
    if page.redirects:
        entry["redirects"] = list(page.redirects)
    entry["http_status"] = page.status
    entry["content_type"] = page.content_type
    if page.etag:
        entry["etag"] = page.etag
    if page.last_modified:
        entry["last_modified"] = page.last_modified
    if archive:
        entry["original_url"], entry["archived"] = archive
    if supersedes:
        entry["supersedes"] = supersedes
    return entry


class Capturer:
    """Captures targets into one registry. Raises RegistryError when the registry itself
    cannot be read or appended to, and `pipeline.publish.Busy` when another careerfacts
    command holds the project's lock for longer than `wait` seconds (nothing is
    captured then). `on_wait` is told, in one line, when a capture has to wait."""

    def __init__(self, registry: Path, fetcher: Fetcher | None = None,
                 now: Callable[[], dt.datetime] | None = None, wait: float = 600.0,
                 on_wait: Callable[[str], None] | None = None):
        self.registry = Path(registry)
        self.fetcher = fetcher or Fetcher()
        self.now = now or self.fetcher.now
        self.wait = wait
        self.on_wait = on_wait
        registry_entries(self.registry)  # fail early on a registry that cannot be read

    def capture(self, target: Target) -> Outcome:
        """Fetch one target and register it as a new capture, or say why not."""
        wrong = url_problem(target.url)
        if wrong:  # a watchlist's URL: the command line's are refused before any capture
            return _failed(target, "capture-invalid-url", wrong)
        entries = registry_entries(self.registry)
        taken = _taken(entries, target.id)
        if taken:
            return _failed(target, "capture-id-taken", taken)
        latest = _latest(_sources(entries), target.url)
        validators = {k: str(entries_by_id(entries)[latest.id][k])
                      for k in ("etag", "last_modified")
                      if latest is not None and entries_by_id(entries)[latest.id].get(k)}
        try:
            fetched = self.fetcher.fetch(target.url, validators)
        except FetchError as exc:
            return _failed(target, exc.code, exc.detail)
        if isinstance(fetched, NotModified):
            return Outcome(target.url, "unchanged", latest.id if latest else "",
                           why="304 Not Modified")
        root = self.registry.resolve().parent.parent
        with exclusive(root, self.wait, on_wait=self.on_wait):
            return self._write(target, fetched)

    def _write(self, target: Target, page: Page) -> Outcome:
        entries = registry_entries(self.registry)  # again: another capture may have written
        sources = _sources(entries)
        digest = hashlib.sha256(page.body).hexdigest()
        latest = _latest(sources, target.url)
        if latest is not None and latest.sha256 == digest:
            return Outcome(target.url, "unchanged", latest.id,
                           why=f"same bytes as its latest capture {latest.id} (raw/{latest.path})")
        key = normalised_url(target.url)
        same_bytes = [s for s in sources if s.sha256 == digest]
        reverted = next((s for s in same_bytes if normalised_url(s.url) == key), None)
        elsewhere = next((s for s in same_bytes if normalised_url(s.url) != key), None)
        raw = self.registry.parent
        retrieved = self.now().astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        archive = archived_copy(page.final_url) or archived_copy(page.url)
        if target.id:
            taken = _taken(entries, target.id)
            if taken:
                return _failed(target, "capture-id-taken", taken)
            capture_id = target.id
        else:
            capture_id = _free_id(
                f"{slug(archive[0] if archive else page.url)}-"
                f"{_stamp(archive[1] if archive else retrieved)}",
                {str(e.get("id")) for e in entries}, raw, page.format)
        as_of = archive[1] if archive else retrieved
        entry = new_entry(target, page, retrieved, capture_id,
                          _preceding(sources, archive[0] if archive else page.url, as_of))
        target_file = raw / entry["path"]
        try:
            write_file_atomically(target_file, page.body, replace=False)
        except FileExistsError:
            return _failed(target, "capture-id-taken",
                           f"the file raw/{entry['path']}, which no entry registers")
        try:
            append_entry(self.registry, entry)
        except BaseException:
            target_file.unlink(missing_ok=True)  # ours, written a moment ago: no half capture
            raise
        root = self.registry.resolve().parent.parent
        try:
            shown = str(target_file.resolve().relative_to(root))
        except ValueError:
            shown = str(target_file)
        why = [f"supersedes {entry['supersedes']}"] if entry.get("supersedes") else []
        if reverted is not None:
            why.append(f"back to the bytes of its earlier capture {reverted.id}")
        elif elsewhere is not None:
            why.append(f"the same bytes as {elsewhere.id} of "
                       f"{elsewhere.url or 'another page'}: counted once with it")
        return Outcome(target.url, "captured", capture_id, shown, why="; ".join(why),
                       entry=entry)


def _failed(target: Target, code: str, detail: str = "") -> Outcome:
    return Outcome(target.url, "failed",
                   problem=problem(code, source_id=target.id, path=target.url, detail=detail))


def entries_by_id(entries: list[dict]) -> dict[str, dict]:
    return {str(e.get("id")): e for e in entries}


def _sources(entries: list[dict]) -> list[Source]:
    """Registry entries as Sources for page identity: what they say, unchecked (a capture
    only needs to know which pages were captured when)."""
    sources = []
    for e in entries:
        retrieved = moment(str(e.get("retrieved", ""))) or ""
        archived = moment(str(e.get("archived", ""))) if e.get("archived") else ""
        sources.append(Source(
            id=str(e.get("id")), path=str(e.get("path", "")), format=str(e.get("format", "")),
            sha256=str(e.get("sha256", "")).lower(), retrieved=retrieved,
            title=str(e.get("title", "")), authority=str(e.get("authority", "")),
            url=str(e.get("url") or ""), original_url=str(e.get("original_url") or ""),
            archived=archived or "", supersedes=str(e.get("supersedes") or "")))
    return sources


def _moment(iso: str) -> str:
    return iso if "T" in iso else f"{iso}T00:00:00Z"


def _latest(sources: list[Source], url: str) -> Source | None:
    """The latest capture fetched from `url` (by retrieval time, then registry order):
    the one a new fetch of it is compared with."""
    key = normalised_url(url)
    same_url = [(n, s) for n, s in enumerate(sources) if s.url and normalised_url(s.url) == key]
    found = max(same_url, key=lambda ns: (_moment(ns[1].retrieved), ns[0]), default=None)
    return found[1] if found else None


def _preceding(sources: list[Source], url: str, as_of: str) -> str:
    """The id of the page's capture that a new capture showing the page at `as_of`
    supersedes: the latest one showing it at or before that moment ("" if none).

    The page is its URL's captures (an archived copy under the URL it archived) and
    the captures they supersede; captures of other URLs that merely hold the same
    bytes are not part of it, so no `supersedes:` link ever ties two URLs together."""
    key = normalised_url(url)
    by_id = {s.id: s for s in sources}
    same_page = {s.id for s in sources if page_url(s) == key}
    links = [s.supersedes for s in sources if s.id in same_page]
    while links:
        older = links.pop()
        if older in by_id and older not in same_page:
            same_page.add(older)
            links.append(by_id[older].supersedes)
    order = {s.id: n for n, s in enumerate(sources)}
    earlier = [by_id[i] for i in same_page if _moment(by_id[i].as_of) <= _moment(as_of)]
    best = max(earlier, key=lambda s: (_moment(s.as_of), _moment(s.retrieved), order[s.id]),
               default=None)
    return best.id if best else ""


def _taken(entries: list[dict], capture_id: str) -> str:
    if not capture_id:
        return ""
    for e in entries:
        if str(e.get("id")) == capture_id:
            return f"raw/{e.get('path')}"
    return ""


def _free_id(base: str, ids: set[str], raw: Path, ext: str) -> str:
    candidate, n = base, 1
    while candidate in ids or (raw / f"{candidate}.{ext}").exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate
