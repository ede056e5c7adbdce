"""
The facts of a notice (经查…) from the record, and the check that an edited
text still agrees with it.

A notice states what the inspection did: items actually sampled and
checked, the days it actually ran, the officers who acted. Drafting from an
inspection that is not completed is refused; approving a text whose dates
or counts the record does not hold is refused too.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from inspections.models import Inspection
from inspections.record import InspectionRecord

from ..texts import cn_date

# Lines of the facts that are evidence references (hashes, URLs) and the
# quoted names of services carry digits that are not figures of the record.
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|《[^》]*》")
_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+", re.IGNORECASE)
_HEX = re.compile(r"\b[0-9a-fA-F]{16,}\b")
_CODE = re.compile(r"\b[A-Z]{2,4}-\d+\b|GB(?:/T)?\s*[\d.\-]+")
_DATE = re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
# "13条内容样本", "抽检8个文件", "5件样本": a count. Not "第5条", not "6.1条",
# not periods ("15个工作日", "6个月").
_COUNT = re.compile(r"(?<![\d.第])(?P<n>\d+)\s*(?:条|个|件|份|项|次)(?!工作日|月|小时|自然日)")


def require_finished(record: InspectionRecord) -> None:
    """Refuse facts from an inspection still under way, saying how to finish it."""
    if not record.unfinished:
        return
    inspection = record.unfinished[0]
    raise ApplicationError(
        _("The inspection of %(enterprise)s planned for %(date)s is “%(status)s”, not completed: "
          "a notice states only what a completed inspection recorded. On the inspection's page, "
          "record every sampled item and answer its checks, then press “Mark “Completed””; "
          "draft the notice after that.")
        % {"enterprise": inspection.enterprise.name, "date": inspection.planned_date.isoformat(),
           "status": Inspection.Status(inspection.status).label}
    )


def period_text(record: InspectionRecord) -> str:
    """"2026年11月2日至11月5日", or one day, in the documents' style."""
    first, last = record.first_day, record.last_day
    if first is None or last is None:
        return ""
    if first == last:
        return cn_date(first)
    second = f"{last.month}月{last.day}日" if first.year == last.year else cn_date(last)
    return f"{cn_date(first)}至{second}"


def sample_text(record: InspectionRecord) -> str:
    """
    "抽取内容样本13条，完成全部检查项的12条（“星河AI助手”：图片8条、视频5条）":
    the items recorded and checked, with the breakdown by service and modality.
    """
    if not record.sampled:
        return ""
    parts = []
    for service in record.services:
        rows = [r for r in record.rows if r.service == service]
        items = "、".join(
            f"{r.modality_zh}{r.sampled}条" + (f"（其中完成检查{r.checked}条）" if r.checked != r.sampled else "")
            for r in rows)
        parts.append(f"“{service}”：{items}" if service else items)
    checked = ("，均已完成全部检查项" if record.checked == record.sampled
               else f"，其中完成全部检查项的{record.checked}条")
    return f"抽取内容样本{record.sampled}条（{'；'.join(parts)}）{checked}"


def opening_facts(record: InspectionRecord, *, agency_short: str = "我办") -> str:
    """The opening paragraph of the facts, every figure from the record."""
    subject = "、".join(f"“{name}”" for name in record.services if name) or "相关人工智能生成合成服务"
    officers = f"执法人员{'、'.join(record.officers)}" if record.officers else ""
    text = (
        f"根据《人工智能生成合成内容标识办法》及国家标准GB 45438-2025《网络安全技术 人工智能生成合成"
        f"内容标识方法》，{agency_short}{officers}于{period_text(record)}对你单位运营的{subject}"
        f"开展了人工智能生成合成内容标识专项检查。"
    )
    sample = sample_text(record)
    return text + (f"经检查，{sample}，发现以下问题：" if sample else "经检查，发现以下问题：")


def _figure_lines(facts: str, evidence_mark: str) -> list[str]:
    lines = []
    for line in facts.splitlines():
        line = line.strip()
        if line and not line.startswith(evidence_mark):
            for pattern in (_QUOTED, _URL, _HEX, _CODE):
                line = pattern.sub(" ", line)
            lines.append(line)
    return lines


def contradictions(*, facts: str, record: InspectionRecord, evidence_counts: set[int],
                   evidence_days: set[datetime.date], evidence_mark: str) -> list[str]:
    """
    Every date or count in the facts the record does not hold, as messages
    in the reader's language. A date must fall within the inspection's
    recorded period (or be a day evidence was captured); a count (N条/个/件…)
    must be one the record holds: items sampled or checked (in total, per
    service, per service and modality), items failing a code, a finding's
    evidence items.
    """
    problems: list[str] = []
    counts = record.counts() | evidence_counts
    year = record.first_day.year if record.first_day else None
    for line in _figure_lines(facts, evidence_mark):
        for match in _DATE.finditer(line):
            year = int(match["year"]) if match["year"] else year
            try:
                day = datetime.date(year or 0, int(match["month"]), int(match["day"]))
            except ValueError:
                problems.append(_("“%(text)s” is not a date.") % {"text": match.group(0)})
                continue
            within = (record.first_day is not None and record.last_day is not None
                      and record.first_day <= day <= record.last_day)
            if not within and day not in evidence_days:
                problems.append(
                    _("The facts give the date %(day)s, but the inspection ran from %(first)s to %(last)s "
                      "according to the record.")
                    % {"day": day.isoformat(), "first": _iso(record.first_day), "last": _iso(record.last_day)})
        for match in _COUNT.finditer(_DATE.sub(" ", line)):
            number = int(match["n"])
            if number not in counts:
                problems.append(
                    _("The facts give “%(text)s”, a number the record does not hold (items sampled: "
                      "%(sampled)s, fully checked: %(checked)s).")
                    % {"text": match.group(0), "sampled": record.sampled, "checked": record.checked})
    return list(dict.fromkeys(problems))


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else "—"


def notice_facts_check(notice) -> tuple[InspectionRecord, list[str]]:
    """
    The record behind a notice's findings and what in its facts contradicts
    it (a not-completed inspection included). Four queries.
    """
    from inspections.models import Finding
    from inspections.record import inspection_record

    from ..models import EVIDENCE_MARK

    findings = list(Finding.objects.filter(notices=notice).prefetch_related("evidence_items"))
    record = inspection_record(inspection_ids=sorted({f.inspection_id for f in findings}))
    problems = []
    if record.unfinished:
        try:
            require_finished(record)
        except ApplicationError as exc:
            problems.append(str(exc.message))
    evidence_counts = {len(f.evidence_items.all()) for f in findings}
    evidence_days = {timezone.localdate(i.captured_at) for f in findings for i in f.evidence_items.all()}
    problems += contradictions(facts=notice.facts, record=record, evidence_counts=evidence_counts,
                               evidence_days=evidence_days, evidence_mark=EVIDENCE_MARK)
    problems += guides_cited_as_violated(notice.violations)
    return record, problems


# Non-binding guides: technical references at most, never violated.
_GUIDE = re.compile(r"TC260|实践指南|标准实践")


def guides_cited_as_violated(violations: str) -> list[str]:
    """A sentence saying “违反” that names a non-binding guide."""
    sentences = re.split(r"(?<=[。；;])", violations)
    if any("违反" in s and _GUIDE.search(s) for s in sentences):
        return [_("The provisions violated name a non-binding guide (TC260 practice guide); a guide "
                  "may only be a technical reference (“参照…”).")]
    return []
