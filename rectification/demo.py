"""
Demo data for the rectification loop (a core.demo step, order 40, after the
notices): rectification reports of about ten enterprises in every state
(draft, submitted, changes requested, a resubmitted second version,
accepted), small evidence files generated here, extension requests (one
pending, one approved, one denied) and, for overdue findings, the
escalation ladder: reminders, interviews, a warning and a penalty referral.

Everything goes through rectification.services, so findings move through
their real lifecycle and every step is audited. Reports are written by the
enterprises' own accounts: qiye for its enterprise, the compliance contact
accounts (enterprises.demo.demo_contact_account) for the others.
"""

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from enterprises.demo import demo_contact_account
from inspections.models import Campaign, Finding, FindingStatus, OfficerConflict

from . import services
from .models import Decision, EscalationKind, RectificationReport, ReportStatus

CAMPAIGN_CODE = "QL2026-AIAPP"
ENTERPRISES = 10
# qiye's enterprise shows the whole history; (scenario, findings) in order.
FEATURED_PLAN = [("accepted", 1), ("revised", 2), ("draft", 2)]
# The other enterprises take one scenario each, in this order.
OTHER_SCENARIOS = ["submitted", "accepted", "revised", "returned", "submitted",
                   "draft", "accepted", "submitted", "revised"]
LADDER_ENTERPRISES = 3
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

MEASURES = {
    "EXP": "已在生成合成内容的显著位置添加“AI生成”显式标识（文本在首尾、图片在角落、音视频在起始处），"
           "并对存量内容完成补标。",
    "IMP": "已在文件元数据中写入符合GB 45438-2025的隐式标识（生成合成标签、服务提供者名称或编码、"
           "内容编号），发布前由系统自动校验，未通过的不予发布。",
    "PLT": "已上线传播前标识核验流程：读取文件元数据中的隐式标识，对疑似生成合成内容添加提示标识，"
           "并补写传播平台的元数据字段。",
    "CNT": "已下架相关违规内容，封禁违规账号，并将同类内容纳入审核规则库。",
    "GOV": "已修订用户服务协议，明确生成合成内容标识要求和用户声明义务，并在发布页面提供声明功能。",
}
DEFAULT_MEASURE = "已对照检查发现的问题逐项整改，并完成全量自查。"
LONG_TERM = ("建立标识合规自查台账，每月对各产品抽检不少于200条生成合成内容；将标识校验纳入上线发布流程，"
             "由合规负责人签字确认。")
REVISED = "补充说明：已补做全量自查，附元数据读取截图和抽检复核记录；新增上线前自动化校验用例。"
CHANGES_COMMENT = "整改材料未能证明隐式标识已写入文件元数据，请补充元数据读取截图及整改后的抽检复核记录。"


def seed_rectification(ctx: dict) -> None:
    users = ctx["users"]
    campaign = Campaign.objects.filter(code=CAMPAIGN_CODE).first()
    if campaign is None or "supervisor" not in users:
        return
    rng, today = ctx["rng"], ctx["today"]
    supervisor = users["supervisor"]
    reviewers = [users[n] for n in ("inspector", "inspector2", "inspector3", "inspector4")
                 if n in users] + [supervisor]
    qiye = users.get("qiye")
    featured_id = qiye.enterprise_id if qiye is not None else None
    chosen = _enterprises(campaign, featured_id, rng)
    others = iter(OTHER_SCENARIOS * 2)
    reports: list[RectificationReport] = []
    for enterprise_id in chosen:
        findings = _notified(campaign, enterprise_id)
        actor = qiye if enterprise_id == featured_id else demo_contact_account(findings[0].enterprise)
        plan = FEATURED_PLAN if enterprise_id == featured_id else [(next(others), 2)]
        for scenario, n in plan:
            if not findings:
                break
            part, findings = findings[:n], findings[n:]
            reports.append(_report(scenario, part, actor, _reviewer(reviewers, enterprise_id), rng, today,
                                   with_pdf=enterprise_id == featured_id))
    _extensions(campaign, chosen, featured_id, qiye, supervisor, rng)
    _ladder(campaign, supervisor, rng, today)
    ctx["rectification_reports"] = reports
    if ctx.get("stdout"):
        counts = {s: RectificationReport.objects.filter(status=s).count() for s in ReportStatus.values}
        ctx["stdout"].write(f"  rectification report versions of {len(chosen)} enterprises: "
                            + ", ".join(f"{n} {s}" for s, n in counts.items()))


