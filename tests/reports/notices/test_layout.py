"""GB/T 9704-2012 measured on the rendered PDF (pdftotext -bbox-layout), not on the CSS."""

import re
import subprocess
from xml.etree import ElementTree

import pytest

from reports.notices import services
from tests.reports.factories import make_notice

MM = 72 / 25.4
TOP, LEFT, WIDTH, HEIGHT = 37 * MM, 28 * MM, 156 * MM, 225 * MM
CJK = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]+$")


def _lines(data: bytes) -> list[list[dict]]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    pages = []
    for page in ElementTree.fromstring(xml).iter("page"):
        lines = []
        for line in page.iter("line"):
            text = "".join(w.text or "" for w in line.findall("word"))
            lines.append({"text": text, **{k: float(line.get(k)) for k in ("xMin", "xMax", "yMin", "yMax")}})
        pages.append(lines)
    return pages


@pytest.mark.django_db
def test_the_notice_is_laid_out_on_the_gbt9704_grid(inspector):
    notice = make_notice(author=inspector)
    # Long, plain Chinese paragraphs so that full lines can be counted.
    notice.violations = "上述行为违反了" + "人工智能生成合成内容标识相关规定要求" * 6 + "。"
    notice.measures = "（一）" + "对生成合成内容的文件在文件元数据中添加隐式标识并全面自查" * 5 + "。"
    notice.save()
    pages = _lines(services.notice_preview_pdf(notice=notice))
    first = pages[0]
    masthead = next(line for line in first if line["text"] == notice.agency)
    # 7.2.1: the agency mark 35 mm below the top of the text block.
    assert abs((masthead["yMin"] - TOP) / MM - 35) < 0.5
    # 下空二行: the document number two blank lines (2 x 28.95 pt) below the mark.
    number = next(line for line in first if line["text"].startswith(notice.prefix))
    assert number["yMin"] - masthead["yMax"] >= 2 * 28.95 - 1
    full = [line for page in pages for line in page
            if CJK.match(line["text"]) and line["xMax"] > LEFT + WIDTH - 3 * MM]
    assert len(full) >= 6
    for line in full:
        # 28 characters a full line (26 after the two-character indent), inside the block.
        indent = round((line["xMin"] - LEFT) / (WIDTH / 28))
        assert len(line["text"]) + indent == 28, line
    # 22 lines a page: the pitch of consecutive body lines is 225 mm / 22.
    pitches = []
    for page in pages:
        tops = sorted({round(line["yMin"], 2) for line in page if line in full})
        pitches += [b - a for a, b in zip(tops, tops[1:], strict=False) if b - a < 1.5 * HEIGHT / 22]
    assert len(pitches) >= 4 and all(abs(p - HEIGHT / 22) < 0.2 for p in pitches), pitches
    # No text beyond the block, hashes and URLs included.
    for page in pages:
        for line in page:
            assert LEFT - 0.5 * MM <= line["xMin"] and line["xMax"] <= LEFT + WIDTH + 0.5 * MM, line
