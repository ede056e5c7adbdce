"""
Self-inspection content on lower apps' pages, which may not import this app:
`{% selfcheck_finding_flag finding %}` on a finding (staff),
`{% selfcheck_enterprise_flag enterprise %}` on the registry page (staff),
`{% portal_selfchecks user %}` on the portal home.
"""

from django import template

from .. import selectors

register = template.Library()


def _viewer(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("selfchecks/_flags.html", takes_context=True)
def selfcheck_finding_flag(context, finding):
    """The declarations of compliance this finding contradicts."""
    viewer = _viewer(context)
    rows = list(selectors.contradictions_for_finding(viewer=viewer, finding_id=finding.pk)) if viewer else []
    return {"contradictions": rows, "show_finding": False}


@register.inclusion_tag("selfchecks/_flags.html", takes_context=True)
def selfcheck_enterprise_flag(context, enterprise, limit: int = 10):
    """The enterprise's declarations of compliance that findings contradicted."""
    viewer = _viewer(context)
    rows = list(selectors.contradictions_for_enterprise(
        viewer=viewer, enterprise_id=enterprise.pk)[:limit]) if viewer else []
    return {"contradictions": rows, "show_finding": True}


@register.inclusion_tag("portal/_selfchecks.html")
def portal_selfchecks(user):
    """The enterprise's self-inspections still to be answered, on its portal home."""
    return {"reports": list(selectors.portal_open_reports(viewer=user)[:10])}
