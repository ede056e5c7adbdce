"""
Fill the database with national-scale synthetic data for benchmarks:

    python manage.py seed_scale --enterprises 10000 --inspections 200000 \
        --items 2000000 --findings 400000

Columns are generated with numpy and streamed with PostgreSQL COPY (psycopg 3
`cursor.copy`), so two million items and four million checks load in a few
minutes. On SQLite it refuses unless --force and at most 50,000 items.
Every column of every table is filled (fields added later get their model
default), USCCs carry valid check characters, and issue codes come from the
taxonomy migration. Then the analytics roll-up is rebuilt, and the
documents written about the findings are added (selection plans, notices,
rectification reports, extension requests, bulletins, a campaign report:
reports/management/scale_documents.py). `--documents-only` adds just those
to a database seed_scale filled before.
"""

import io
import json
import time

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from accounts.models import Role
from enterprises.identifiers import uscc_complete
from enterprises.models import District, Enterprise, Modality, Service
from inspections.models import (
    Campaign,
    CheckResult,
    Finding,
    FindingStatus,
    Inspection,
    IssueCode,
    ItemCheck,
    SampledItem,
)
from reports.analytics.selectors import calendar_exceptions
from reports.analytics.services import analytics_rollups_refresh
from reports.management.scale_documents import ScaleDocuments

