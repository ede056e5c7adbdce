import io

import pytest

from core import filetypes
from tests.rectification.factories import PDF_BYTES, PNG_BYTES, docx_bytes


def kind(content: bytes, name: str = "file.bin"):
    return filetypes.detect(io.BytesIO(content), name)


@pytest.mark.parametrize(("content", "name", "expected"), [
    (PDF_BYTES, "a.pdf", filetypes.PDF),
    (PNG_BYTES, "a.png", filetypes.PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a.jpg", filetypes.JPEG),
    (b"GIF89a\x01\x00\x01\x00", "a.gif", filetypes.GIF),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "a.webp", filetypes.WEBP),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "a.wav", filetypes.WAV),
    (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", "a.mp4", filetypes.MP4),
    (b"ID3\x04\x00\x00\x00\x00\x00\x00", "a.mp3", filetypes.MP3),
    (docx_bytes(), "a.docx", filetypes.DOCX),
    ("整改措施：已在生成图片中添加显式标识。\n".encode(), "说明.txt", filetypes.TEXT),
    ("日期,措施\n2026-05-01,添加隐式标识\n".encode("gb18030"), "清单.csv", filetypes.CSV),
])
def test_it_accepts_passive_formats_by_content(content, name, expected):
    assert kind(content, name) == expected


def test_it_names_the_kind_by_content_not_by_name():
    assert kind(PNG_BYTES, "report.pdf") == filetypes.PNG


@pytest.mark.parametrize(("content", "name"), [
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "evidence.pdf"),
    (b"<html><body onload=alert(1)>", "notes.txt"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.png"),
    (b'<?xml version="1.0"?><svg onload="alert(1)"/>', "image.svg"),
    (b"<?xml version='1.0'?><root/>", "data.txt"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "setup.pdf"),
    (b"\x7fELF\x02\x01\x01\x00", "tool.png"),
    (b"#!/bin/sh\nrm -rf /\n", "readme.txt"),
    (b"hello <script>alert(1)</script>", "hello.txt"),
    (b"a,b\n=cmd|' /C calc'!A0,javascript:alert(1)\n", "list.csv"),
    (docx_bytes(macro=True), "report.docx"),
    (b"PK\x03\x04not really a zip", "report.docx"),
    (b"", "empty.txt"),
    (b"\x00\x01\x02\x03binary", "blob.txt"),
])
def test_it_refuses_active_or_unknown_content(content, name):
    assert kind(content, name) is None


def test_a_docx_zip_bomb_is_refused_in_bounded_memory():
    """1 MiB on disk, [Content_Types].xml inflating to 1 GiB (the red-team's file)."""
    import time
    import tracemalloc

    from tests.hostile import MIB, zip_bomb

    bomb = zip_bomb(inflated=1024 * MIB)
    tracemalloc.start()
    started = time.monotonic()
    try:
        assert kind(bomb, "evidence.docx") is None
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 16 * MIB
    assert time.monotonic() - started < 5


def test_a_bomb_in_any_other_member_is_refused_too():
    from tests.hostile import MIB, zip_bomb

    bomb = zip_bomb(member="word/media/image1.png", inflated=512 * MIB,
                    extra={"[Content_Types].xml": b"<Types/>"})
    assert kind(bomb, "evidence.docx") is None


def test_text_with_markup_after_the_first_8_kib_is_refused():
    text = ("整改说明。" * 1000).encode() + b"\n<script>alert(document.cookie)</script>\n"
    assert len(text) > filetypes.HEAD_BYTES
    assert kind(text, "inspection-evidence.html") is None
    assert kind(("整改说明。" * 1000).encode(), "说明.txt") == filetypes.TEXT
