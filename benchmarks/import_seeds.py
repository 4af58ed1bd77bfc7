"""How well the importer reads the five seed texts: each seed in ``../shared/seeds/`` is
imported and compared field by field with its hand transcription in ``sop_sources/sop/``
(whose header names the seed it was transcribed from).

    python -m benchmarks.import_seeds [--seeds FOLDER]

Prints the agreement per seed and every field the import got wrong.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from generator.sources.documents import load_documents
from generator.sources.importing import check_text, draft_of, summarise
from generator.sources.importing.compare import Field, compare
from generator.sources.importing.emit import to_yaml
from generator.sources.sop import build_sop
from generator.sources.yaml_reader import read_yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "cases" / "seeds"
"""The seed texts (a copy of ``../shared/seeds``, so that any clone can run this)."""


def transcriptions(root: Path = ROOT) -> dict[str, Path]:
    """Seed file name -> the hand transcription made from it (from its ``# Source:`` line)."""
    found = {}
    for path in sorted((root / "sop_sources" / "sop").glob("*.yaml")):
        match = re.search(r"^# Source: \S*?([^/\s]+\.txt)", path.read_text(encoding="utf-8"), re.M)
        if match:
            found[match.group(1)] = path
    return found


def _load(text: str, name: str) -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        doc, _ = read_yaml(path, name)
        assert doc is not None
        sop, problems = build_sop(doc, name, ROOT)
        errors = [p.format() for p in problems if p.is_error]
        assert sop is not None and not errors, errors
        return sop


def agreement(seed: Path, hand: Path) -> tuple[list[Field], list[str]]:
    """The compared fields of one seed, and the problems `check` finds in its draft."""
    documents = load_documents(ROOT / "sop_sources", str)
    draft = draft_of(seed, documents)
    doc, _ = read_yaml(hand, hand.name)
    assert doc is not None
    want, _ = build_sop(doc, hand.stem, ROOT)
    assert want is not None
    if draft.missing:  # the import refuses the file: every field counts as wrong
        refused = "tidak diimpor: tidak ditemukan " + "; ".join(draft.missing)
        return [Field(f.name, "", f.want or "(kosong)") for f in compare(want, want)], [refused]
    text = to_yaml(draft, seed.name, summarise(draft))
    problems = [p.format().splitlines()[0] for p in check_text(text, seed.name, ROOT)]
    got = _load(text, "impor")
    return compare(got, want), problems  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    args = parser.parse_args(argv)
    total_ok = total = 0
    print("| seed | hand transcription | fields right | agreement |")
    print("|---|---|---:|---:|")
    wrong: list[str] = []
    for name, hand in transcriptions().items():
        seed = args.seeds / name
        if not seed.is_file():
            print(f"| {name} | {hand.name} | seed missing | |")
            continue
        fields, problems = agreement(seed, hand)
        right = sum(f.ok for f in fields)
        total_ok, total = total_ok + right, total + len(fields)
        print(f"| {name} | {hand.stem} | {right}/{len(fields)} | {100 * right / len(fields):.0f} % |")
        wrong += [f"{hand.stem}: {f.name}: got {f.got!r}, want {f.want!r}" for f in fields if not f.ok]
        wrong += [f"{hand.stem}: {p}" for p in problems if "galat" in p or "tidak diimpor" in p]
    if total:
        print(f"| all | | {total_ok}/{total} | {100 * total_ok / total:.0f} % |")
    print("\nFields the import got wrong:")
    for line in wrong:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