def _reviewer(reviewers: list, enterprise_id: int):
    """The first officer who need not stand down (回避) for the enterprise: the
    demo's conflicts are drawn at random, so the reviewer cannot be fixed."""
    conflicted = set(OfficerConflict.objects.filter(enterprise_id=enterprise_id)
                     .values_list("officer_id", flat=True))
    return next(r for r in reviewers if r.pk not in conflicted)


def _notified(campaign: Campaign, enterprise_id: int) -> list[Finding]:
    """Findings of the campaign waiting for the enterprise's report (not overdue)."""
    return list(services.reportable_findings(enterprise_id=enterprise_id)
                .filter(campaign=campaign, status__in=[FindingStatus.NOTIFIED,
                                                      FindingStatus.CHANGES_REQUESTED])
                .select_related("enterprise"))


def _enterprises(campaign: Campaign, featured_id: int | None, rng) -> list[int]:
    """qiye's enterprise, then those whose notice was served, then other notified ones."""
    notified = set(Finding.objects.filter(campaign=campaign, status=FindingStatus.NOTIFIED)
                   .values_list("enterprise_id", flat=True))
    served = set(Finding.objects.filter(campaign=campaign, status=FindingStatus.NOTIFIED,
                                        notices__served_at__isnull=False)
                 .values_list("enterprise_id", flat=True))
    tiers = [sorted(served - {featured_id}), sorted(notified - served - {featured_id})]
    ordered = [featured_id] if featured_id in notified else []
    for tier in tiers:
        rng.shuffle(tier)
        ordered.extend(tier)
    return ordered[:ENTERPRISES]


# --- reports ----------------------------------------------------------------------


def _report(scenario: str, findings: list[Finding], actor: User, reviewer: User, rng, today,
            *, with_pdf: bool) -> RectificationReport:
    enterprise = findings[0].enterprise
    report = services.report_create(enterprise=enterprise, actor=actor, findings=findings)
    if scenario == "draft":
        services.report_update(report=report, actor=actor, summary="整改工作正在推进，报告起草中。")
        first = report.responses.select_related("finding__issue_code").first()
        assert first is not None  # a report has a response per finding
        services.response_update(
            response=first, actor=actor, measures=_measure(first.finding), long_term_measures="",
            completed_on=None)
        return report
    _fill(report, actor, rng, today, with_pdf=with_pdf)
    report = services.report_submit(report=report, actor=actor)
    if scenario == "submitted":
        return report
    responses = list(report.responses.order_by("pk"))
    for n, response in enumerate(responses):
        returned = scenario in ("revised", "returned") and n == 0
        services.response_decide(
            response=response, actor=reviewer,
            decision=Decision.CHANGES_REQUESTED if returned else Decision.ACCEPTED,
            comment=CHANGES_COMMENT if returned else "整改措施到位，材料齐全，予以通过。",
            internal_note="经远程抽检复核，整改后样本标识合规。" if not returned else "",
        )
    report.refresh_from_db()
    if scenario != "revised":
        return report
    v2 = services.report_start_next_version(report=report, actor=actor)
    services.report_update(report=v2, actor=actor, declaration=True)
    for response in v2.responses.select_related("finding__issue_code"):
        services.response_update(
            response=response, actor=actor, measures=f"{response.measures}\n{REVISED}",
            long_term_measures=response.long_term_measures, completed_on=today)
        services.evidence_add(response=response, actor=actor,
                              uploaded=_upload("元数据读取截图.png", _png(response.finding, rng, fixed=True)))
    return services.report_submit(report=v2, actor=actor)


def _measure(finding: Finding) -> str:
    return MEASURES.get(finding.issue_code.category, DEFAULT_MEASURE)


