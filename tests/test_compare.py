"""The corpus comparison end to end: seeds, contract, determinism, containment, direction."""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path

import pytest

from audit.align import align_pair
from audit.compare import CompareDoc, compare_corpus, find_repeats
from audit.fingerprint import fingerprint_text
from audit.judge import judge_span
from audit.report.json_text import report_json
from audit.settings import Settings

SETTINGS = Settings()
STOCK_PHRASES = ("world leader in AI by 2030", "Next Generation Artificial Intelligence Development Plan")


@pytest.fixture(scope="module")
def articles(eval_dir: Path) -> list[str]:
    data = json.loads((eval_dir / "article-extraction-benchmark" / "ground-truth.json").read_text("utf-8"))
    return [data[key]["articleBody"] for key in sorted(data) if len(data[key]["articleBody"].split()) > 300][
        :8
    ]


def squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def dated(doc_id: str, text: str, date: str | None = None) -> CompareDoc:
    dates = (
        ({"date": date, "role": "published", "origin": "dateline", "text": date, "confidence": 0.9},)
        if date
        else ()
    )
    return CompareDoc(doc_id, text, dates, f"in/{doc_id}.txt")


def test_seeds_have_no_duplicates_and_no_copying(seed_texts: dict[str, str]) -> None:
    comparison = compare_corpus([CompareDoc(k, v) for k, v in seed_texts.items()], SETTINGS)
    assert comparison.near_duplicates == () and comparison.exact_duplicates == ()
    assert comparison.contained == () and comparison.too_short == ()
    assert all(o.kind == "stock" for o in comparison.overlaps)


@pytest.mark.parametrize("phrase", STOCK_PHRASES)
def test_phrases_the_seeds_share_are_at_most_stock_even_when_every_pair_is_aligned(
    seed_texts: dict[str, str], phrase: str
) -> None:
    # Bypass candidate search: align all ten pairs directly, then judge every span.
    sharing = [k for k, text in seed_texts.items() if squash(phrase) in squash(text)]
    assert len(sharing) >= 2, "the seeds should share the phrase"
    found = 0
    for left, right in itertools.combinations(sorted(seed_texts), 2):
        a, b = (fingerprint_text(seed_texts[k], SETTINGS) for k in (left, right))
        for span in align_pair(a, b, SETTINGS):
            kind, _ = judge_span(span.words, span.similarity, 2, SETTINGS)
            assert kind == "stock", (left, right, seed_texts[left][span.a_chars[0] : span.a_chars[1]])
            found += squash(phrase) in squash(seed_texts[left][span.a_chars[0] : span.a_chars[1]])
    assert found >= 1, "the shared phrase should be aligned (and judged stock) at least once"


def test_repeated_title_and_teaser_of_seed_003_are_found_before_cleaning(seed_texts: dict[str, str]) -> None:
    raw = seed_texts["003"]
    title = "China's AI Rise: A Technological Race and Challenges in Catch-Up Mode"
    teaser = "China is advancing its AI industry at an unprecedented pace"
    repeats = find_repeats("003", raw, SETTINGS)
    texts = [(raw[r.first.start : r.first.end], raw[r.second.start : r.second.end]) for r in repeats]
    assert any(title[:60] in first and title[:60] in second for first, second in texts)
    assert any(teaser in first and teaser in second for first, second in texts)
    for repeat in repeats:
        assert repeat.first.end <= repeat.second.start and repeat.similarity >= SETTINGS.min_repeat_similarity


