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
    # 7.2.4 (发文机关标志): the agency mark 35 mm below the top of the text block.
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


def _page_number(page: list[dict]) -> int | None:
    for line in page:
        match = re.fullmatch(r"—\s*(\d+)\s*—", line["text"])
        if match:
            return int(match.group(1))
    return None


def _with_agency_colophon(notice) -> None:
    from legal.models import Agency

    Agency.objects.filter(name=notice.agency).update(copy_to="国家互联网信息办公室、北京市市场监督管理局")


@pytest.mark.django_db
def test_evidence_goes_to_the_attachment_and_the_colophon_ends_an_even_page(inspector):
    notice = make_notice(author=inspector, n=3)
    _with_agency_colophon(notice)
    hashes = [line.split("SHA-256：")[1] for line in notice.facts.splitlines() if "SHA-256：" in line]
    assert len(hashes) == 3
    pages = _lines(services.notice_preview_pdf(notice=notice))
    texts = ["".join(line["text"] for line in page) for page in pages]
    # 附件说明 under the text; the attachment on pages of its own, headed 附件, titled 证据清单.
    annex_start = next(i for i, page in enumerate(pages) if page and page[0]["text"] == "附件")
    assert any("附件：证据清单" in text for text in texts[:annex_start])
    assert "证据清单" in texts[annex_start]
    for digest in hashes:
        assert all(digest not in text for text in texts[:annex_start])
        assert any(digest in text for text in texts[annex_start:])
    assert "证据见附件第1项" in "".join(texts[:annex_start])
    # 版记 at the foot of the last page, an even page; nothing after it.
    last = pages[-1]
    assert len(pages) % 2 == 0
    assert _page_number(last) in (len(pages), None)
    cc = next(line for line in last if line["text"].startswith("抄送："))
    printed = next(line for line in last if line["text"].endswith("印发"))
    assert cc["text"] == "抄送：国家互联网信息办公室，北京市市场监督管理局。"
    assert notice.agency in "".join(line["text"] for line in last if line["yMin"] > cc["yMax"])
    assert cc["yMin"] < printed["yMin"] and abs(printed["yMax"] - (TOP + HEIGHT)) < 8 * MM
    above = [line for line in last if line["yMax"] < cc["yMin"]]
    assert all(line["yMax"] < cc["yMin"] - 4 * MM for line in above)
    # No text beyond the block, the monospaced hashes included.
    for page in pages:
        for line in page:
            assert LEFT - 0.5 * MM <= line["xMin"] and line["xMax"] <= LEFT + WIDTH + 0.5 * MM, line


@pytest.mark.django_db
def test_seal_and_date_never_stand_alone_and_the_last_page_is_always_even(inspector):
    notice = make_notice(author=inspector, n=1)
    _with_agency_colophon(notice)
    base_measures = notice.measures
    seen_last_pages = set()
    for extra in range(0, 22, 2):
        # The text grows a line or two at a time, so that the signature falls at every place on a page.
        notice.measures = base_measures + "\n" + "\n".join(
            f"（{n}）对生成合成内容的文件在文件元数据中添加隐式标识。" for n in range(extra))
        notice.save()
        pages = _lines(services.notice_preview_pdf(notice=notice))
        assert len(pages) % 2 == 0, extra
        assert any(line["text"].endswith("印发") for line in pages[-1]), extra
        seen_last_pages.add(len(pages))
        signed = next(i for i, page in enumerate(pages) if any(line["text"] == notice.agency for line in page[1:]))
        page = pages[signed]
        agency_line = next(line for line in page[1:] if line["text"] == notice.agency)
        text_above = [line for line in page if line["yMax"] < agency_line["yMin"] and CJK.match(line["text"])
                      and line["text"] != "附件：证据清单"]
        assert text_above, f"the seal and date alone on page {signed + 1} ({extra} extra lines)"
    assert len(seen_last_pages) >= 2


@pytest.mark.django_db
def test_a_latin_word_never_opens_a_gap_in_a_line(inspector):
    notice = make_notice(author=inspector)
    # A space before a long address and a standard's number: the places where
    # a justified line widened its only space by ten characters.
    notice.facts = ("经检查，发现以下问题：文件元数据中未添加隐式标识（抽检样本 "
                    "https://www.example.com.cn/p1/content/235-demo-1），不符合GB 45438-2025的要求。")
    notice.save()
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"],
                         input=services.notice_preview_pdf(notice=notice), capture_output=True,
                         check=True).stdout.decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    gaps = []
    for line in ElementTree.fromstring(xml).iter("line"):
        words = [(float(w.get("xMin")), float(w.get("xMax")), w.text) for w in line.findall("word")]
        gaps += [(b[0] - a[1], a[2], b[2]) for a, b in zip(words, words[1:], strict=False)]
    assert any(left.endswith("GB") for _gap, left, _right in gaps), gaps
    # A space keeps its width (a quarter of 16 pt, less the grid's tightening),
    # wherever the line breaks. (The draft's blank serial, 〔  〕, is no space.)
    spaces = [gap for gap, left, _right in gaps if not left.endswith("〕")]
    assert max(spaces) < 6, sorted(gaps)[-3:]


@pytest.mark.django_db
def test_every_entry_of_the_proof_of_service_starts_at_the_entry_column(inspector, second_inspector, supervisor):
    import datetime

    import time_machine
    from django.utils import timezone

    from legal.models import ServiceMethod

    issued = datetime.datetime(2026, 11, 2, 10, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(issued, tick=False):
        notice = services.notice_issue(notice=make_notice(author=inspector, approver=supervisor), actor=supervisor)
    with time_machine.travel(issued + datetime.timedelta(days=1), tick=False):
        notice = services.notice_record_service(
            notice=notice, actor=inspector, method=ServiceMethod.LEFT, served_at=issued + datetime.timedelta(hours=5),
            servers=[inspector, second_inspector], refusal="法定代表人拒绝签收", witnesses="物业管理员王五",
            place="北京市海淀区示例路8号")
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-", "-"], input=notice.proof_pdf.read(),
                         capture_output=True, check=True).stdout.decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace('xmlns="http://www.w3.org/1999/xhtml"', "")
    labels = {"文书名称及文号", "受送达人", "送达地点", "送达方式", "送达时间", "留置情况", "整改期限"}
    words = [(w.text, float(w.get("xMin")), float(w.get("yMin"))) for w in ElementTree.fromstring(xml).iter("word")]
    starts = {}
    for text, x, y in words:
        if text in labels:
            starts[text] = min(wx for _t, wx, wy in words if abs(wy - y) < 1 and wx > x)
    assert set(starts) == labels, starts
    # The label column is 7 characters and a gap wide on every row (U+3000 and
    # U+2002 padding), so the entries, and their wrapped lines, stand in one column.
    wrapped = next(x for text, x, _y in words if text.startswith("统一社会信用代码"))
    assert max(starts.values()) - min(starts.values()) < 1 and abs(wrapped - min(starts.values())) < 1, (
        starts, wrapped)
