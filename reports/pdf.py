"""
PDF rendering with WeasyPrint: notices (GB/T 9704-2012 layout) with their
proof of service, typical-issues bulletins and campaign reports.

Speed: WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset0 is
installed (about 50 times faster than the fontTools fallback on CJK fonts).
Batches are laid out as ONE multi-document HTML and written once, then split
per notice with pikepdf; CSS page groups restart the page counter for each
notice, so every notice reads "— 1 —", "— 2 —" on its own. The split puts
each notice's 版记 on its last, even page, and issued notices and their
proofs of service are signed there (reports/signing.py).

WeasyPrint (about a second to import), pikepdf and qrcode are imported in
the functions that use them, never when the app loads.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    import pikepdf
    from weasyprint import CSS

# Documents are official Chinese texts whatever the viewer's language.
logger = logging.getLogger(__name__)

PDF_LANGUAGE = "zh-hans"
QR_MASK_PATTERN = 0


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def qr_png_data_uri(url: str) -> str:
    """
    A QR code of `url` as a PNG data URI. A bitmap of a few hundred bytes:
    WeasyPrint lays out an SVG path of hundreds of modules far more slowly.
    The mask pattern is fixed: every mask is valid, and scoring all eight
    (the library's default) costs ~30 ms of pure Python per code.
    """
    import qrcode

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=1,
                         mask_pattern=QR_MASK_PATTERN)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _with_qr(documents: list[dict]) -> list[dict]:
    """The documents with their QR image (made where they render: in the pool's workers)."""
    return [{**doc, "qr": qr_png_data_uri(doc["verify_url"]) if doc.get("verify_url") else ""}
            for doc in documents]


def font_face_css() -> str:
    """
    @font-face rules for an agency's licensed FangSong_GB2312 / 方正小标宋
    files (settings NOTICE_BODY_FONT_FILE / NOTICE_TITLE_FONT_FILE), when the
    files exist. The stylesheets list these families first and fall back to
    Debian's Noto Serif CJK SC.
    """
    rules = []
    for family, path in (("LW Body", settings.NOTICE_BODY_FONT_FILE),
                         ("LW Title", settings.NOTICE_TITLE_FONT_FILE)):
        if path and os.path.isfile(path):
            rules.append(f'@font-face {{ font-family: "{family}"; src: url("file://{path}"); }}')
    return "\n".join(rules)


@functools.cache
def _font_config(body_file: str, title_file: str):
    """
    One font configuration (and @font-face sheet) per process and font
    setting: building one opens the CJK font files anew, a noticeable part
    of a small chunk's time. Pool workers inherit the parent's.
    """
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    faces = font_face_css()
    return font_config, [CSS(string=faces, font_config=font_config)] if faces else []


@functools.cache
def _lean_ua_stylesheet() -> CSS:
    from weasyprint import CSS

    return CSS(filename=str(settings.BASE_DIR / "templates" / "reports" / "pdf" / "_lean_ua.css"))


@functools.cache
def _lean_html():
    """
    A notice or proof of service: the few elements those templates use get
    their user-agent rules from _lean_ua.css instead of WeasyPrint's whole
    html5_ua.css. WeasyPrint has no public option for this; the method is
    checked by tests/reports/test_pdf.py, so an upgrade that renames it fails
    there rather than silently.
    """
    from weasyprint import HTML

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [_lean_ua_stylesheet()]

    return LeanHTML


def layout(html: str, *, lean: bool = False):
    """Lay out `html` (a notice or proof when `lean`); return the WeasyPrint document."""
    font_config, stylesheets = _font_config(settings.NOTICE_BODY_FONT_FILE, settings.NOTICE_TITLE_FONT_FILE)
    from weasyprint import HTML

    source = (_lean_html() if lean else HTML)(string=html, base_url=str(settings.BASE_DIR))
    return source.render(stylesheets=stylesheets, font_config=font_config)


def warm_up() -> None:
    """
    Load the fonts once, before the first document: a new process otherwise
    spends ~1 s of its first notice on it. The notices worker calls this when
    it starts, so the render pools it forks for each batch start warm.
    """
    layout(_render("reports/pdf/proof_only.html", {"doc": {}}), lean=True).write_pdf()


def _html_to_pdf(html: str, *, lean: bool = False) -> bytes:
    return layout(html, lean=lean).write_pdf()


def html_to_pdf(html: str) -> bytes:
    """
    Any official document laid out on the notices' engine (fonts, GB/T 9704
    stylesheet included by its template): the case documents use it.
    """
    return _html_to_pdf(html)


def _render(template: str, context: dict) -> str:
    with translation.override(PDF_LANGUAGE):
        return render_to_string(template, context)


@dataclass
class RenderedNotice:
    notice_pdf: bytes
    proof_pdf: bytes


# WeasyPrint positions are in CSS pixels; PDF in points.
PT_PER_PX = 0.75
# The 版记 shares the last page of text only with a blank line between them.
COLOPHON_CLEARANCE_PT = 28.95
# The top of the text block (GB/T 9704: top margin 37 mm), in CSS pixels.
BLOCK_TOP_PX = 37 / 25.4 * 96


@dataclass
class NoticePages:
    """Where one notice and its proof lie in the laid-out bundle (page indexes, positions in px)."""

    first: int  # the masthead's page
    last_text: int  # the page where the text (attachment included) ends
    text_bottom: float  # ... and how far down it ends
    colophon: int  # the 版记's own page, laid out at the bottom of the block
    colophon_top: float
    colophon_bottom: float
    proof: int
    proof_last: int

    @property
    def last_text_number(self) -> int:
        """The page number (1, 2, ...) of the last page of text."""
        return self.last_text - self.first + 1


def _notice_pages(document, count: int, *, proofs: bool = True) -> list[NoticePages]:
    """
    The pages of each notice of a laid-out bundle, found from the ids its
    template sets. A document served without a proof of service (a
    bulletin) has none: `proofs=False`, and its proof pages are -1.
    """
    found: dict[str, tuple[int, tuple]] = {}
    for index, page in enumerate(document.pages):
        for name, box in page.anchors.items():
            found.setdefault(name, (index, box))
    result = []
    for i in range(count):
        last_text, end_box = found[f"end-{i}"]
        text_bottom = end_box[1]
        if text_bottom <= BLOCK_TOP_PX + 1 and last_text > found[f"notice-{i}"][0]:
            # The empty end marker went over to a page of its own: the text ended at the foot of the one before.
            last_text, text_bottom = last_text - 1, float("inf")
        # A bundle laid out with shared 版记 has none of its own (see _place_colophons).
        colophon, colophon_box = found.get(f"colophon-{i}", (-1, (0.0, 0.0, 0.0, 0.0)))
        result.append(NoticePages(
            first=found[f"notice-{i}"][0], last_text=last_text, text_bottom=text_bottom,
            colophon=colophon, colophon_top=colophon_box[1], colophon_bottom=colophon_box[3],
            proof=found[f"proof-{i}"][0] if proofs else -1,
            proof_last=found[f"proofend-{i}"][0] if proofs else -1))
    return result


def _place_colophons(document, documents: list[dict], positions: list[NoticePages]):
    """
    Lay out the 版记 of a bundle's notices once each (the notices of a chunk
    share one: agency, 抄送, date) rather than once per notice, as a page of
    their own after the bundle's: numbered as the notice's next page where
    its last page of text is odd, unnumbered where it is drawn onto an even
    last page (_extract_notice). Returns the bundle with those pages added,
    `positions` pointing to them.
    """
    sheets: list[dict] = []
    index: dict[tuple, int] = {}
    wanted = []
    for doc, pages in zip(documents, positions, strict=True):
        number = pages.last_text_number + 1 if pages.last_text_number % 2 == 1 else None
        key = (doc.get("cc", ""), doc.get("printed_by", ""), doc.get("printed_date_text", ""), number)
        if key not in index:
            index[key] = len(sheets)
            sheets.append({"doc": doc, "number": number})
        wanted.append(index[key])
    laid_out = layout(_render("reports/pdf/colophon_sheets.html", {"sheets": sheets}), lean=True)
    found = {name: (i, box) for i, page in enumerate(laid_out.pages) for name, box in page.anchors.items()}
    offset = len(document.pages)
    for pages, sheet in zip(positions, wanted, strict=True):
        page, box = found[f"colophon-{sheet}"]
        pages.colophon, pages.colophon_top, pages.colophon_bottom = offset + page, box[1], box[3]
    return document.copy(document.pages + laid_out.pages)


def _save(pdf: pikepdf.Pdf, title: str, author: str) -> bytes:
    # Document info only: an XMP packet as well would cost a third of the split.
    pdf.docinfo["/Title"] = title
    pdf.docinfo["/Author"] = author
    pdf.docinfo["/Creator"] = "LabelWatch"
    import pikepdf

    from .pdf_fonts import compact_fonts

    # Only the glyphs this document shows (not its whole chunk's, nor
    # WeasyPrint's empty glyph slots): a third of the size or less.
    compact_fonts(pdf)
    buffer = io.BytesIO()
    # Deterministic: no random /ID, so identical input gives identical bytes.
    # Streams are written as they are (qpdf would otherwise inflate and
    # deflate every one again); only the new font programs get compressed.
    pdf.save(buffer, static_id=True, compress_streams=True,
             stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return buffer.getvalue()


def _extract(source: pikepdf.Pdf, start: int, end: int, title: str, author: str) -> bytes:
    import pikepdf

    out = pikepdf.Pdf.new()
    out.pages.extend(source.pages[start:end])
    return _save(out, title, author)


def _extract_notice(source: pikepdf.Pdf, pages: NoticePages, title: str, author: str) -> bytes:
    """
    The notice's pages with its 版记 at the foot of the last page, which is
    an even page (GB/T 9704-2012 7.4, 7.5): after a last page of text that
    is odd, the 版记's own page (numbered); on an even last page of text with
    room, the 版记 is drawn onto it; otherwise a blank page and the 版记 page
    follow, both unnumbered.
    """
    import pikepdf

    out = pikepdf.Pdf.new()
    out.pages.extend(source.pages[pages.first:pages.last_text + 1])
    colophon_page = source.pages[pages.colophon]
    if pages.last_text_number % 2 == 1:
        out.pages.append(colophon_page)
        return _save(out, title, author)
    room = (pages.text_bottom * PT_PER_PX + COLOPHON_CLEARANCE_PT <= pages.colophon_top * PT_PER_PX)
    box = colophon_page.mediabox
    width, height = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
    if room:
        target = out.pages[-1]
    else:
        out.add_blank_page(page_size=(width, height))
        target = out.add_blank_page(page_size=(width, height))
    # Only the 版记 itself (its rules included), not the page number of its own page.
    region = pikepdf.Rectangle(float(box[0]), height - pages.colophon_bottom * PT_PER_PX - 1,
                               float(box[2]), height - pages.colophon_top * PT_PER_PX + 1)
    form = out.copy_foreign(colophon_page.as_form_xobject())
    form.BBox = pikepdf.Array([region.llx, region.lly, region.urx, region.ury])
    target.add_overlay(form, region)
    return _save(out, title, author)


def _render_bundle_html(html: str, documents: list[dict], *, sign: bool,
                        shared_colophons: bool = False) -> list[tuple[bytes, bytes]]:
    """
    Lay out the bundle, split it into each notice and its proof of service,
    and (`sign`, for issued notices) sign each notice and its proof for its
    agency, here, in the render path, so the pool's processes sign in
    parallel with one key loaded per process. `shared_colophons`: the bundle's notices have no
    版记 of their own; they are laid out once for all (_place_colophons).
    """
    import pikepdf

    from .pdf_fonts import compact_fonts
    from .signing import sign_pdf

    document = layout(html, lean=True)
    positions = _notice_pages(document, len(documents))
    if shared_colophons:
        document = _place_colophons(document, documents, positions)
    whole = pikepdf.Pdf.open(io.BytesIO(document.write_pdf()))
    # The bundle's fonts cut once to the glyphs of all its documents: each
    # document is then cut from these small programs (see _save).
    compact_fonts(whole, bundle=True)
    result = []
    for doc, pages in zip(documents, positions, strict=True):
        title = f"{doc['title']} {doc['number']}".strip()
        notice_pdf = _extract_notice(whole, pages, title, doc["agency"])
        proof_pdf = _extract(whole, pages.proof, pages.proof_last + 1, f"送达回证 {doc['number']}".strip(),
                             doc["agency"])
        if sign:
            notice_pdf, proof_pdf = sign_pdf(notice_pdf, doc["agency"]), sign_pdf(proof_pdf, doc["agency"])
        result.append((notice_pdf, proof_pdf))
    return result


def render_official_document(html: str, *, title: str, number: str, agency: str) -> tuple[bytes, bytes]:
    """
    One document of another kind laid out on the notices' engine with its
    proof of service: its template sets the same anchors as a notice
    (notice-0, end-0, colophon-0, proof-0, proofend-0), so the 版记 falls at
    the foot of an even last page, and the document and its proof are
    signed for `agency`. Returns (document, proof of service). The case
    documents use it.
    """
    return _render_bundle_html(html, [{"title": title, "number": number, "agency": agency}], sign=True)[0]


def bundle_html(documents: list[dict], *, shared_colophons: bool = False) -> str:
    """
    One HTML document of several notices, each followed by its proof of
    service (`shared_colophons`: without their 版记, see _place_colophons).
    """
    return _render("reports/pdf/notice_bundle.html", {"documents": _with_qr(documents), "draft": False,
                                                       "shared_colophons": shared_colophons})


def _render_chunk(documents: list[dict]) -> list[RenderedNotice]:
    """
    Lay out a chunk of notices with their proofs as one document, write it
    once, split it. The 版记 of a chunk of several notices is laid out once
    for all of them (its page, and the blank page after it that started the
    next notice on a right-hand page, were a third of a bundle's pages); a
    notice alone
    keeps its own, one document laid out once.
    """
    shared = len(documents) > 1
    parts = _render_bundle_html(bundle_html(documents, shared_colophons=shared), documents, sign=True,
                                shared_colophons=shared)
    return [RenderedNotice(notice_pdf=n, proof_pdf=p) for n, p in parts]


def render_notice_chunks(chunks: Iterable[list[dict]], *, processes: int | None = None
                         ) -> Iterator[list[RenderedNotice]]:
    """
    Yield each chunk's rendered notices, in order, while later chunks render
    ahead in a pool of `processes` (settings NOTICE_RENDER_PROCESSES), so the
    caller can issue one chunk while the next renders. `chunks` may be a
    generator: each chunk goes to the pool as soon as it is produced.
    Where a pool cannot start (inside a daemonic Celery worker process) the
    chunks render one after the other, as they are asked for.
    """
    processes = processes or settings.NOTICE_RENDER_PROCESSES
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
    # The signing keys of the first chunk's agencies, loaded once here: the
    # pool's processes inherit them.
    from .signing import agency_certificate_der

    for agency in dict.fromkeys(doc["agency"] for doc in first):
        agency_certificate_der(agency)
    pool = _start_pool(processes, first) if processes > 1 else None
    if pool is None:
        logger.info("notices render in this process (processes=%d, or no pool can fork here)", processes)
        yield _render_chunk(first)
        for chunk in chunks:
            yield _render_chunk(chunk)
        return
    executor, futures = pool
    logger.info("notices render in a pool of %d processes", processes)
    try:
        futures.extend(executor.submit(_render_chunk, chunk) for chunk in chunks)
        for future in futures:
            yield future.result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _start_pool(processes: int, first: list[dict]):
    """A fork pool already rendering `first`, with its futures; None where it cannot fork."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    executor = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"))
    # The workers' garbage collector leaves alone what they inherit: walking
    # this process's heap (the worker's, Django's, the batch's) would cost
    # each of them time and copy every page it touches.
    gc.freeze()
    try:
        # Workers start on the first submit; a daemonic process refuses here.
        return executor, [executor.submit(_render_chunk, first)]
    except (AssertionError, OSError, RuntimeError):
        executor.shutdown(wait=False, cancel_futures=True)
        return None
    finally:
        gc.unfreeze()


def render_notices(documents: list[dict], *, chunk: int = 25, processes: int | None = None) -> list[RenderedNotice]:
    """Render notices and their proofs of service (see render_notice_chunks)."""
    chunks = [documents[i:i + chunk] for i in range(0, len(documents), chunk)]
    return [item for part in render_notice_chunks(chunks, processes=processes) for item in part]


def render_notice_preview(document: dict) -> bytes:
    """A draft's preview: same layout, marked 样稿, no number, never stored."""
    html = _render("reports/pdf/notice_bundle.html", {"documents": _with_qr([document]), "draft": True})
    return _render_bundle_html(html, [document], sign=False)[0][0]


def render_proof(document: dict) -> bytes:
    """
    The proof of service alone (re-rendered when service is recorded),
    signed for document["agency"] as the proof issued with the document is.
    """
    from .signing import sign_pdf

    html = _render("reports/pdf/proof_only.html", {"doc": document})
    return sign_pdf(_html_to_pdf(html, lean=True), document["agency"])


def render_bulletin(context: dict) -> bytes:
    """
    A bulletin on the notices' engine: its 版记 at the foot of an even last
    page (GB/T 9704-2012 7.4), and, issued, signed for its agency as a
    notice is (a draft, marked 样稿, is not signed).
    """
    import pikepdf

    from .signing import sign_pdf

    bulletin = context["bulletin"]
    document = layout(_render("reports/pdf/bulletin.html", context))
    pages = _notice_pages(document, 1, proofs=False)[0]
    whole = pikepdf.Pdf.open(io.BytesIO(document.write_pdf()))
    data = _extract_notice(whole, pages, bulletin.title, bulletin.agency)
    return data if context.get("draft") else sign_pdf(data, bulletin.agency)


def render_campaign_report(context: dict) -> bytes:
    return _html_to_pdf(_render("reports/pdf/campaign_report.html", context))
