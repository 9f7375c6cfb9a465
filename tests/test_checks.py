"""Truncation warnings: lead-ins whose list never came, and texts that stop mid-sentence."""

from __future__ import annotations

import pytest

from audit.checks import find_warnings

PARA = (
    "The ministry published its annual report on rail safety on Tuesday. Accidents fell for the third "
    "year in a row, and most regions met their targets."
)
PROSE = (
    "Despite the progress, unions warned that staff shortages remain a serious risk for night services "
    "and called for more recruitment."
)


def _flagged(text: str) -> list[str]:
    return [text[w["start"] : w["end"]] for w in find_warnings(text)]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        (f"{PARA} For example:\n{PROSE}", ["For example:"]),
        (f"{PARA} Here is how it works:", ["Here is how it works:"]),
        (f"{PARA}\nThe report lists three causes:", ["The report lists three causes:"]),
        (f"{PARA} In short:\nMarket Outlook\n{PROSE}", ["In short:"]),
        (
            "Das Ministerium hat am Dienstag seinen Bericht vorgelegt. Die Zahl der Unfälle sank erneut. "
            "Zum Beispiel:\nTrotz der Fortschritte warnen die Gewerkschaften vor Personalmangel im Nachtverkehr "
            "und fordern mehr Neueinstellungen in allen Regionen.",
            ["Zum Beispiel:"],
        ),
        (
            f"{PARA}\n{PROSE[:-1]} and that the government",
            [
                "Despite the progress, unions warned that staff shortages remain a serious risk for night services and called for more recruitment and that the government"
            ],
        ),
    ],
)
def test_truncation_is_flagged(text: str, flagged: list[str]) -> None:
    warnings = find_warnings(text)
    assert _flagged(text) == flagged
    assert all(w["kind"] == "truncation" and w["message"] for w in warnings)


@pytest.mark.parametrize(
    "text",
    [
        f"{PARA} For example:\n- Region A cut accidents by half.\n- Region B met every target.",
        f"{PARA} For instance:\n1. Region A\n2. Region B",
        f"{PARA} The minister said:\n“We are proud of the staff.”",
        f"{PARA} Three regions stood out:\nNorth: best record.\nSouth: most improved.",
        # A single-sentence colon line is a heading-like statement, not a dangling lead-in.
        f"China far ahead in patent applications:\n{PROSE}",
        f"{PARA}\n— Jane Doe",
        f"{PARA} Great news! 🚆",
        f"{PARA}\nhttps://example.com/report",
        "",
    ],
)
def test_complete_text_is_not_flagged(text: str) -> None:
    assert find_warnings(text) == []


def test_chinese_text_ending_mid_sentence_is_flagged() -> None:
    text = "铁路部门周二发布了年度安全报告。事故数量连续第三年下降，大多数地区实现了目标，但工会警告说夜间服务人员短缺仍然是"
    warnings = find_warnings(text)
    assert len(warnings) == 1
    assert text[warnings[0]["start"] : warnings[0]["end"]].endswith("仍然是")


def test_warnings_are_sorted_and_in_bounds() -> None:
    text = f"{PARA} For example:\n{PROSE}\n{PARA} As follows:"
    warnings = find_warnings(text)
    assert len(warnings) == 2
    assert [w["start"] for w in warnings] == sorted(w["start"] for w in warnings)
    assert all(0 <= w["start"] < w["end"] <= len(text) for w in warnings)
