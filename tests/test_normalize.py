"""normalize_text: invisible noise goes, everything a reader sees stays, and it is idempotent."""

from __future__ import annotations

from pathlib import Path

import ftfy.badness
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.normalize import is_bad, normalize_text

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seeds_come_through_unchanged(path: Path) -> None:
    # The seeds are clean UTF-8 with no trailing spaces: normalizing must not touch a character.
    text = path.read_text(encoding="utf-8")
    assert normalize_text(text) == text


def test_seed_bullets_and_indentation_survive() -> None:
    text = (SEEDS / "000_d33a64e44a47c077.txt").read_text(encoding="utf-8")
    bullet_lines = [line for line in normalize_text(text).split("\n") if line.lstrip().startswith("•")]
    assert len(bullet_lines) >= 10
    assert "🇨🇳" in normalize_text(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc\u2028d\u2029e", "a\nb\nc\nd\ne"),
        ("page\x0cbreak\x0bvt", "page\nbreak\nvt"),
        ("trailing   \nspaces\t\t\nend  ", "trailing\nspaces\nend"),
        ("  • indented bullet\n\tcode", "  • indented bullet\n\tcode"),
        ("two  spaces inside", "two  spaces inside"),
    ],
)
def test_newlines_and_spacing(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zero\u200bwidth", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("mid\ufeffBOM and \ufeffstart", "midBOM and start"),
        ("\u202eevil\u202c and \u2066isolated\u2069", "evil and isolated"),
        ("mark\u200e and \u200fRLM", "mark and RLM"),
        ("word\u2060joiner", "wordjoiner"),
        ("nul\x00 bell\x07 del\x7f", "nul bell del"),
        ("colour \x1b[31mred\x1b[0m", "colour red"),
        ("ASCII smuggling\U000e0041\U000e0042", "ASCII smuggling"),
        ("Latin\u200cjoiner\u200dgone", "Latinjoinergone"),
    ],
)
def test_invisible_characters_are_removed(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "👨\u200d👩\u200d👧 family emoji",
        "👩🏽\u200d💻 with a skin tone",
        "🏳\ufe0f\u200d🌈 flag with VS16",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",
        "می\u200cخواهم (Persian ZWNJ)",
        "क्\u200dष (Devanagari ZWJ)",
        "ශ්\u200dරී (Sinhala ZWJ)",
    ],
)
def test_joiners_that_shape_text_are_kept(text: str) -> None:
    assert normalize_text(text) == text


def test_c1_controls_are_read_as_cp1252() -> None:
    # Text that went cp1252 -> Latin-1 -> UTF-8 carries C1 controls where quotes were.
    assert normalize_text("It\x92s \x93quoted\x94 and \x91single\x92\x85") == "It’s “quoted” and ‘single’…"


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("cafÃ© crÃ¨me brÃ»lÃ©e", "café crème brûlée"),
        ("Itâ€™s a â€œtestâ€\x9d", "It’s a “test”"),
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€", "привет мир"),
        ("æ—¥æœ¬èªž", "日本語"),
    ],
)
def test_mojibake_is_repaired(broken: str, fixed: str) -> None:
    assert normalize_text(broken) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "“Curly quotes” and ‘single’ stay curly.",
        "Ｆｕｌｌｗｉｄｔｈ and ﬁ ligature stay.",
        "&amp; entities in plain text stay &lt;as written&gt;.",
        "Ünïcödé ok, Größe, naïve, façade.",
        "中文，日本語、한국어。",
        "Ελληνικά, русский, עברית, العربية",
    ],
)
def test_visible_text_is_not_rewritten(text: str) -> None:
    assert normalize_text(text) == text


def test_nfc_composes() -> None:
    assert normalize_text("cafe\u0301") == "caf\u00e9"


def test_lone_surrogates_become_replacement_characters() -> None:
    out = normalize_text("half \ud83d pair")
    assert out == "half \ufffd pair"
    out.encode("utf-8")  # always writable


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec=None), max_size=200))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


# Text built from the characters normalize treats specially, to hit their interactions.
_TRICKY = st.sampled_from(
    [
        *"aé e\u0301\n\r \t•😀👩🏽\u200d\u200c\u200b\u00ad\ufeff\u202e\u2066\x00\x1b[\x85\x92\x93Ã©â€™",
        *["\U000e0041", "🏴", "\U000e007f", "ب", "क", "्", "\u0301", "\u0323", "ᄀ", "ᅡ", "\u093c"],
        *["\ufe0f", "\ud800", "Ð¿", "\U0001f3fd"],
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(_TRICKY, max_size=40).map("".join))
def test_normalize_is_idempotent_on_tricky_mixtures(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    once.encode("utf-8")


# Characters from ftfy's mojibake categories and the plain text around them.
_MOJIBAKE_PARTS = st.sampled_from(
    [*"aZ .,?!\n\tÃÂÐÎâ€™œ\x9d\x85©®°²³µ·»«¡¿¢£¥§¶×÷ØÙàéöüÆŒœŠšŸžƒˆ˜–—‘’‚“”„†‡•…‰‹›™",
     *"ГўВЂРСабвёЁΑβΒΓΞΟάέ═║╬│┌█░√±∂≠≤≥≈ā", "ГўВЂВ.", "‚Äô", "Ã ", "Ã©"]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.lists(_MOJIBAKE_PARTS, max_size=30).map("".join), st.text(max_size=20))
def test_fast_badness_check_agrees_with_ftfy(core: str, padding: str) -> None:
    for text in (core, padding + core, core + padding, padding * 3 + core + padding * 3):
        assert is_bad(text) == ftfy.badness.is_bad(text), text


@pytest.mark.slow
def test_fast_badness_check_agrees_with_ftfy_on_75_languages(eval_dir: Path) -> None:
    for path in sorted((eval_dir / "lingua-testdata" / "sentences").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()[:300]
        for line in lines:
            assert is_bad(line) == ftfy.badness.is_bad(line), (path.name, line)
        # The same text seen through the classic UTF-8-as-cp1252 mistake.
        broken = "\n".join(lines[:50]).encode("utf-8").decode("cp1252", errors="replace")
        assert is_bad(broken) == ftfy.badness.is_bad(broken), path.name
