"""Does a change to the extractors leave every reading as it was? A dump of every claim, note,
locator and rendered line of a wide set of pages, compared with the same dump made by the
extractors of another revision.

    python -m benchmarks.same_extraction --against main      # exit 0: the same, byte for byte
    python -m benchmarks.same_extraction --dump OUT.jsonl    # this tree's dump alone

The pages: every document of the test corpora (tests/corpus/*), the golden cases, the seed
renditions, the seed pages and raw/ (not raw/official's spreadsheets); the 200 career pages
of benchmarks/gen_corpus.py (default seed) and the 200 padded renditions of
benchmarks/bench_extract.py; and some 2,000 variants made from them, seeded, by cutting,
repeating and inserting markup at random (HTML), and by shuffling, joining and splitting
their lines (text). The variants are made here from the pages' bytes, without the
extractors, so both revisions read the same inputs.

`--against REV` copies REV's extractors/ and schemas/ (`git archive`) into a temporary
folder, dumps with them in a subprocess, dumps with this tree's, and prints the first
documents whose readings differ, with the first differing line of each.
"""
from __future__ import annotations

import argparse
import html as html_lib
import json
import random
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("tests/corpus", "tests/golden", "tests/renditions", "tests/seeds", "tests/fixtures",
           "raw")
SUFFIXES = {".html", ".htm", ".txt", ".pdf"}
INSERTS = ("<span>", "</span>", "<br>", "<p>", "</p>", "<div>", "</div>", "<b>", "</b>",
           "<li>", "<ul>", "</ul>", "<td>", "</td><td>", "<tr>", "</tr>", "<table>",
           "</table>", "<h2>", "</h2>", "<h3>", "<dt>", "<dd>", "\n", " ", "&nbsp;", "\t",
           "<!-- c -->", "<div class='card'>", "<section>", "</section>", "<th>", ":", "$",
           "2024", "%", "<small>", "<sup>1</sup>", "<div hidden>", "<nav>", "</nav>")
UNREAD = re.compile(r"(<(script|style|svg)\b[^>]*>).*?(</\2\s*>)", re.I | re.S)
BLOCK = re.compile(r"</?(?:p|div|h\d|li|tr|table|section|article|dd|dt|ul|ol|br)\b[^>]*>", re.I)
CELL = re.compile(r"</?(?:td|th)\b[^>]*>", re.I)
TAG = re.compile(r"<[^>]*>")
WRAPS = ("<p>{}</p>", "<li>{}</li>", "<h2>{}</h2>", "<h3>{}</h3>", "<div>{}</div>",
         "<tr><td>{}</td></tr>", "<dt>{}</dt>", "<dd>{}</dd>", "<strong>{}</strong>")


def corpus_files() -> list[Path]:
    files = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix.lower() in SUFFIXES and "official" not in path.parts:
                files.append(path)
    return files


