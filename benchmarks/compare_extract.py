"""Pages per second of this tree's HTML extraction against another revision's, in one run.

    python -m benchmarks.compare_extract --against main [--rounds 2] [--repeats 3] [--parsers]

The 200 career pages of benchmarks/gen_corpus.py (its default seed, as bench_extract.py
reads them) are read into claims (`extract(document_from_bytes(...))` per page) by REV's
extractors and by this tree's, each in a process of its own, the two taking turns for
`--rounds` rounds so that they share the machine's moods. Each process reports the least
CPU time of `--repeats` passes over the pages two ways:

- warm: as a refresh reads pages, the extractors' caches of pure functions of a string
  (what a label says, the periods a sentence names) kept from page to page;
- cold: every such cache emptied before each page, so that a page gains only from what it
  repeats itself.

With `--parsers`, this tree's process also times bs4 (`BeautifulSoup(page,
"lxml").get_text()`) and lxml (`lxml.html.fromstring(page).text_content()`) on the same
pages, taking turns with it, for the ratios. REV's extractors/ and schemas/ come from
`git archive`; the pages are generated here.
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def caches() -> list:
    """Every functools cache of the extractors' modules."""
    import extractors

    found = []
    for name, module in sorted(sys.modules.items()):
        if name == "extractors" or name.startswith("extractors."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)) and \
                        getattr(value, "__module__", "") == name:
                    found.append(value)
    assert extractors
    return found


def rates(repeats: int, parsers: bool = False) -> dict[str, float]:
    """{"warm": pages/s, "cold": pages/s} of this process's extractors on the pages, and
    with `parsers` those of bs4 `get_text` and lxml `text_content` on the same pages,
    taking turns with them."""
    import gc

    from benchmarks.bench_extract import generated_pages
    from extractors import extract
    from extractors.document import document_from_bytes

    pages = generated_pages()
    docs = [document_from_bytes(page, source_id=f"p{i}", path=f"p{i}.html", format="html")
            for i, page in enumerate(pages)]
    cleared = caches()
    modes = ["warm", "cold"] + (["bs4", "lxml"] if parsers else [])
    best = dict.fromkeys(modes, float("inf"))
    for _ in range(repeats):
        for mode in modes:
            gc.collect()
            spent = 0.0
            if mode in ("bs4", "lxml"):
                import lxml.html
                from bs4 import BeautifulSoup

                start = time.process_time()
                for page in pages:
                    if mode == "bs4":
                        BeautifulSoup(page, "lxml").get_text()
                    else:
                        lxml.html.fromstring(page).text_content()
                spent = time.process_time() - start
            for doc in docs if mode in ("warm", "cold") else ():
                if mode == "cold":
                    for cache in cleared:
                        cache.cache_clear()
                start = time.process_time()
                extract(doc)
                spent += time.process_time() - start
            best[mode] = min(best[mode], spent)
    return {mode: len(docs) / seconds for mode, seconds in best.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", default="main")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--parsers", action="store_true",
                        help="also time bs4 get_text and lxml text_content in this tree's turns")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "tree"
        archive = subprocess.run(["git", "archive", args.against, "extractors", "schemas"],
                                 cwd=ROOT, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        code = ("import sys, json; sys.path[:0] = [p for p in sys.argv[1:3] if p]; "
                "import extractors; assert extractors.__file__.startswith(sys.argv[1] or sys.argv[2]); "
                "from benchmarks.compare_extract import rates; "
                "print(json.dumps(rates(int(sys.argv[3]), sys.argv[4] == '1')))")
        results: dict[str, list[dict]] = {args.against: [], "this tree": []}
        for _ in range(args.rounds):
            for label, path in ((args.against, str(tree)), ("this tree", "")):
                parsers = "1" if args.parsers and not path else "0"
                out = subprocess.run([sys.executable, "-c", code, path, str(ROOT),
                                      str(args.repeats), parsers], check=True,
                                     capture_output=True, text=True, cwd=ROOT).stdout
                got = json.loads(out)
                results[label].append(got)
                print(f"{label:12} " + "   ".join(f"{mode} {rate:7.1f}" for mode, rate in
                                                  got.items()) + "  pages/s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