def _fill(report: RectificationReport, actor: User, rng, today, *, with_pdf: bool) -> None:
    enterprise = report.enterprise
    responsible = enterprise.legal_representative or (actor.get_full_name() or actor.username)
    services.report_update(
        report=report, actor=actor, responsible_person=responsible,
        contact_person=actor.get_full_name() or actor.username,
        contact_phone=actor.phone or f"010-{rng.randint(50000000, 89999999)}",
        summary=(f"收到通知后，{enterprise.name}成立由法定代表人牵头的整改工作组，对检查发现的问题逐项整改，"
                 "并对全部在线产品开展标识合规自查。"),
        declaration=True,
    )
    responses = list(report.responses.select_related("finding__issue_code").order_by("pk"))
    for n, response in enumerate(responses):
        services.response_update(
            response=response, actor=actor, measures=_measure(response.finding),
            long_term_measures=LONG_TERM,
            completed_on=today - datetime.timedelta(days=rng.randint(1, 4)))
        services.evidence_add(response=response, actor=actor,
                              uploaded=_upload("整改后截图.png", _png(response.finding, rng)))
        if n == 0:
            services.evidence_add(response=response, actor=actor,
                                  uploaded=_upload("标识自查台账.csv", _ledger(responses, rng, today)))
            if with_pdf:
                services.evidence_add(response=response, actor=actor,
                                      uploaded=_upload("整改情况说明.pdf", _statement_pdf(report, responses)))


# --- evidence files ------------------------------------------------------------------


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(CJK_FONT, size)
    except OSError:
        return ImageFont.load_default()


