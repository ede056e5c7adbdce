"""The visible text of a text sample: UTF-8 text, Markdown, DOCX or PDF.

Reads are bounded: at most ``MAX_TEXT_CHARS`` characters are kept, a DOCX
member is refused on its declared size and compression ratio, and a PDF
is read page by page within the time budget (pypdf, imported here only).
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from xml.etree.ElementTree import ParseError

from ..source import Inconclusive

MAX_TEXT_CHARS = 2_000_000
MAX_MEMBER_BYTES = 32 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_PDF_PAGES = 500
_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def plain_text(data: bytes) -> str:
    """Decode UTF-8 text (a BOM is dropped), replacing broken bytes."""
    return data[: MAX_TEXT_CHARS * 4].decode("utf-8", errors="replace").lstrip("\ufeff")


def markdown_text(data: bytes) -> str:
    """The text of a Markdown file without its YAML front matter (metadata)."""
    return _FRONT_MATTER.sub("", plain_text(data), count=1)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_MEMBER_BYTES or (
        info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
    ):
        raise Inconclusive(f"docx: {name} is too large to read safely")
    with archive.open(info) as handle:
        data = handle.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise Inconclusive(f"docx: {name} is too large to read safely")
    return data


def _paragraphs(xml: bytes) -> list[str]:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(xml)
    except (ParseError, DefusedXmlException) as error:
        raise Inconclusive(f"docx: XML cannot be read ({type(error).__name__})") from error
    lines = []
    for paragraph in root.iter(f"{_W_NS}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W_NS}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W_NS}tab",):
                parts.append("\t")
            elif node.tag in (f"{_W_NS}br", f"{_W_NS}cr"):
                parts.append("\n")
        lines.append("".join(parts))
    return lines


def docx_text(data: bytes) -> str | None:
    """Headers, body and footers of a DOCX, one paragraph a line; None if not a DOCX."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise Inconclusive(f"docx: not a readable ZIP archive ({error})") from error
    with archive:
        names = archive.namelist()
        if len(names) > 20_000:
            raise Inconclusive("docx: too many archive members")
        if "word/document.xml" not in names:
            return None
        headers = sorted(n for n in names if re.fullmatch(r"word/header\d*\.xml", n))
        footers = sorted(n for n in names if re.fullmatch(r"word/footer\d*\.xml", n))
        lines: list[str] = []
        for name in [*headers, "word/document.xml", *footers]:
            lines.extend(_paragraphs(_member(archive, name)))
            if sum(len(line) for line in lines) > MAX_TEXT_CHARS:
                break
    return "\n".join(lines)[:MAX_TEXT_CHARS]


def pdf_text(data: bytes, *, deadline: float) -> str:
    """The text layer of a PDF, page by page within the deadline."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Inconclusive("pdf: encrypted, its text cannot be read")
        count = len(reader.pages)
    except Inconclusive:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError, OSError) as error:
        raise Inconclusive(f"pdf: cannot be read ({type(error).__name__})") from error
    # The first and the last pages: a label stands at the start or the end,
    # and a middle one is read while the budget lasts.
    indexes = list(range(min(count, MAX_PDF_PAGES)))
    texts: list[str] = []
    total = 0
    for index in indexes:
        if time.monotonic() > deadline:
            raise Inconclusive(f"pdf: time budget exceeded after {index} of {count} pages")
        try:
            page_text = reader.pages[index].extract_text() or ""
        except (PyPdfError, ValueError, KeyError, TypeError, RecursionError, OSError,
                AttributeError, ZeroDivisionError):
            page_text = ""
        texts.append(page_text)
        total += len(page_text)
        if total > MAX_TEXT_CHARS:
            break
    if count and not "".join(texts).strip():
        raise Inconclusive("pdf: no text layer (a scanned document is read by eye)")
    return "\n".join(texts)[:MAX_TEXT_CHARS]
