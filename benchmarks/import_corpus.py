"""How well `impor` reads SOPs it was not written for: the office-style corpus in
``tests/cases/import/`` (see :mod:`benchmarks.office_corpus`), each SOP as a Word file with a
drawn flowchart, the PDF it prints to, the Word table copied as text, and the PDF's text as
a viewer copies it, compared field by field with the expected source ``<case>.yaml``
(:func:`generator.sources.importing.compare.compare_form`), and the five seeds against their
hand transcriptions.

    python -m benchmarks.import_corpus [--verbose]

Prints the agreement per input kind and per file, every field still wrong, and every wrong
identity field that the draft does not comment on (there should be none).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.import_seeds import SEEDS, transcriptions
from generator.model.sop import Sop
from generator.sources.documents import load_documents
from generator.sources.importing import check_text, draft_of, summarise
from generator.sources.importing.compare import IDENTITY_FIELDS, Field, compare, compare_form
from generator.sources.importing.draft import Draft
from generator.sources.importing.emit import to_yaml
from generator.sources.sop import build_sop
from generator.sources.yaml_reader import read_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "cases" / "import"
KINDS = {
    "Word": ".docx",
    "PDF dengan teks": ".pdf",
    "teks salinan Word (tab)": ".salin-word.txt",
    "teks salinan penampil PDF": ".salin-pdf.txt",
}
"""Input kind -> the ending of its file in the corpus."""
TARGETS = {"Word": 0.95, "PDF dengan teks": 0.85, "teks salinan Word (tab)": 0.90, "teks salinan penampil PDF": 0.90}


@dataclass
class Result:
    """One file imported and compared."""

    path: Path
    fields: list[Field] = field(default_factory=list)
    uncommented: list[str] = field(default_factory=list)
    """Wrong identity fields the draft has no comment on."""
    problems: list[str] = field(default_factory=list)

    @property
    def right(self) -> int:
        return sum(f.ok for f in self.fields)


def load(path: Path) -> Sop:
    doc, problems = read_yaml(path, path.name)
    assert doc is not None, [p.format() for p in problems]
    sop, built = build_sop(doc, path.stem, ROOT)
    assert sop is not None, [p.format() for p in built]
    return sop


def _built(text: str) -> Sop | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "impor.yaml"
        path.write_text(text, encoding="utf-8")
        doc, _ = read_yaml(path, path.name)
        if doc is None:
            return None
        sop, problems = build_sop(doc, "impor", ROOT)
        return None if sop is None or any(p.is_error for p in problems) else sop


def _commented(draft: Draft, name: str) -> bool:
    key = name.split(".")[0]
    keys = {"kop": {"kop", "pemerintah", "instansi", "unit", "sub_unit", "alamat"}}.get(key, {key})
    return any(str(path[0]) in keys for path in draft.notes)


def agreement(path: Path, want: Sop, *, form: bool = True) -> Result:
    """Import ``path`` and compare it with ``want`` (``form``: also the form as printed)."""
    result = Result(path)
    compared = compare_form if form else compare
    documents = load_documents(ROOT / "sop_sources", str)
    try:
        draft = draft_of(path, documents)
    except ValueError as exc:
        draft = None
        result.problems.append(f"tidak diimpor: {exc}")
    if draft is None or draft.missing:
        if draft is not None:
            result.problems.append("tidak diimpor: tidak ditemukan " + "; ".join(draft.missing))
        result.fields = [Field(f.name, "", f.want or "(kosong)") for f in compared(want, want)]
        return result
    text = to_yaml(draft, path.name, summarise(draft))
    result.problems += [p.format().splitlines()[0] for p in check_text(text, path.name, ROOT) if p.is_error]
    got = _built(text)
    if got is None:
        result.fields = [Field(f.name, "", f.want or "(kosong)") for f in compared(want, want)]
        return result
    result.fields = compared(got, want)
    result.uncommented = [
        f.name for f in result.fields if not f.ok and f.name in IDENTITY_FIELDS and not _commented(draft, f.name)
    ]
    return result


def corpus() -> dict[str, list[Result]]:
    """Every corpus file, by input kind."""
    found: dict[str, list[Result]] = {kind: [] for kind in KINDS}
    for expected in sorted(CORPUS.glob("*.yaml")):
        want = load(expected)
        for kind, ending in KINDS.items():
            path = CORPUS / f"{expected.stem}{ending}"
            if path.is_file():
                found[kind].append(agreement(path, want))
    return found


def seeds() -> list[Result]:
    """The five seeds against their hand transcriptions (the plain comparison)."""
    return [agreement(SEEDS / name, load(hand), form=False) for name, hand in transcriptions().items()]


def rate(results: list[Result]) -> float:
    total = sum(len(r.fields) for r in results)
    return sum(r.right for r in results) / total if total else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="every file's line, not only the kinds'")
    args = parser.parse_args(argv)
    found = corpus()
    found["seed (teks salinan)"] = seeds()
    print("| input | files | fields right | agreement | target |")
    print("|---|---:|---:|---:|---:|")
    for kind, results in found.items():
        right, total = sum(r.right for r in results), sum(len(r.fields) for r in results)
        target = f"{100 * TARGETS[kind]:.0f} %" if kind in TARGETS else ""
        print(f"| {kind} | {len(results)} | {right}/{total} | {100 * rate(results):.1f} % | {target} |")
    if args.verbose:
        print("\n| file | fields right |\n|---|---:|")
        for results in found.values():
            for r in results:
                print(f"| {r.path.name} | {r.right}/{len(r.fields)} |")
    print("\nFields still wrong:")
    for results in found.values():
        for r in results:
            for f in r.fields:
                if not f.ok:
                    print(f"- {r.path.name}: {f.name}: got {f.got!r}, want {f.want!r}")
            for problem in r.problems:
                print(f"- {r.path.name}: {problem}")
    uncommented = [f"{r.path.name}: {name}" for results in found.values() for r in results for name in r.uncommented]
    print("\nWrong identity fields without a comment in the draft:", "none" if not uncommented else "")
    for line in uncommented:
        print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
