"""
Every POST form in the templates is classified: an irreversible or bulk step
asks first (data-confirm on the form, or on the button that submits it, with
the consequence in words), anything else is listed as safe to do at once. A
new form fails this test until someone decides which it is.
"""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
TAG = re.compile(r"<form\b[^>]*>", re.S)
URL = re.compile(r"\{% url '([a-z_]+:[a-z_]+|set_language)'(?: [\w.]+)*(?: '([a-z_]+)')?")
FORMACTION = re.compile(r"<button\b[^>]*formaction=\"([^\"]+)\"[^>]*>", re.S)

# The steps that cannot be taken back (or act on many things at once).
ASK_FIRST = {
    "cases:case_step:file", "cases:case_step:close", "cases:case_step:withdraw",
    "cases:case_step:suspend", "cases:case_step:resume", "cases:case_step:start",
    "cases:case_step:extend",
    "cases:case_decide", "cases:case_prior_notice", "cases:case_transfer", "cases:case_perform",
    "cases:hearing_notice", "cases:interview_notice", "cases:preservation_notice",
    "cases:recusal_decide", "cases:record_confirm", "cases:document_serve",
    "cases:evidence_preserve", "cases:evidence_confirm", "cases:preservation_decision",
    "portal:case_document_acknowledge",
    "inspections:plan_approve", "inspections:plan_delete", "inspections:plan_draw",
    "inspections:inspection_transition", "inspections:finding_transition",
    "inspections:finding_deadline",
    "reports:notice_submit", "reports:notice_approve", "reports:notice_return",
    "reports:notice_issue", "reports:notice_serve", "reports:notice_acknowledge",
    "reports/notices/batch.html", "reports:notice_batch_resume",
    "reports:campaign_publication_publish", "reports:campaign_publication_withdraw",
    "reports:bulletin_issue",
    "rectification:response_decide", "rectification:response_reverify",
    "rectification/extension_detail.html",
    "portal:extension_withdraw", "portal:evidence_remove", "portal:report_new_version",
    "tipoffs:decide", "tipoffs:merge", "tipoffs:convert_inspection", "tipoffs:convert_finding",
    # Forms that post back to their own page and end something for good.
    "portal/report_edit.html#submit", "portal/case_detail.html",
    "portal/selfcheck_edit.html#submit", "portal:selfcheck_evidence_remove",
    "selfchecks:remind", "selfchecks/launch.html", "selfchecks/report_detail.html",
}
# Steps that change nothing for good, or that are their own confirmation page.
AT_ONCE = {
    "accounts:logout", "set_language", "core:notification_read", "core:notifications_read_all",
    "inspections:plan_verify", "inspections:item_labels_recheck",
    "inspections:inspection_labels_recheck", "inspections:item_create",
    "inspections:finding_create", "cases:record_create", "cases:record_party",
    "cases:recusal_declare", "reports:analytics_refresh", "reports:campaign_report",
    "tipoffs:assign", "tipoffs:link",
}
# Pages whose form posts to itself to create or edit (nothing irreversible).
SELF_POSTING_AT_ONCE = {
    "accounts/login.html", "accounts/otp_setup.html", "accounts/otp_verify.html",
    "accounts/password_change.html", "admin/enterprises/deactivate_users_confirm.html",
    "api/token_list.html", "api/token_revoke.html", "cases/case_propose.html",
    "core/export_confirm.html", "enterprises/form.html", "enterprises/import.html",
    "inspections/campaign_form.html", "inspections/plan_form.html",
    "inspections/targeted_form.html", "inspections/finding_form.html",
    "inspections/item_detail.html", "rectification/escalation_form.html",
    "rectification/report_detail.html",
    "reports/bulletins/create.html", "reports/bulletins/detail.html", "reports/notices/create.html",
    "reports/notices/edit.html", "reports/notices/verify.html",
    "portal/report_start.html", "portal/report_edit.html", "portal/finding_detail.html",
    "portal/selfcheck_edit.html",
    "tipoffs/report.html",
    "tipoffs/detail.html",
}


def _post_forms():
    """(template, target, asks) for every POST form and every formaction button."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        for form in FORM.findall(path.read_text(encoding="utf-8")):
            tag = TAG.match(form).group(0)
            if 'method="post"' not in tag.lower():
                continue
            asks = "data-confirm=" in tag
            match = URL.search(tag)
            if match:
                target = match.group(1) + (f":{match.group(2)}" if match.group(2) else "")
            else:
                target = name
            yield name, target, asks
            for button in FORMACTION.findall(form):
                inner = URL.search(button)
                button_tag = next(b for b in re.findall(r"<button\b[^>]*>", form) if button in b)
                target = inner.group(1) + (f":{inner.group(2)}" if inner.group(2) else "")
                yield name, target, "data-confirm=" in button_tag
            for button_tag in re.findall(r"<button\b[^>]*name=\"submit\"[^>]*>", form):
                yield name, f"{name}#submit", "data-confirm=" in button_tag


def test_every_post_form_is_classified():
    unknown = sorted({(name, target) for name, target, _asks in _post_forms()
                      if target not in ASK_FIRST | AT_ONCE | SELF_POSTING_AT_ONCE})
    assert unknown == [], "classify these POST forms in ASK_FIRST or AT_ONCE"


def test_every_irreversible_form_asks_first():
    silent = sorted({(name, target) for name, target, asks in _post_forms()
                     if target in ASK_FIRST and not asks})
    assert silent == []


def test_the_confirmations_are_translated_sentences():
    """A confirmation names its consequence: a sentence, not a bare "Are you sure?"."""
    pattern = re.compile(r'data-confirm="\{% translate [\'"](.+?)[\'"] %\}"')
    for path in TEMPLATES.rglob("*.html"):
        for question in pattern.findall(path.read_text(encoding="utf-8")):
            assert len(question.split()) >= 5, (path.name, question)


def test_no_template_has_an_inline_handler():
    """The Content Security Policy forbids inline script: behaviour lives in static JS."""
    handler = re.compile(r"\son(click|submit|change|load|input)=", re.I)
    offenders = [str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")
                 if handler.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
