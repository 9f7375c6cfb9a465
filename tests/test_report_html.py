"""The HTML report, checked as a file and in a real headless Chromium.

The browser tests drive Debian's chromium through selenium and its chromedriver
(/usr/bin/chromedriver from the chromium-driver package; selenium downloads
nothing when given the driver's path). They skip only on a developer machine
without chromium; under CI (the CI variable set) a missing browser is a failure.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from helpers import RecordingTexts

from audit.report.html import CONTEXT_CHARS, iter_html
from audit.report.html_sections import MATRIX_MAX_DOCS

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,2000",
)


def render_html(report: dict[str, Any], cleaned: dict[str, str]) -> str:
    """The whole page as one string, as these tests read it (the tool writes it piece by piece)."""
    return "".join(iter_html(report, cleaned))


def load_fixture() -> tuple[dict[str, Any], dict[str, str]]:
    report = json.loads((FIXTURES / "report_small.json").read_text(encoding="utf-8"))
    cleaned = json.loads((FIXTURES / "report_small_cleaned.json").read_text(encoding="utf-8"))
    return report, cleaned


def hostile_report() -> tuple[dict[str, Any], dict[str, str]]:
    """Scraped text full of markup, CJK and an emoji (an astral code point) in the passage."""
    shared = (
        '模型 | 데이터 <script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> '
        "&amp; </mark></div> 🚀 "
    )
    a = "前文：" + shared + "後文"
    b = "<b>Intro</b>\n" + shared + "\nend"
    report = {
        "schema": "audit.overlap",
        "version": 1,
        "summary": {"documents": 2, "overlaps": {"verbatim": 1}},
        "documents": [
            {"id": "x<1>", "source": "in/<x>.html", "language": "zh", "status": "ok", "warnings": []},
            {"id": "y&2", "source": "in/y.txt", "language": "und", "status": "ok", "warnings": []},
        ],
        "overlaps": [
            {
                "a": {"id": "x<1>", "start": a.index(shared), "end": a.index(shared) + len(shared)},
                "b": {"id": "y&2", "start": b.index(shared), "end": b.index(shared) + len(shared)},
                "words": 12,
                "similarity": 1.0,
                "kind": "verbatim",
                "decided_by": "words>=30 & <script>",
                "source": "x<1>",
                "evidence": {"reason": "<i>earlier</i>", "confidence": 0.5, "a_date": None, "b_date": None},
            }
        ],
        "repeats": [],
    }
    return report, {"x<1>": a, "y&2": b}


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


# --- the file itself -------------------------------------------------------------------------


def test_page_is_self_contained() -> None:
    report, cleaned = load_fixture()
    html = render_html(report, cleaned)
    tags = parse_tags(html)
    assert not [tag for tag, _ in tags if tag in ("link", "img", "iframe", "object", "embed")]
    assert not [attrs for tag, attrs in tags if tag == "script" and "src" in attrs]
    hrefs = [attrs["href"] or "" for _, attrs in tags if "href" in attrs]
    assert hrefs
    assert all(href.startswith("#") for href in hrefs)
    assert "url(" not in html
    assert "@import" not in html
    policy = next(
        attrs["content"] for tag, attrs in tags if attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy is not None
    assert policy.startswith("default-src 'none';")


def test_page_is_complete_without_javascript() -> None:
    """With JS off only the filter is missing: it starts hidden, every overlap starts shown."""
    report, cleaned = load_fixture()
    tags = parse_tags(render_html(report, cleaned))
    fieldset = next(attrs for tag, attrs in tags if tag == "fieldset")
    assert "hidden" in fieldset
    articles = [attrs for tag, attrs in tags if tag == "article" and "overlap" in (attrs.get("class") or "")]
    assert len(articles) == len(report["overlaps"])
    assert not [attrs for attrs in articles if "hidden" in attrs]
    assert [attrs["data-kind"] for attrs in articles] == [o["kind"] for o in report["overlaps"]]


def test_output_is_deterministic_and_independent_of_key_order() -> None:
    report, cleaned = load_fixture()
    shuffled = copy.deepcopy(report)
    shuffled["summary"]["removed_by_rule"] = dict(
        reversed(list(report["summary"]["removed_by_rule"].items()))
    )
    shuffled["settings"] = dict(reversed(list(report["settings"].items())))
    first = render_html(report, cleaned)
    assert first == render_html(report, cleaned)
    assert first == render_html(shuffled, dict(reversed(list(cleaned.items()))))


def test_document_text_is_escaped() -> None:
    report, cleaned = hostile_report()
    html = render_html(report, cleaned)
    scripts = [attrs for tag, attrs in parse_tags(html) if tag == "script"]
    assert len(scripts) == 1  # the page's own filter script only
    assert "<script>window.pwned" not in html
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in html
    assert "<i>earlier</i>" not in html
    assert "&lt;i&gt;earlier&lt;/i&gt;" in html


def test_many_related_documents_get_a_pair_list_instead_of_a_matrix() -> None:
    count = MATRIX_MAX_DOCS + 2
    ids = [f"doc-{n:02d}" for n in range(count)]
    cleaned = {doc_id: f"{doc_id} says: the world leader in AI by 2030." for doc_id in ids}
    phrase = "the world leader in AI by 2030"
    start = len("doc-00 says: ")
    overlaps = [
        {
            "a": {"id": x, "start": start, "end": start + len(phrase)},
            "b": {"id": y, "start": start, "end": start + len(phrase)},
            "words": 7,
            "similarity": 1.0,
            "kind": "stock",
            "source": None,
        }
        for x, y in pairwise(ids)
    ]
    report = {"summary": {}, "documents": [{"id": d, "status": "ok"} for d in ids], "overlaps": overlaps}
    html = render_html(report, cleaned)
    assert 'class="matrix"' not in html
    assert "Too many documents for a matrix" in html
    assert html.count('href="#pair-') == count - 1
    assert html.count('<article class="overlap') == count - 1


def test_a_span_without_its_text_is_refused() -> None:
    report, cleaned = load_fixture()
    del cleaned["catching-up-blog"]
    with pytest.raises(ValueError, match="catching-up-blog"):
        render_html(report, cleaned)


def test_page_is_streamed_one_overlap_at_a_time() -> None:
    """The head (with its policy) comes before any text is read; no piece holds two overlaps."""
    report, cleaned = load_fixture()
    texts = RecordingTexts(cleaned)
    pieces = iter_html(report, texts)
    head = next(pieces)
    assert head.endswith("<body>\n") and "Content-Security-Policy" in head and not texts.read
    rest = list(pieces)
    assert "".join([head, *rest]) == render_html(report, cleaned)
    overlap_pieces = [piece for piece in rest if '<article class="overlap' in piece]
    assert len(overlap_pieces) == len(report["overlaps"])
    assert all(piece.count('<article class="overlap') == 1 for piece in overlap_pieces)


# --- in a real browser -----------------------------------------------------------------------


def require_browser(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it (apt: chromium chromium-driver; pip: selenium)")
    pytest.skip(f"{reason}; install chromium and chromium-driver (apt) and selenium (pip) to run this test")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        require_browser("headless browser test needs chromium and chromedriver, not found on PATH")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        require_browser("headless browser test needs the selenium package")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    try:
        yield driver
    finally:
        driver.quit()


def open_page(browser: Any, html: str, folder: Path) -> list[dict[str, Any]]:
    """Load the page from a file and return the console errors it produced."""
    path = folder / "overlap.html"
    path.write_text(html, encoding="utf-8")
    browser.get_log("browser")  # drop messages from earlier pages
    browser.get(path.as_uri())
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def shown_kinds(browser: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    articles = browser.find_elements(By.CSS_SELECTOR, "article.overlap")
    return [article.get_attribute("data-kind") for article in articles if article.is_displayed()]


def test_page_loads_without_errors_and_shows_every_overlap(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    report, cleaned = load_fixture()
    errors = open_page(browser, render_html(report, cleaned), tmp_path)
    assert errors == []
    assert shown_kinds(browser) == [overlap["kind"] for overlap in report["overlaps"]]
    assert browser.find_element(By.ID, "filter").is_displayed()  # the script ran (CSP hash matched)
    assert browser.find_element(By.ID, "filter-status").text == "Showing 5 of 5 overlaps."
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    cells = browser.find_elements(By.CSS_SELECTOR, "table.matrix td.cell")
    assert len(cells) == 6  # three related documents, each pair shown twice


def test_highlights_are_exactly_the_reported_spans(browser: Any, tmp_path: Path) -> None:
    report, cleaned = load_fixture()
    open_page(browser, render_html(report, cleaned), tmp_path)
    script = "return document.querySelector(arguments[0]).textContent"
    for number, overlap in enumerate(report["overlaps"], start=1):
        for role in ("a", "b"):
            span = overlap[role]
            marked = browser.execute_script(script, f"#ov-{number} .side-{role} mark")
            assert marked == cleaned[span["id"]][span["start"] : span["end"]]
            context = browser.execute_script(script, f"#ov-{number} .side-{role} .text")
            assert len(context) <= len(marked) + 2 * (CONTEXT_CHARS + 1)
    for number, repeat in enumerate(report["repeats"], start=1):
        for role in ("first", "second"):
            marked = browser.execute_script(script, f"#rep-{number} .side-{role} mark")
            assert marked == cleaned[repeat["id"]][repeat[role]["start"] : repeat[role]["end"]]


def test_filter_hides_the_unchecked_kinds(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    report, cleaned = load_fixture()
    open_page(browser, render_html(report, cleaned), tmp_path)
    stock = browser.find_element(By.CSS_SELECTOR, 'input[name="kind"][value="stock"]')
    stock.click()
    assert shown_kinds(browser) == [o["kind"] for o in report["overlaps"] if o["kind"] != "stock"]
    assert browser.find_element(By.ID, "filter-status").text == "Showing 3 of 5 overlaps."
    stock_only_pair = browser.find_element(By.ID, "pair-1-2")  # blog and mirror share only a stock phrase
    assert not stock_only_pair.is_displayed()
    browser.find_element(By.CSS_SELECTOR, 'input[name="kind"][value="verbatim"]').click()
    assert shown_kinds(browser) == ["near", "near"]
    stock.click()
    assert sorted(shown_kinds(browser)) == ["near", "near", "stock", "stock"]


def test_a_matrix_link_to_a_filtered_pair_shows_it_again(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    report, cleaned = load_fixture()
    open_page(browser, render_html(report, cleaned), tmp_path)
    browser.find_element(By.CSS_SELECTOR, 'input[name="kind"][value="stock"]').click()
    assert not browser.find_element(By.ID, "pair-1-2").is_displayed()
    link = browser.find_element(By.CSS_SELECTOR, 'table.matrix a[href="#pair-1-2"]')
    link.click()
    assert browser.find_element(By.ID, "pair-1-2").is_displayed()
    assert len(shown_kinds(browser)) == len(report["overlaps"])
    browser.find_element(By.CSS_SELECTOR, 'input[name="kind"][value="stock"]').click()
    link.click()  # the same link again: the address does not change this time
    assert browser.find_element(By.ID, "pair-1-2").is_displayed()


def test_scraped_markup_is_shown_not_run(browser: Any, tmp_path: Path) -> None:
    report, cleaned = hostile_report()
    errors = open_page(browser, render_html(report, cleaned), tmp_path)
    assert errors == []
    assert browser.execute_script("return window.pwned === undefined")
    overlap = report["overlaps"][0]
    for role in ("a", "b"):
        span = overlap[role]
        marked = browser.execute_script(
            "return document.querySelector(arguments[0]).textContent", f"#ov-1 .side-{role} mark"
        )
        assert marked == cleaned[span["id"]][span["start"] : span["end"]]
    assert browser.execute_script("return document.querySelector('#ov-1 .side-a .text').lang") == "zh"
