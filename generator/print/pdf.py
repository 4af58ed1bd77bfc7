"""HTML to archival PDF with WeasyPrint, offline, plus the electronic-signature field.

Rendering never touches the network: the URL fetcher serves ``data:`` URLs and files
inside the project folder, and refuses everything else. The PDF is PDF/A-2b. The
official sheet gets an empty signature field over its signature block so the signing
official can sign it with the usual tools (TTE); when a PKCS#12 certificate is
configured, the build signs it itself with pyHanko.
"""

from __future__ import annotations

import base64
import io
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from generator.model.problems import RenderError
from generator.print import svgtext
from generator.print.htmltree import parsed_html
from generator.print.timing import tool

MM = 72 / 25.4
"""Points per millimetre."""

PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "F4": (215.0, 330.0)}
"""Portrait width and height of the papers Indonesian offices use."""

SIGNATURE_FIELD = "TTE"
"""Name of the signature field on the official sheet."""

CSS_PX = 0.75
"""Points per CSS pixel (WeasyPrint reports positions in CSS pixels)."""


class FetchRefused(RenderError):
    """A document tried to load something from outside the project."""


def fetch_resource(root: Path, url: str) -> tuple[bytes, str]:
    """Serve a ``data:`` URL or a file under ``root``; refuse anything else (no network).

    Returns the bytes and the MIME type; raises :class:`FetchRefused` otherwise.
    """
    parsed = urlparse(url)
    if parsed.scheme == "data":
        header, _, payload = url[5:].partition(",")
        mime = header.split(";")[0] or "text/plain"
        data = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
        return data, mime
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path)).resolve()
        if path.is_relative_to(root.resolve()) and path.is_file():
            return path.read_bytes(), ""
    raise FetchRefused(f"pemuatan ditolak (hanya berkas proyek dan data: yang diizinkan): {url[:80]}")


def safe_url_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher built on :func:`fetch_resource`; a refusal stops the render."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ProjectOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            data, mime = fetch_resource(root, url)
            return URLFetcherResponse(url, data, {"Content-Type": mime} if mime else {})

    return ProjectOnlyFetcher(fail_on_errors=True)


@dataclass(frozen=True)
class Signing:
    """A PKCS#12 certificate with which the build signs official sheets."""

    p12: Path
    password: bytes | None = None


@dataclass(frozen=True)
class RenderedPdf:
    """A finished PDF and what the tests and the catalogue want to know about it."""

    data: bytes
    pages: int


class _Shared(threading.local):
    """What WeasyPrint may keep from one document to the next, one set per thread (Pango's
    font maps are not to be shared between threads; the build renders in worker processes,
    ``mkdocs serve`` also on a thread of its own)."""

    def __init__(self) -> None:
        self.fonts: Any = None
        self.stylesheets: dict[tuple[str, Path], Any] = {}
        self.lean_user_agent: Any = None


_SHARED = _Shared()


def font_configuration() -> Any:
    """WeasyPrint's fonts, gathered once per thread and shared by its documents.

    WeasyPrint builds a new one (fontconfig's whole font list and a fresh Pango font map)
    for each document unless given one, and a fresh font map measures every glyph again.
    The documents declare no ``@font-face``, so nothing is ever added to it: the hundredth
    document gets exactly the bytes of the first (a test holds this).
    """
    if _SHARED.fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        _SHARED.fonts = FontConfiguration()
    return _SHARED.fonts


def parsed_stylesheet(text: str, root: Path) -> Any:
    """``text`` parsed once per thread into a WeasyPrint stylesheet (selectors compiled),
    shared by the documents that use it; it is read, never changed, while they are laid out."""
    parsed = _SHARED.stylesheets.get((text, root))
    if parsed is None:
        from weasyprint import CSS

        parsed = CSS(
            string=text, base_url=str(root) + "/", url_fetcher=safe_url_fetcher(root), font_config=font_configuration()
        )
        _SHARED.stylesheets[text, root] = parsed
    return parsed


LEAN_USER_AGENT_NEEDS = ("list-item", "footnote", "note(")
"""What a document or its stylesheets would have to say for the user agent's rules the lean
user agent stylesheet drops (or narrows) to matter: another element than ``<li>`` shown as a
list item, a footnote (``float: footnote``), a note (``position: note()``)."""


