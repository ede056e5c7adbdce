"""Request-scoped reads of the inspections app."""

from . import selectors


class TeamMemoMiddleware:
    """
    Reads an inspector's campaign team at most once per request
    (selectors.assigned_campaign_ids), however many scoped reads the page
    makes; the memo ends with the request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = selectors.team_memo_open()
        try:
            return self.get_response(request)
        finally:
            selectors.team_memo_close(token)
