"""One catalogue of the problems a refresh can meet, each with a stable code.

Problems are data: every stage returns them beside its output instead of raising, the
report lists them, and the CLI counts them per code. A problem names the source id, the
file and what to do about it.

>>> p = problem("document-empty", source_id="seed-004", path="raw/new.txt")
>>> p.message
'raw/new.txt holds no text'
>>> p.severity
'error'
"""
from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus


@dataclass(frozen=True)
class Kind:
    title: str
    template: str
    hint: str
    severity: str = "error"  # error: data is missing from the outputs; warning: it is not


CATALOGUE: dict[str, Kind] = {
    "registry-unreadable": Kind(
        "Source registry cannot be read",
        "{path}: {detail}",
        "fix the file: the registry is YAML, a list of mappings under `sources:` (one per "
        "page: id, path, sha256, retrieved, title, authority)",
    ),
    "registry-not-found": Kind(
        "Source registry not found",
        "{path} does not exist",
        "run careerfacts in the project folder (the one holding raw/sources.yaml), or name "
        "it with `careerfacts --project DIR`",
    ),
    "registry-invalid-entry": Kind(
        "Source registry entry is invalid",
        "{detail}",
        "correct the entry in raw/sources.yaml (see README, 'Adding a source')",
    ),
    "registry-duplicate-id": Kind(
        "Two registry entries share an id",
        "id {source_id!r} is used by {detail}; entry {path} was skipped",
        "give each capture its own id",
    ),
    "registry-path-outside-raw": Kind(
        "Registry path points outside raw/",
        "path {path!r} is not inside raw/",
        "copy the document into raw/ and register that path",
    ),
    "registry-file-missing": Kind(
        "Registered file is missing or cannot be read",
        "{path} {detail}",
        "add the file to raw/ (or let careerfacts read it), or remove the entry",
    ),
    "registry-sha256-mismatch": Kind(
        "File does not match its registered sha256",
        "{path} has sha256 {detail}",
        "raw/ documents are immutable: register a changed page as a new capture "
        "with its own id, or restore the original bytes",
    ),
    "registry-not-appendable": Kind(
        "A new entry cannot be appended to the registry",
        "{path}: {detail}",
        "make `sources:` the last block of the registry, written as a list of `- id: …` "
        "items; nothing was captured",
    ),
    "duplicate-capture": Kind(
        "Two registry entries hold the same bytes",
        "{path} has the same sha256 as {detail}; the page counts once",
        "remove the duplicate entry, or keep it knowing only one capture is the page's claim",
        severity="warning",
    ),
    "supersedes-unknown": Kind(
        "Registry entry supersedes an entry that is not there",
        "supersedes {detail!r}, which is not a usable entry of the registry",
        "correct `supersedes:` to the id of the page's previous capture, or remove it",
        severity="warning",
    ),
    "format-unsupported": Kind(
        "No extractor for this format",
        "{path}: format {detail!r} has no extractor",
        "set `format:` to one of the supported formats",
    ),
    "document-empty": Kind(
        "Document is empty",
        "{path} holds no text",
        "capture the page again",
    ),
    "document-undecodable": Kind(
        "Document cannot be decoded as text",
        "{path}: {detail}",
        "save the page as UTF-8, or check that it is really a text page",
    ),
    "document-unreadable": Kind(
        "Document cannot be opened",
        "{path}: {detail}",
        "check the capture: save the page again, or export an unencrypted PDF",
    ),
    "document-no-text-layer": Kind(
        "PDF has no text layer",
        "{path} is a PDF without text (a scanned image); careerfacts does not do OCR",
        "find a text version of the page, or register an OCR'd copy as a new capture",
    ),
    "document-time-limit": Kind(
        "Document took too long to extract",
        "{path}: extraction was stopped after {detail} s; none of its figures are in the outputs",
        "check the capture (a page this large is rarely one career page: save the article "
        "alone), or allow more time with `careerfacts refresh --time-limit SECONDS`",
    ),
    "document-no-figures": Kind(
        "No figures found in the document",
        "{path}: no wage, growth, openings, education or certification figures recognised",
        "check that the capture holds the page's content (not an error or consent page); "
        "run `careerfacts extract --explain {path}` to see every figure and what became of it",
        severity="warning",
    ),
    "decision-invalid": Kind(
        "Analyst decision cannot be used",
        "{path}: {detail}",
        "correct the entry in decisions.yaml (see docs/reconciliation.md, 'Analyst decisions')",
    ),
    "decision-needs-review": Kind(
        "Analyst decision not applied: it needs review",
        "{path}: {detail}",
        "read the discrepancy in reports/discrepancies.md and record a new decision with "
        "`careerfacts decide … --replace`, or remove the entry from decisions.yaml",
        severity="warning",
    ),
    "history-unreadable": Kind(
        "A run record of the history cannot be read",
        "{path}: {detail}; this run is left out of the history",
        "restore the file or delete it: the other runs are still compared, and run numbers "
        "are never reused",
        severity="warning",
    ),
    "history-repeat-unreadable": Kind(
        "A repeated run's record cannot be read",
        "{path}: {detail}",
        "restore that run's record to compare this run with `careerfacts diff`, or delete "
        "this one: run numbers are never reused",
        severity="warning",
    ),
    "history-base-unreadable": Kind(
        "The record a run's record is based on cannot be read",
        "{path}: {detail}",
        "restore that run's record to compare this run with `careerfacts diff`, or delete "
        "this one: run numbers are never reused",
        severity="warning",
    ),
    "history-newer-layout": Kind(
        "A run record was written by a newer careerfacts",
        "{path}: {detail}; it is read for what this version knows, and what it holds "
        "beyond that may be left out or misread",
        "upgrade careerfacts to the version that wrote it, or a later one, to read it as "
        "written",
        severity="warning",
    ),
    "history-run-unknown": Kind(
        "No such run in the history",
        "{detail}",
        "list the recorded runs with `careerfacts history`; a refresh records one",
    ),
    "claim-invalid": Kind(
        "Claim failed the claims contract and was quarantined",
        "{detail}",
        "see curated/quarantine.csv; fix the extractor rule or the page registration",
    ),
    "official-layout-unknown": Kind(
        "Official file does not have the layout of its dataset",
        "{path}: {detail}",
        "check the registry's `dataset:` for this file, or register the agency's "
        "unmodified download",
    ),
    "official-period-missing": Kind(
        "Official file does not say which release it is",
        "{path}: {detail}",
        "add `period:` (e.g. 2024, or 2024-2034) to the file's entry in raw/sources.yaml",
    ),
    "official-period-mismatch": Kind(
        "Official file and registry disagree on the release",
        "{path}: {detail}",
        "correct `period:` in raw/sources.yaml, or check that the right file was saved",
    ),
    "official-value-unreadable": Kind(
        "Official file holds a value that is neither a number nor a known special value",
        "{path}: {detail}",
        "check the cell in the file; the rest of the file was read",
        severity="warning",
    ),
    "official-rows-skipped": Kind(
        "Official file holds rows this reader does not read",
        "{path}: {detail}",
        "register the national cross-industry file of the release",
        severity="warning",
    ),
    "official-copies-disagree": Kind(
        "Two copies of a classification disagree",
        "{path}: {detail}",
        "compare the copies with the agency's file and register only a correct one",
        severity="warning",
    ),
    "occupation-ambiguous": Kind(
        "Occupation could not be told from the words",
        "{path}: {detail}",
        "add `occupation:` (a SOC code) to the source's entry in raw/sources.yaml",
        severity="warning",
    ),
    "occupation-unresolved": Kind(
        "No occupation found for the figures of a source",
        "{path}: {detail}",
        "add `occupation:` (a SOC code) to the source's entry in raw/sources.yaml",
        severity="warning",
    ),
    "occupation-unknown-code": Kind(
        "SOC code is in neither the SOC 2018 nor the SOC 2010 crosswalk",
        "{path}: {detail}",
        "correct the code (see raw/official/soc_2018_structure.csv)",
        severity="warning",
    ),
    "occupation-split": Kind(
        "SOC 2010 occupation was split in SOC 2018 and nothing tells which part a figure is of",
        "{path}: {detail}",
        "give the SOC 2018 code with `occupation:` in raw/sources.yaml",
        severity="warning",
    ),
    "extractor-failed": Kind(
        "Extractor failed on this document",
        "{path}: {detail}",
        "run with --debug for the traceback and report it with the document attached",
    ),
}

