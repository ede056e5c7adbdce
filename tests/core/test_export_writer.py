"""The one export writer: formula-safe, for people by default, codes when asked."""

import csv
import datetime
import io
import zoneinfo

import openpyxl
import pandas as pd
import pytest
from django.utils import translation

from core import export_writer as w

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

COLUMNS = [
    w.Column("name", "Name"),
    w.Column("severity", "Severity", w.CHOICE, choices={"high": "高", "medium": "中"}),
    w.Column("repeat", "Repeat", w.BOOL),
    w.Column("created_at", "Recorded", w.DATETIME),
    w.Column("deadline", "Deadline", w.DATE),
    w.Column("rate", "Rate", w.PERCENT),
    w.Column("count", "Count", w.NUMBER),
]
ROW = {
    "name": "星河智能", "severity": "high", "repeat": True,
    "created_at": datetime.datetime(2026, 12, 3, 6, 5, 9, 123456, tzinfo=datetime.UTC),
    "deadline": datetime.date(2026, 12, 20), "rate": 0.125, "count": -3,
}


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a CSV starts with a byte-order mark for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_csv_for_people_shows_labels_local_minutes_percentages_and_yes_no():
    rows = read_csv(w.write_csv(COLUMNS, [ROW]))
    assert rows[0] == ["Name", "Severity", "Repeat", "Recorded", "Deadline", "Rate", "Count"]
    assert rows[1] == ["星河智能", "高", "是", "2026-12-03 14:05", "2026-12-20", "12.5%", "-3"]


def test_csv_machine_variant_keeps_codes_and_iso_times():
    rows = read_csv(w.write_csv(COLUMNS, [ROW], machine=True))
    assert rows[0] == ["name", "severity", "repeat", "created_at", "deadline", "rate", "count"]
    assert rows[1] == ["星河智能", "high", "true", "2026-12-03T14:05:09+08:00", "2026-12-20",
                       "0.125", "-3"]


def test_xlsx_for_people_has_typed_cells_and_readable_values():
    sheet = read_xlsx(w.write_xlsx(COLUMNS, [ROW], sheet_title="发现问题"))
    assert sheet.title == "发现问题"
    header, row = list(sheet.iter_rows(values_only=True))
    assert header == ("Name", "Severity", "Repeat", "Recorded", "Deadline", "Rate", "Count")
    assert row[:3] == ("星河智能", "高", "是")
    assert row[3] == datetime.datetime(2026, 12, 3, 14, 5, 9)  # local, no microseconds
    assert row[4] == datetime.datetime(2026, 12, 20)
    assert row[5] == 0.125
    assert sheet.cell(2, 6).number_format == "0.0%"
    assert sheet.cell(2, 4).number_format == "yyyy-mm-dd hh:mm"
    assert row[6] == -3


def test_xlsx_machine_variant_keeps_codes():
    sheet = read_xlsx(w.write_xlsx(COLUMNS, [ROW], machine=True))
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[1] == "severity"
    assert row[1:4] == ("high", "true", "2026-12-03T14:05:09+08:00")


@pytest.mark.parametrize("payload", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
                                     "\t=1", "\r=1", '=HYPERLINK("http://x","y")'])
def test_formulas_are_escaped_in_both_formats_and_variants(payload):
    row = {"name": payload, "severity": payload}
    for machine in (False, True):
        assert read_csv(w.write_csv(COLUMNS, [row], machine=machine))[1][:2] == ["'" + payload] * 2
        sheet = read_xlsx(w.write_xlsx(COLUMNS, [row], machine=machine))
        for cell in (sheet.cell(2, 1), sheet.cell(2, 2)):
            assert cell.data_type == "s"
            assert cell.value == "'" + payload


def test_header_and_harmless_text_are_not_changed():
    columns = [w.Column("a", "=evil header")]
    rows = read_csv(w.write_csv(columns, [{"a": "a=b"}, {"a": "中-文"}]))
    assert rows == [["'=evil header"], ["a=b"], ["中-文"]]


def test_empty_values_are_empty_cells():
    row = {**dict.fromkeys(ROW), "name": "x"}
    assert read_csv(w.write_csv(COLUMNS, [row]))[1] == ["x"] + [""] * (len(COLUMNS) - 1)
    sheet = read_xlsx(w.write_xlsx(COLUMNS, [row]))
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [("x",) + (None,) * 6]


def test_pandas_frames_write_nan_as_empty_and_numpy_values_as_numbers():
    frame = pd.DataFrame({"rate": [0.5, float("nan")], "count": [1, 2],
                          "repeat": [True, False],
                          "created_at": [pd.Timestamp("2026-12-01T00:00:00.5Z"), pd.NaT]})
    rows = read_csv(w.write_csv(COLUMNS, w.frame_records(frame)))
    assert [r[2:] for r in rows[1:]] == [["是", "2026-12-01 08:00", "", "50.0%", "1"],
                                         ["否", "", "", "", "2"]]
    sheet = read_xlsx(w.write_xlsx(COLUMNS, w.frame_records(frame)))
    assert sheet.cell(2, 7).value == 1


def test_english_headers_follow_the_active_language():
    from django.utils.translation import gettext_lazy

    columns = [w.Column("repeat", gettext_lazy("yes"), w.BOOL)]
    with translation.override("en"):
        assert read_csv(w.write_csv(columns, [{"repeat": False}])) == [["yes"], ["no"]]


def test_a_large_csv_is_streamed_in_pieces_with_one_byte_order_mark():
    pieces = list(w.iter_csv(COLUMNS[:1], ({"name": str(i)} for i in range(1200))))
    assert len(pieces) == 3
    assert sum(p.startswith(b"\xef\xbb\xbf") for p in pieces) == 1
    assert len(read_csv(b"".join(pieces))) == 1201


def test_unknown_format_and_kind_are_refused():
    with pytest.raises(ValueError):
        w.write("pdf", COLUMNS, [])
    with pytest.raises(ValueError):
        w.Column("x", "X", "colour")
