"""The issued PDF: HarfBuzz subsetting, A4, embedded fonts, extractable text, layout."""

import io
import re
import subprocess

import pikepdf
import pytest

from reports import pdf
from reports.notices import selectors, services
from tests.reports.factories import make_notice, pdf_text


def test_weasyprint_uses_harfbuzz_subsetting():
    from weasyprint.text import ffi

    assert ffi.harfbuzz_subset is not None


@pytest.fixture
def issued(db, inspector, supervisor, tmp_path):
    notice = services.notice_issue(notice=make_notice(author=inspector, approver=supervisor),
                                   actor=supervisor)
    path = tmp_path / "notice.pdf"
    path.write_bytes(notice.pdf.read())
    return notice, path


def test_pdf_is_a4_with_embedded_fonts_and_extractable_text(issued):
    notice, path = issued
    with pikepdf.open(path) as document:
        for page in document.pages:
            width, height = (float(v) for v in page.mediabox[2:])
            assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4 in points
        assert str(document.docinfo["/Title"]).endswith(notice.number)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # emb column
    assert "Noto-Serif-CJK-SC" in fonts
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    compact = "".join(text.split())
    for expected in (notice.party_name, notice.party_uscc, notice.number, "责令限期改正通知书",
                     "自收到本通知之日起15个工作日内",  # the period runs from service (送达)
                     notice.verification_code):
        assert expected in compact, expected
    assert "—1—" in compact


def test_proof_of_service_is_a_separate_one_page_document(issued):
    notice, _path = issued
    notice.proof_pdf.open("rb")
    with pikepdf.open(notice.proof_pdf) as document:
        assert len(document.pages) == 1


def test_page_numbers_restart_for_each_notice_of_a_batch(db, inspector, supervisor):
    notices = [make_notice(author=inspector, approver=supervisor) for _ in range(2)]
    documents = []
    for i, notice in enumerate(notices):
        findings = list(selectors.notice_findings(notice=notice))
        deadlines = services.notice_deadlines(notice=notice, findings=findings,
                                              start=__import__("django.utils.timezone").utils.timezone.now())
        documents.append(services.notice_document_context(
            notice=notice, findings=findings, number=f"京网信改〔2026〕{i + 1}号", issue_date=None,
            deadlines=deadlines))
    rendered = pdf.render_notices(documents, processes=1)
    assert len(rendered) == 2
    for item in rendered:
        with pikepdf.open(io.BytesIO(item.notice_pdf)) as document:
            assert len(document.pages) >= 1
        text = subprocess.run(["pdftotext", "-", "-"], input=item.notice_pdf, capture_output=True,
                              check=True).stdout.decode()
        assert "".join(text.split()).count("—1—") == 1


def test_the_lean_user_agent_stylesheet_lays_notices_out_as_weasyprints_own(issued):
    from weasyprint import HTML

    # The override point must still exist: the lean layout replaces it.
    assert callable(getattr(HTML, "_ua_stylesheets", None))
    notice, _path = issued
    findings = list(selectors.notice_findings(notice=notice))
    deadlines = services.notice_deadlines(notice=notice, findings=findings, start=notice.issued_at)
    document = services.notice_document_context(
        notice=notice, findings=findings, number=notice.number, issue_date=notice.issue_date,
        deadlines=deadlines, verification_code=notice.verification_code)
    html = pdf.bundle_html([document])
    lean, full = pdf.layout(html, lean=True), pdf.layout(html, lean=False)
    assert len(lean.pages) == len(full.pages)
    assert pdf_text(lean.write_pdf()) == pdf_text(full.write_pdf())


