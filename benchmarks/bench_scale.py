"""The scale series: a refresh of N registered career pages, timed and weighed.

    make bench SCALE=100,1000          # or: python -m benchmarks.bench_scale --sizes 100,1000

For each N, a temporary project is made outside the repository: the official files of the
fixture project (tests/fixtures/seed-project/raw/official, frozen) and N HTML pages from
benchmarks/gen_corpus.py — its 200 pages, repeated with their money figures scaled by a
small factor per repeat so that every page is a distinct document (its own bytes, its own
figures). Then, each as its own `careerfacts refresh -q` process:

- first refresh: nothing of the pages cached (the official tables are read once before,
  into the cache every size shares, and timed apart: they are not the pages' cost);
- no-op refresh: nothing changed;
- one page changed: one page's figures changed and its registry entry updated.

Wall time is the process's; peak memory is the largest sum of the resident sets of the
process and its children (the extraction workers), sampled every 20 ms with psutil, and
the largest sum of their proportional set sizes (PSS: a page shared by the refresh and
the workers it forked counts once, not once per process). In the
same run, the 200 base pages are read on one core by bs4 (`BeautifulSoup(page,
"lxml").get_text()`), by lxml (`lxml.html.fromstring(page).text_content()`) and by
careerfacts' extraction alone, so the refresh's pages per second, and the extraction's,
can be compared with the bare parsers' on this machine, now.

The machine is shared: compare ratios, and repeat a size before believing a small change.
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
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "seed-project" / "raw"
BASE_PAGES = 200
MONEY = re.compile(r"\$(\d{1,3}(?:,\d{3})+|\d+)(\.\d{2})?")


def base_pages(seed: int = 20250101) -> list[str]:
    """The generator's 200 HTML pages, seeded as `gen_corpus.py OUTDIR` seeds them."""
    from benchmarks import gen_corpus

    pages = []
    for index in range(gen_corpus.N_HTML):
        rng = random.Random(seed * 1000 + index)
        target = rng.randint(gen_corpus.HTML_MIN + 3000, gen_corpus.HTML_MAX - 3000)
        page, _ = gen_corpus.html_page(rng, index, target)
        pages.append(page)
    return pages


def varied(page: str, repeat: int) -> str:
    """The page with every amount of money scaled by 1 + repeat/1000 (repeat 0: as it is),
    so that a repeat is another page stating other figures, in the same order."""
    if repeat == 0:
        return page
    factor = 1 + repeat / 1000

    def scaled(m: re.Match) -> str:
        value = float(m.group(1).replace(",", "") + (m.group(2) or "")) * factor
        return f"${value:,.2f}" if m.group(2) else f"${round(value):,}"
    return MONEY.sub(scaled, page)


def official_entries() -> str:
    """The fixture registry's official files, as YAML text (each entry's lines)."""
    text = (FIXTURE / "sources.yaml").read_text(encoding="utf-8")
    blocks = re.split(r"\n(?=  - id: )", text)
    return "\n".join(b.rstrip() for b in blocks if b.startswith("  - id: ") and "dataset:" in b)


def entry(number: int, data: bytes, title: str) -> str:
    return (f"  - id: page-{number:05d}\n"
            f"    path: pages/page_{number:05d}.html\n"
            f"    sha256: {hashlib.sha256(data).hexdigest()}\n"
            f"    retrieved: 2026-11-30\n"
            f"    title: {title!r}\n"
            f"    authority: secondary\n")