def lean_user_agent_stylesheet() -> Any:
    """WeasyPrint's user agent stylesheet without the rules that give every element a style
    it never uses, parsed once per thread; ``None`` when this WeasyPrint's is not the one
    this was written against.

    Six of its rules style a pseudo-element of every element (``::marker``,
    ``::footnote-call``, ``::footnote-marker``, ``::note-call``, ``::note-marker``,
    ``::note-callback``), and WeasyPrint computes all six styles for every element before
    laying anything out: six in seven of the styles it computes for a page. Only a list
    item draws a marker, and in these documents only ``<li>`` is one; no element is a
    footnote or a note. So ``::marker`` becomes ``li::marker`` and the note rules go, unless
    the document asks for any of that (:data:`LEAN_USER_AGENT_NEEDS`): the same styles
    where they are used, the same page (a test compares the PDFs' bytes)."""
    if _SHARED.lean_user_agent is None:
        from weasyprint import CSS
        from weasyprint.css.counters import CounterStyle
        from weasyprint.html import UA

        lean = UA.replace("\n::marker {", "\nli::marker {")
        for name in ("footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"):
            start = lean.find(f"\n::{name} {{")
            end = lean.find("}", start)
            lean = lean[:start] + lean[end + 1 :] if start >= 0 and end >= 0 else ""
        if (
            "\nli::marker {" not in lean
            or "::marker" in lean.replace("li::marker", "")
            or "::footnote" in lean
            or "::note" in lean
        ):
            _SHARED.lean_user_agent = False  # another WeasyPrint's stylesheet: use it whole
        else:
            # Its @counter-style rules (none) would go to a dictionary nobody reads: the
            # documents take their counter styles from WeasyPrint's own stylesheet.
            _SHARED.lean_user_agent = CSS(string=lean, counter_style=CounterStyle())
    return _SHARED.lean_user_agent or None


def _uses_lean_user_agent(html: str, stylesheets: Sequence[str]) -> bool:
    """Whether ``html`` styled by ``stylesheets`` may be laid out with the lean user agent
    stylesheet (:func:`lean_user_agent_stylesheet`)."""
    return not any(need in text.lower() for text in (html, *stylesheets) for need in LEAN_USER_AGENT_NEEDS)


def layout_document(html: str, *, root: Path, stylesheets: Sequence[str] = ()) -> Any:
    """Lay ``html`` out into pages with WeasyPrint (offline: only project files and data URLs),
    styled by ``stylesheets`` too (CSS texts, parsed once per thread). WeasyPrint gives them
    the user's origin: a rule of the document's own ``<style>`` wins over one of theirs."""
    with tool("weasyprint"):  # importing WeasyPrint is WeasyPrint's time (half a second)
        from weasyprint.urls import FatalURLFetchingError

        svgtext.install()  # the flowchart's text a line at a time, not a letter at a time

    try:
        with tool("weasyprint"):
            # The templates' plain markup is read by the XML parser when it gives the tree
            # WeasyPrint's HTML5 parser would (htmltree), by that parser otherwise.
            document = parsed_html(html, base_url=str(root) + "/", url_fetcher=safe_url_fetcher(root))
            lean = lean_user_agent_stylesheet() if _uses_lean_user_agent(html, stylesheets) else None
            if lean is not None:
                whole = document._ua_stylesheets
                document._ua_stylesheets = lambda forms=False: whole(forms) if forms else [lean]
            return document.render(
                font_config=font_configuration(),
                stylesheets=[parsed_stylesheet(text, root) for text in stylesheets],
            )
    except FatalURLFetchingError as exc:
        raise FetchRefused(str(exc.__cause__ or exc)) from exc


def anchor_page(document: Any, anchor: str) -> int | None:
    """Index of the page holding the element with id ``anchor`` (``None`` when absent)."""
    return next((i for i, page in enumerate(document.pages) if anchor in page.anchors), None)