# Fetching a page (`careerfacts capture`): the path is the URL; nothing is written.
CATALOGUE.update({
    "capture-invalid-url": Kind(
        "Not a URL that can be captured",
        "{path}: {detail}",
        "give an http:// or https:// URL of the page",
    ),
    "capture-robots-disallowed": Kind(
        "robots.txt does not allow fetching this page",
        "{path}: {detail}",
        "the site asks crawlers not to fetch it: save the page by hand if its terms allow, "
        "or capture an archived copy",
    ),
    "capture-robots-unreachable": Kind(
        "robots.txt of the site could not be read",
        "{path}: {detail}",
        "a site whose robots.txt fails is treated as disallowing everything; try again later",
    ),
    "capture-timeout": Kind(
        "The site did not answer in time",
        "{path}: {detail}",
        "try again later, or give a longer --timeout",
    ),
    "capture-connection-failed": Kind(
        "The site could not be reached",
        "{path}: {detail}",
        "check the host name and the network, then try again",
    ),
    "capture-redirect-loop": Kind(
        "The page redirects in a loop",
        "{path}: {detail}",
        "open the URL in a browser to find the page's real address and capture that",
    ),
    "capture-too-many-redirects": Kind(
        "The page redirects too many times",
        "{path}: {detail}",
        "capture the URL the redirects lead to",
    ),
    "capture-too-large": Kind(
        "The page is larger than the size limit",
        "{path}: {detail}",
        "check that the URL is the page itself (not a download); raise --max-size if it is",
    ),
    "capture-unsupported-content-type": Kind(
        "The URL does not serve an HTML page or a PDF",
        "{path}: {detail}",
        "careerfacts captures HTML pages and PDFs; find the page that shows the figures",
    ),
    "capture-empty": Kind(
        "The page is empty",
        "{path}: the server sent no content",
        "try again later; the page may be rendered by scripts only",
    ),
    "capture-id-taken": Kind(
        "The capture id is already registered",
        "{path}: id {source_id!r} is taken by {detail}",
        "give another --id, or none to have one made from the URL and time",
    ),
    "capture-http-status": Kind(
        "The site answered with an error",
        "{path}: {detail}",
        "open the URL in a browser to see what the site says",
    ),
})


