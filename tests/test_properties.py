"""Property-based tests (hypothesis): valid SOPs of every shape (1 to 40 steps, 1 to 9
roles, joint steps, decisions that loop back, long and unusual text) always validate,
always render, and every artifact carries every step."""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from generator.model.text import role_key
from generator.pipeline.portal import Portal, PortalSettings
from generator.sources.catalogue import load_catalogue

from .conftest import ROOT, catalogue_sops

WORD_CHARS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list("éèêëàâäôöüçñßøåæœ")  # Latin letters with marks
    + list("ΑβγΔ")  # Greek
    + ["&", "<", ">", '"', "'", "*", "_", "#", "[", "]", "{", "}", "|", "\\", "/", "%", "+", "=", "`"]
)
WORD = st.text(WORD_CHARS, min_size=1, max_size=14)
TEXT = st.lists(WORD, min_size=1, max_size=30).map(" ".join)
ROLE = st.lists(
    st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyzéABCDEFGH")), min_size=2, max_size=10),
    min_size=1,
    max_size=3,
).map(" ".join)
DURATION = st.sampled_from(["10 menit", "1 jam", "2 hari", "480 menit", "Tentatif sesuai peraturan", None])


@st.composite
def sops(draw: Any) -> dict[str, Any]:
    """A valid SOP source as data."""
    roles = draw(st.lists(ROLE, min_size=1, max_size=9, unique_by=role_key))
    count = draw(st.integers(min_value=1, max_value=40))
    steps: list[dict[str, Any]] = []
    for i in range(1, count + 1):
        step: dict[str, Any] = {"no": i, "kegiatan": draw(TEXT)}
        if len(roles) > 1 and draw(st.integers(0, 6)) == 0:
            step["pelaksana"] = draw(st.lists(st.sampled_from(roles), min_size=2, max_size=3, unique=True))
        else:
            step["pelaksana"] = draw(st.sampled_from(roles))
        waktu = draw(DURATION)
        if waktu:
            step["waktu"] = waktu
        if 1 < i < count and draw(st.integers(0, 5)) == 0:
            step.update(jenis="keputusan", ya=i + 1, tidak=draw(st.integers(1, i - 1)))
        steps.append(step)
    return {
        "id": "sifat",
        "nama_sop": draw(TEXT),
        "nomor_sop": draw(TEXT),
        "instansi": draw(TEXT),
        "dasar_hukum": draw(st.lists(TEXT, max_size=3)),
        "pelaksana": roles,
        "langkah": steps,
    }


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"\s+", text) if w]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(sops())
def test_every_valid_sop_renders_every_step_everywhere(source: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sources = root / "sop_sources"
        (sources / "sop").mkdir(parents=True)
        shutil.copytree(ROOT / "sop_sources" / "dokumen", sources / "dokumen")
        # JSON is YAML: the generated text reaches the loader exactly as drawn.
        (sources / "sop" / "sifat.yaml").write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
        catalogue = load_catalogue(sources, root)
        assert catalogue.errors == [], [p.format() for p in catalogue.errors]
        portal = Portal(PortalSettings(root=root, sources=sources, use_cache=False, jobs=1))
        files = {f.path: f.read_bytes() for f in portal.generate()}
    steps = source["langkah"]
    (api,) = catalogue_sops(lambda path: files[path].decode("utf-8"))
    assert [s["kegiatan"] for s in api["steps"]] == [s["kegiatan"] for s in steps]
    page = files["sop/sifat.md"].decode("utf-8")
    assert page.count('<td class="sop-no">') == len(steps)
    svg = ET.fromstring(files["unduh/sifat/sifat-diagram.svg"])
    drawn = " ".join(" ".join(svg.itertext()).split())
    for step in steps:
        assert all(word in drawn for word in _words(step["kegiatan"])), step["kegiatan"]
    for name in ("sifat-lembar-sop.pdf", "sifat-daftar-periksa.pdf"):
        reader = PdfReader(io.BytesIO(files[f"unduh/sifat/{name}"]))
        printed = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
        for step in steps:
            ascii_words = [w for w in _words(step["kegiatan"]) if w.isascii() and w.isalnum()]
            assert all(w in printed for w in ascii_words), (name, step["kegiatan"])
    workbook = load_workbook(io.BytesIO(files["unduh/sifat/sifat-monitoring-pelaksanaan-sop.xlsx"]))
    cells = {str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value}
    for step in steps:  # the monitoring form has a row per step, pre-filled
        assert any(step["kegiatan"] in value for value in cells), step["kegiatan"]
