"""
The documents step of `seed_scale`: what the staff write about the findings
once they are recorded, at the volume the findings imply, so that
benchmarks/pages.py opens their pages on national-scale data.

- a drawn 双随机 selection plan per campaign (plans.plan_create and plan_draw:
  the whole registry as frame, the draw recorded whole);
- a rectification notice per enterprise and campaign whose findings were
  notified, issued (most of them served). One notice goes through the real
  path (drafted, approved, issued: numbered, rendered, signed, stored); the
  others are loaded with COPY carrying its text and its stored PDF and proof
  (rendering tens of thousands of PDFs would take hours and the pages never
  read the file's content), each with its own number, party, findings,
  deadline and verification code, and the counters follow;
- a rectification report per notice whose findings were answered, with a
  response per finding (decision as the finding's status says) and one
  evidence file each (one stored image);
- extension requests on about 2 % of the notified findings;
- a typical-issues bulletin per campaign, compiled and issued by the
  bulletin services (rendered, sent to every enterprise inspected);
- the campaign report of the newest campaign, built as a background export
  job would build it (core.exports.export_job_run), owned by the scale
  supervisor.

`python manage.py seed_scale --documents-only` runs this step alone on a
database that seed_scale has already filled.
"""

import hashlib
import io
import secrets

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.exceptions import ApplicationError
from core.exports import export_job_run
from core.models import ExportJob
from enterprises.models import Enterprise
from inspections.models import Campaign, Finding, FindingStatus, Inspection, SelectionPlan
from inspections.services import plans as plan_services
from inspections.services.campaigns import campaign_team_add
from legal.demo import seed_agencies
from legal.models import Agency, ServiceMethod
from rectification.models import (
    Decision,
    ExtensionRequest,
    ExtensionStatus,
    RectificationReport,
    ReportEvidence,
    ReportResponse,
    ReportStatus,
)

from ..bulletins import services as bulletin_services
from ..bulletins.models import Bulletin
from ..notices import numbering
from ..notices import services as notice_services
from ..notices.models import Notice, NoticeStatus
from ..notices.services import CODE_ALPHABET

OFFICERS = 4
# Strata of a plan at national scale (smaller registries get a share of their size).
PLAN_HIGH_RISK_K, PLAN_RANDOM_N, PLAN_VERIFICATION_N = 50, 250, 20
SERVED_SHARE = 0.85
EXTENSION_SHARE = 0.02
BULLETIN_FINDINGS = 8
# How many groups of open findings to try before giving up on the real notice.
NOTICE_TRIES = 300
ANSWERED = (FindingStatus.REPORT_SUBMITTED, FindingStatus.CHANGES_REQUESTED, FindingStatus.ACCEPTED)
# Text of the bulk rows that the pages show (the notice's come from the rendered one).
REPORT_SUMMARY = "我公司已对通知书所列问题逐项完成整改，并建立上线前标识校验机制。"
MEASURES = "已为全部生成合成内容补充显式标识和隐式标识，并复核存量内容。"
LONG_TERM = "将标识校验纳入发布流程，每月抽检一次。"
EXTENSION_REASON = "存量内容较多，需更换标识组件并回溯处理，申请延长整改期限。"


def _where(mask: np.ndarray, value: int) -> pd.Series:
    """`value` where `mask` is true, else NULL (an object column: integers stay integers in COPY)."""
    return pd.Series([value if m else None for m in mask], dtype=object)


