import io

import pytest

from rectification import filetypes
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