def make_project(folder: Path, pages: list[str], count: int) -> Path:
    """A project in `folder` with the official files and `count` generated pages."""
    raw = folder / "raw"
    (raw / "pages").mkdir(parents=True)
    shutil.copytree(FIXTURE / "official", raw / "official")
    entries = [official_entries()]
    for number in range(count):
        page = varied(pages[number % len(pages)], number // len(pages))
        data = page.encode("utf-8")
        (raw / "pages" / f"page_{number:05d}.html").write_bytes(data)
        title = re.search(r"<title>(.*?)</title>", page).group(1)
        entries.append(entry(number, data, title))
    (raw / "sources.yaml").write_text("sources:\n" + "\n".join(entries) + "\n", encoding="utf-8")
    return folder


def change_one_page(project: Path, pages: list[str], number: int = 0) -> None:
    """Give page `number` other figures (a repeat no size reaches) and update its entry."""
    path = project / "raw" / "pages" / f"page_{number:05d}.html"
    data = varied(pages[number % len(pages)], 997).encode("utf-8")
    path.write_bytes(data)
    registry = project / "raw" / "sources.yaml"
    text = registry.read_text(encoding="utf-8")
    text = re.sub(rf"(  - id: page-{number:05d}\n    path: [^\n]+\n    sha256: )[0-9a-f]+",
                  lambda m: m.group(1) + hashlib.sha256(data).hexdigest(), text)
    registry.write_text(text, encoding="utf-8")


@dataclass
class Measured:
    seconds: float
    peak_rss: int  # bytes
    exit_code: int
    peak_pss: int = 0  # bytes: the tree's proportional set size (shared pages counted once)


def measured(command: list[str], env: dict[str, str]) -> Measured:
    """Run a command; its wall time and the peak of its process tree's resident memory."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    peak = peak_pss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        try:
            root = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = total_pss = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                        total_pss += _pss(proc.pid)
                    except psutil.NoSuchProcess:
                        pass
            except psutil.NoSuchProcess:
                break
            peak = max(peak, total)
            peak_pss = max(peak_pss, total_pss)
            done.wait(0.02)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        sys.stderr.write(err.decode("utf-8", "replace"))
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return Measured(seconds, peak, process.returncode, peak_pss)


def _pss(pid: int) -> int:
    """A process's proportional set size in bytes (0 where the system does not say): the
    extraction workers are forked from the refresh and share its pages until they write
    them, which a sum of resident sets counts once per process."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def parser_rates(pages: list[str]) -> tuple[float, float, float]:
    """Pages per second on one core, in this process: bs4 get_text, lxml text_content,
    and careerfacts' extraction of the same pages into claims (no cache, no refresh), as
    `benchmarks.bench_extract` measures them (CPU time, the readers taking turns)."""
    from benchmarks.bench_extract import html_rates

    rates = html_rates([p.encode("utf-8") for p in pages], repeats=1)
    return rates["bs4 get_text"], rates["lxml text_content"], rates["careerfacts (claims)"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000",
                        help="registered pages per project, comma-separated (default 100,1000)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="--jobs of the refreshes [default: careerfacts' own, the cores]")
    parser.add_argument("--keep", type=Path, default=None,
                        help="make the projects in this folder and keep them")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    pages = base_pages()
    bs4_rate, lxml_rate, our_rate = parser_rates(pages)
    script = Path(sys.executable).with_name("careerfacts")
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="careerfacts-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CAREERFACTS_CACHE": str(workdir / "official-cache")}
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    try:
        warm = make_project(workdir / "official-only", pages, 0)
        official = measured([str(script), "--project", str(warm), "refresh", "-q"], env)
        print(f"official tables read once into the cache: {official.seconds:.1f} s "
              f"(shared by every size; the refreshes below read the cached tables)")
        print(f"the {len(pages)} base pages on one core: bs4 get_text {bs4_rate:.1f} pages/s, "
              f"lxml text_content {lxml_rate:.1f} pages/s, careerfacts extraction "
              f"{our_rate:.1f} pages/s ({our_rate / bs4_rate:.2f}× bs4, "
              f"{our_rate / lxml_rate:.3f}× lxml)\n")
        header = (f"{'pages':>7} {'MB':>7} {'first s':>8} {'pages/s':>8} {'× bs4':>6} "
                  f"{'× lxml':>7} {'peak GB':>8} {'PSS GB':>7} {'no-op s':>8} {'peak GB':>8} "
                  f"{'1 changed s':>12} {'peak GB':>8} {'PSS GB':>7} {'exit':>5}")
        print(header)
        for size in sizes:
            project = make_project(workdir / f"project-{size}", pages, size)
            megabytes = sum(p.stat().st_size for p in (project / "raw" / "pages").iterdir()) / 1e6
            command = [str(script), "--project", str(project), "refresh", "-q", *jobs]
            first = measured(command, env)
            noop = measured(command, env)
            change_one_page(project, pages)
            changed = measured(command, env)
            rate = size / first.seconds
            print(f"{size:7,} {megabytes:7.0f} {first.seconds:8.1f} {rate:8.1f} "
                  f"{rate / bs4_rate:6.2f} {rate / lxml_rate:7.3f} {first.peak_rss / 1e9:8.2f} "
                  f"{first.peak_pss / 1e9:7.2f} {noop.seconds:8.2f} {noop.peak_rss / 1e9:8.2f} "
                  f"{changed.seconds:12.1f} {changed.peak_rss / 1e9:8.2f} "
                  f"{changed.peak_pss / 1e9:7.2f} {first.exit_code:5}", flush=True)
            if args.keep is None:
                shutil.rmtree(project, ignore_errors=True)
        print(f"\n{os.cpu_count()} cores; --jobs {args.jobs or 'default'}; the refresh's "
              "pages/s is N over the first refresh's wall time (extraction, validation, "
              "reconciliation and writing), the parsers' is parsing alone on one core.")
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
