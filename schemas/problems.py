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
        "fix the YAML syntax; the registry is a list of mappings under `sources:`",
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
        "Registered file does not exist",
        "{path} does not exist",
        "add the file to raw/ or remove the entry",
    ),
    "registry-sha256-mismatch": Kind(
        "File does not match its registered sha256",
        "{path} has sha256 {detail}",
        "raw/ documents are immutable: register a changed page as a new capture "
        "with its own id, or restore the original bytes",
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
    "document-no-figures": Kind(
        "No figures found in the document",
        "{path}: no wage, growth, openings, education or certification figures recognised",
        "check that the capture holds the page's content (not an error or consent page); "
        "run `careerfacts extract {path}` to see what is read",
        severity="warning",
    ),
    "decision-invalid": Kind(
        "Analyst decision cannot be used",
        "{path}: {detail}",
        "correct the entry in decisions.yaml (see docs/reconciliation.md, 'Analyst decisions')",
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
        "SOC 2010 occupation was split in SOC 2018 and the figures match none of the parts",
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
