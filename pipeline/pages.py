"""Captures of one page: which is current, which are its history, which count once.

A page is captured again when it may have changed; every capture stays in `raw/` with
its own registry entry. Captures of one page are recognised by

- the same URL, after normalising (scheme, host case, default port, trailing slash and
  fragment do not matter; an archived capture counts under the URL it archived),
- identical bytes (the same sha256 under two ids) when nothing tells the pages apart
  (one of the two records no URL), or
- an explicit `supersedes:` link in the registry.

Two URLs that serve the same bytes are two pages whose current captures count once: the
one showing the page latest is current, the other a duplicate of it. Each keeps its own
captures, so a later change to one of them is that page's alone.

Within a page the captures are ordered by the moment they show the page (`as_of`: the
archive's timestamp for an archived copy, else when it was retrieved). The last is the
page's **current** capture: only its figures are the page's claims in reconciliation.
A capture followed directly by one with the same bytes or of the same moment (text and
HTML captures of one URL saved together, in another format) is a **duplicate** of it; every other earlier
capture is **superseded**: its figures are the page's past statements, kept as history
and compared with the next capture's to say what the page changed.

>>> normalised_url("HTTPS://Example.ORG:443/careers/mrs/#pay")
'example.org/careers/mrs'
>>> archived_copy("https://web.archive.org/web/20220514123456/https://www.bls.gov/ooh/x.htm")
('https://www.bls.gov/ooh/x.htm', '2022-05-14T12:34:56Z')
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from extractors.claims import Claim

CURRENT, SUPERSEDED, DUPLICATE = "current", "superseded", "duplicate"

ARCHIVED = re.compile(
    r"/(?:web|wayback|\d+)/(?P<stamp>\d{4,14})(?:[a-z]{2}_|\*)?/"
    r"(?P<url>https?:/{1,2}[^/?#]+\.[^/?#]+.*|[^/?#:]+\.[^/?#:]+/.*)$",
    re.I)
"""A web-archive copy, Wayback Machine style: /web/<timestamp>[flag]/<original URL>
("https://web.archive.org/web/20220514123456/https://www.bls.gov/ooh/…"; Archive-It
puts a collection number where /web is)."""


def normalised_url(url: str) -> str:
    """A URL as a page's identity: without its scheme, default port, trailing slash and
    fragment, the host in lower case; the query is kept (it may select the page).

    >>> normalised_url("http://example.org/a/?q=1#top") == normalised_url("https://EXAMPLE.org/a?q=1")
    True
    """
    if not url:
        return ""
    parts = urlsplit(url.strip() if "//" in url else "//" + url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, 80, 443) else None
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{f':{port}' if port else ''}{path}{query}"


def archived_copy(url: str) -> tuple[str, str] | None:
    """(original URL, the archive's timestamp as ISO UTC) of a web-archive URL; None for
    any other URL. A short timestamp (20220514) stands for the start of its period.

    >>> archived_copy("https://web.archive.org/web/20220514id_/www.bls.gov/ooh/x.htm")
    ('http://www.bls.gov/ooh/x.htm', '2022-05-14T00:00:00Z')
    >>> archived_copy("https://example.org/web/pages/x.htm") is None
    True
    """
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    m = ARCHIVED.search(target)
    if not m:
        return None
    stamp = m.group("stamp").ljust(14, "0")
    month, day = stamp[4:6], stamp[6:8]
    stamp = stamp[:4] + (month if month != "00" else "01") + (day if day != "00" else "01") + stamp[8:]
    original = re.sub(r"^(https?):/+", r"\1://", m.group("url"))
    if not re.match(r"https?://", original, re.I):
        original = "http://" + original
    iso = (f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[8:10]}:{stamp[10:12]}:"
           f"{stamp[12:14]}Z")
    return original, iso


@dataclass(frozen=True)
class PageCapture:
    """One registered source as a capture of its page."""

    source_id: str
    url: str  # the page's normalised URL ("" when the registry gives none)
    as_of: str  # the moment the capture shows the page, ISO (date or UTC timestamp)
    status: str  # current | superseded | duplicate
    current: str  # id of the page's current capture
    next: str = ""  # the capture that supersedes it or that it duplicates ("" when current)
    previous: str = ""  # the version before it (superseded captures and current only)


def _moment(as_of: str) -> str:
    """A sortable moment: a date is the start of its day."""
    return as_of if "T" in as_of else f"{as_of}T00:00:00Z"


def page_captures(sources: list) -> dict[str, PageCapture]:
    """Each source's place among the captures of its page, by source id.

    `sources` are registry `Source`s (id, url, original_url, sha256, supersedes, as_of),
    in registry order. A source alone on its page is `current`.

    >>> from pipeline.registry import Source
    >>> def s(id, url, sha, day):
    ...     return Source(id=id, path="", format="html", sha256=sha, retrieved=day,
    ...                   title="", authority="secondary", url=url)
    >>> found = page_captures([s("a", "https://x.org/p", "1", "2025-05-01"),
    ...                        s("b", "http://X.org/p/", "2", "2026-05-01"),
    ...                        s("c", "https://y.org/q", "2", "2026-05-01")])
    >>> [(p.source_id, p.status, p.next) for p in found.values()]
    [('a', 'superseded', 'b'), ('b', 'duplicate', 'c'), ('c', 'current', '')]
    """
    parent = {s.id: s.id for s in sources}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_at: dict[str, str] = {}  # a URL's first capture
    same_bytes: dict[str, dict[str, str]] = defaultdict(dict)  # sha256 -> URL -> first id
    for s in sources:
        url = page_url(s)
        if url:
            union(first_at.setdefault(url, s.id), s.id)
        # the same bytes join captures when nothing tells their pages apart: one of them
        # records no URL; two URLs that serve the same bytes stay two pages (below)
        held = same_bytes[s.sha256]
        for other_url, other in held.items():
            if not url or not other_url:
                union(other, s.id)
        held.setdefault(url, s.id)
    for s in sources:
        if s.supersedes and s.supersedes in parent:
            union(s.supersedes, s.id)
    by_id = {s.id: s for s in sources}
    depth = {s.id: _depth(s.id, by_id) for s in sources}
    order = {s.id: n for n, s in enumerate(sources)}
    groups: dict[str, list] = defaultdict(list)
    for s in sources:
        groups[find(s.id)].append(s)
    found: dict[str, PageCapture] = {}
    for members in groups.values():
        members.sort(key=lambda s: (_moment(s.as_of), depth[s.id], _moment(s.retrieved),
                                    order[s.id]))
        current = members[-1]
        versions = []
        for i, s in enumerate(members):
            if i == len(members) - 1:
                continue
            nxt = members[i + 1]
            if nxt.sha256 == s.sha256 or (_moment(nxt.as_of) == _moment(s.as_of)
                                          and nxt.format != s.format):
                found[s.id] = PageCapture(s.id, page_url(s), s.as_of, DUPLICATE, current.id,
                                          nxt.id)
            else:
                versions.append(s)
        versions.append(current)
        for i, s in enumerate(versions):
            found[s.id] = PageCapture(
                s.id, page_url(s), s.as_of, CURRENT if s is current else SUPERSEDED, current.id,
                "" if s is current else versions[i + 1].id,
                versions[i - 1].id if i else "")
    # pages whose current captures hold the same bytes (two URLs serving one document)
    # count once: the one that shows it latest, the others duplicates of it; each page
    # keeps its own captures, so a later change to one of them is that page's alone
    current_with: dict[str, list] = defaultdict(list)
    for s in sources:
        if found[s.id].status == CURRENT:
            current_with[s.sha256].append(s)
    for same in current_with.values():
        same.sort(key=lambda s: (_moment(s.as_of), depth[s.id], _moment(s.retrieved),
                                 order[s.id]))
        for s in same[:-1]:
            page = found[s.id]
            found[s.id] = PageCapture(s.id, page.url, page.as_of, DUPLICATE, same[-1].id,
                                      same[-1].id, page.previous)
    return {s.id: found[s.id] for s in sources}


def repeated_bytes(sources: list, found: dict[str, PageCapture]) -> list[tuple[str, str]]:
    """(source id, id of the entry it repeats) for each pair of a page's captures that hold
    the same bytes, follow each other, and record no two URLs to tell them apart: one
    document registered twice, usually a curator's slip. In registry order; the entry
    named is the later one of the registry.

    Not a repeat: a page that changed and then changed back (an older capture's bytes
    after a different one), and two URLs that serve the same bytes (`capture` registers
    each URL; they count once as one page's captures all the same).

    >>> from pipeline.registry import Source
    >>> def s(id, url, sha, day):
    ...     return Source(id=id, path="", format="html", sha256=sha, retrieved=day,
    ...                   title="", authority="secondary", url=url)
    >>> twice = [s("a", "", "1", "2025-05-01"), s("b", "", "1", "2025-05-02")]
    >>> repeated_bytes(twice, page_captures(twice))
    [('b', 'a')]
    >>> reverted = [s("a", "https://x.org/p", "1", "2025-05-01"),
    ...             s("b", "https://x.org/p", "2", "2025-06-01"),
    ...             s("c", "https://x.org/p", "1", "2025-07-01")]
    >>> repeated_bytes(reverted, page_captures(reverted))
    []
    """
    by_id = {s.id: s for s in sources}
    order = {s.id: n for n, s in enumerate(sources)}
    pairs = []
    for s in sources:
        page = found.get(s.id)
        if page is None or page.status != DUPLICATE or page.next not in by_id:
            continue
        other = by_id[page.next]
        if other.sha256 != s.sha256:
            continue  # text and HTML of one moment: two renderings, not one file twice
        if page_url(s) and page_url(other) and page_url(s) != page_url(other):
            continue
        later, earlier = sorted((s, other), key=lambda x: order[x.id], reverse=True)
        pairs.append((later.id, earlier.id))
    return sorted(pairs, key=lambda pair: order[pair[0]])


def _depth(source_id: str, by_id: dict) -> int:
    """How many `supersedes:` links lead back from a capture (cycles stop the count)."""
    seen = {source_id}
    n = 0
    s = by_id[source_id]
    while s.supersedes in by_id and s.supersedes not in seen:
        seen.add(s.supersedes)
        s = by_id[s.supersedes]
        n += 1
    return n


def page_url(source) -> str:
    """The normalised URL a capture counts under: the archived page's for an archive copy."""
    return normalised_url(source.original_url or source.url)


@dataclass(frozen=True)
class PageChange:
    """A figure the page changed between two of its captures."""

    page: str  # the page's URL (normalised), or its current capture's id
    before_capture: str
    before_as_of: str
    after_capture: str
    after_as_of: str
    change: str  # changed | added | removed
    key: tuple  # the fact key (pipeline.reconcile.KEY_FIELDS)
    before: str  # the figures the older capture states for the key ("$44,090 (2020)")
    after: str


def page_changes(claims: list[Claim], pages: dict[str, PageCapture]) -> list[PageChange]:
    """What each page changed from one of its versions to the next, key by key: a figure
    changed, added or no longer stated. Figures that agree (the same number at the
    coarser precision) are unchanged.

    `claims` are the valid claims of every capture, current and history alike.
    """
    from pipeline.reconcile import clusters_of, key_of, reading_of
    from pipeline.report import figure_of, period_text

    by_source: dict[str, dict[tuple, list]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        by_source[claim.source_id][key_of(claim)].append(reading_of(claim, "unknown"))

    def stated(readings: list) -> list[str]:
        out = []
        for cluster in clusters_of(readings):
            periods = sorted(cluster.periods)
            out.append(figure_of(cluster.representative) + (
                f" ({', '.join(period_text(p) for p in periods)})" if periods else ""))
        return out

    changes = []
    for page in pages.values():
        if not page.previous:  # a page's first version, or a duplicate within its page
            continue
        before, after = by_source.get(page.previous, {}), by_source.get(page.source_id, {})
        older = pages[page.previous]
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key, []), after.get(key, [])
            if old and new and _same_figures(old, new):
                continue
            kind = "changed" if old and new else ("added" if new else "removed")
            changes.append(PageChange(
                page.url or page.current, page.previous, older.as_of, page.source_id,
                page.as_of, kind, key, "; ".join(stated(old)) if old else "",
                "; ".join(stated(new)) if new else ""))
    return sorted(changes, key=lambda c: (c.page, _moment(c.after_as_of), c.key, c.change))


def _same_figures(old: list, new: list) -> bool:
    """Whether two captures state the same figures for a key: every cluster of one has an
    agreeing cluster in the other."""
    from pipeline.reconcile import agree, clusters_of

    a = [c.representative for c in clusters_of(old)]
    b = [c.representative for c in clusters_of(new)]
    return (all(any(agree(x, y) for y in b) for x in a)
            and all(any(agree(x, y) for x in a) for y in b))
