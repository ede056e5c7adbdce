"""
Statistics for the analytics dashboards: pure pandas and numpy.

Every function takes DataFrames (or arrays) already aggregated by the
database and returns DataFrames; nothing here touches the ORM, so each rule
is tested on literal frames (tests/reports/analytics/test_stats.py).
"""

import numpy as np
import pandas as pd

from inspections.sampling import Z95  # the one 95 % quantile (the scalar interval's too)

# Below this many observations a rate is flagged as a small sample: the
# Wilson interval is then wider than ±~18 percentage points.
SMALL_SAMPLE = 30


def wilson_interval(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """
    Return the Wilson score interval (lower, upper) for k successes in n
    trials, element-wise. n == 0 gives NaN: there is no rate to bound.
    """
    k = np.asarray(k, dtype="float64")
    n = np.asarray(n, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        z2 = z * z
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
        lower = np.clip(centre - half, 0, 1)
        upper = np.clip(centre + half, 0, 1)
    empty = n <= 0
    lower = np.where(empty, np.nan, lower)
    upper = np.where(empty, np.nan, upper)
    return lower, upper


def add_rate(
    frame: pd.DataFrame, *, k: str, n: str, prefix: str = "", small: int = SMALL_SAMPLE
) -> pd.DataFrame:
    """
    Add `rate`, `lower`, `upper` (Wilson 95 %) and `small_sample` columns for
    k out of n (names prefixed with `prefix`).
    """
    out = frame.copy()
    kk = out[k].astype("float64").to_numpy()
    nn = out[n].astype("float64").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(nn > 0, kk / nn, np.nan)
    lower, upper = wilson_interval(kk, nn)
    out[f"{prefix}rate"] = rate
    out[f"{prefix}lower"] = lower
    out[f"{prefix}upper"] = upper
    out[f"{prefix}small_sample"] = nn < small
    return out


def month_range(start: pd.Timestamp, end: pd.Timestamp) -> pd.DatetimeIndex:
    """First days of every month from start's month to end's month."""
    return pd.date_range(
        pd.Timestamp(start).to_period("M").to_timestamp(),
        pd.Timestamp(end).to_period("M").to_timestamp(),
        freq="MS",
    )


def complete_months(
    frame: pd.DataFrame, months: pd.DatetimeIndex, *, by: str | None, fill: dict
) -> pd.DataFrame:
    """
    Reindex a monthly frame so that every month (and, with `by`, every month
    of every group) appears, missing counts filled from `fill`, so charts
    show gaps as zero observations rather than joining distant points.
    """
    frame = frame.copy()
    frame["month"] = pd.to_datetime(frame["month"])
    if by is None:
        full = pd.DataFrame({"month": months})
    else:
        groups = frame[by].drop_duplicates().sort_values().tolist()
        full = pd.MultiIndex.from_product([months, groups], names=["month", by]).to_frame(
            index=False
        )
    keys = ["month"] if by is None else ["month", by]
    merged = full.merge(frame, on=keys, how="left")
    for column, value in fill.items():
        merged[column] = merged[column].fillna(value)
    return merged


def working_days(
    start, end, *, holidays=(), makeup_days=()
) -> np.ndarray:
    """
    Count working days after `start` up to and including `end`, element-wise,
    on the official calendar: Monday–Friday, minus statutory holidays that
    fall on weekdays, plus make-up working days (调休) that fall on weekends.
    Negative when end is before start, like inspections.workdays.

    Same rule as `inspections.workdays.working_days_between`, vectorised with
    numpy's business-day counter so a whole column is counted at once.
    """
    begin = np.asarray(pd.to_datetime(pd.Series(start)).to_numpy(), dtype="datetime64[D]") + 1
    stop = np.asarray(pd.to_datetime(pd.Series(end)).to_numpy(), dtype="datetime64[D]") + 1
    # numpy counts the half-open [begin, stop); order each pair so that a
    # backwards span counts the same days as a forwards one, then sign it.
    sign = np.where(stop < begin, -1, 1)
    lo, hi = np.minimum(begin, stop), np.maximum(begin, stop)
    hol = np.asarray(sorted(holidays), dtype="datetime64[D]")
    count = np.busday_count(lo, hi, holidays=hol)
    make = np.sort(np.asarray(list(makeup_days), dtype="datetime64[D]"))
    if make.size:
        count = count + np.searchsorted(make, hi, side="left") - np.searchsorted(make, lo, side="left")
    return (sign * count).astype("int64")


def weighted_quantile(values, weights, q: float) -> float:
    """
    The q-quantile of values repeated `weights` times, as the smallest value
    whose cumulative share reaches q (numpy's "inverted_cdf" method), so
    medians of working days are whole days actually observed.
    """
    values = np.asarray(values, dtype="float64")
    weights = np.asarray(weights, dtype="float64")
    keep = weights > 0
    values, weights = values[keep], weights[keep]
    if values.size == 0:
        return float("nan")
    order = np.argsort(values, kind="stable")
    values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights)
    index = np.searchsorted(cumulative, q * cumulative[-1] - 1e-9, side="left")
    return float(values[min(index, values.size - 1)])


def rectification_times(
    frame: pd.DataFrame, *, holidays=(), makeup_days=(), by: str = "severity"
) -> pd.DataFrame:
    """
    Median and 90th percentile of time to rectify, in working days, per
    group. `frame` has one row per (group, start date, end date) with the
    number `n` of findings sharing them.
    """
    if frame.empty:
        return rectification_times_from_days(pd.DataFrame(columns=[by, "days", "n"]), by=by)
    data = frame.copy()
    data["days"] = working_days(
        data["start"], data["end"], holidays=holidays, makeup_days=makeup_days
    ).clip(min=0)
    return rectification_times_from_days(data, by=by)


def rectification_times_from_days(frame: pd.DataFrame, *, by: str = "severity") -> pd.DataFrame:
    """
    The same statistics from a histogram: one row per (group, working days)
    with the number `n` of findings that took that long (the shape of the
    time-to-rectify roll-up). Quantiles of a histogram are exact.
    """
    columns = [by, "findings", "median", "p90", "mean"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for key, group in frame.groupby(by, sort=True):
        weights = group["n"].to_numpy(dtype="float64")
        days = group["days"].to_numpy(dtype="float64")
        if weights.sum() <= 0:
            continue
        rows.append({
            by: key,
            "findings": int(weights.sum()),
            "median": weighted_quantile(days, weights, 0.5),
            "p90": weighted_quantile(days, weights, 0.9),
            "mean": float(np.average(days, weights=weights)),
        })
    return pd.DataFrame(rows, columns=columns)


def mark_partial(frame: pd.DataFrame, *, today) -> pd.DataFrame:
    """
    Add a `partial` column: True for a month that has not ended by `today`
    (the current month), whose few days of data are not a month's figure.
    """
    out = frame.copy()
    current = pd.Timestamp(today).to_period("M").to_timestamp()
    out["partial"] = (pd.to_datetime(out["month"]) >= current).astype(bool)
    return out


def period_deltas(frame: pd.DataFrame, *, value: str, kind: str = "count",
                  include_partial: bool = False) -> pd.DataFrame:
    """
    Add month-over-month and year-over-year comparisons of `value` to a
    frame with one row per month (`month` column, first day of the month):
    the previous month's and the same month last year's value, and the
    change. For kind="rate" the change is in percentage points (rate
    difference); for counts it is absolute, plus the relative change.
    A month marked `partial` (mark_partial) is neither compared nor a
    comparison's base unless `include_partial`: a few days against a whole
    month read as a collapse or a spike that did not happen.
    """
    out = frame.copy()
    if "partial" in out.columns and not include_partial:
        partial = out["partial"].fillna(False).astype(bool).to_numpy()
        out[value] = out[value].astype("float64").where(~partial)
    out["month"] = pd.to_datetime(out["month"])
    lookup = out.set_index("month")[value]
    # As floats: an empty period's frame holds objects, and Python ints
    # divided by zero raise instead of giving NaN.
    prev = lookup.reindex(out["month"] - pd.DateOffset(months=1)).to_numpy(dtype="float64")
    last_year = lookup.reindex(out["month"] - pd.DateOffset(years=1)).to_numpy(dtype="float64")
    out["prev_month"] = prev
    out["last_year"] = last_year
    current = out[value].astype("float64").to_numpy()
    out["mom_delta"] = current - prev
    out["yoy_delta"] = current - last_year
    if kind == "count":
        with np.errstate(divide="ignore", invalid="ignore"):
            out["mom_pct"] = np.where(prev > 0, (current - prev) / prev, np.nan)
            out["yoy_pct"] = np.where(last_year > 0, (current - last_year) / last_year, np.nan)
    out[value] = frame[value]
    return out


# How a change between two rates is judged, in people's words.
TREND_SMALL = "small_sample"
TREND_NONE = "no_significant_change"
TREND_WORSE = "worsening"
TREND_BETTER = "improving"


def rate_change(k1, n1, k2, n2, *, small: int = SMALL_SAMPLE) -> str:
    """
    Whether the rate k2/n2 differs from k1/n1 beyond chance: a small sample
    when either rests on fewer than `small` observations, a real change
    (worsening up, improving down) only when the two 95 % Wilson intervals
    do not overlap, else no significant change. Non-overlapping intervals
    are a conservative test (stricter than a two-proportion z-test at 5 %),
    so a word people act on is never noise.
    """
    if not n1 or not n2 or n1 < small or n2 < small:
        return TREND_SMALL
    (lo1, lo2), (up1, up2) = wilson_interval([k1, k2], [n1, n2])
    if lo2 > up1:
        return TREND_WORSE
    if up2 < lo1:
        return TREND_BETTER
    return TREND_NONE


def top_codes(frame: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """
    Keep the `top` issue codes by total findings in a (month, issue_code,
    findings) frame; ties are broken by code so the order is stable.
    """
    if frame.empty:
        return frame.assign(rank=pd.Series(dtype="int64"))
    totals = (
        frame.groupby("issue_code", as_index=False)["findings"].sum()
        .sort_values(["findings", "issue_code"], ascending=[False, True])
        .head(top)
        .reset_index(drop=True)
    )
    totals["rank"] = totals.index + 1
    kept = frame[frame["issue_code"].isin(totals["issue_code"])]
    return kept.merge(totals[["issue_code", "rank"]], on="issue_code").sort_values(
        ["rank", "month"]
    ).reset_index(drop=True)


def melt_roles(frame: pd.DataFrame, roles: list[str]) -> pd.DataFrame:
    """
    Turn per-role columns `<role>__checked` and `<role>__failed` (one row per
    month) into long rows (month, role, checked, failed). An enterprise
    holding two roles counts under both, as it is answerable under each.
    """
    parts = []
    for role in roles:
        part = frame[["month", f"{role}__checked", f"{role}__failed"]].rename(
            columns={f"{role}__checked": "checked", f"{role}__failed": "failed"}
        )
        part.insert(1, "role", role)
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["month", "role", "checked", "failed"])
    out = pd.concat(parts, ignore_index=True)
    out[["checked", "failed"]] = out[["checked", "failed"]].fillna(0).astype("int64")
    return out


def scorecard_trend(frame: pd.DataFrame) -> pd.DataFrame:
    """
    Month-by-month violation rate of one enterprise, with the change since
    the previous observed month (its trend), from (month, checked, failed).
    """
    data = add_rate(frame.sort_values("month"), k="failed", n="checked")
    data["change"] = data["rate"].diff()
    return data.reset_index(drop=True)