def plain_lines(page: str) -> list[str]:
    """A page's text lines by a crude rendering of its own (not the extractors')."""
    text = UNREAD.sub(r"\1\3", page)
    text = CELL.sub("\t", BLOCK.sub("\n", text))
    text = html_lib.unescape(TAG.sub("", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def variants(pages: list[tuple[str, bytes]], count: int, seed: int = 11) -> Iterator[tuple[str, str, bytes]]:
    """(name, format, bytes) of `count` pages made from `pages` at random, seeded."""
    rng = random.Random(seed)
    htmls = [(name, UNREAD.sub(r"\1\3", data.decode("utf-8", "replace")))
             for name, data in pages if name.endswith((".html", ".htm"))]
    lines = [line for _, page in htmls for line in plain_lines(page)]
    lines += [line for name, data in pages if name.endswith(".txt")
              for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    for number in range(count):
        kind = number % 5
        name, page = rng.choice(htmls)
        if kind == 0:  # a cut
            start = rng.randrange(len(page))
            piece = page[start:start + rng.randint(500, 20_000)]
            yield f"cut-{number}-{name}", "html", piece.encode()
        elif kind == 1:  # a repeated stretch
            start = rng.randrange(len(page))
            end = min(len(page), start + rng.randint(100, 5000))
            yield f"repeat-{number}-{name}", "html", (page[:end] + page[start:]).encode()
        elif kind == 2:  # markup inserted
            start = rng.randrange(len(page))
            piece = page[start:start + rng.randint(2000, 30_000)]
            for _ in range(rng.randint(1, 30)):
                at = rng.randrange(len(piece) + 1)
                piece = piece[:at] + rng.choice(INSERTS) + piece[at:]
            yield f"markup-{number}-{name}", "html", piece.encode()
        elif kind == 3:  # lines shuffled into a text page
            chosen = rng.sample(lines, min(len(lines), rng.randint(3, 60)))
            glue = rng.choice(("\n", "\n\n", " ", "\n"))
            yield f"text-{number}", "text", glue.join(chosen).encode()
        else:  # lines each in an element of their own
            chosen = rng.sample(lines, min(len(lines), rng.randint(3, 60)))
            body = "".join(rng.choice(WRAPS).format(html_lib.escape(line)) for line in chosen)
            yield f"wrapped-{number}", "html", f"<html><body>{body}</body></html>".encode()


def documents(count: int) -> Iterator[tuple[str, str, bytes]]:
    """(name, format, bytes) of every page read: files, generated pages, variants."""
    from benchmarks.bench_extract import html_corpus
    from benchmarks.bench_scale import base_pages

    pages: list[tuple[str, bytes]] = []
    for path in corpus_files():
        pages.append((str(path.relative_to(ROOT)), path.read_bytes()))
    pages += [(f"gen-{i}.html", page.encode()) for i, page in enumerate(base_pages())]
    pages += [(f"padded-{i}.html", page) for i, page in enumerate(html_corpus(200))]
    for name, data in pages:
        yield name, "", data
    yield from variants([p for p in pages if not p[0].endswith(".pdf")], count)


def dump(out: Path, count: int) -> None:
    """One JSON line per document: its claims, notes and rendered text (or its error)."""
    from extractors import read, reading_text
    from extractors.document import DocumentError, document_from_bytes, sniff_format

    with out.open("w", encoding="utf-8") as sink:
        for name, fmt, data in documents(count):
            fmt = fmt or sniff_format(data, name)
            record: dict = {"doc": name}
            try:
                doc = document_from_bytes(data, source_id=name[-40:], path=name, format=fmt)
                reading = read(doc)
                record["claims"] = [c.as_dict() for c in reading.claims]
                record["notes"] = [[n.figure, n.kind, n.locator, n.line, list(n.claim_ids),
                                    n.reason] for n in reading.notes]
                record["text"] = reading_text(doc)
            except DocumentError as error:
                record["error"] = [error.code, error.detail]
            sink.write(json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")


def first_differences(old: Path, new: Path, shown: int = 10) -> int:
    """Print the first `shown` documents whose lines differ; return how many differ."""
    differ = 0
    with old.open(encoding="utf-8") as a, new.open(encoding="utf-8") as b:
        for left, right in zip(a, b, strict=True):
            if left == right:
                continue
            differ += 1
            if differ <= shown:
                one, two = json.loads(left), json.loads(right)
                print(f"differs: {one['doc']}")
                for key in ("claims", "notes", "text", "error"):
                    x, y = one.get(key), two.get(key)
                    if x != y:
                        xs = x if isinstance(x, list) else str(x).splitlines()
                        ys = y if isinstance(y, list) else str(y).splitlines()
                        for i, (p, q) in enumerate(zip(xs, ys)):
                            if p != q:
                                print(f"  {key}[{i}]:\n    - {p}\n    + {q}")
                                break
                        else:
                            print(f"  {key}: {len(xs)} vs {len(ys)} items")
    return differ


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="compare with REV's extractors")
    parser.add_argument("--dump", type=Path, help="write this tree's dump to DUMP")
    parser.add_argument("--variants", type=int, default=2000, help="variants (default 2000)")
    parser.add_argument("--old", type=Path, help="with --against: reuse this dump of REV")
    args = parser.parse_args()
    if args.dump and not args.against:
        dump(args.dump, args.variants)
        return 0
    if not args.against:
        parser.error("give --against REV or --dump OUT")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        old = args.old or folder / "old.jsonl"
        if not args.old:
            archive = subprocess.run(["git", "archive", args.against, "extractors", "schemas"],
                                     cwd=ROOT, check=True, capture_output=True).stdout
            with tarfile.open(fileobj=__import__("io").BytesIO(archive)) as tar:
                tar.extractall(folder / "tree", filter="data")
            code = ("import sys; sys.path[:0] = [sys.argv[1], sys.argv[2]]; "
                    "from benchmarks.same_extraction import dump; from pathlib import Path; "
                    "import extractors; assert extractors.__file__.startswith(sys.argv[1]); "
                    "dump(Path(sys.argv[3]), int(sys.argv[4]))")
            subprocess.run([sys.executable, "-c", code, str(folder / "tree"), str(ROOT), str(old),
                            str(args.variants)], check=True)
        new = args.dump or folder / "new.jsonl"
        dump(new, args.variants)
        differ = first_differences(old, new)
        total = sum(1 for _ in new.open(encoding="utf-8"))
        print(f"{total} documents: {differ} read differently from {args.against}")
        return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
