"""Downloads through the API: whatever the Accept header, files answer as files."""

from rest_framework.negotiation import DefaultContentNegotiation


class FileNegotiation(DefaultContentNegotiation):
    """
    A download is a file, not a representation to negotiate: a client that
    accepts only `application/pdf` gets the PDF (and errors as JSON), never a
    406.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