CHUNK = 200_000
SQLITE_MAX_ITEMS = 50_000
# (generation provider, dissemination platform, app store, technical supporter)
ROLE_COMBOS = np.array([
    (1, 0, 0, 0), (0, 1, 0, 0), (1, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (1, 0, 0, 1),
], dtype=bool)
ROLE_WEIGHTS = [0.40, 0.25, 0.15, 0.05, 0.10, 0.05]
STATUS_WEIGHTS = {
    FindingStatus.ACCEPTED: 0.60, FindingStatus.NOTIFIED: 0.12, FindingStatus.REPORT_SUBMITTED: 0.05,
    FindingStatus.CHANGES_REQUESTED: 0.03, FindingStatus.OVERDUE: 0.10, FindingStatus.ESCALATED: 0.03,
    FindingStatus.OPEN: 0.05, FindingStatus.WITHDRAWN: 0.02,
}


class Command(BaseCommand):
    help = "Fill the database with national-scale synthetic data (PostgreSQL COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=10_000)
        parser.add_argument("--inspections", type=int, default=200_000)
        parser.add_argument("--items", type=int, default=2_000_000)
        parser.add_argument("--findings", type=int, default=400_000)
        parser.add_argument("--seed", type=int, default=20260519)
        parser.add_argument("--force", action="store_true",
                            help="Allow SQLite (at most 50,000 items).")
        parser.add_argument("--documents-only", action="store_true",
                            help="Only add the documents (plans, notices, reports, extension requests, "
                                 "bulletins, campaign report) to a database seed_scale already filled.")

    def handle(self, *args, **opts):
        postgres = connection.vendor == "postgresql"
        small = opts["documents_only"] or opts["items"] <= SQLITE_MAX_ITEMS
        if not postgres and not (opts["force"] and small):
            raise CommandError(
                "seed_scale is for PostgreSQL; on SQLite pass --force with at most "
                f"{SQLITE_MAX_ITEMS:,} items."
            )
        codes = list(IssueCode.objects.filter(active=True).values_list("code", "category", "default_severity", "default_period", "period_unit", "legal_basis"))
        if not codes:
            raise CommandError("No issue codes: run the migrations (taxonomy) first.")
        self.rng = np.random.default_rng(opts["seed"])
        self.postgres = postgres
        self.now = timezone.now()
        began = time.monotonic()
        if opts["documents_only"]:
            self._documents()
            return
        with transaction.atomic():
            if postgres:
                self._skip_foreign_key_triggers()
                with connection.cursor() as cursor:
                    # No change capture for the bulk load: the roll-ups are rebuilt whole after it.
                    cursor.execute("SET LOCAL labelwatch.rollup_capture = 'off'")
            user = self._user()
            campaigns = self._campaigns()
            # The scale inspector works on every campaign (DOMAIN §2: an
            # inspector sees the campaigns assigned), so benchmarks/pages.py
            # --as-inspector times the campaign-scoped queries on all the data.
            user.assigned_campaigns.add(*campaigns["id"].tolist())
            enterprises = self._enterprises(opts["enterprises"])
            self._services(enterprises)
            inspections = self._inspections(opts["inspections"], enterprises, campaigns)
            item_ids = self._items(opts["items"], inspections, enterprises, user, codes)
            self._findings(opts["findings"], inspections, campaigns, codes, item_ids)
            self._reset_sequences()
        self._log(f"data loaded in {time.monotonic() - began:.0f} s")
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        state = analytics_rollups_refresh()
        self._log(f"roll-up rebuilt: {state.rows:,} rows in {state.seconds:.0f} s")
        self._documents()

    def _documents(self) -> None:
        """
        The documents step. The plans, the first notice and the bulletins go
        through the services (audited, numbered, rendered; the findings they
        notify are captured for the roll-ups as in production); the bulk rows
        are loaded with COPY like the rest.
        """
        began = time.monotonic()
        documents = ScaleDocuments(load=self._load, log=self._log, next_id=self._next_id, rng=self.rng)
        with transaction.atomic():
            documents.prepare()
        with transaction.atomic():
            if self.postgres:
                self._skip_foreign_key_triggers()
            loaded = documents.load_bulk()
            self._reset_sequences(loaded)
        documents.finish()
        self._log(f"documents loaded in {time.monotonic() - began:.0f} s")
        if self.postgres:
            # As autovacuum leaves a database in service: statistics, and the
            # visibility map that lets the counts read from indexes alone
            # (a load that was only analysed reads every row from the table).
            began = time.monotonic()
            with connection.cursor() as cursor:
                # VACUUM cannot run inside a transaction (a test's): there, statistics only.
                statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                cursor.execute(statement)
            self._log(f"{statement} in {time.monotonic() - began:.0f} s")

    # --- helpers -------------------------------------------------------------

    def _skip_foreign_key_triggers(self) -> None:
        """
        Skip PostgreSQL's per-row foreign-key checks for this transaction: the
        rows are generated consistent, and the checks cost most of the load.
        Needs a superuser; without one the load simply runs slower.
        """
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            self._log("foreign-key checks stay on (not a superuser)")

    def _log(self, message: str) -> None:
        self.stdout.write(f"[{timezone.localtime():%H:%M:%S}] {message}")
        self.stdout.flush()

    def _next_id(self, model) -> int:
        return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1

    def _load(self, model, frame: pd.DataFrame) -> None:
        """Insert a frame into the model's table; absent columns get their defaults."""
        fields = [f for f in model._meta.concrete_fields]
        n = len(frame)
        for f in fields:
            if f.column in frame.columns:
                continue
            if f.attname in frame.columns:
                frame = frame.rename(columns={f.attname: f.column})
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = self.now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif isinstance(f, (models.CharField, models.TextField, models.FileField)):
                value = ""
            else:
                raise CommandError(f"{model.__name__}.{f.name} needs a value")
            if isinstance(f, models.JSONField) and value is not None:
                value = json.dumps(value)
            frame[f.column] = [value] * n if isinstance(value, (list, dict)) else value
        columns = [f.column for f in fields]
        frame = frame[columns]
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cols = ", ".join(f'"{c}"' for c in columns)
                for start in range(0, n, CHUNK):
                    buffer = io.StringIO()
                    frame.iloc[start:start + CHUNK].to_csv(buffer, index=False, header=False, na_rep="\\N")
                    with cursor.cursor.copy(
                        f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
                    ) as copy:
                        copy.write(buffer.getvalue())
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f'INSERT INTO {table} ({", ".join(columns)}) VALUES ({placeholders})'
                rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
                cursor.executemany(sql, [tuple(_plain(v) for v in row) for row in rows])
        self._log(f"{table}: {n:,} rows")

    def _reset_sequences(self, models=(Enterprise, Service, Campaign, Inspection, SampledItem, ItemCheck,
                                       Finding)) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )

    # --- tables --------------------------------------------------------------

    def _user(self):
        user, created = get_user_model().objects.get_or_create(
            username="scale_inspector",
            defaults={"role": Role.INSPECTOR, "first_name": "规模测试"},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    def _campaigns(self) -> pd.DataFrame:
        """Eight quarterly campaigns over the last two years."""
        today = timezone.localdate()
        first = (pd.Timestamp(today) - pd.DateOffset(months=23)).to_period("Q").to_timestamp()
        rows = []
        for i in range(8):
            starts = (first + pd.DateOffset(months=3 * i)).date()
            ends = (first + pd.DateOffset(months=3 * i + 3) - pd.Timedelta(days=1)).date()
            campaign, _created = Campaign.objects.get_or_create(
                code=f"SCALE-{starts:%Y}Q{(starts.month - 1) // 3 + 1}",
                defaults={
                    "name": f"{starts:%Y}年第{(starts.month - 1) // 3 + 1}季度 AI生成合成内容标识专项检查",
                    "agency": "北京市互联网信息办公室", "notice_prefix": "京网信改",
                    "starts_on": starts, "ends_on": ends, "status": "closed" if ends < today else "active",
                },
            )
            rows.append((campaign.pk, starts, ends))
        return pd.DataFrame(rows, columns=["id", "starts_on", "ends_on"])

    def _enterprises(self, n: int) -> pd.DataFrame:
        rng = self.rng
        first = self._next_id(Enterprise)
        ids = np.arange(first, first + n)
        districts = np.array([d.value for d in District])
        district = rng.choice(districts, n, p=_zipf(len(districts)))
        combos = ROLE_COMBOS[rng.choice(len(ROLE_COMBOS), n, p=ROLE_WEIGHTS)]
        usccs = [uscc_complete(f"91{d}{i:09d}") for d, i in zip(district, ids)]
        frame = pd.DataFrame({
            "id": ids,
            "name": [f"北京规模测试{i}号智能科技有限公司" for i in ids],
            "uscc": usccs,
            "region_code": district,
            "district": district,
            "address": "北京市",
            "is_generation_provider": combos[:, 0],
            "is_dissemination_platform": combos[:, 1],
            "is_app_store": combos[:, 2],
            "is_technical_supporter": combos[:, 3],
            "risk_tier": rng.choice(["high", "medium", "low"], n, p=[0.2, 0.5, 0.3]),
            "risk_score": rng.integers(0, 101, n),
            "status": "active",
        })
        self._load(Enterprise, frame.copy())
        return frame

    def _services(self, enterprises: pd.DataFrame) -> None:
        n = len(enterprises)
        first = self._next_id(Service)
        flags = self.rng.random((n, 5)) < [0.8, 0.6, 0.2, 0.3, 0.05]
        flags[:, 0] |= ~flags.any(axis=1)
        self._load(Service, pd.DataFrame({
            "id": np.arange(first, first + n), "enterprise_id": enterprises["id"].to_numpy(),
            "name": "主应用", "kind": "app", "has_text": flags[:, 0], "has_image": flags[:, 1],
            "has_audio": flags[:, 2], "has_video": flags[:, 3], "has_virtual_scene": flags[:, 4],
            "monthly_aigc_volume": self.rng.integers(100, 2_000_000, n),
        }))

    def _inspections(self, n: int, enterprises: pd.DataFrame, campaigns: pd.DataFrame) -> pd.DataFrame:
        rng = self.rng
        first = self._next_id(Inspection)
        camp = rng.integers(0, len(campaigns), n)
        starts = pd.to_datetime(campaigns["starts_on"]).to_numpy()[camp]
        planned = starts + rng.integers(0, 85, n).astype("timedelta64[D]")
        enterprise_idx = rng.integers(0, len(enterprises), n)
        frame = pd.DataFrame({
            "id": np.arange(first, first + n),
            "campaign_id": campaigns["id"].to_numpy()[camp],
            "enterprise_id": enterprises["id"].to_numpy()[enterprise_idx],
            "planned_date": pd.to_datetime(planned).date,
            "method": "remote",
            "status": np.where(planned < np.datetime64(timezone.localdate()), "completed", "planned"),
        })
        frame["_district_idx"] = pd.Categorical(
            enterprises["district"].to_numpy()[enterprise_idx]).codes
        self._load(Inspection, frame.drop(columns=["_district_idx"]).copy())
        return frame

    def _items(self, n: int, inspections: pd.DataFrame, enterprises, user, codes) -> np.ndarray:
        rng = self.rng
        first = self._next_id(SampledItem)
        ids = np.arange(first, first + n)
        insp = rng.integers(0, len(inspections), n)
        planned = pd.to_datetime(inspections["planned_date"]).to_numpy()[insp]
        captured = pd.to_datetime(planned + rng.integers(0, 5 * 24 * 60, n).astype("timedelta64[m]"))
        captured = captured.tz_localize("Asia/Shanghai")
        modality = rng.choice([m.value for m in Modality], n, p=[0.35, 0.35, 0.1, 0.17, 0.03])
        self._load(SampledItem, pd.DataFrame({
            "id": ids, "inspection_id": inspections["id"].to_numpy()[insp], "modality": modality,
            "content_ref": [f"https://scale.example.cn/c/{i}" for i in ids],
            "channel": "download", "captured_at": captured, "captured_by_id": user.pk,
        }))
        # Two checks per item: one implicit-label and one explicit-label code.
        # The failure rate falls over time and varies by district and modality.
        imp = [c[0] for c in codes if c[1] == "IMP"] or [codes[0][0]]
        exp = [c[0] for c in codes if c[1] == "EXP"] or [codes[-1][0]]
        months = (captured.year - captured.year.min()) * 12 + captured.month
        trend = 1.0 - 0.5 * (months - months.min()) / max(months.max() - months.min(), 1)
        district_effect = 0.6 + 0.08 * inspections["_district_idx"].to_numpy()[insp] / 2
        modality_effect = np.where(modality == "video", 1.5, np.where(modality == "text", 0.6, 1.0))
        p_fail = np.clip(0.10 * trend * district_effect * modality_effect, 0.005, 0.9)
        first_check = self._next_id(ItemCheck)
        checks = pd.DataFrame({
            "id": np.arange(first_check, first_check + 2 * n),
            "item_id": np.concatenate([ids, ids]),
            "issue_code_id": np.concatenate([rng.choice(imp, n), rng.choice(exp, n)]),
            "result": np.where(
                rng.random(2 * n) < np.concatenate([p_fail, p_fail * 0.7]), CheckResult.FAIL.value,
                np.where(rng.random(2 * n) < 0.05, CheckResult.NOT_APPLICABLE.value, CheckResult.PASS.value),
            ),
            "source": "automatic",
            "checked_at": np.concatenate([captured, captured]),
        })
        self._load(ItemCheck, checks)
        return ids

    def _findings(self, n: int, inspections: pd.DataFrame, campaigns, codes, item_ids) -> None:
        rng = self.rng
        first = self._next_id(Finding)
        insp = rng.integers(0, len(inspections), n)
        code_idx = rng.choice(len(codes), n, p=_zipf(len(codes)))
        code_arr = np.array(codes, dtype=object)
        planned = pd.to_datetime(inspections["planned_date"]).to_numpy()[insp]
        created = pd.to_datetime(planned + rng.integers(0, 3 * 24 * 60, n).astype("timedelta64[m]"))
        created = created.tz_localize("Asia/Shanghai")
        period = code_arr[code_idx, 3].astype(int)
        hours = code_arr[code_idx, 4] == "hours"
        holidays, _makeup = calendar_exceptions()
        hol = np.array(holidays, dtype="datetime64[D]")
        created_day = created.tz_localize(None).normalize().to_numpy().astype("datetime64[D]")
        notified_day = np.busday_offset(created_day, rng.integers(1, 4, n), roll="forward", holidays=hol)
        deadline = np.where(
            hours, created_day + 1,
            np.busday_offset(notified_day, np.where(hours, 0, period), roll="forward", holidays=hol),
        )
        status = rng.choice(list(STATUS_WEIGHTS), n, p=list(STATUS_WEIGHTS.values()))
        accepted = status == FindingStatus.ACCEPTED
        took = np.maximum(1, (period * rng.gamma(2.0, 0.45, n)).astype(int))
        closed_day = np.busday_offset(notified_day, took, roll="forward", holidays=hol)
        notified_at = pd.to_datetime(notified_day) + pd.Timedelta(hours=10)
        closed_at = pd.to_datetime(closed_day) + pd.Timedelta(hours=16)
        notified_ok = status != FindingStatus.OPEN
        today = np.datetime64(timezone.localdate())
        # Closing in the future is impossible: those stay "report submitted".
        future = accepted & (closed_day > today)
        status = np.where(future, FindingStatus.REPORT_SUBMITTED.value, status)
        accepted = accepted & ~future
        frame = pd.DataFrame({
            "id": np.arange(first, first + n),
            "inspection_id": inspections["id"].to_numpy()[insp],
            "enterprise_id": inspections["enterprise_id"].to_numpy()[insp],
            "campaign_id": inspections["campaign_id"].to_numpy()[insp],
            "issue_code_id": code_arr[code_idx, 0],
            "severity": code_arr[code_idx, 2],
            "legal_basis": code_arr[code_idx, 5],
            "description": "规模测试：抽检内容未按要求添加标识",
            "status": status,
            "period": period,
            "period_unit": code_arr[code_idx, 4],
            "deadline": pd.to_datetime(deadline).date,
            "deadline_at": pd.Series(
                np.where(hours, (created + pd.Timedelta(hours=24)).astype(object), None)),
            "is_repeat": rng.random(n) < 0.1,
            "notified_at": pd.Series(np.where(
                notified_ok, notified_at.tz_localize("Asia/Shanghai").astype(object), None)),
            "closed_at": pd.Series(np.where(
                accepted, closed_at.tz_localize("Asia/Shanghai").astype(object), None)),
            "created_at": created,
            "updated_at": created,
        })
        self._load(Finding, frame)
        # One evidence item per finding keeps the modality filter meaningful.
        through = Finding.evidence_items.through
        self._load(through, pd.DataFrame({
            "id": np.arange(self._next_id(through), self._next_id(through) + n),
            "finding_id": frame["id"].to_numpy(),
            "sampleditem_id": rng.choice(item_ids, n),
        }))


def _plain(value):
    """A value the SQLite driver binds: ISO text for timestamps, Python scalars."""
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _zipf(k: int) -> np.ndarray:
    """Skewed category weights, so some districts and codes dominate."""
    w = 1.0 / np.arange(1, k + 1) ** 0.8
    return w / w.sum()


