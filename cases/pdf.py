"""
Case documents on the enforcement-documents engine (reports.pdf): the
GB/T 9704-2012 page and stylesheet of the notices (masthead, grid, page
numbers, seal and date block), the agency's licensed fonts where
configured, and the same proof of service (送达回证).

`issued_pdf` is the one place an issued document's bytes are made.
"""

from django.template.loader import render_to_string
from django.utils import translation

# Documents are official Chinese texts whatever the viewer's language.
PDF_LANGUAGE = "zh-hans"


def render_html(facts: dict) -> str:
    with translation.override(PDF_LANGUAGE):
        return render_to_string("cases/pdf/document.html", {"doc": facts})


def render_document(facts: dict) -> bytes:
    """Lay out one case document (facts from cases.documents.document_facts)."""
    from reports import pdf

    return pdf.html_to_pdf(render_html(facts))


def issued_pdf(facts: dict) -> bytes:
    """The bytes of an issued document, as stored and served."""
    return render_document(facts)


def render_proof(context: dict) -> bytes:
    """The document's proof of service (送达回证), the notices' form."""
    from reports import pdf

    return pdf.render_proof(context)
