"""Main-content extraction: trafilatura's article with our line layout, the page's date claims, the fallback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from audit.charset import decode_bytes
from audit.decode import Decoded, decode_source
from audit.extract import HTMLDATE_KEY, LATEST_PLAUSIBLE_DATE, MIN_MAIN_CHARS, TIME_KEY, extract_main_text
from audit.html_text import extract_block_text, parse_html
from audit.types import Source

TE = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "trafilatura-eval"

PARAGRAPH = (
    "The regional parliament voted on Wednesday to expand the night train network, adding direct "
    "connections to three neighbouring countries from next spring, the transport minister said. "
)


def _te_page(page_id: str) -> tuple[str, dict[str, object]]:
    entries = [
        json.loads(line) for line in (TE / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    entry = next(e for e in entries if e["id"] == page_id)
    decoded = decode_bytes((TE / entry["html_file"]).read_bytes(), html=True, notes=[])
    assert not isinstance(decoded, Exception) and isinstance(decoded, tuple)
    return decoded[0], entry


def _article(body: str) -> str:
    return (
        "<html><head><title>Night trains</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a> | <a href='/sport'>Sport</a></nav>"
        f"<article><h1>Night trains return</h1>{body}</article>"
        "<footer>© 2025 Example Media. All rights reserved. Imprint | Privacy</footer></body></html>"
    )


def test_article_paragraphs_lists_and_tables_keep_their_lines() -> None:
    page = _article(
        f"<p>{PARAGRAPH * 2}</p><p>{PARAGRAPH}</p>"
        "<ul><li>Berlin to Paris</li><li>Vienna to Rome</li></ul>"
        "<table><tr><td>Line</td><td>Start</td></tr><tr><td>NJ 40424</td><td>2026</td></tr></table>"
        f"<p>{PARAGRAPH}</p>"
    )
    result = extract_main_text(page)
    assert result.extractor == "trafilatura"
    lines = result.text.split("\n")
    assert "• Berlin to Paris" in lines and "• Vienna to Rome" in lines
    assert "Line\tStart" in lines and "NJ 40424\t2026" in lines
    assert "\n\n" in result.text  # paragraphs are separated by a blank line
    assert "Home" not in result.text and "All rights reserved" not in result.text


def test_a_snippet_page_falls_back_to_the_block_walker() -> None:
    # trafilatura's rescue would dump the menu with the sentence; the walker drops <nav>.
    page = "<!DOCTYPE html>\n<html><body><nav>Home | About</nav><p>Saved as text.</p></body></html>"
    result = extract_main_text(page)
    assert (result.text, result.extractor) == ("Saved as text.", "blocks")
    assert len(result.text) < MIN_MAIN_CHARS


def test_a_page_without_readable_text_gives_no_text() -> None:
    page = "<html><body><nav><a href='/'>Home</a></nav><script>track()</script></body></html>"
    assert extract_main_text(page).text == ""


def test_decode_uses_the_extractor_for_html() -> None:
    raw = _article(f"<p>{PARAGRAPH * 3}</p>").encode("utf-8")
    result = decode_source(Source("trains", "trains.html", raw, "html"))
    assert isinstance(result, Decoded)
    assert result.format == "html"
    assert result.text.startswith("Night trains return\n\nThe regional parliament voted")
    assert result.meta["title"] == "Night trains"
    # The only date on the page is its copyright year: not a publication date.
    assert "meta" not in result.meta


def test_date_claims_keep_their_keys_for_provenance() -> None:
    """Each date the page declares comes with the key that declared it, htmldate's guess under its own."""
    html, entry = _te_page("d7c3a706e541")  # libero.pe: JSON-LD dates and a <time>
    meta = extract_main_text(html).meta
    claims = meta["meta"]
    assert isinstance(claims, dict)
    assert claims["datepublished"] == ["2022-05-07T13:43:46-05:00"]
    assert TIME_KEY in claims and HTMLDATE_KEY in claims
    assert list(claims) == sorted(claims)
    assert "date" not in meta  # no undifferentiated date: provenance weighs the keyed claims
    assert entry["date"] == "2022-05-07"


def test_real_page_main_text_keeps_the_gold_snippets() -> None:
    html, _ = _te_page("0531144f75b5")  # a podcast page in German
    result = extract_main_text(html)
    assert result.extractor == "trafilatura"
    text = " ".join(result.text.split())
    assert "Kathrin Göbel (Twitter) ist" in text
    assert "Und bitte entschuldigt den Helium-Fehler" in text
    assert result.meta["title"] == "RES158 Sternfusion am Teilchenbeschleuniger"
    # The skip link and the privacy notice of the page are not the article.
    whole = extract_block_text(parse_html(html))
    for chrome in ("Zum Inhalt springen", "Datenschutzerklärung"):
        assert chrome in whole and chrome not in result.text


def test_extraction_is_deterministic_and_date_bounded() -> None:
    html, _ = _te_page("0531144f75b5")
    assert extract_main_text(html) == extract_main_text(html)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", LATEST_PLAUSIBLE_DATE)


@pytest.mark.parametrize(
    "markup",
    [
        "<html><body><p>Unclosed <b>bold<div>inner</p></span>tail",
        "<div>" * 5_000 + "deep text" + "</div>" * 5_000,
        "<p>\ud800 lone surrogate and text</p>",
        "",
    ],
    ids=["malformed", "deep", "surrogate", "empty"],
)
def test_odd_markup_never_raises(markup: str) -> None:
    result = extract_main_text(markup)
    assert isinstance(result.text, str)