def test_contract_sections_and_offsets(articles: list[str]) -> None:
    passage = " ".join(articles[0].split()[50:130])
    docs = [dated("a", articles[0], "2020-05-01"), dated("b", articles[1] + "\n\n" + passage, "2020-06-01")]
    report = compare_corpus(docs, SETTINGS).to_json()
    assert list(report) == [
        "exact_duplicates", "near_duplicates", "contained", "too_short", "overlaps", "repeats", "candidates"
    ]  # fmt: skip
    json.loads(report_json(report))  # plain JSON types only, once the sections on disk are read
    copies = [o for o in report["overlaps"] if o["kind"] != "stock"]
    (copy,) = copies
    texts = {d.id: d.text for d in docs}
    assert squash(texts["a"][copy["a"]["start"] : copy["a"]["end"]]) == squash(passage)
    assert squash(texts["b"][copy["b"]["start"] : copy["b"]["end"]]) == squash(passage)
    assert (
        copy["kind"] == "verbatim" and copy["words"] == len(squash(passage).split()) and copy["source"] == "a"
    )
    assert copy["decided_by"].startswith("similarity@1")
    assert copy["evidence"]["a_date"]["date"] == "2020-05-01" and copy["evidence"]["confidence"] == 0.9
    assert set(report["candidates"]) >= {"document_pairs", "window_pairs", "verified_pairs"}


def test_output_is_independent_of_input_order(articles: list[str]) -> None:
    docs = [dated(f"d{i}", text, f"2021-0{i + 1}-01") for i, text in enumerate(articles[:5])]
    docs.append(dated("d9", articles[0][:2000] + " " + articles[1][-1500:], "2021-09-09"))
    expected = report_json(compare_corpus(docs, SETTINGS).to_json())
    shuffled = docs[:]
    random.Random(5).shuffle(shuffled)
    assert report_json(compare_corpus(shuffled, SETTINGS).to_json()) == expected
    assert report_json(compare_corpus(docs, SETTINGS).to_json()) == expected


def test_a_story_embedded_whole_in_a_roundup_is_contained(articles: list[str]) -> None:
    story = articles[2]
    roundup = "\n\n".join((articles[3], story, articles[4]))
    comparison = compare_corpus(
        [dated("story", story, "2020-01-01"), dated("roundup", roundup, "2020-01-03")], SETTINGS
    )
    (contained,) = comparison.contained
    assert (contained.id, contained.contained_in, contained.source) == ("story", "roundup", "story")
    assert contained.containment >= 0.95
    assert comparison.near_duplicates == ()
    assert comparison.statuses() == {"story": "contained"}


def test_copying_between_chinese_documents_is_found(eval_dir: Path) -> None:
    lines = (eval_dir / "lingua-testdata" / "sentences" / "zh.txt").read_text("utf-8").splitlines()
    passage = "".join(lines[40:43])
    a = "".join(lines[:12]) + passage + "".join(lines[12:20])
    b = "".join(lines[20:32]) + passage.replace("，", ",") + "".join(lines[32:38])
    comparison = compare_corpus([dated("zh-a", a, "2019-01-01"), dated("zh-b", b, "2019-02-01")], SETTINGS)
    (copy,) = [o for o in comparison.overlaps if o.kind != "stock"]
    assert squash(a[copy.a.start : copy.a.end]) == squash(passage[: len(a[copy.a.start : copy.a.end])])
    assert copy.source == "zh-a"


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        compare_corpus([CompareDoc("x", "one two three"), CompareDoc("x", "four five six")], SETTINGS)


def test_text_printed_by_too_many_documents_is_not_paired_but_copies_still_are(articles: list[str]) -> None:
    boilerplate = (
        "This article is distributed by our partner network. Republication of this content in whole or in "
        "part without the written permission of the publisher is prohibited, except for personal use."
    )
    passage = " ".join(articles[0].split()[100:160])
    docs = [
        dated(f"d{i}", f"{text}\n\n{boilerplate}", f"2022-01-0{i + 1}") for i, text in enumerate(articles)
    ]
    docs[5] = dated("d5", f"{articles[5]}\n\n{passage}\n\n{boilerplate}", "2022-01-06")
    comparison = compare_corpus(docs, Settings(max_bucket_documents=4))
    assert comparison.candidates["aligned_pairs"] < 8  # not the 28 pairs the boilerplate would make
    (copy,) = [o for o in comparison.overlaps if o.kind != "stock"]
    assert (copy.a.doc_id, copy.b.doc_id, copy.source) == ("d0", "d5", "d0")
    everyone = compare_corpus(docs, Settings())
    assert everyone.candidates["aligned_pairs"] == 28
    assert all(o.kind == "stock" for o in everyone.overlaps if "d5" not in (o.a.doc_id, o.b.doc_id))