def test_the_seal_never_stands_alone_on_the_last_page_of_a_bulletin():
    # GB/T 9704 7.3.5.1: when the signature does not fit under the text, the
    # last lines of text go over to the next page with it.
    from types import SimpleNamespace

    closing = "请各企业对照自查，及时整改。"
    for lines in range(1, 30):
        context = {
            "bulletin": SimpleNamespace(agency="北京市互联网信息办公室", title="关于典型问题的通报",
                                        addressee="各相关企业"),
            "title_lines": ["关于典型问题的通报"],
            "intro": ["为规范人工智能生成合成内容标识工作，现将专项检查中发现的典型问题通报如下。"] * lines,
            "sections": [], "closing": [closing], "date_text": "2026年11月26日", "draft": False,
            "marks": {"printed_by": "北京市互联网信息办公室", "printed_date_text": "2026年11月26日"},
        }
        data = pdf.render_bulletin(context)
        pages = pdf_text(data).split("\f")
        if "2026年11月26日" not in pages[0]:
            break
    else:
        pytest.fail("the bulletin never ran over to a second page")
    # The page with the signature date (the 版记's 印发 date aside) carries the closing lines too.
    signed = next(page for page in pages if re.search(r"2026年11月26日(?!\s*印发)", "".join(page.split())))
    assert closing in "".join(signed.split())


def test_the_fonts_warm_up_on_an_empty_document():
    """The notices worker renders an empty proof at start (pdf.warm_up): it must not fail."""
    from reports import pdf

    pdf.warm_up()


def _pixels(data: bytes, folder) -> list[bytes]:
    """Each page of a PDF as poppler draws it (PPM, 50 dpi)."""
    source = folder / "document.pdf"
    source.write_bytes(data)
    for old in folder.glob("page*.ppm"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", str(source), str(folder / "page")], check=True)
    pages = [path.read_bytes() for path in sorted(folder.glob("page*.ppm"))]
    assert pages
    return pages


def test_a_batch_lays_out_each_notice_as_one_alone_with_only_its_own_glyphs(db, inspector, supervisor, tmp_path):
    # Notices of different lengths: 版记 on a page of its own, or drawn onto the last page.
    documents = []
    for i in range(3):
        notice = make_notice(author=inspector, approver=supervisor)
        notice.facts = "\n".join([notice.facts] + ["经查，该企业生成合成内容未按规定添加隐式标识。" * 3] * (i * 5))
        notice.save()
        findings = list(selectors.notice_findings(notice=notice))
        deadlines = services.notice_deadlines(notice=notice, findings=findings, start=notice.created_at)
        documents.append(services.notice_document_context(
            notice=notice, findings=findings, number=f"京网信改〔2026〕{i + 1}号", issue_date=notice.created_at.date(),
            deadlines=deadlines, verification_code=f"LW-TEST-000{i}"))
    batch = pdf.render_notices(documents, processes=1)
    for document, batched in zip(documents, batch, strict=True):
        alone = pdf.render_notices([document], processes=1)[0]
        assert pdf_text(batched.notice_pdf) == pdf_text(alone.notice_pdf)
        assert _pixels(batched.notice_pdf, tmp_path) == _pixels(alone.notice_pdf, tmp_path)
        assert _pixels(batched.proof_pdf, tmp_path) == _pixels(alone.proof_pdf, tmp_path)
        # The fonts carry this document's glyphs only, not WeasyPrint's empty slots
        # nor the chunk's; no other notice's QR code comes along.
        assert len(batched.notice_pdf) < 1.2 * len(alone.notice_pdf) and len(batched.notice_pdf) < 200_000
        assert len(batched.proof_pdf) < 80_000


def test_a_title_of_the_longest_allowed_length_is_set_in_lines_that_fit():
    from reports.pdf_titles import BLOCK_PT, title_lines

    title = ("关于2026年“清朗·整治AI应用乱象”专项行动人工智能生成合成内容标识检查情况的通报" * 5)[:200]
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) >= 9
    # 22 pt type and 1 pt spacing: a Chinese character 23 pt, a Latin letter or digit about half that.
    assert all(sum(23 if ord(ch) >= 0x2E80 else 13.1 for ch in line) <= BLOCK_PT for line in lines)
