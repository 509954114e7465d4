"""Golden extraction cases: each folder in tests/golden/ holds `expected.jsonl` (one claim
per line, sorted keys) and either its own `input.<ext>` or a `source` file naming a
document elsewhere in the repository (the seed pages stay in raw/, byte for byte).

`python -m tests.golden_cases` (or `make golden`) rewrites every expected.jsonl from the
current extractors; review the change with `git diff tests/golden`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from extractors import extract
from extractors.document import document_from_bytes
from extractors.document import sniff_format

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def cases() -> list[Path]:
    return sorted(p for p in GOLDEN.iterdir() if p.is_dir())


def input_of(case: Path) -> Path:
    pointer = case / "source"
    if pointer.exists():
        return ROOT / pointer.read_text(encoding="utf-8").strip()
    inputs = sorted(case.glob("input.*"))
    if len(inputs) != 1:
        raise FileNotFoundError(f"{case}: needs exactly one input.* file or a `source` file")
    return inputs[0]


def extracted_lines(case: Path) -> list[str]:
    path = input_of(case)
    data = path.read_bytes()
    doc = document_from_bytes(data, source_id=case.name, path=str(path.relative_to(ROOT)),
                              format=sniff_format(data, str(path)))
    return [json.dumps(c.as_dict(), sort_keys=True, ensure_ascii=False) for c in extract(doc)]


def expected_lines(case: Path) -> list[str]:
    return (case / "expected.jsonl").read_text(encoding="utf-8").splitlines()


def main() -> int:
    for case in cases():
        lines = extracted_lines(case)
        (case / "expected.jsonl").write_text("".join(f"{line}\n" for line in lines),
                                             encoding="utf-8")
        print(f"{case.relative_to(ROOT)}: {len(lines)} claims")
    return 0


if __name__ == "__main__":
    sys.exit(main())
