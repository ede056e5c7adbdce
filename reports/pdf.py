"""
PDF rendering with WeasyPrint: notices (GB/T 9704-2012 layout) with their
proof of service, typical-issues bulletins and campaign reports.

Speed: WeasyPrint subsets fonts with HarfBuzz when libharfbuzz-subset0 is
installed (about 50 times faster than the fontTools fallback on CJK fonts).
Batches are laid out as ONE multi-document HTML and written once, then split
per notice with pikepdf; CSS page groups restart the page counter for each
notice, so every notice reads "— 1 —", "— 2 —" on its own.

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


def harfbuzz_subset_in_use() -> bool:
    """True when WeasyPrint found libharfbuzz-subset (fast CJK font subsetting)."""
    from weasyprint.text import ffi

    return getattr(ffi, "harfbuzz_subset", None) is not None


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


def _layout(html: str, *, lean: bool = False):
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
    _layout(_render("reports/pdf/proof_only.html", {"doc": {}}), lean=True).write_pdf()


def _html_to_pdf(html: str, *, lean: bool = False) -> bytes:
    return _layout(html, lean=lean).write_pdf()


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


def _page_ranges(document, count: int) -> list[tuple[int, int, int]]:
    """
    (notice start, proof start, end) page indexes of each document in the
    laid-out bundle, found from the element ids notice-N and proof-N.
    """
    starts: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            starts.setdefault(anchor, index)
    ranges = []
    for i in range(count):
        notice_start, proof_start = starts[f"notice-{i}"], starts[f"proof-{i}"]
        end = starts.get(f"notice-{i + 1}", len(document.pages))
        ranges.append((notice_start, proof_start, end))
    return ranges


def _extract(source: pikepdf.Pdf, start: int, end: int, title: str, author: str) -> bytes:
    import pikepdf

    out = pikepdf.Pdf.new()
    out.pages.extend(source.pages[start:end])
    # Document info only: an XMP packet as well would cost a third of the split.
    out.docinfo["/Title"] = title
    out.docinfo["/Author"] = author
    out.docinfo["/Creator"] = "LabelWatch"
    buffer = io.BytesIO()
    # Deterministic: no random /ID, so identical input gives identical bytes.
    out.save(buffer, static_id=True, compress_streams=True)
    return buffer.getvalue()


def _render_bundle_html(html: str, documents: list[dict]) -> list[tuple[bytes, bytes]]:
    import pikepdf

    document = _layout(html, lean=True)
    ranges = _page_ranges(document, len(documents))
    whole = pikepdf.Pdf.open(io.BytesIO(document.write_pdf()))
    result = []
    for doc, (notice_start, proof_start, end) in zip(documents, ranges):
        title = f"{doc['title']} {doc['number']}"
        result.append((
            _extract(whole, notice_start, proof_start, title, doc["agency"]),
            _extract(whole, proof_start, end, f"送达回证 {doc['number']}", doc["agency"]),
        ))
    return result


def _bundle_html(documents: list[dict]) -> str:
    return _render("reports/pdf/notice_bundle.html", {"documents": _with_qr(documents), "draft": False})


def _render_chunk(documents: list[dict]) -> list[RenderedNotice]:
    """Lay out a chunk of notices with their proofs as one document, write it once, split it."""
    parts = _render_bundle_html(_bundle_html(documents), documents)
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
    processes = processes or getattr(settings, "NOTICE_RENDER_PROCESSES", 2)
    chunks = iter(chunks)
    first = next(chunks, None)
    if first is None:
        return
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
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    executor = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"))
    try:
        # Workers start on the first submit; a daemonic process refuses here.
        return executor, [executor.submit(_render_chunk, first)]
    except (AssertionError, OSError, RuntimeError):
        executor.shutdown(wait=False, cancel_futures=True)
        return None


def render_notices(documents: list[dict], *, chunk: int = 25, processes: int | None = None) -> list[RenderedNotice]:
    """Render notices and their proofs of service (see render_notice_chunks)."""
    chunks = [documents[i:i + chunk] for i in range(0, len(documents), chunk)]
    return [item for part in render_notice_chunks(chunks, processes=processes) for item in part]


def render_notice_preview(document: dict) -> bytes:
    """A draft's preview: same layout, marked 样稿, no number, never stored."""
    html = _render("reports/pdf/notice_bundle.html", {"documents": _with_qr([document]), "draft": True})
    return _html_to_pdf(html, lean=True)


def render_proof(document: dict) -> bytes:
    """The proof of service alone (re-rendered when service is recorded)."""
    html = _render("reports/pdf/proof_only.html", {"doc": document})
    return _html_to_pdf(html, lean=True)


def render_bulletin(context: dict) -> bytes:
    return _html_to_pdf(_render("reports/pdf/bulletin.html", context))


def render_campaign_report(context: dict) -> bytes:
    return _html_to_pdf(_render("reports/pdf/campaign_report.html", context))
