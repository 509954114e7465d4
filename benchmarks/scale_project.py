"""A temporary project of N generated career pages, and the time and peak memory of its
refresh.

    python -m benchmarks.scale_project DIR --pages 1000            # build DIR, refresh it twice
    python -m benchmarks.scale_project DIR --pages 1000 --no-build # refresh an existing DIR

The pages come from benchmarks/gen_corpus.py (the team's generator, copied into the
project): page i is the generator's HTML page for the random seed SEED*1000+i, so 10,000
pages are 10,000 different pages (occupation, site, figures, size 50-300 KB), not 50
copies of 200; one document in 21 is a career-profile PDF of 3-7 pages, as in the
generator's own corpus (200 HTML pages, 10 PDFs). Each page is registered as its own
page (its own URL), with no `occupation:` (the page's title names it), beside the
project's official files (raw/official and their registry entries, copied), so pages
are matched against every release as in the real project.

DIR must be outside the project (a temporary folder): it holds about 175 KB per page.
Each refresh runs `careerfacts --project DIR refresh --quiet` in a child process, whose
wall time and peak resident memory (the child's own `ru_maxrss`, from `os.wait4`) are
printed. The first refresh reads the official spreadsheets into the cache
(DIR/.cache); the second is a refresh with nothing changed.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PDF_EVERY = 21
"""One document in 21 is a PDF: the generator's own mix (200 HTML pages, 10 PDFs)."""


def official_entries() -> list[dict]:
    """The project's registry entries of its official files (raw/official)."""
    registry = yaml.safe_load((ROOT / "raw" / "sources.yaml").read_text(encoding="utf-8"))
    return [entry for entry in registry["sources"] if entry.get("dataset")]


def build(root: Path, pages: int, seed: int = 20250101) -> dict:
    """Write DIR/raw/ (N generated documents, the official files) and DIR/raw/sources.yaml.
    Returns {"html": n, "pdf": n, "bytes": total size of the generated documents}."""
    from benchmarks import gen_corpus as gen

    if ROOT in root.resolve().parents or root.resolve() == ROOT:
        raise SystemExit(f"{root}: build the scale project outside careerfacts' own folder")
    raw = root / "raw"
    (raw / "gen").mkdir(parents=True, exist_ok=True)
    (raw / "official").mkdir(exist_ok=True)
    entries = []
    for entry in official_entries():
        shutil.copyfile(ROOT / "raw" / entry["path"], raw / entry["path"])
        entries.append(entry)
    counts = {"html": 0, "pdf": 0, "bytes": 0}
    for i in range(pages):
        rng = random.Random(seed * 1000 + i)
        if i % PDF_EVERY == PDF_EVERY - 1:
            path = raw / "gen" / f"profile_{i:05d}.pdf"
            facts = gen.make_pdf(rng, str(path), gen.PDF_PAGES[i % len(gen.PDF_PAGES)], i)
            title, fmt = f"{facts['occupation']} career profile", "pdf"
        else:
            target = rng.randint(gen.HTML_MIN + 3000, gen.HTML_MAX - 3000)
            page, facts = gen.html_page(rng, i, target)
            path = raw / "gen" / f"page_{i:05d}.html"
            path.write_bytes(page.encode("utf-8"))
            title = re.search(r"<title>(.*?)</title>", page).group(1)
            fmt = "html"
        data = path.read_bytes()
        counts[fmt] += 1
        counts["bytes"] += len(data)
        slug = re.sub(r"[^a-z0-9]+", "-", facts["occupation"].lower()).strip("-")
        entries.append({
            "id": f"gen-{i:05d}", "path": path.relative_to(raw).as_posix(), "format": fmt,
            "sha256": hashlib.sha256(data).hexdigest(), "retrieved": "2026-11-30",
            "title": title, "authority": "secondary",
            "url": f"https://pages.example/{slug}/{i:05d}.htm",
        })
    (raw / "sources.yaml").write_text(
        yaml.safe_dump({"sources": entries}, sort_keys=False, allow_unicode=True),
        encoding="utf-8")
    return counts


def refresh_cost(root: Path) -> tuple[float, float, int]:
    """(seconds, peak resident memory in GB, exit code) of one refresh of the project
    at `root`, run in a child process."""
    env = {**os.environ, "CAREERFACTS_CACHE": str(root / ".cache")}
    command = [str(Path(sys.executable).with_name("careerfacts")), "--project", str(root),
               "refresh", "--quiet"]
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss * 1024 / 1e9, child.returncode  # ru_maxrss is in KB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="the temporary project (outside this one)")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--no-build", action="store_true", help="refresh DIR as it is")
    parser.add_argument("--runs", type=int, default=2, help="refreshes to measure (default 2)")
    args = parser.parse_args()
    if not args.no_build:
        start = time.perf_counter()
        counts = build(args.root, args.pages, args.seed)
        print(f"built {counts['html']} HTML pages and {counts['pdf']} PDFs "
              f"({counts['bytes'] / 1e6:.0f} MB) in {time.perf_counter() - start:.0f} s")
    for run in range(1, args.runs + 1):
        seconds, gigabytes, code = refresh_cost(args.root)
        print(f"refresh {run}: {seconds:.1f} s, peak memory {gigabytes:.2f} GB, exit {code}")


if __name__ == "__main__":
    main()
