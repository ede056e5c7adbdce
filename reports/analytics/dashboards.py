"""
The analytics dashboards: each one reads its aggregates through
`reports.analytics.selectors`, computes with `reports.analytics.stats`, draws with
`reports.analytics.charts`, and returns one `Dashboard` holding the figure, the
accessible table (formatted cells) and the export frame (raw numbers), so
the chart, its table, its CSV/XLSX and its drill-down links always agree.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.models import User
from enterprises.models import District, EnterpriseRole, Modality
from inspections.models import IssueCategory, Severity

from . import charts, stats
from . import selectors as sel
from .selectors import AnalyticsFilters


@dataclass
class Dashboard:
    slug: str
    title: str
    figure: dict | None
    columns: list[tuple[str, str]]  # (label, css class)
    rows: list[list[dict]]  # cells: {"text", "url"?, "title"?}
    export: pd.DataFrame
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Spec:
    slug: str
    title: object  # lazy string
    description: object
    build: Callable


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def role_labels():
    return _labels(EnterpriseRole.choices)


def dimension_labels(by: str | None) -> dict:
    return {
        "role": role_labels, "district": lambda: _labels(District.choices),
        "modality": lambda: _labels(Modality.choices),
        "category": lambda: {k: f"{k} {v}" for k, v in _labels(IssueCategory.choices).items()},
    }.get(by or "", dict)()


def percent(value) -> str:
    return f"{number_format(value * 100, 1)}%"


def rate_text(k, n, rate, lower, upper, small: bool, *, on_time: bool = False) -> str:
    """
    A rate for people: never a bare percentage from a small sample, always
    with its 95 % interval and the count it rests on.
    """
    if not n:
        return "—"
    interval = f"{percent(lower)}–{percent(upper)}"
    if small and on_time:
        return _("n=%(n)s, small sample (%(k)s on time; 95%% CI %(ci)s)") % {
            "n": int(n), "k": int(k), "ci": interval,
        }
    if small:
        return _("n=%(n)s, small sample (%(k)s failing; 95%% CI %(ci)s)") % {
            "n": int(n), "k": int(k), "ci": interval,
        }
    return _("%(rate)s (95%% CI %(ci)s; %(k)s of %(n)s)") % {
        "rate": percent(rate), "ci": interval, "k": number_format(int(k), force_grouping=True),
        "n": number_format(int(n), force_grouping=True),
    }


def drill_url(query: dict, **point) -> str:
    params = {k: v for k, v in {**query, **point}.items() if v not in (None, "", False)}
    return f"{reverse('reports:analytics_drill')}?{urlencode(params)}"


def _month_point(month) -> dict:
    text = pd.Timestamp(month).strftime("%Y-%m")
    return {"start": text, "end": text}


def _cell(text, url=None, title=None) -> dict:
    return {"text": text, "url": url, "title": title}


def _month_text(month, partial: bool = False) -> str:
    text = pd.Timestamp(month).strftime("%Y-%m")
    if partial:
        return _("%(month)s (to %(day)s, incomplete)") % {
            "month": text, "day": timezone.localdate().strftime("%m-%d")}
    return text


def _partial_note(frame: pd.DataFrame, *, compared: bool, include_partial: bool = False) -> list[str]:
    """What a reader must know about the month that has not ended yet."""
    if "partial" not in frame.columns or not frame["partial"].any():
        return []
    month = _month_text(frame.loc[frame["partial"], "month"].iloc[0])
    note = _("%(month)s has not ended: its figures run to %(day)s and are not a whole month's.") % {
        "month": month, "day": timezone.localdate().strftime("%Y-%m-%d")}
    if compared and not include_partial:
        note += " " + _("It is left out of month-over-month and year-over-year comparisons; "
                        "tick “Compare the unfinished month” to include it.")
    elif compared:
        note += " " + _("It is compared as it stands, against whole months.")
    return [note]


# --- 1. violation rate -------------------------------------------------------

def violations(viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    by = by if by in sel.VIOLATION_DIMENSIONS else None
    frame = sel.violation_monthly(viewer=viewer, filters=filters, by=by)
    frame = stats.add_rate(frame, k="failed", n="checked")
    frame = stats.mark_partial(frame, today=timezone.localdate())
    labels = dimension_labels(by)
    point_key = {"role": "role", "district": "district", "modality": "modality", "category": "category"}
    urls = []
    for row in frame.itertuples(index=False):
        point = {"kind": "items", "failing": 1, **_month_point(row.month)}
        if by:
            point[point_key[by]] = getattr(row, by)
        urls.append(drill_url(query, **point))
    frame["drill_url"] = urls
    title = _("Monthly violation rate of sampled items")
    if by:
        title = _("Monthly violation rate by %(dimension)s") % {
            "dimension": dict((k, str(v)) for k, v in _dimension_choices())[by]
        }
    fig = charts.rate_over_time(frame, title=title, y_title=_("Items failing / items checked"),
                                by=by, labels=labels)
    columns = [(_("Month"), "")] + ([(dict(_dimension_choices())[by], "")] if by else []) + [
        (_("Items checked"), "num"), (_("Items failing"), "num"), (_("Violation rate"), "num"),
    ]
    rows = []
    for row in frame.sort_values(["month", *( [by] if by else [])]).itertuples(index=False):
        cells = [_cell(_month_text(row.month, row.partial))]
        if by:
            cells.append(_cell(labels.get(getattr(row, by), getattr(row, by))))
        cells += [
            _cell(number_format(int(row.checked), force_grouping=True)),
            _cell(number_format(int(row.failed), force_grouping=True), url=row.drill_url,
                  title=_("List the failing items")),
            _cell(rate_text(row.failed, row.checked, row.rate, row.lower, row.upper, row.small_sample)),
        ]
        rows.append(cells)
    export = frame.drop(columns=["drill_url"]).rename(columns={"rate": "violation_rate"})
    if by:
        export[f"{by}_label"] = export[by].map(labels)
    state = sel.rollup_state()
    notes = [*_partial_note(frame, compared=False), _small_note()]
    if state is None:
        notes.insert(0, _("The violation figures have not been computed yet."))
    else:
        notes.insert(0, _("Violation figures as of %(time)s.") % {
            "time": timezone.localtime(state.refreshed_at).strftime("%Y-%m-%d %H:%M")
        })
    return Dashboard("violations", title, charts.figure_json(fig), columns, rows, export, notes)


def _findings_state_note() -> str:
    """When the findings roll-ups behind a findings dashboard were rebuilt."""
    state = sel.rollup_state(sel.FINDINGS_ROLLUP)
    if state is None:
        return _("The findings figures have not been computed yet.")
    return _("Findings figures as of %(time)s (brought up to date every 2 minutes); the lists "
             "behind each figure are live.") % {
        "time": timezone.localtime(state.refreshed_at).strftime("%Y-%m-%d %H:%M")}


def _dimension_choices():
    return [("role", _("Enterprise role")), ("district", _("District")),
            ("modality", _("Modality")), ("category", _("Issue category"))]


def _small_note() -> str:
    return _(
        "Rates resting on fewer than %(n)s observations are marked as small samples "
        "(hollow markers) and shown with their 95%% Wilson interval."
    ) % {"n": stats.SMALL_SAMPLE}


# --- 2. on-time rectification -------------------------------------------------

def on_time(viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    frame = sel.rollup_on_time_counts(viewer=viewer, filters=filters, by="month")
    frame = stats.add_rate(frame, k="on_time", n="due")
    frame["late"] = frame["due"] - frame["on_time"]
    frame["drill_url"] = [
        drill_url(query, kind="findings", basis="due", late=1, **_month_point(m)) for m in frame["month"]
    ]
    fig = charts.rate_over_time(
        frame, title=_("On-time rectification rate (by deadline month)"),
        y_title=_("Closed by the deadline / findings due"), k="on_time", n="due",
    )
    columns = [(_("Deadline month"), ""), (_("Findings due"), "num"), (_("Closed on time"), "num"),
               (_("Late or still open"), "num"), (_("On-time rate"), "num")]
    rows = [[
        _cell(_month_text(r.month)),
        _cell(number_format(int(r.due), force_grouping=True)),
        _cell(number_format(int(r.on_time), force_grouping=True)),
        _cell(number_format(int(r.late), force_grouping=True), url=r.drill_url,
              title=_("List the late findings")),
        _cell(rate_text(r.on_time, r.due, r.rate, r.lower, r.upper, r.small_sample, on_time=True)),
    ] for r in frame.itertuples(index=False)]
    notes = [
        _("A finding is due once its deadline has passed or it has been closed; closed after the "
          "deadline, or still open after it, counts as late."),
        _small_note(),
    ]
    export = frame.drop(columns=["drill_url"]).rename(columns={"rate": "on_time_rate"})
    return Dashboard("ontime", _("On-time rectification"), charts.figure_json(fig), columns, rows,
                     export, notes)


# --- 3. time to rectify ----------------------------------------------------------

def rectification(viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    summary = stats.rectification_times_from_days(
        sel.rollup_rectification_days(viewer=viewer, filters=filters)
    )
    order = {s: i for i, s in enumerate(charts.SEVERITY_ORDER)}
    summary = summary.sort_values("severity", key=lambda s: s.map(order)).reset_index(drop=True)
    summary["drill_url"] = [
        drill_url(query, kind="findings", basis="closed", severity=s) for s in summary["severity"]
    ]
    labels = _labels(Severity.choices)
    fig = charts.rectification_time_bars(summary, labels=labels)
    columns = [(_("Severity"), ""), (_("Findings closed"), "num"), (_("Median (working days)"), "num"),
               (_("90th percentile (working days)"), "num"), (_("Mean (working days)"), "num")]
    rows = []
    for r in summary.itertuples(index=False):
        small = r.findings < stats.SMALL_SAMPLE
        rows.append([
            _cell(labels.get(r.severity, r.severity)),
            _cell(number_format(int(r.findings), force_grouping=True), url=r.drill_url,
                  title=_("List these findings")),
            _cell(f"{r.median:.0f}" + (_(" (n=%(n)s, small sample)") % {"n": r.findings} if small else "")),
            _cell(f"{r.p90:.0f}"),
            _cell(number_format(r.mean, 1)),
        ])
    notes = [_(
        "Working days on the official calendar (holidays and make-up days included), counted "
        "from the day after the enterprise was notified to the day the rectification was accepted."
    )]
    export = summary.drop(columns=["drill_url"]).rename(columns={
        "median": "median_working_days", "p90": "p90_working_days", "mean": "mean_working_days"})
    return Dashboard("rectification", _("Time to rectify"), charts.figure_json(fig), columns, rows,
                     export, notes)


# --- 4. repeat offenders -------------------------------------------------------

def repeat(viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    frame = sel.rollup_repeat_offenders(viewer=viewer, filters=filters)
    districts = _labels(District.choices)
    frame["drill_url"] = [
        drill_url(query, kind="findings", repeat=1, enterprise=e) for e in frame["enterprise_id"]
    ]
    frame["label"] = frame["enterprise"]
    fig = charts.sorted_bars(
        frame, x="label", y="repeats", title=_("Repeat offenders"), x_title=_("Repeat findings"),
        y_title="", colour_key="district",
    )
    columns = [(_("Enterprise"), ""), (_("District"), ""), (_("Repeat findings"), "num"),
               (_("Issue codes repeated"), "num"), (_("Latest repeat"), ""), (_("Scorecard"), "")]
    rows = [[
        _cell(r.enterprise),
        _cell(districts.get(r.district, r.district)),
        _cell(str(int(r.repeats)), url=r.drill_url, title=_("List the repeat findings")),
        _cell(str(int(r.codes))),
        _cell(pd.Timestamp(r.last_at).tz_convert("Asia/Shanghai").strftime("%Y-%m-%d")
              if pd.notna(r.last_at) else "—"),
        _cell(_("Scorecard"), url=reverse("reports:analytics_scorecard", args=[r.enterprise_id])),
    ] for r in frame.itertuples(index=False)]
    export = frame.drop(columns=["drill_url", "label"])
    if not export.empty:
        export["last_at"] = pd.to_datetime(export["last_at"], utc=True).dt.tz_convert(
            "Asia/Shanghai").dt.tz_localize(None)
    notes = [_("A repeat finding is the same issue code at the same enterprise as in an earlier "
               "campaign. The 25 enterprises with most repeats in the period are listed.")]
    return Dashboard("repeat", _("Repeat offenders"), charts.figure_json(fig), columns, rows,
                     export, notes)


# --- 5. top issue codes -----------------------------------------------------------

def codes(viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    frame = stats.top_codes(sel.rollup_findings_by_code_monthly(viewer=viewer, filters=filters), top=10)
    taxonomy = sel.issue_codes()
    title_col = "title_en" if (get_language() or "").startswith("en") else "title_zh"
    titles = dict(zip(taxonomy["issue_code"], taxonomy[title_col]))
    frame["drill_url"] = [
        drill_url(query, kind="findings", issue_code=c, **_month_point(m))
        for c, m in zip(frame["issue_code"], frame["month"])
    ]
    fig = charts.codes_over_time(frame, titles=titles)
    columns = [(_("Rank"), "num"), (_("Issue code"), ""), (_("Month"), ""), (_("Findings"), "num")]
    rows = [[
        _cell(str(int(r.rank))), _cell(f"{r.issue_code} {titles.get(r.issue_code, '')}"),
        _cell(_month_text(r.month)),
        _cell(number_format(int(r.findings), force_grouping=True), url=r.drill_url,
              title=_("List these findings")),
    ] for r in frame.itertuples(index=False)]
    export = frame.drop(columns=["drill_url"])
    export["title"] = export["issue_code"].map(titles)
    return Dashboard("codes", _("Top issue codes over time"), charts.figure_json(fig), columns, rows,
                     export, [_("The ten issue codes with most findings in the period, month by month.")])


# --- 6. campaign versus campaign -----------------------------------------------------

def campaigns(viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    frame = sel.campaigns(viewer=viewer)
    if filters.campaign_id:
        frame = frame[frame["campaign_id"] == filters.campaign_id]
    for part in (
        sel.rollup_campaign_inspections(viewer=viewer, filters=filters),
        sel.rollup_campaign_findings(viewer=viewer, filters=filters),
        sel.violation_by_campaign(viewer=viewer, filters=filters),
    ):
        frame = frame.merge(part, on="campaign_id", how="left")
    counts = ["inspections", "enterprises", "findings", "repeats", "due", "on_time", "checked", "failed"]
    frame[counts] = frame[counts].fillna(0).astype("int64")
    frame = stats.add_rate(frame, k="failed", n="checked")
    frame = stats.add_rate(frame, k="on_time", n="due", prefix="on_time_")
    frame["drill_url"] = [
        drill_url({**query, "campaign": c, "start": "2000-01", "end": "2099-12"}, kind="findings")
        for c in frame["campaign_id"]
    ]
    frame["prev_rate"] = frame["rate"].shift(1)
    frame["change_vs_previous"] = frame["rate"] - frame["prev_rate"]
    fig = charts.campaign_rates(frame)
    columns = [(_("Campaign"), ""), (_("Inspections"), "num"), (_("Enterprises"), "num"),
               (_("Violation rate"), "num"), (_("Change vs previous campaign"), "num"),
               (_("Findings"), "num"), (_("Repeat findings"), "num"), (_("On-time rectification"), "num")]
    rows = [[
        _cell(r.campaign),
        _cell(number_format(int(r.inspections), force_grouping=True)),
        _cell(number_format(int(r.enterprises), force_grouping=True)),
        _cell(rate_text(r.failed, r.checked, r.rate, r.lower, r.upper, r.small_sample)),
        _cell(_pp(r.change_vs_previous)),
        _cell(number_format(int(r.findings), force_grouping=True), url=r.drill_url,
              title=_("List these findings")),
        _cell(number_format(int(r.repeats), force_grouping=True)),
        _cell(rate_text(r.on_time, r.due, r.on_time_rate, r.on_time_lower, r.on_time_upper,
                        r.on_time_small_sample, on_time=True)),
    ] for r in frame.itertuples(index=False)]
    export = frame.drop(columns=["drill_url"]).rename(columns={"rate": "violation_rate"})
    notes = [_("Whole campaigns, oldest first; the period filter does not apply here."), _small_note()]
    return Dashboard("campaigns", _("Campaign versus campaign"), charts.figure_json(fig), columns,
                     rows, export, notes)


def _pp(value) -> str:
    if value is None or pd.isna(value):
        return "—"
    value = round(value * 1000) / 1000  # no "-0.0 pp"
    value = 0.0 if value == 0 else value
    sign = "+" if value > 0 else ""
    return _("%(sign)s%(value)s pp") % {"sign": sign, "value": number_format(value * 100, 1)}


def _delta(value, pct) -> str:
    if value is None or pd.isna(value):
        return "—"
    text = f"{'+' if value > 0 else ''}{number_format(int(value), force_grouping=True)}"
    if pct is not None and not pd.isna(pct):
        text += f" ({'+' if pct > 0 else ''}{number_format(pct * 100, 1)}%)"
    return text


# --- 7. month over month, year over year ------------------------------------------------

def trend(viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    # Reach back a year before the period so the first months have a YoY value.
    wide = AnalyticsFilters(
        start=(pd.Timestamp(filters.start) - pd.DateOffset(years=1)).date(), end=filters.end,
        campaign_id=filters.campaign_id, role=filters.role, district=filters.district,
        modality=filters.modality,
    )
    months = stats.month_range(wide.start, wide.end)
    found = stats.complete_months(
        sel.rollup_findings_monthly(viewer=viewer, filters=wide), months, by=None,
        fill={"findings": 0, "repeats": 0},
    )
    today = timezone.localdate()
    found = stats.period_deltas(stats.mark_partial(found, today=today), value="findings", kind="count",
                                include_partial=filters.include_partial)
    items = stats.complete_months(
        sel.violation_monthly(viewer=viewer, filters=wide), months, by=None,
        fill={"checked": 0, "failed": 0},
    )
    items = stats.add_rate(items, k="failed", n="checked")
    items = stats.period_deltas(stats.mark_partial(items, today=today), value="rate", kind="rate",
                                include_partial=filters.include_partial)
    frame = found.merge(
        items[["month", "checked", "failed", "rate", "lower", "upper", "small_sample",
               "mom_delta", "yoy_delta"]].rename(columns={
                   "mom_delta": "rate_mom_pp", "yoy_delta": "rate_yoy_pp"}),
        on="month",
    )
    frame = frame[frame["month"] >= pd.Timestamp(filters.start)].reset_index(drop=True)
    frame[["findings", "repeats", "checked", "failed"]] = frame[
        ["findings", "repeats", "checked", "failed"]].astype("int64")
    frame["drill_url"] = [drill_url(query, kind="findings", **_month_point(m)) for m in frame["month"]]
    fig = charts.monthly_comparison(frame, value="findings",
                                    title=_("Findings per month, against the same month last year"),
                                    y_title=_("Findings"))
    columns = [(_("Month"), ""), (_("Findings"), "num"), (_("Month over month"), "num"),
               (_("Year over year"), "num"), (_("Violation rate"), "num"),
               (_("Rate MoM"), "num"), (_("Rate YoY"), "num")]
    rows = [[
        _cell(_month_text(r.month, r.partial)),
        _cell(number_format(int(r.findings), force_grouping=True), url=r.drill_url,
              title=_("List these findings")),
        _cell(_delta(r.mom_delta, r.mom_pct)),
        _cell(_delta(r.yoy_delta, r.yoy_pct)),
        _cell(rate_text(r.failed, r.checked, r.rate, r.lower, r.upper, r.small_sample)),
        _cell(_pp(r.rate_mom_pp)),
        _cell(_pp(r.rate_yoy_pp)),
    ] for r in frame.itertuples(index=False)]
    export = frame.drop(columns=["drill_url"]).rename(columns={
        "prev_month": "findings_prev_month", "last_year": "findings_last_year",
        "mom_delta": "findings_mom", "yoy_delta": "findings_yoy", "mom_pct": "findings_mom_pct",
        "yoy_pct": "findings_yoy_pct", "rate": "violation_rate"})
    notes = [*_partial_note(frame, compared=True, include_partial=filters.include_partial),
             _("Changes in the violation rate are in percentage points (pp)."), _small_note()]
    return Dashboard("trend", _("Month over month and year over year"), charts.figure_json(fig),
                     columns, rows, export, notes)


# --- 8. by origin ----------------------------------------------------------------------

def origins(viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    frame = sel.origin_counts(viewer=viewer, filters=filters)
    columns = [(_("Origin"), ""), (_("Inspections"), "num"), (_("Completed"), "num"),
               (_("Findings"), "num")]
    rows = [[
        _cell(r.label), _cell(number_format(int(r.inspections), force_grouping=True)),
        _cell(number_format(int(r.completed), force_grouping=True)),
        _cell(number_format(int(r.findings), force_grouping=True)),
    ] for r in frame.itertuples(index=False)]
    notes = [_("Inspections planned in the period and findings recorded in it. Only random-draw "
               "inspections are 双随机 and published as such; targeted inspections and "
               "re-verifications are counted apart.")]
    return Dashboard("origins", _("Inspections and findings by origin"), None, columns, rows,
                     frame.drop(columns=["label"]), notes)


DASHBOARDS: dict[str, Spec] = {
    spec.slug: spec for spec in [
        Spec("violations", gettext_lazy("Violation rate"),
             gettext_lazy("Sampled items failing a check, per month, with Wilson intervals (95%)."), violations),
        Spec("ontime", gettext_lazy("On-time rectification"),
             gettext_lazy("Share of findings closed by their deadline."), on_time),
        Spec("rectification", gettext_lazy("Time to rectify"),
             gettext_lazy("Median and 90th percentile in working days, by severity."), rectification),
        Spec("repeat", gettext_lazy("Repeat offenders"),
             gettext_lazy("Enterprises repeating a violation found in an earlier campaign."), repeat),
        Spec("codes", gettext_lazy("Top issue codes"),
             gettext_lazy("The most frequent issue codes, month by month."), codes),
        Spec("campaigns", gettext_lazy("Campaign versus campaign"),
             gettext_lazy("Violation and on-time rates of each campaign."), campaigns),
        Spec("trend", gettext_lazy("Month over month, year over year"),
             gettext_lazy("Findings and violation rate against last month and last year."), trend),
        Spec("origins", gettext_lazy("By origin"),
             gettext_lazy("Random draw, targeted (tip-off, referral, decision) and re-verification, "
                          "counted apart."), origins),
    ]
}


def build(slug: str, *, viewer: User, filters: AnalyticsFilters, query: dict, by: str | None = None) -> Dashboard:
    dashboard = DASHBOARDS[slug].build(viewer, filters, query, by)
    if slug != "violations":
        dashboard.notes.insert(0, _findings_state_note())
    for row in dashboard.rows:
        for cell, (_label, css) in zip(row, dashboard.columns):
            cell["css"] = css
    return dashboard


# --- scorecard ------------------------------------------------------------------------

@dataclass
class Scorecard:
    counts: dict
    on_time_text: str
    durations: pd.DataFrame
    categories: pd.DataFrame
    trend: pd.DataFrame
    trend_rows: list
    figure: dict
    trend_direction: str
    export: pd.DataFrame


TREND_WORDS = {
    stats.TREND_WORSE: lambda: _("worsening"),
    stats.TREND_BETTER: lambda: _("improving"),
    stats.TREND_NONE: lambda: _("no significant change"),
    stats.TREND_SMALL: lambda: _("sample too small to tell"),
}


def trend_direction(frame: pd.DataFrame) -> str:
    """
    The trend of the violation rate between the last two whole months with
    observations, in words only a significant change earns (stats.rate_change:
    the two 95 % Wilson intervals do not overlap); the unfinished month is
    never one of the two.
    """
    whole = frame[~frame["partial"]] if "partial" in frame.columns else frame
    recent = whole.dropna(subset=["rate"]).sort_values("month").tail(2)
    if len(recent) < 2:
        return ""
    before, after = recent.iloc[0], recent.iloc[1]
    verdict = stats.rate_change(before["failed"], before["checked"], after["failed"], after["checked"])
    return _("%(word)s (%(change)s, %(then)s to %(now)s; %(test)s)") % {
        "word": TREND_WORDS[verdict](), "change": _pp(after["rate"] - before["rate"]),
        "then": _month_text(before["month"]), "now": _month_text(after["month"]),
        "test": _("changes count only when the two 95%% Wilson intervals do not overlap, "
                  "each month with at least %(n)s items") % {"n": stats.SMALL_SAMPLE},
    }


def scorecard(viewer: User, enterprise) -> Scorecard:
    counts = sel.scorecard_counts(viewer=viewer, enterprise=enterprise)
    ot = stats.add_rate(pd.DataFrame([{"k": counts["on_time"], "n": counts["due"]}]), k="k", n="n").iloc[0]
    holidays, makeup = sel.calendar_exceptions()
    durations = stats.rectification_times(
        sel.scorecard_durations(viewer=viewer, enterprise=enterprise),
        holidays=holidays, makeup_days=makeup,
    )
    durations["label"] = durations["severity"].map(_labels(Severity.choices))
    cats = sel.scorecard_findings_by_category(viewer=viewer, enterprise=enterprise)
    cat_labels = _labels(IssueCategory.choices)
    cats["label"] = cats["category"].map(lambda c: f"{c} {cat_labels.get(c, '')}")
    trend_frame = stats.mark_partial(stats.scorecard_trend(
        sel.scorecard_violation_monthly(viewer=viewer, enterprise=enterprise)
    ), today=timezone.localdate())
    fig = charts.rate_over_time(trend_frame, title=_("Violation rate of sampled items"),
                                y_title=_("Items failing / items checked"))
    direction = trend_direction(trend_frame)
    trend_rows = [[
        _cell(_month_text(r.month, r.partial)), _cell(number_format(int(r.checked), force_grouping=True)),
        _cell(number_format(int(r.failed), force_grouping=True)),
        _cell(rate_text(r.failed, r.checked, r.rate, r.lower, r.upper, r.small_sample)),
    ] for r in trend_frame.itertuples(index=False)]
    export = trend_frame.rename(columns={"rate": "violation_rate"})
    return Scorecard(
        counts=counts,
        on_time_text=rate_text(ot["k"], ot["n"], ot["rate"], ot["lower"], ot["upper"], ot["small_sample"],
                               on_time=True),
        durations=durations, categories=cats.sort_values("findings", ascending=False),
        trend=trend_frame, trend_rows=trend_rows, figure=charts.figure_json(fig),
        trend_direction=direction, export=export,
    )
