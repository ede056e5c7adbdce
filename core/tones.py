"""
The one colour scheme of states: every page (staff, portal, public) shows a
status, verdict, severity or risk tier in the tone given here, so a
withdrawn finding, say, looks the same in the portal and on staff pages.
Templates use the `tone` filter (core.templatetags.tones):

    <span class="tag {{ finding.status|tone }}">{{ finding.get_status_display }}</span>

A tone is a CSS class of static/css/app.css: tone-ok (done, accepted,
compliant), tone-info (waiting on someone, moving), tone-warn (needs
attention), tone-danger (late, refused, non-compliant), tone-muted
(withdrawn: struck through), tone-neutral (not started).
"""

OK, INFO, WARN, DANGER, MUTED, NEUTRAL = (
    "tone-ok", "tone-info", "tone-warn", "tone-danger", "tone-muted", "tone-neutral")

# Values mean the same thing in every model that uses them; where one value
# means something else in one kind of record, KIND_TONES says so.
TONES: dict[str, str] = {
    # severity, risk tier
    "high": DANGER, "medium": WARN, "low": OK,
    # label verdicts
    "compliant": OK, "noncompliant": DANGER, "not_found": DANGER, "inconclusive": WARN,
    # findings
    "open": WARN, "notified": INFO, "report_submitted": INFO, "changes_requested": WARN,
    "accepted": OK, "overdue": DANGER, "escalated": DANGER, "withdrawn": MUTED,
    # inspections, campaigns, plans, enterprises
    "planned": NEUTRAL, "due": INFO, "in_progress": WARN, "completed": OK, "closed": OK,
    "active": OK, "drawn": INFO, "approved": OK, "suspended": WARN,
    # notices, bulletins, rectification reports, extensions, recusals
    "draft": NEUTRAL, "issued": INFO, "served": OK, "submitted": INFO, "pending": INFO,
    "denied": DANGER, "granted": OK, "refused": DANGER,
    # self-inspection answers
    "not_applicable": NEUTRAL,
    # background jobs (exports, batch issuance)
    "queued": INFO, "running": INFO, "done": OK, "failed": DANGER,
    # escalation steps
    "reminder": WARN, "interview": DANGER, "warning": DANGER, "penalty_referral": DANGER,
    # published outcomes of a campaign
    "no_problems": OK, "rectified": OK, "rectifying": WARN,
    # tip-offs and their public states
    "received": INFO, "under_review": INFO, "merged": MUTED, "valid": OK, "invalid": MUTED,
    "converted": OK, "concluded": OK,
    # strata of a selection plan
    "high_risk": DANGER, "random": NEUTRAL, "verification": OK,
    # administrative cases
    "proposed": NEUTRAL, "filed": INFO, "investigating": INFO, "prior_notice": WARN,
    "defence": WARN, "decided": INFO, "performed": OK,
}

KIND_TONES: dict[str, dict[str, str]] = {
    # An approved notice still waits to be issued.
    "notice": {"approved": WARN},
    # A closed campaign or enterprise is over, not a success.
    "campaign": {"closed": NEUTRAL},
    "enterprise": {"closed": NEUTRAL},
}


def tone(value: object, kind: str = "") -> str:
    """The CSS tone class of a state `value` (of a record of `kind`, where that matters)."""
    key = str(getattr(value, "value", value) or "")
    return KIND_TONES.get(kind, {}).get(key) or TONES.get(key, NEUTRAL)