def _http_kind(status: HTTPStatus) -> Kind:
    if status in (HTTPStatus.NOT_FOUND, HTTPStatus.GONE):
        hint = "the page has moved or gone: find its new address, or capture an archived copy"
    elif status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        hint = "the site refuses the request: save the page by hand if its terms allow"
    elif status == HTTPStatus.TOO_MANY_REQUESTS:
        hint = "the site limits how often it may be fetched: try again later"
    elif status >= 500:
        hint = "the site has a problem of its own: try again later"
    else:
        hint = "check the URL; open it in a browser to see what the site says"
    return Kind(f"HTTP {status.value} {status.phrase}", "{path}: {detail}", hint)


# One stable code per HTTP error status: capture-http-404, capture-http-429, …
CATALOGUE.update({f"capture-http-{s.value}": _http_kind(s) for s in HTTPStatus
                  if 400 <= s.value < 600})


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    severity: str
    hint: str
    source_id: str = ""
    path: str = ""
    locator: str = ""
    detail: str = field(default="", compare=False)

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title

    def line(self) -> str:
        """One line for people: `error [code] source: message (what to do)`."""
        who = f"{self.source_id}: " if self.source_id else ""
        return f"{self.severity} [{self.code}] {who}{self.message} — {self.hint}"


def problem(code: str, *, source_id: str = "", path: str = "", locator: str = "",
            detail: str = "") -> Problem:
    """A Problem of a catalogued kind, its message filled from the template."""
    kind = CATALOGUE[code]
    values = {"source_id": source_id, "path": path, "detail": detail, "locator": locator}
    return Problem(
        code=code,
        message=kind.template.format(**values),
        severity=kind.severity,
        hint=kind.hint.format(**values),
        source_id=source_id,
        path=path,
        locator=locator,
        detail=detail,
    )
