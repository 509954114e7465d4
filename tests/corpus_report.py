"""Recall of the extractors on the real-layouts corpus, per family and per page.

    python -m tests.corpus_report            # the tables
    python -m tests.corpus_report --misses   # and every must-find figure not found

The same scoring pins the floors in tests/test_extraction_recall.py.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.evaluation import families, load_rows, score_figures

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus" / "real-layouts"


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "–"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the figures not found")
    parser.add_argument("--page", help="only this page")
    parser.add_argument("--corpus", default="real-layouts",
                        help="a folder of tests/corpus/ [default: real-layouts]")
    args = parser.parse_args(argv)
    corpus = ROOT / "tests" / "corpus" / args.corpus
    rows = load_rows(corpus / "expected_claims.csv")
    if args.page:
        rows = [r for r in rows if r.data["seed"] == args.page]
    score = score_figures(rows, corpus)
    fams = families(corpus / "README.md") or {p: [0] for p in score.claims}
    print("| family | pages | must=1 | found | recall | place right | stat wrong | must=0 found "
          "| traps fired |")
    print("|---|---|---|---|---|---|---|---|---|")
    for family in sorted({f[0] for f in fams.values() if f}):
        pages = {p for p, f in fams.items() if f and f[0] == family}
        c = score.counts(pages)
        if not c["must1"] and not c["traps"]:
            continue
        print(f"| {family} | {len(pages)} | {c['must1']} | {c['found']} | "
              f"{_pct(c['found'], c['must1'])} | {c['place']} | {c['stat_wrong']} | "
              f"{c['found0']}/{c['must0']} | {c['fired']}/{c['traps']} |")
    c = score.counts()
    print(f"| **all** | {len(score.claims)} | {c['must1']} | {c['found']} | "
          f"{_pct(c['found'], c['must1'])} | {c['place']} ({_pct(c['place'], c['must1'])}) | "
          f"{c['stat_wrong']} | {c['found0']}/{c['must0']} | {c['fired']}/{c['traps']} |")
    if args.misses:
        print()
        for row in rows:
            result = score.outcome(row)
            if (row.must == 1 and result != "found+place") or (row.must == -1 and result == "fired") \
                    or (row.must == 0 and result in ("missed", "statistic-wrong") and args.page):
                print(f"{result:15} {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