class ScaleDocuments:
    """
    Loads the documents in three steps, each its own transaction (the bulk
    one without foreign-key triggers); `load`, `log` and `next_id` are
    seed_scale's COPY loader, log line and next primary key.
    """

    def __init__(self, *, load, log, next_id, rng: np.random.Generator):
        self.load, self.log, self.next_id, self.rng = load, log, next_id, rng
        self.now = timezone.now()

    def prepare(self) -> None:
        """Through the services: the people, a plan per campaign, the one notice issued for real."""
        if Notice.objects.exists() or SelectionPlan.objects.exists() or Bulletin.objects.exists():
            raise CommandError("Documents are already seeded (plans, notices or bulletins exist).")
        if not Finding.objects.exists():
            raise CommandError("No findings: run seed_scale without --documents-only first.")
        self.inspector, self.supervisor, approver, officers = self._users()
        self._plans(self.inspector, officers)
        self.template = self._real_notice(self.inspector, self.supervisor, approver)

    def load_bulk(self) -> list:
        """With COPY: the notices, reports, responses, evidence and extension requests (the models loaded)."""
        links = self._notices(self.template, self.inspector, self.supervisor)
        self._reports(links, self.supervisor)
        self._extensions(links, self.supervisor)
        return [
            Notice,
            Notice.findings.through,
            Notice.citations.through,
            Notice.provisions.through,
            RectificationReport,
            ReportResponse,
            ReportEvidence,
            ExtensionRequest,
        ]

    def finish(self) -> None:
        """Through the services again: the bulletins (on notified findings) and a campaign report."""
        self._bulletins(self.supervisor)
        self._campaign_report(self.supervisor)

    # --- people ------------------------------------------------------------------

    def _users(self) -> tuple[User, User, User, list[User]]:
        def user(username: str, role: str) -> User:
            found, created = get_user_model().objects.get_or_create(
                username=username, defaults={"role": role, "first_name": "规模测试"}
            )
            if created:
                found.set_unusable_password()
                found.save(update_fields=["password"])
            return found

        inspector = user("scale_inspector", Role.INSPECTOR)
        supervisor = user("scale_supervisor", Role.SUPERVISOR)
        # Four eyes: a notice is approved by a supervisor who did not draft it.
        approver = user("scale_supervisor2", Role.SUPERVISOR)
        officers = [user(f"scale_officer_{i}", Role.INSPECTOR) for i in range(1, OFFICERS + 1)]
        for campaign in Campaign.objects.all():
            campaign_team_add(
                campaign=campaign,
                user_ids=[inspector.pk, *(o.pk for o in officers)],
                actor=supervisor,
            )
        # Documents cite the agency's data (level, government, portal, seal): the demo agency's.
        if not Agency.objects.filter(name__in=Campaign.objects.values("agency")).exists():
            seed_agencies({})
        return inspector, supervisor, approver, officers

    # --- selection plans --------------------------------------------------------

    def _plans(self, inspector: User, officers: list[User]) -> None:
        size = Enterprise.objects.count()
        share = min(1.0, size / 10_000)
        for campaign in Campaign.objects.order_by("starts_on"):
            plan = plan_services.plan_create(
                campaign=campaign,
                actor=inspector,
                officer_pool=[inspector, *officers],
                fields={
                    "name": f"{campaign.code} 双随机抽查计划",
                    "frame_filters": {},
                    "high_risk_mode": SelectionPlan.HighRiskMode.TOP_K,
                    "high_risk_k": max(1, int(PLAN_HIGH_RISK_K * share)),
                    "random_n": max(1, int(PLAN_RANDOM_N * share)),
                    "verification_n": int(PLAN_VERIFICATION_N * share),
                    "officers_per_inspection": 2,
                    "method": "remote",
                    "first_date": campaign.starts_on,
                    "last_date": campaign.ends_on,
                },
            )
            plan_services.plan_draw(plan=plan, actor=inspector)
        self.log(f"selection plans: {Campaign.objects.count()} drawn")

    # --- notices -----------------------------------------------------------------

    def _real_notice(self, inspector: User, supervisor: User, approver: User) -> Notice:
        """Draft, approve and issue one notice on open findings through the notice services."""
        seen: set[tuple[int, int]] = set()
        open_findings = (
            Finding.objects.filter(
                status=FindingStatus.OPEN, inspection__status=Inspection.Status.COMPLETED
            )
            .order_by("-created_at")
            .values_list("enterprise_id", "campaign_id")
        )
        for enterprise_id, campaign_id in open_findings.iterator():
            if (enterprise_id, campaign_id) in seen:
                continue
            seen.add((enterprise_id, campaign_id))
            if len(seen) > NOTICE_TRIES:
                break
            findings = list(
                Finding.objects.filter(
                    status=FindingStatus.OPEN,
                    enterprise_id=enterprise_id,
                    campaign_id=campaign_id,
                    inspection__status=Inspection.Status.COMPLETED,
                ).select_related("enterprise", "campaign")
            )
            try:
                with transaction.atomic():
                    notice = notice_services.notice_create(
                        enterprise=findings[0].enterprise,
                        campaign=findings[0].campaign,
                        findings=findings,
                        actor=inspector,
                    )
            except ApplicationError:
                continue  # e.g. conduct before the provisions were in force: the next group
            notice = notice_services.notice_approve(notice=notice, actor=approver)
            notice = notice_services.notice_issue(notice=notice, actor=supervisor)
            self.log(f"notice issued through the services: {notice.number}")
            return notice
        raise CommandError("No group of open findings could be put in a notice.")

    def _notices(self, template: Notice, inspector: User, supervisor: User) -> pd.DataFrame:
        """One issued notice per enterprise and campaign with notified findings (COPY)."""
        findings = pd.DataFrame.from_records(
            Finding.objects.filter(notified_at__isnull=False)
            .exclude(notices=template.pk)
            .values_list("id", "enterprise_id", "campaign_id", "notified_at", "deadline", "status"),
            columns=["id", "enterprise_id", "campaign_id", "notified_at", "deadline", "status"],
        )
        groups = (
            findings.groupby(["enterprise_id", "campaign_id"], sort=False)
            .agg(issued_at=("notified_at", "min"), deadline=("deadline", "max"))
            .reset_index()
            .sort_values("issued_at", kind="stable")
            .reset_index(drop=True)
        )
        n = len(groups)
        first = self.next_id(Notice)
        groups["id"] = np.arange(first, first + n)
        issued = pd.to_datetime(groups["issued_at"], utc=True)
        local = issued.dt.tz_convert(timezone.get_current_timezone())
        years = local.dt.year.to_numpy()
        serials = np.zeros(n, dtype=np.int64)
        for year in np.unique(years):
            mask = years == year
            first_serial = numbering.take_serials(
                prefix=template.prefix, year=int(year), count=int(mask.sum())
            )
            serials[mask] = first_serial + np.arange(mask.sum())
        served = self.rng.random(n) < SERVED_SHARE
        served_at = issued + pd.to_timedelta(self.rng.integers(1, 72, n), unit="h")
        served_at = served_at.where(served_at < pd.Timestamp(self.now), issued)
        parties = pd.DataFrame.from_records(
            Enterprise.objects.filter(pk__in=groups["enterprise_id"].unique().tolist()).values_list(
                "id", "name", "uscc", "address"
            ),
            columns=["enterprise_id", "party_name", "party_uscc", "party_address"],
        )
        frame = groups.merge(parties, on="enterprise_id", how="left")
        text = {
            name: getattr(template, name)
            for name in (
                "facts",
                "violations",
                "order_basis",
                "measures",
                "submission",
                "consequences",
                "remedies",
                "agency",
                "prefix",
                "pdf_sha256",
                "pdf_size",
                "signer_sha256",
                "party_legal_rep",
            )
        }
        frame = frame.assign(
            **text,
            status=np.where(served, NoticeStatus.SERVED.value, NoticeStatus.ISSUED.value),
            year=years,
            serial=serials,
            number=[
                numbering.format_number(prefix=template.prefix, year=int(y), serial=int(s))
                for y, s in zip(years, serials, strict=True)
            ],
            verification_code=self._verification_codes(n, taken={template.verification_code}),
            issue_date=local.dt.date,
            issued_at=issued,
            pdf=template.pdf.name,
            proof_pdf=template.proof_pdf.name,
            served_at=pd.Series(np.where(served, served_at.astype(object), None)),
            service_method=np.where(served, ServiceMethod.ELECTRONIC.value, ""),
            created_by_id=inspector.pk,
            approved_by_id=supervisor.pk,
            issued_by_id=supervisor.pk,
            approved_at=issued - pd.Timedelta(hours=20),
            created_at=issued - pd.Timedelta(days=2),
            updated_at=issued,
        )
        self.load(Notice, frame)
        links = findings.merge(
            groups[["enterprise_id", "campaign_id", "id"]].rename(columns={"id": "notice_id"}),
            on=["enterprise_id", "campaign_id"],
        )
        self._m2m(
            Notice.findings.through,
            links["notice_id"].to_numpy(),
            finding_id=links["id"].to_numpy(),
        )
        for relation, column in (
            (Notice.citations, "legalcitation_id"),
            (Notice.provisions, "provision_id"),
        ):
            ids = list(
                relation.through.objects.filter(notice_id=template.pk).values_list(
                    column, flat=True
                )
            )
            if ids:
                self._m2m(
                    relation.through,
                    np.repeat(groups["id"].to_numpy(), len(ids)),
                    **{column: np.tile(np.array(ids), n)},
                )
        links["issued_at"] = links["notice_id"].map(dict(zip(groups["id"], issued)))
        return links

    def _verification_codes(self, n: int, taken: set) -> list[str]:
        alphabet = np.array(list(CODE_ALPHABET))
        codes: list[str] = []
        seen = set(taken) | set(
            Notice.objects.exclude(verification_code=None).values_list(
                "verification_code", flat=True
            )
        )
        while len(codes) < n:
            for raw in ("".join(row) for row in self.rng.choice(alphabet, (n - len(codes), 8))):
                code = f"LW-{raw[:4]}-{raw[4:]}"
                if code not in seen:
                    seen.add(code)
                    codes.append(code)
        return codes

    def _m2m(self, through, owner_ids: np.ndarray, **columns) -> None:
        owner = next(
            f.column
            for f in through._meta.concrete_fields
            if f.is_relation and f.column not in columns
        )
        first = self.next_id(through)
        self.load(
            through,
            pd.DataFrame(
                {"id": np.arange(first, first + len(owner_ids)), owner: owner_ids, **columns}
            ),
        )

    # --- rectification ------------------------------------------------------------

    def _reports(self, links: pd.DataFrame, supervisor: User) -> None:
        """A report per notice whose findings were answered; a response and evidence per finding."""
        answered = links[links["status"].isin([s.value for s in ANSWERED])].copy()
        by_notice = (
            answered.groupby("notice_id", sort=True)
            .agg(
                enterprise_id=("enterprise_id", "first"),
                issued_at=("issued_at", "first"),
                changes=("status", lambda s: (s == FindingStatus.CHANGES_REQUESTED).any()),
                pending=("status", lambda s: (s == FindingStatus.REPORT_SUBMITTED).any()),
            )
            .reset_index()
        )
        n = len(by_notice)
        first = self.next_id(RectificationReport)
        by_notice["id"] = np.arange(first, first + n)
        submitted = pd.to_datetime(by_notice["issued_at"], utc=True) + pd.to_timedelta(
            self.rng.integers(2, 15, n), unit="D"
        )
        submitted = submitted.where(submitted < pd.Timestamp(self.now), pd.Timestamp(self.now))
        status = np.where(
            by_notice["changes"],
            ReportStatus.CHANGES_REQUESTED.value,
            np.where(
                by_notice["pending"], ReportStatus.SUBMITTED.value, ReportStatus.ACCEPTED.value
            ),
        )
        reviewed = status != ReportStatus.SUBMITTED.value
        reviewed_at = pd.Series(
            np.where(
                reviewed,
                (submitted + pd.Timedelta(days=2))
                .clip(upper=pd.Timestamp(self.now))
                .astype(object),
                None,
            )
        )
        self.load(
            RectificationReport,
            pd.DataFrame(
                {
                    "id": by_notice["id"],
                    "enterprise_id": by_notice["enterprise_id"],
                    "version": 1,
                    "status": status,
                    "responsible_person": "王某",
                    "contact_person": "李某",
                    "contact_phone": "010-66660000",
                    "summary": REPORT_SUMMARY,
                    "declaration": True,
                    "submitted_at": submitted,
                    "reviewed_at": reviewed_at,
                    "reviewed_by_id": _where(reviewed, supervisor.pk),
                    "created_at": submitted - pd.Timedelta(days=1),
                    "updated_at": submitted,
                }
            ),
        )
        answered = answered.merge(
            by_notice[["notice_id", "id"]].rename(columns={"id": "report_id"}), on="notice_id"
        )
        answered["submitted_at"] = answered["report_id"].map(dict(zip(by_notice["id"], submitted)))
        m = len(answered)
        decision = np.select(
            [
                answered["status"] == FindingStatus.ACCEPTED,
                answered["status"] == FindingStatus.CHANGES_REQUESTED,
            ],
            [Decision.ACCEPTED.value, Decision.CHANGES_REQUESTED.value],
            Decision.PENDING.value,
        )
        decided = decision != Decision.PENDING.value
        first_response = self.next_id(ReportResponse)
        response_ids = np.arange(first_response, first_response + m)
        decided_at = (answered["submitted_at"] + pd.Timedelta(days=2)).clip(
            upper=pd.Timestamp(self.now)
        )
        self.load(
            ReportResponse,
            pd.DataFrame(
                {
                    "id": response_ids,
                    "report_id": answered["report_id"].to_numpy(),
                    "finding_id": answered["id"].to_numpy(),
                    "measures": MEASURES,
                    "long_term_measures": LONG_TERM,
                    "completed_on": (
                        answered["submitted_at"] - pd.Timedelta(days=1)
                    ).dt.date.to_numpy(),
                    "decision": decision,
                    "reviewer_comment": np.where(
                        decision == Decision.CHANGES_REQUESTED.value, "请补充整改后的页面截图。", ""
                    ),
                    "decided_by_id": _where(decided, supervisor.pk),
                    "decided_at": pd.Series(np.where(decided, decided_at.astype(object), None)),
                    "created_at": answered["submitted_at"].to_numpy(),
                    "updated_at": answered["submitted_at"].to_numpy(),
                }
            ),
        )
        stored, size, digest = self._evidence_file()
        first_evidence = self.next_id(ReportEvidence)
        self.load(
            ReportEvidence,
            pd.DataFrame(
                {
                    "id": np.arange(first_evidence, first_evidence + m),
                    "response_id": response_ids,
                    "file": stored,
                    "original_name": "整改后截图.png",
                    "stored_stem": [f"{i:032x}" for i in response_ids],
                    "extension": "png",
                    "content_type": "image/png",
                    "size": size,
                    "sha256": digest,
                    "uploaded_at": answered["submitted_at"].to_numpy(),
                }
            ),
        )

    def _evidence_file(self) -> tuple[str, int, str]:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (640, 360), (236, 240, 244)).save(buffer, format="PNG")
        data = buffer.getvalue()
        name = default_storage.save(
            f"rectification/scale/{secrets.token_hex(8)}.png", ContentFile(data)
        )
        return name, len(data), hashlib.sha256(data).hexdigest()

    def _extensions(self, links: pd.DataFrame, supervisor: User) -> None:
        chosen = links[self.rng.random(len(links)) < EXTENSION_SHARE].copy()
        n = len(chosen)
        still_open = (
            chosen["status"]
            .isin([FindingStatus.NOTIFIED.value, FindingStatus.OVERDUE.value])
            .to_numpy()
        )
        status = np.where(
            still_open,
            ExtensionStatus.PENDING.value,
            np.where(
                self.rng.random(n) < 0.7,
                ExtensionStatus.APPROVED.value,
                ExtensionStatus.DENIED.value,
            ),
        )
        asked = (
            pd.to_datetime(chosen["issued_at"], utc=True)
            + pd.to_timedelta(self.rng.integers(1, 8, n), unit="D")
        ).clip(upper=pd.Timestamp(self.now))
        deadline = pd.to_datetime(chosen["deadline"])
        decided = status != ExtensionStatus.PENDING.value
        first = self.next_id(ExtensionRequest)
        self.load(
            ExtensionRequest,
            pd.DataFrame(
                {
                    "id": np.arange(first, first + n),
                    "finding_id": chosen["id"].to_numpy(),
                    "enterprise_id": chosen["enterprise_id"].to_numpy(),
                    "reason": EXTENSION_REASON,
                    "requested_deadline": (deadline + pd.Timedelta(days=14)).dt.date.to_numpy(),
                    "previous_deadline": deadline.dt.date.to_numpy(),
                    "status": status,
                    "decided_by_id": _where(decided, supervisor.pk),
                    "decided_at": pd.Series(
                        np.where(
                            decided,
                            (asked + pd.Timedelta(days=1))
                            .clip(upper=pd.Timestamp(self.now))
                            .astype(object),
                            None,
                        )
                    ),
                    "created_at": asked.to_numpy(),
                    "updated_at": asked.to_numpy(),
                }
            ),
        )

    # --- bulletins and the campaign report -----------------------------------------

    def _bulletins(self, supervisor: User) -> None:
        """A bulletin per campaign: two notified findings per issue code, anonymised."""
        for campaign in Campaign.objects.order_by("starts_on"):
            chosen: list[Finding] = []
            codes: dict[str, int] = {}
            for finding in (
                Finding.objects.filter(campaign=campaign, notices__isnull=False)
                .order_by("issue_code_id", "pk")
                .only("pk", "issue_code_id")[:400]
            ):
                if codes.get(finding.issue_code_id, 0) < 2 and len(chosen) < BULLETIN_FINDINGS:
                    codes[finding.issue_code_id] = codes.get(finding.issue_code_id, 0) + 1
                    chosen.append(finding)
            if not chosen:
                continue
            bulletin = bulletin_services.bulletin_create(
                campaign=campaign,
                actor=supervisor,
                findings=chosen,
                title=f"关于{campaign.name}典型问题的通报",
            )
            bulletin_services.bulletin_issue(bulletin=bulletin, actor=supervisor)
        self.log(f"bulletins: {Bulletin.objects.count()} issued")

    def _campaign_report(self, supervisor: User) -> None:
        campaign = Campaign.objects.latest("starts_on")
        job = ExportJob.objects.create(
            owner=supervisor, kind="campaign_report", params={"campaign_id": campaign.pk}
        )
        job = export_job_run(job_id=job.pk)
        self.log(f"campaign report of {campaign.code}: {job.get_status_display()}")
