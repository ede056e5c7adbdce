"""
Case documents on the enforcement-documents engine (reports.pdf): the
GB/T 9704-2012 page and stylesheet of the notices (masthead, grid, page
numbers, the agency's seal over the date, the 版记 at the foot of an even
last page), the agency's licensed fonts where configured, the notices'
proof of service (送达回证), and the same signature (reports.signing).

`issued_pdf` is the one place an issued document's bytes are made.
"""

from django.template.loader import render_to_string
from django.utils import translation

# Documents are official Chinese texts whatever the viewer's language.
PDF_LANGUAGE = "zh-hans"


def render_html(facts: dict) -> str:
    with translation.override(PDF_LANGUAGE):
        return render_to_string("cases/pdf/document.html", {"doc": facts})


def issued_pdf(facts: dict) -> tuple[bytes, bytes | None]:
    """
    The signed bytes of an issued document and, for a letter, its blank
    proof of service laid out with it (facts["proof"]); records and internal
    forms have no masthead, seal or 版记 and are laid out alone.
    """
    from reports import pdf
    from reports.signing import sign_pdf

    html = render_html(facts)
    if facts.get("layout") == "letter":
        return pdf.render_official_document(html, title=facts["title"], number=facts["number"],
                                            agency=facts["agency"])
    return sign_pdf(pdf.html_to_pdf(html), facts["agency"]), None


def render_proof(context: dict) -> bytes:
    """The document's proof of service (送达回证), the notices' form."""
    from reports import pdf

    return pdf.render_proof(context)