def render_pdf(
    html: str,
    *,
    root: Path,
    signature_anchor: str | None = None,
    signing: Signing | None = None,
    reason: str = "",
    document: Any = None,
    stylesheets: Sequence[str] = (),
) -> RenderedPdf:
    """Render ``html`` to PDF/A, with an empty signature field over ``signature_anchor``
    (an element id) when given, signed with ``signing`` when that is given too.
    ``document`` is ``html`` already laid out (see :func:`layout_document`), if it is;
    ``stylesheets`` style ``html`` otherwise (see :func:`layout_document`)."""
    if document is None:
        document = layout_document(html, root=root, stylesheets=stylesheets)
    finisher = None
    if signature_anchor:
        for index, page in enumerate(document.pages):
            if signature_anchor in page.anchors:
                # The anchor is the element's box (CSS px from the page's top left);
                # PDF rectangles count points from the bottom left.
                x1, y1, x2, y2 = page.anchors[signature_anchor]
                page_height = page.height * CSS_PX
                rect = (x1 * CSS_PX, page_height - y2 * CSS_PX, x2 * CSS_PX, page_height - y1 * CSS_PX)
                finisher = _signature_field(index, rect)
                break
        else:
            raise RenderError(f"blok tanda tangan (#{signature_anchor}) tidak ditemukan di dokumen")
    with tool("weasyprint"):
        data = document.write_pdf(pdf_variant="pdf/a-2b", finisher=finisher)
    assert data is not None
    if signing is not None:
        data = _sign(data, signing, reason)
    return RenderedPdf(data=data, pages=len(document.pages))


def _signature_field(page_index: int, rect: tuple[float, float, float, float]) -> Any:
    """A WeasyPrint finisher adding an empty signature field (a /Sig widget) on a page.

    Written into the PDF as WeasyPrint writes it: no second pass over the file, so the
    output stays exactly reproducible.
    """

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        page = pdf.objects[pdf.pages["Kids"][page_index * 3]]
        width, height = rect[2] - rect[0], rect[3] - rect[1]
        appearance = pydyf.Stream(
            extra={
                "Type": "/XObject",
                "Subtype": "/Form",
                "BBox": pydyf.Array([0, 0, round(width, 2), round(height, 2)]),
            }
        )
        pdf.add_object(appearance)
        field = pydyf.Dictionary(
            {
                "Type": "/Annot",
                "Subtype": "/Widget",
                "FT": "/Sig",
                "T": pydyf.String(SIGNATURE_FIELD),
                "TU": pydyf.String("Tanda tangan elektronik pejabat yang mengesahkan"),
                "Rect": pydyf.Array([round(v, 2) for v in rect]),
                "F": 4,  # printable: PDF/A wants every annotation printed
                "P": page.reference,
                "AP": pydyf.Dictionary({"N": appearance.reference}),
            }
        )
        pdf.add_object(field)
        if "Annots" not in page:
            page["Annots"] = pydyf.Array()
        page["Annots"].append(field.reference)
        if "AcroForm" not in pdf.catalog:
            pdf.catalog["AcroForm"] = pydyf.Dictionary({"Fields": pydyf.Array()})
        pdf.catalog["AcroForm"]["Fields"].append(field.reference)
        pdf.catalog["AcroForm"]["SigFlags"] = 1

    return finish


def _sign(data: bytes, signing: Signing, reason: str) -> bytes:
    """Sign the empty signature field with the configured certificate (pyHanko)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12(str(signing.p12), passphrase=signing.password)
    except Exception as exc:  # pyHanko raises several kinds (in English) for a bad file or password
        raise RenderError(
            f"sertifikat TTE tidak dapat dibuka: {signing.p12} (bukan berkas PKCS#12 .p12 yang utuh, "
            "atau kata sandinya salah)"
        ) from exc
    if signer is None:
        raise RenderError(f"sertifikat TTE tidak dapat dibuka: {signing.p12} (kata sandi salah?)")
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD, reason=reason or None, location=None)
    signed: bytes = signers.sign_pdf(writer, meta, signer=signer).getvalue()
    return signed


def signing_from_env(configured: str | None, password_env: str) -> Signing | None:
    """The signing certificate: ``SOP_TTE_P12`` in the environment, else the configured path."""
    path = os.environ.get("SOP_TTE_P12") or configured
    if not path:
        return None
    password = os.environ.get(password_env)
    return Signing(p12=Path(path), password=password.encode() if password is not None else None)
