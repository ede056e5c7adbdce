"""
The one function that turns a case document's facts into a PDF. It lays the
document out on the GB/T 9704-2012 page (A4, 37/26/35/28 mm margins) with
WeasyPrint; the enforcement-documents engine replaces it when it lands.
"""

from django.template.loader import render_to_string
from django.utils import translation

# Documents are official Chinese texts whatever the viewer's language.
PDF_LANGUAGE = "zh-hans"


def render_html(facts: dict) -> str:
    with translation.override(PDF_LANGUAGE):
        return render_to_string("cases/pdf/document.html", {"doc": facts})


def render_document(facts: dict) -> bytes:
    """Render one case document (facts from cases.documents.document_facts)."""
    from django.conf import settings
    from weasyprint import HTML

    return HTML(string=render_html(facts), base_url=str(settings.BASE_DIR)).write_pdf()