def _png(finding: Finding, rng, *, fixed: bool = False) -> bytes:
    """A small mock screenshot: generated content with its “AI生成” label in the corner."""
    from PIL import Image, ImageDraw

    hue = rng.randint(60, 200)
    image = Image.new("RGB", (320, 200), (hue, 150, 230 - hue // 2))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 304, 150), fill=(245, 245, 245))
    draw.text((28, 30), f"{finding.issue_code_id} 整改后样本", fill=(40, 40, 40), font=_font(16))
    draw.text((28, 60), "元数据：AIGC Label=1" if fixed else "样本已添加标识", fill=(80, 80, 80), font=_font(13))
    draw.rectangle((220, 160, 310, 190), fill=(0, 0, 0))
    draw.text((232, 164), "AI生成", fill=(255, 255, 255), font=_font(16))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _ledger(responses, rng, today) -> bytes:
    """A self-check ledger (CSV, UTF-8 with BOM so spreadsheet programs read it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["日期", "问题编号", "抽检数量", "合规数量", "复核人"])
    for n, response in enumerate(responses):
        checked = rng.randint(100, 300)
        writer.writerow([(today - datetime.timedelta(days=n + 1)).isoformat(),
                         response.finding.issue_code_id, checked, checked, "合规部"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    style = ("<style>@page{size:A4;margin:2cm}body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC';"
             "font-size:12pt;line-height:1.6}h1{font-size:18pt;text-align:center}</style>")
    return HTML(string=f"<html><head><meta charset='utf-8'>{style}</head><body>{html}</body></html>").write_pdf()


def _statement_pdf(report: RectificationReport, responses) -> bytes:
    from django.utils.html import escape

    items = "".join(f"<li>{escape(r.finding.issue_code_id)}：{escape(_measure(r.finding))}</li>"
                    for r in responses)
    return _pdf(f"<h1>整改情况说明</h1><p>{escape(report.enterprise.name)}：</p>"
                f"<p>针对检查发现的问题，我单位已完成以下整改：</p><ol>{items}</ol>"
                f"<p>{escape(LONG_TERM)}</p><p style='text-align:right'>{escape(report.enterprise.name)}</p>")


# --- extensions ----------------------------------------------------------------------


def _extensions(campaign, chosen, featured_id, qiye, supervisor: User, rng) -> None:
    """A pending request from qiye; an approved and a denied one from two other enterprises."""
    extendable = Finding.objects.filter(
        campaign=campaign, status__in=[FindingStatus.NOTIFIED, FindingStatus.CHANGES_REQUESTED],
        extension_requests__isnull=True,
    ).select_related("enterprise").order_by("-deadline", "pk")
    picks: list[tuple[Finding | None, bool | None]] = []
    if featured_id is not None:
        picks.append((extendable.filter(enterprise_id=featured_id).first(), None))
    decisions = iter([True, False])
    for enterprise_id in chosen:
        finding = extendable.filter(enterprise_id=enterprise_id).first()
        if enterprise_id != featured_id and finding is not None:
            approve = next(decisions, None)
            if approve is None:
                break
            picks.append((finding, approve))
    for finding, approve in picks:
        if finding is None:
            continue
        enterprise_id = finding.enterprise_id
        actor = qiye if enterprise_id == featured_id else demo_contact_account(finding.enterprise)
        extension = services.extension_request_create(
            finding=finding, actor=actor,
            reason=("该问题涉及存量内容约" f"{rng.randint(5, 30)}万条的隐式标识补写，需协调第三方模型服务商升级SDK，"
                    "申请延长整改期限。"),
            requested_deadline=finding.deadline + datetime.timedelta(days=14),
        )
        if approve is not None:
            services.extension_decide(
                extension=extension, actor=supervisor, approve=approve,
                note=("同意延期，请按新的期限提交整改报告。" if approve
                      else "理由不充分：显式标识整改不涉及大规模技术改造，请按原期限完成整改。"),
            )


# --- escalation ----------------------------------------------------------------------


def _ladder(campaign, supervisor: User, rng, today) -> None:
    """
    The hourly reminder for every overdue finding, then for a few enterprises
    an interview (约谈). Warnings and fines are penalties: the cases app's
    demo step takes such findings through an administrative case.
    """
    services.escalation_remind_overdue()
    overdue: dict[int, Finding] = {}
    for finding in (Finding.objects.filter(campaign=campaign, status=FindingStatus.OVERDUE,
                                           deadline__lt=today)
                    .select_related("enterprise", "issue_code").order_by("deadline", "pk")):
        overdue.setdefault(finding.enterprise_id, finding)
    # The longest overdue climb highest.
    ladder = list(overdue.values())[:LADDER_ENTERPRISES]
    steps = [[EscalationKind.INTERVIEW]] * 3
    for finding, kinds in zip(ladder, steps, strict=False):
        enterprise = finding.enterprise
        gap = max(1, (today - finding.deadline).days)
        contact = enterprise.contacts.order_by("-is_primary", "pk").first()
        officers = "、".join(o.get_full_name() or o.username for o in finding.inspection.officers.all()[:2])
        for n, kind in enumerate(kinds, start=1):
            day = min(today, finding.deadline + datetime.timedelta(days=max(1, gap * n // (len(kinds) + 1))))
            attendees = ""
            minutes: SimpleUploadedFile | None = None
            if kind == EscalationKind.INTERVIEW:
                attendees = (f"执法人员：{officers or supervisor.get_full_name()}；"
                             f"企业：法定代表人{enterprise.legal_representative}"
                             + (f"、{contact.title}{contact.name}" if contact else ""))
                minutes = _upload("约谈笔录.docx", _minutes_docx(enterprise, finding, day, attendees))
            services.escalation_record(enterprise=enterprise, actor=supervisor, kind=kind,
                                       occurred_on=day, finding=finding, attendees=attendees,
                                       minutes=minutes, notes="企业逾期未提交整改报告，经系统催告后仍未整改。")


def _minutes_docx(enterprise, finding, day, attendees) -> bytes:
    """The interview minutes as a small Word document (zip of WordprocessingML)."""
    import zipfile
    from xml.sax.saxutils import escape

    paragraphs = [
        "约谈笔录", f"时间：{day:%Y年%m月%d日}", "地点：北京市互联网信息办公室", f"参加人员：{attendees}",
        f"事由：{enterprise.name}未在期限内完成“{finding.issue_code.title_zh}”问题的整改。",
        "约谈指出企业存在的问题及法律后果，企业表示将在五个工作日内完成整改并提交整改报告。",
    ]
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()
