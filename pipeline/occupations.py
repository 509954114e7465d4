"""Which occupation each claim is about: a SOC 2018 code and how it was found.

    resolved_occupations(claims, docs, sources, official) -> claims, split parts, problems

In order, for each claim:

1. a code the page prints for the figure (`occupation_basis = stated`, set by the
   extractor; a table row's `soc` column) is kept;
2. a claim whose row or box states another occupation's figure (`occupation_text`,
   "Database Architects") gets that title's code (`title`), never the page's;
3. otherwise the registry's `occupation` (`registry`);
4. otherwise the page's own title or heading (`title`): the registry's title, then the
   candidates of extractors/titles.py, matched against SOC 2018 titles and O*NET titles
   and alternate titles ("Medical Coder", "Electricians", "Paralegal Salary").

A SOC 2010 code, stated or not, goes through the crosswalk (`crosswalk`): one mapped to
a single SOC 2018 occupation becomes it. One that was split (29-2071 became 29-2072 and
29-9021) becomes the part the page is about (its registry `occupation`, else its title);
when the page names none of the parts, a page's figure is matched against each part in
vintage matching, which says which one it is from (`undecided_splits` reports the
figures it cannot tell), and a primary source's figure, itself a release, is reported
with the candidates. No claim keeps a SOC 2010 code. A title that names several
occupations equally well ("Delivery Driver": light truck drivers, couriers, …) is
reported with its candidates, never guessed; so is a title that names a group
("Healthcare Support Occupations").
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from extractors.claims import Claim
from extractors.document import Document
from extractors.titles import TitleCandidate, title_candidates
from pipeline.official import Official
from pipeline.registry import Source
from schemas.problems import Problem, problem

KIND_RANK = {"soc-detailed": 0, "soc-broad": 1, "onet-title": 2, "onet-short": 3,
             "onet-alternate": 4, "soc-head": 5, "soc-minor": 6, "soc-major": 7}
"""How much a title says about an occupation: the SOC's own title first, an O*NET
alternate title ("Medical Coder") after it; a group's title names no single occupation.
A `soc-head` is a SOC title's words before its first comma, as pages shorten it
("Kindergarten Teachers" for "Kindergarten Teachers, Except Special Education"): only
where no official title and no alternate title says the same ("Dispatchers" is a broad
group's title, "Director" an alternate title of Producers and Directors)."""

GROUP_KINDS = ("soc-minor", "soc-major")
MAX_PHRASE = 14
_INDEX_PREFIX = "title-index-"
"""The kept TitleIndex's file name in the official tables' cache folder, before the hash of
the code that builds it."""


def _index_fingerprint() -> str:
    from pipeline.cache import code_fingerprint

    return code_fingerprint((), ("pipeline/occupations.py",))


SOC_CODE = re.compile(r"(?<![\d-])(\d{2}-\d{4})(?:\.\d{2})?(?![\d-])")


def words(text: str, acronyms: bool | None = None) -> tuple[str, ...]:
    """A title as comparable words: lower case, "&" as "and", punctuation gone, plurals
    singular ("Paramedics" and "Paramedic" meet). Acronyms stay upper case ("CEOs" is
    "CEO", but "Do" is not O*NET's "DO"), except in a line written all in capitals.

    >>> words("Helpers--Carpenters"), words("What Do CEOs Make?")
    (('helper', 'carpenter'), ('what', 'do', 'CEO', 'make'))
    """
    return tuple(stem for stem, _ in _tokens(text, acronyms))


def _tokens(text: str, acronyms: bool | None = None) -> list[tuple[str, str]]:
    """(comparable word, the word in lower case as written) of a text."""
    if acronyms is None:
        acronyms = text.upper() != text
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    out = []
    for raw in re.findall(r"[A-Za-z0-9]+", text):
        if acronyms and re.fullmatch(r"[A-Z]{2,}s?", raw) and raw[:2].isupper():
            out.append((raw[:-1] if raw.endswith("s") else raw, raw.lower()))
            continue
        token = raw.lower()
        if len(token) > 3 and token.endswith("ies"):
            token = token[:-3] + "y"
        elif len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.append((token, raw.lower()))
    return out


def _head(title: str) -> str:
    """A SOC title's words before its first comma when they name the occupation on their
    own: "Opticians" of "Opticians, Dispensing"; "" when there are none: no comma, an
    "All Other" title ("Managers, All Other"), or a list ("Captains, Mates, and Pilots of
    Water Vessels", "Computer, Automated Teller, and Office Machine Repairers"), or a
    college teacher's ("Business Teachers, Postsecondary").

    >>> _head("Kindergarten Teachers, Except Special Education"), _head("Dentists, All Other Specialists")
    ('Kindergarten Teachers', '')
    """
    head, _, rest = title.partition(",")
    head, rest = head.strip(), rest.lower()
    if not rest or "all other" in rest or "postsecondary" in rest or ", and " in title or \
            not head.endswith("s"):
        return ""  # "English Teacher" is no more a college's than a high school's
    return head


@dataclass(frozen=True)
class TitleMatch:
    outcome: str  # resolved | ambiguous | group | none
    code: str = ""
    candidates: tuple[str, ...] = ()
    phrase: str = ""  # the words that matched
    stated: bool = False  # the text prints the SOC code


class TitleIndex:
    """SOC 2018 titles and O*NET titles, looked up by their words."""

    def __init__(self, titles: list[dict], levels: dict[str, str], parents: dict[str, str],
                 crosswalk: dict[str, tuple[str, ...]] | None = None):
        self.levels = levels
        self.parents = parents
        self.crosswalk = crosswalk or {}
        self.phrases: dict[tuple[str, ...], dict[str, int]] = defaultdict(dict)
        self.exact: dict[tuple[str, ...], set[tuple[str, str]]] = defaultdict(set)
        # each occupation's own title as words: whole, and before its first comma (the
        # head of "Opticians, Dispensing"), to tell apart occupations sharing a title
        self.own: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self.heads: dict[tuple[str, ...], set[str]] = {}  # a head -> the codes it heads
        self.college: dict[str, bool] = {}  # a college teacher's ("…, Postsecondary")
        heads = []
        for row in titles:
            rank = KIND_RANK.get(row["kind"])
            tokens = _tokens(row["title"], acronyms=True)
            key = tuple(stem for stem, _ in tokens)
            detailed = row["kind"] == "soc-detailed"
            head = _tokens(_head(row["title"]), acronyms=True) if detailed else []
            head_key = tuple(stem for stem, _ in head)
            if key and (detailed or row["kind"] == "onet-title" and row["soc"] not in self.own):
                self.own[row["soc"]] = (key, head_key or key)
                self.college[row["soc"]] = "postsecondary" in row["title"].lower()
                if head_key:
                    self.heads.setdefault(head_key, set()).add(row["soc"])
            if rank is None or not key or len(key) > MAX_PHRASE:
                continue
            self._add(key, row["soc"], rank, " ".join(raw for _, raw in tokens))
            if head_key:
                heads.append((head_key, row["soc"], " ".join(raw for _, raw in head)))
        said = set(self.phrases)  # what official and alternate titles say already
        for key, code, written in heads:
            if key not in said:  # two occupations may share a head ("Bus Drivers")
                self._add(key, code, KIND_RANK["soc-head"], written)

    def _add(self, key: tuple[str, ...], code: str, rank: int, written: str) -> None:
        if not key:
            return
        known = self.phrases[key].get(code)
        if known is None or rank < known:
            self.phrases[key][code] = rank
        self.exact[key].add((code, written))

    @classmethod
    def of(cls, official: Official) -> TitleIndex:
        """The index of the official tables' titles. Building it stems some 60,000
        titles (about 2 s), so where the tables are cached (`official.directory`) it is
        kept beside them and read back (a tenth of that): a refresh that reads one new
        page without a registry occupation costs the page, not the index. The kept index
        is named by this module's code and checked when read; one that fails is built
        again."""
        directory = official.directory
        path = directory / f"{_INDEX_PREFIX}{_index_fingerprint()}.cfx" if directory else None
        if path is not None:
            from pipeline.cache import unsealed

            try:
                return cls._of_state(unsealed(path.read_bytes()))
            except (OSError, ValueError, TypeError, KeyError):
                pass  # not kept yet, or not as this code keeps it: built again
        levels = {code: e.level for code, e in official.structure.items()}
        parents = {code: e.parent for code, e in official.structure.items()}
        index = cls(official.titles(), levels, parents, official.crosswalk)
        if path is not None:
            index._keep(path)
        return index

    _STATE = ("levels", "parents", "crosswalk", "phrases", "exact", "own", "heads", "college")

    def _keep(self, path: Path) -> None:
        """Write the index beside the official tables (plain values behind a checksum)
        and drop what older code kept there; a cache that cannot be written costs only
        time. Only into the tables' folder as it is: one another refresh removed
        meanwhile (its official files changed) is not made again."""
        import os
        import tempfile

        from pipeline.cache import sealed

        folder = path.parent
        if not (folder / "done.json").is_file():
            return
        state = {name: dict(getattr(self, name)) for name in self._STATE}
        try:
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        except OSError:
            return  # the folder is gone
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(sealed(state))
            os.replace(temp, path)
            for old in folder.glob(f"{_INDEX_PREFIX}*.cfx"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            if os.path.exists(temp):
                os.unlink(temp)

    @classmethod
    def _of_state(cls, state: dict) -> TitleIndex:
        """The index `_keep` wrote, as it was built (its lookups add to two of its tables
        as they go, as `defaultdict`s do)."""
        index = cls.__new__(cls)
        for name in cls._STATE:
            value = state[name]
            if not isinstance(value, dict):
                raise TypeError(f"{name} is no table")
            setattr(index, name, value)
        index.phrases = defaultdict(dict, index.phrases)
        index.exact = defaultdict(set, index.exact)
        return index

    def match(self, text: str) -> TitleMatch:
        """The occupation a title names.

        >>> index = TitleIndex([
        ...     dict(soc="29-1020", kind="soc-broad", title="Dentists"),
        ...     dict(soc="29-1021", kind="soc-detailed", title="Dentists, General"),
        ...     dict(soc="29-1021", kind="onet-alternate", title="Dentist"),
        ...     dict(soc="53-3033", kind="onet-alternate", title="Delivery Driver"),
        ...     dict(soc="43-5021", kind="onet-alternate", title="Delivery Driver"),
        ...     dict(soc="31-0000", kind="soc-major", title="Healthcare Support Occupations")],
        ...     {"29-1020": "broad", "29-1021": "detailed", "31-0000": "major"},
        ...     {"29-1021": "29-1020"})
        >>> index.match("How Much Do Dentists Make Around the World?").code
        '29-1021'
        >>> index.match("Delivery Driver Jobs Near Reno, NV").candidates
        ('43-5021', '53-3033')
        >>> index.match("Healthcare Support Occupations (31-0000)").outcome
        'group'
        """
        codes = sorted({m.group(1) for m in SOC_CODE.finditer(text)
                        if m.group(1) in self.levels or m.group(1) in self.crosswalk})
        if codes:
            if len(codes) > 1:
                return TitleMatch("ambiguous", candidates=tuple(codes), stated=True)
            if self.levels.get(codes[0]) in ("major", "minor"):
                return TitleMatch("group", codes[0], (codes[0],), stated=True)
            return TitleMatch("resolved", codes[0], (codes[0],), stated=True)
        pairs = _tokens(text)
        tokens = tuple(stem for stem, _ in pairs)
        spans = []
        for start in range(len(tokens)):
            for end in range(min(len(tokens), start + MAX_PHRASE), start, -1):
                key = tokens[start:end]
                entries = self.phrases.get(key)
                if entries:
                    written = " ".join(raw for _, raw in pairs[start:end])
                    decision = self._decide(key, entries, written)
                    if decision is not None:
                        spans.append((end - start, start, decision))
                    break
        spans += self._shared_head(tokens, pairs, spans)
        if not spans:
            return TitleMatch("none")
        longest = max(length for length, _, _ in spans)
        decisions = {decision for length, _, decision in spans if length == longest}
        phrase = " ".join(next(tokens[s:s + n] for n, s, _ in spans if n == longest))
        if len(decisions) == 1:
            outcome, code, candidates = decisions.pop()
            return TitleMatch(outcome, code, candidates, phrase)
        candidates = tuple(sorted({c for _, _, cs in decisions for c in cs}))
        return TitleMatch("ambiguous", candidates=candidates, phrase=phrase)

    def _shared_head(self, tokens: tuple[str, ...], pairs: list[tuple[str, str]],
                     spans: list[tuple]) -> list[tuple]:
        """Spans of the occupations a title joins under one noun: "Kindergarten and
        Elementary School Teachers" names kindergarten teachers as well as elementary
        school teachers, as long a phrase as the one matched."""
        found = {start: length for length, start, _ in spans}
        out = []
        for k in range(1, len(tokens) - 1):
            length = found.get(k + 1)
            if tokens[k] != "and" or length is None:
                continue
            last = k + length  # the joined phrase's last word: its noun
            key = (tokens[k - 1], tokens[last])
            entries = self.phrases.get(key)
            if entries:
                decision = self._decide(key, entries, f"{pairs[k - 1][1]} {pairs[last][1]}")
                if decision is not None:
                    out.append((length, k - 1, decision))
        return out

    def _decide(self, key: tuple[str, ...], entries: dict[str, int], written: str
                ) -> tuple[str, str, tuple[str, ...]] | None:
        best = min(entries.values())
        top = sorted(code for code, rank in entries.items() if rank == best)
        if len(top) > 1:
            # "Material Mover" and "Material Movers" are alternate titles of two
            # occupations: the one written as the page writes it wins
            same = sorted({code for code, form in self.exact[key] if form == written} & set(top))
            top = same if len(same) == 1 else top
        if len(top) > 1 and best < KIND_RANK["soc-minor"]:
            top = self._named_by_own_title(key, top)
        if len(key) == 1 and len(top) > 1 and best > KIND_RANK["soc-broad"]:
            return None  # one word several occupations use ("Guide"): says nothing
        if best >= KIND_RANK["soc-minor"]:
            return "group", top[0], tuple(top)
        if len(top) == 1 and self.levels.get(top[0]) == "broad":
            # "Dentists" is a broad group; its O*NET alternate "Dentist" names one of its
            # detailed occupations (Dentists, General)
            inner = sorted(c for c in entries if self.parents.get(c) == top[0])
            if len(inner) == 1:
                return "resolved", inner[0], (inner[0],)
        if len(top) == 1:
            return "resolved", top[0], (top[0],)
        return "ambiguous", "", tuple(top)

    def _named_by_own_title(self, key: tuple[str, ...], codes: list[str]) -> list[str]:
        """Of occupations that share a title (O*NET lists "Optician" for Opticians,
        Dispensing and for Ophthalmic Laboratory Technicians), those whose own SOC title
        says it, else all of them:

        - its head (the words before its first comma) is the title: "Opticians,
          Dispensing" for "Optician"; every occupation of that head is named ("Sales
          Representatives, Wholesale and Manufacturing, …" is the head of two);
        - for a title of several words, the own title begins with it ("Environmental
          Scientists and Specialists, …" for "Environmental Scientist"), else begins
          with its first word and its head ends with its last ("Financial and Investment
          Analysts" for "Financial Analyst").

        Words elsewhere in a title are not enough: "Research Scientist" is not Computer
        and Information Research Scientists, "Medical Technician" not Emergency Medical
        Technicians. A college teacher's title never decides ("History Teachers,
        Postsecondary" for "History Teacher", which high schools employ as well).

        >>> index = TitleIndex([
        ...     dict(soc="29-2081", kind="soc-detailed", title="Opticians, Dispensing"),
        ...     dict(soc="51-9083", kind="soc-detailed", title="Ophthalmic Laboratory Technicians"),
        ...     dict(soc="29-2081", kind="onet-alternate", title="Optician"),
        ...     dict(soc="51-9083", kind="onet-alternate", title="Optician")],
        ...     {"29-2081": "detailed", "51-9083": "detailed"}, {})
        >>> index.match("Opticians: Pay, Outlook and Duties").code
        '29-2081'
        """
        def head(code: str) -> tuple[str, ...]:
            return self.own.get(code, ((), ()))[1]

        def whole(code: str) -> tuple[str, ...]:
            return self.own.get(code, ((), ()))[0]

        deciding = [code for code in codes if not self.college.get(code)]
        named = [code for code in deciding if head(code) == key]
        if named:
            return sorted(set(named) | self.heads.get(key, set()))
        if len(key) > 1:
            for test in (lambda code: whole(code)[:len(key)] == key,
                         lambda code: whole(code)[:1] == key[:1] and head(code)[-1:] == key[-1:]):
                named = [code for code in deciding if test(code)]
                if named:
                    return named
        return codes


def page_occupation(candidates: list[TitleCandidate], index: TitleIndex
                    ) -> tuple[TitleMatch, str]:
    """The occupation a page's titles name, and the words that said so.

    The first candidate that names one occupation wins. A title or heading that names
    several ("Delivery Driver Jobs Near Reno, NV") ends the search among headings (those
    below it are sections or job cards); a later title, h1 or the opening sentence may
    still single out one of its candidates ("Light truck drivers earned …"), never
    another. The opening sentence (`lead`) counts only when it starts with the
    occupation."""
    ambiguous: TitleMatch | None = None
    group: TitleMatch | None = None
    for candidate in candidates:
        if candidate.kind == "heading" and ambiguous is not None:
            continue
        found = index.match(candidate.text)
        if candidate.kind == "lead" and found.outcome == "resolved" and not found.stated:
            if words(candidate.text)[:len(found.phrase.split())] != tuple(found.phrase.split()):
                continue
        if found.outcome == "resolved":
            if ambiguous is not None and found.code not in ambiguous.candidates:
                codes = tuple(sorted({found.code, *ambiguous.candidates}))
                return TitleMatch("ambiguous", candidates=codes), candidate.text
            return found, candidate.text
        if found.outcome == "ambiguous" and ambiguous is None:
            ambiguous = found
        elif found.outcome == "group" and group is None:
            group = found
    if ambiguous is not None:
        return ambiguous, ""
    if group is not None:
        return group, ""
    return TitleMatch("none"), ""


@dataclass(frozen=True)
class CodeCheck:
    code: str  # the SOC 2018 code, or the code as given when it cannot be mapped
    basis_if_mapped: str  # "crosswalk" when a SOC 2010 code was mapped, else ""
    parts: tuple[str, ...] = ()  # a split SOC 2010 occupation's SOC 2018 parts
    known: bool = True


def checked_code(code: str, official: Official) -> CodeCheck:
    """A SOC code as SOC 2018: kept when SOC 2018 has it, mapped when it is a SOC 2010
    code the crosswalk maps to one occupation, left with its parts when it was split."""
    if not official.structure or code in official.structure:
        return CodeCheck(code, "")
    parts = official.crosswalk.get(code, ())
    if len(parts) == 1:
        return CodeCheck(parts[0], "crosswalk")
    if parts:
        return CodeCheck(code, "", parts)
    return CodeCheck(code, "", known=False)


def resolved_occupations(claims: list[Claim],
                         docs: list[Document] | dict[str, list[TitleCandidate]],
                         sources: dict[str, Source], official: Official,
                         index: TitleIndex | None = None
                         ) -> tuple[list[Claim], dict[str, tuple[str, ...]], list[Problem]]:
    """(claims with `occupation` and `occupation_basis` filled in, the SOC 2018 parts of
    each claim whose SOC 2010 occupation was split, problems). See the module docstring.
    `docs` are the documents, or the title candidates of each source already read from
    them (an extraction task reads them where it reads the page)."""
    from pipeline.store import with_fields  # a fast copy of a claim with its occupation

    by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_source[claim.source_id].append(claim)
    if isinstance(docs, dict):
        read_titles = dict(docs)
    else:
        docs_by_id = {d.source_id: d for d in docs}
        read_titles = {}

    def titles_of(source_id: str) -> list[TitleCandidate]:
        if source_id not in read_titles:
            doc = docs_by_id.get(source_id)
            read_titles[source_id] = title_candidates(doc) if doc else []
        return read_titles[source_id]
    lazy: dict[str, TitleIndex] = {}

    def titles() -> TitleIndex:
        if "index" not in lazy:
            lazy["index"] = index or TitleIndex.of(official)
        return lazy["index"]

    out: dict[str, Claim] = {}
    parts: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    reported: set[tuple] = set()

    def report(code: str, source: Source | None, source_id: str, detail: str) -> None:
        if (code, source_id, detail) not in reported:
            reported.add((code, source_id, detail))
            problems.append(problem(code, source_id=source_id,
                                    path=source.path if source else "", detail=detail))

    for source_id, group in by_source.items():
        source = sources.get(source_id)
        registered = source.occupation if source else ""
        primary = source is not None and source.authority == "primary"
        page: list = []  # memo: (code, basis, the problem to report when it is used)

        def page_code(quiet: bool = False) -> tuple[str, str]:
            """The page's own occupation; its problem is reported unless `quiet` (a
            split code asks only whether the page names one of its parts)."""
            if not page:
                page.append(_page_occupation(source, lambda: titles_of(source_id), registered,
                                             official, titles))
            code, basis, trouble = page[0]
            if trouble and not quiet:
                report(*trouble[:1], source, source_id, trouble[1])
            return code, basis

        def decided(code: str, basis: str, text: str) -> tuple[str, str, tuple[str, ...]]:
            """(code, basis, the SOC 2018 parts of a split code left to vintage matching)
            of a claim of this page that states `code`, `basis` and `occupation_text`."""
            split: tuple[str, ...] = ()
            if code and (basis == "stated" or (not basis and code != registered)):
                basis = basis or "stated"
            elif text and basis != "stated":
                found = titles().match(text) if official.structure \
                    else TitleMatch("none")
                if found.outcome == "resolved":
                    code, basis = found.code, "stated" if found.stated else "title"
                else:
                    code, basis = "", ""
                    what = ("names no occupation" if found.outcome in ("none", "group")
                            else f"could name {_named(found.candidates, official)}")
                    report("occupation-ambiguous" if found.outcome == "ambiguous"
                           else "occupation-unresolved", source, source_id,
                           f"‘{text}’ {what}")
            elif basis in ("registry", "title", "crosswalk") and code:
                pass
            else:
                code, basis = page_code()
            if code and official.structure:
                check = checked_code(code, official)
                if check.basis_if_mapped:
                    code, basis = check.code, check.basis_if_mapped
                elif check.parts:
                    own, _ = page_code(quiet=True)
                    if own in check.parts:
                        code, basis = own, "crosswalk"
                    elif not primary:
                        split = check.parts  # vintage matching tells
                    else:
                        report("occupation-split", source, source_id,
                               f"{code} (SOC 2010) was split into "
                               f"{_parts(check.parts, official)}, and neither the registry "
                               "nor the page's title says which its figures are of")
                        code, basis = "", ""
                elif not check.known and not primary:
                    report("occupation-unknown-code", source, source_id,
                           f"{code} is in neither SOC 2018 nor the SOC 2010 crosswalk")
            return code, basis, split

        # a page's claims state a few (occupation, basis, text) between them: each is
        # decided once, its problems reported once as they would be claim by claim
        seen: dict[tuple[str, str, str], tuple[str, str, tuple[str, ...]]] = {}
        for claim in group:
            stated = (claim.occupation, claim.occupation_basis, claim.occupation_text)
            if stated not in seen:
                seen[stated] = decided(*stated)
            code, basis, split = seen[stated]
            if split:
                parts[claim.claim_id] = split
            if (code, basis) != (claim.occupation, claim.occupation_basis):
                out[claim.claim_id] = with_fields(claim, occupation=code, occupation_basis=basis)
    return [out.get(c.claim_id, c) for c in claims], parts, problems


def _page_occupation(source: Source | None, page_titles, registered: str,
                     official: Official, titles) -> tuple[str, str, tuple]:
    """(code, basis, (problem code, detail) or ()) of a page's own occupation: the
    registry's, else the one its titles name (`page_titles()`: the title candidates
    read from the page)."""
    if registered:
        return registered, "registry", ()
    candidates = [TitleCandidate(source.title, "title")] if source else []
    candidates += page_titles()
    if not official.structure:
        return "", "", ()  # no SOC tables registered: no occupation can be told, nor expected
    found, _ = page_occupation(candidates, titles())
    if found.outcome == "resolved":
        return found.code, "stated" if found.stated else "title", ()
    if found.outcome == "none":
        return "", "", ("occupation-unresolved",
                        "no SOC code in the registry and no title or heading names an "
                        "occupation (titles read: "
                        + "; ".join(f"‘{c.text}’" for c in candidates[:4]) + ")")
    return "", "", ("occupation-ambiguous",
                    f"the titles could name {_named(found.candidates, official)}"
                    + (f" (‘{found.phrase}’)" if found.phrase else ""))


def undecided_splits(claims: list[Claim], parts: dict[str, tuple[str, ...]], matches: dict,
                     sources: dict[str, Source], official: Official) -> list[Problem]:
    """A warning per source whose figures state a split SOC 2010 code that vintage
    matching could not put on one part (no part's releases hold the figure, or several
    do): those figures have no occupation. `matches` are vintage matching's, by claim id.

    >>> from extractors.claims import new_claim
    >>> from pipeline.vintage import Match
    >>> page = new_claim(source_id="old", occupation="29-2071", occupation_basis="stated",
    ...                  metric="wage", statistic="median", unit="USD/year", value=1.0,
    ...                  figure="$1", quote="$1", locator="chars=0-2", method="test")
    >>> source = Source(id="old", path="raw/old.txt", format="text", sha256="0" * 64,
    ...                 retrieved="2012-05-01", title="Pay", authority="secondary")
    >>> [p] = undecided_splits([page], {page.claim_id: ("29-2072", "29-9021")},
    ...                        {page.claim_id: Match("unmatched")}, {"old": source}, Official())
    >>> p.code, p.message
    ('occupation-split', 'raw/old.txt: 29-2071 (SOC 2010) was split into 29-2072 and 29-9021, and 1 figure matches no single part')
    """
    undecided: dict[tuple[str, str, tuple], int] = defaultdict(int)
    for claim in claims:
        split = parts.get(claim.claim_id)
        match = matches.get(claim.claim_id)
        if not split or (match is not None and match.outcome in ("matched", "differs")):
            continue
        undecided[(claim.source_id, claim.occupation, split)] += 1
    problems = []
    for (source_id, code, split), n in sorted(undecided.items()):
        source = sources.get(source_id)
        problems.append(problem(
            "occupation-split", source_id=source_id, path=source.path if source else "",
            detail=f"{code} (SOC 2010) was split into {_parts(split, official)}, and {n} "
                   f"figure{'s match' if n != 1 else ' matches'} no single part"))
    return problems


def _named(codes: tuple[str, ...], official: Official) -> str:
    return ", ".join(f"{c} {official.title_of(c)}".strip() for c in codes[:6]) + (
        f" and {len(codes) - 6} more" if len(codes) > 6 else "")


def _parts(codes: tuple[str, ...], official: Official) -> str:
    """The parts of a split code: "29-2072 Medical Records Specialists and 29-9021 …"."""
    named = [f"{c} {official.title_of(c)}".strip() for c in codes]
    return ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else "".join(named)
