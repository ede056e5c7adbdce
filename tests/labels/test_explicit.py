"""Explicit labels in text samples (EXP-03)."""

from __future__ import annotations

import pytest

from inspections.labels import check_explicit_text


@pytest.mark.parametrize(
    "text",
    [
        "本内容由AI生成",
        "本节目由AI合成",
        "本文由人工智能生成。" + "正文" * 200,
        "正文" * 200 + "（以上内容由AI合成）",
        "本内容由ＡＩ生成",  # full-width AI
    ],
)
def test_it_passes_a_prompt_with_both_elements_at_the_start_or_end(text: str) -> None:
    result = check_explicit_text(text)
    assert result.passed is True
    assert result.findings == []


@pytest.mark.parametrize(
    "text",
    ["AI播客", "本内容由MAIL生成", "", "人工智能" + "正文" * 100 + "生成"],
)
def test_it_fails_without_both_elements_together(text: str) -> None:
    result = check_explicit_text(text)
    assert result.passed is False
    assert [finding.rule for finding in result.findings] == ["EXP-03"]


def test_it_reports_where_the_prompt_was_found() -> None:
    assert check_explicit_text("本内容由AI生成" + "x" * 100).position == "start"
    assert check_explicit_text("x" * 100 + "本内容由AI生成").position == "end"


def test_it_names_the_missing_element() -> None:
    message = check_explicit_text("AI播客").findings[0].message
    assert "生成" in message and "人工智能" not in message
