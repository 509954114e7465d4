"""Instructions a generated career page costs to read, counted: this tree's extractors,
another revision's, and bs4 and lxml on the same pages.

    python -m benchmarks.count_instructions [--against REV] [--pages 10] [--jobs 2]

Timings on a shared machine swing by a tenth or more from one run to the next, which
hides the few percent a change to the extractors is worth. Valgrind's callgrind counts
the instructions a process executes instead: the same from run to run to within a
hundredth of a percent, whatever else the machine is doing (the children run with
PYTHONHASHSEED=0, so that sets and dicts are laid out alike every time).

Each reader runs in processes of its own under callgrind, twice: once preparing the
pages only (imports, documents decoded from the pickled pages, one page read so that
the readers' caches are as a refresh's worker has them), and once preparing them and
then reading all of them. The difference, divided by the pages, is the reader's cost
of a page:

- careerfacts (this tree, and REV's extractors/ and schemas/ from `git archive`):
  `extract(document_from_bytes(page))`, the page read into claims;
- bs4: `BeautifulSoup(page, "lxml").get_text()`;
- lxml: `lxml.html.fromstring(page).text_content()`.

The pages are the first `--pages` of benchmarks/gen_corpus.py's 200 (its default seed,
as bench_extract.py reads them). Instructions are not time (a cache miss costs more than
an add), but for one program on one interpreter the two move together: use the counts
to compare revisions, and `compare_extract` for pages per second.

Needs valgrind on the PATH (`apt install valgrind`); it is not a dependency of the
project. Ten pages take about a minute per reader.
"""
from __future__ import annotations

import argparse
import io
import os
import pickle
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import pickle, sys
reader, tree, pages_file, read = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
pages = pickle.load(open(pages_file, "rb"))
if reader == "careerfacts":
    sys.path[:0] = [tree]
    import extractors
    assert extractors.__file__.startswith(tree), extractors.__file__
    from extractors import extract
    from extractors.document import document_from_bytes
    docs = [document_from_bytes(page, source_id=f"p{i}", path=f"p{i}.html", format="html")
            for i, page in enumerate(pages)]
    one = lambda doc: extract(doc)
elif reader == "bs4":
    from bs4 import BeautifulSoup
    docs = pages
    one = lambda page: BeautifulSoup(page, "lxml").get_text()
else:
    import lxml.html
    docs = pages
    one = lambda page: lxml.html.fromstring(page).text_content()
one(docs[-1])
if read:
    for doc in docs:
        one(doc)
"""

REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(reader: str, tree: Path, pages_file: Path, read: bool) -> int:
    """Instructions callgrind counts for one child process."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
               sys.executable, "-c", CHILD, reader, str(tree), str(pages_file),
               "1" if read else "0"]
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    found = REFS.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind failed for {reader} ({tree}):\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", default="main",
                        help="the revision whose extractors to count beside this tree's")
    parser.add_argument("--pages", type=int, default=10,
                        help="generated pages read (default 10; about a minute per reader)")
    parser.add_argument("--jobs", type=int, default=2, help="callgrind processes at once")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("count_instructions needs valgrind on the PATH (apt install valgrind)",
              file=sys.stderr)
        return 2
    from benchmarks.bench_extract import generated_pages

    with tempfile.TemporaryDirectory() as folder:
        pages_file = Path(folder) / "pages.pickle"
        pages_file.write_bytes(pickle.dumps(generated_pages()[:args.pages]))
        tree = Path(folder) / "tree"
        archive = subprocess.run(["git", "archive", args.against, "extractors", "schemas"],
                                 cwd=ROOT, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        readers = [(args.against, "careerfacts", tree), ("this tree", "careerfacts", ROOT),
                   ("bs4 get_text", "bs4", ROOT), ("lxml text_content", "lxml", ROOT)]
        runs = [(label, reader, path, read) for label, reader, path in readers
                for read in (False, True)]
        with ThreadPoolExecutor(max(1, args.jobs)) as pool:
            counts = list(pool.map(lambda run: instructions(run[1], run[2], pages_file,
                                                            run[3]), runs))
    per_page = {}
    for (label, _, _, read), count in zip(runs, counts):
        per_page[label] = per_page.get(label, 0) + (count if read else -count) / args.pages
    bs4 = per_page["bs4 get_text"]
    print(f"instructions a page, {args.pages} generated career pages (callgrind)")
    for label, count in per_page.items():
        print(f"{label:18} {count / 1e6:9.1f} M   {count / bs4:6.2f}× bs4 get_text")
    ours, theirs = per_page["this tree"], per_page[args.against]
    print(f"this tree against {args.against}: {ours / theirs:.3f}× the instructions "
          f"({(ours - theirs) / theirs:+.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
