"""Provenance signals from the seeds, from multilingual cases, and gold dates of real pages.

Run as a script (`.venv/bin/python tests/test_provenance.py`) to print the
gold-date figure on ../shared/eval/trafilatura-eval with each miss.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.clean import clean_view
from audit.provenance import extract_provenance
from audit.rules.base import DocView
from audit.segment import split_blocks

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
# Gold publication dates found on trafilatura-eval; measured 89 of 98 (0.908)
# when this floor was set. Never lower it silently: issue 4 asks for >= 0.90.
GOLD_DATE_FLOOR = 0.90


def provenance_of(text: str, declared: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    """Clean `text` with every rule, then extract provenance from text + edit log."""
    blocks = tuple(split_blocks(text))
    _, edits = clean_view(DocView(text, blocks, "und"))
    return extract_provenance(text, edits, blocks, declared or {}, **kwargs)


# --- the seeds -------------------------------------------------------------


def test_seed_000_published_from_the_korean_dateline(seed_texts: dict[str, str]) -> None:
    prov = provenance_of(seed_texts["000"])
    assert prov["published"] == "2025-08-08"
    (date,) = [d for d in prov["dates"] if d["date"] == "2025-08-08"]
    assert date["origin"] == "dateline" and date["role"] == "published"
    assert seed_texts["000"][date["start"] : date["end"]] == "8월 8th, 2025"


def test_seed_001_published_from_the_dateline(seed_texts: dict[str, str]) -> None:
    prov = provenance_of(seed_texts["001"])
    assert prov["published"] == "2025-02-07"
    assert prov["dates"][0]["origin"] == "dateline"


def test_seed_002_lists_the_cited_outlets_and_no_acronyms(seed_texts: dict[str, str]) -> None:
    prov = provenance_of(seed_texts["002"])
    assert set(prov["cited_outlets"]) == {
        "South China Morning Post",
        "MIT Technology Review",
        "China Briefing",
        "Center for Data Innovation",
        "Tech.co",
    }
    for citation in prov["citations"]:
        assert seed_texts["002"][citation["start"] : citation["end"]] == citation["text"]


def test_seed_003_is_flagged_as_a_reprint_with_its_tag(seed_texts: dict[str, str]) -> None:
    prov = provenance_of(seed_texts["003"])
    reprint = prov["reprint"]
    assert reprint is not None
    assert reprint["notice"].startswith(
        "Disclaimer: The content of this article is sourced from the internet"
    )
    assert seed_texts["003"][reprint["start"] : reprint["end"]].strip() == reprint["notice"]
    assert "reprint" in reprint["kinds"] and "takedown" in reprint["kinds"]
    assert prov["tags"] == ["China AI Rise Technological Race and Challenges in Catch-Up"]


def test_seed_004_footer_provenance_is_kept(seed_texts: dict[str, str]) -> None:
    text = seed_texts["004"]
    prov = provenance_of(text)
    assert prov["updated"] == "2026-04-02"
    assert prov["published"] is None  # an update date never poses as the publication date
    (update,) = [d for d in prov["dates"] if d["role"] == "updated"]
    assert update["origin"] == "footer" and text[update["start"] : update["end"]] == "2026/04/02"
    assert [(c["name"], c["role"]) for c in prov["credits"]] == [("@Macrobruce", "source")]
    assert prov["ai_generated"]["generator"] == "grok"
    assert prov["tags"] == ["AI", "China", "6G", "Generative AI", "Technology", "Innovation"]
    (link,) = prov["links"]
    assert link["url"].startswith("https://youriabox.com/discussion/topic/chinas-ai-surge-6g")
    assert link["kind"] == "discussion"
    assert text[link["start"] : link["end"]] == link["url"]


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_seed_provenance_is_json_and_deterministic(seed_texts: dict[str, str], seed: str) -> None:
    first = json.dumps(provenance_of(seed_texts[seed]), ensure_ascii=False, sort_keys=True)
    assert first == json.dumps(provenance_of(seed_texts[seed]), ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("seed", ["000", "001", "003", "004"])
def test_seeds_cite_no_outlets_where_there_are_none(seed_texts: dict[str, str], seed: str) -> None:
    assert provenance_of(seed_texts[seed])["cited_outlets"] == []


# --- credits and citations in many languages ---------------------------------

BODY_DE = "Die Regierung hat am Dienstag neue Regeln für die Branche angekündigt, die bald gelten.\n"


@pytest.mark.parametrize(
    ("line", "name", "role"),
    [
        ("Quelle: dpa", "dpa", "source"),
        ("Source: Reuters", "Reuters", "source"),
        ("来源：新华社", "新华社", "source"),
        ("出典：共同通信", "共同通信", "source"),
        ("출처: 연합뉴스", "연합뉴스", "source"),
        ("Fuente: EFE", "EFE", "source"),
        ("Источник: ТАСС", "ТАСС", "source"),
        ("📷 素材來源:@Macrobruce", "@Macrobruce", "source"),
        ("Photo: AP", "AP", "photo"),
        ("Foto: Reuters/Jane Doe", "Reuters/Jane Doe", "photo"),
        ("Crédit photo : AFP", "AFP", "photo"),
        ("写真：ロイター", "ロイター", "photo"),
        ("By Jane Doe", "Jane Doe", "author"),
        ("Von Max Mustermann | 7. Februar 2025", "Max Mustermann", "author"),
        ("Par Marie Dupont", "Marie Dupont", "author"),
        ("Por María García", "María García", "author"),
        ("作者：张三", "张三", "author"),
        ("Translated by Li Wei", "Li Wei", "translator"),
        ("责任编辑：王五", "王五", "editor"),
    ],
)
def test_credit_lines(line: str, name: str, role: str) -> None:
    text = f"Neue Regeln\n{BODY_DE}{line}\n{BODY_DE}"
    credits = provenance_of(text)["credits"]
    assert [(c["name"], c["role"]) for c in credits] == [(name, role)]
    assert text[credits[0]["start"] : credits[0]["end"]].strip().endswith(credits[0]["text"][-3:])


def test_bracketed_credit_inside_a_caption() -> None:
    prov = provenance_of(f"{BODY_DE}Der Minister am Dienstag in Berlin (Foto: dpa).\n{BODY_DE}")
    assert [(c["name"], c["role"]) for c in prov["credits"]] == [("dpa", "photo")]
    assert prov["cited_outlets"] == []


@pytest.mark.parametrize(
    "line",
    [
        "By the way, the ministry did not say when the rules would apply to smaller firms.",
        "By Tuesday, the ministry will publish the rules for the whole sector and its suppliers.",
        "Image: a satellite view shows the flooded valley after three days of heavy rain in the region.",
        "Source code and data for the study are available from the authors on request.",
    ],
)
def test_sentences_that_start_like_credits_are_not_credits(line: str) -> None:
    assert provenance_of(f"{BODY_DE}{line}\n{BODY_DE}")["credits"] == []


def test_inline_citations_in_many_forms() -> None:
    text = (
        "The ministry said it would publish new rules (Reuters). Analysts expect growth "
        "(according to Bloomberg). Sales rose sharply (Source: Statista). Der Absatz stieg (laut Handelsblatt). "
        "Le secteur progresse (selon l'AFP). Las ventas subieron (según El País). 销量上升（据新华社）。\n"
        "Demand for artificial intelligence (AI) and research and development (R&D) in science (STEM) "
        "grew in 2017 (2017) to $1.5 trillion ($1.5 trillion) (e.g., chips), led by Tencent (WeChat Pay).\n"
    )
    assert provenance_of(text)["cited_outlets"] == [
        "Reuters",
        "Bloomberg",
        "Statista",
        "Handelsblatt",
        "AFP",
        "El País",
        "新华社",
    ]


# --- reprint, copyright, AI disclosures ----------------------------------------


@pytest.mark.parametrize(
    ("notice", "kind"),
    [
        (
            "Los derechos de autor pertenecen al autor original. Si infringe sus derechos, "
            "contáctenos para eliminarlo.",
            "reprint",
        ),
        ("本文转载自网络，版权归原作者所有，如有侵权请联系删除。", "reprint"),
        ("本文轉載自網路，版權歸原作者所有，如有侵權請聯繫我們刪除。", "reprint"),
        (
            "Das Urheberrecht liegt beim ursprünglichen Autor. Bei Urheberrechtsverletzungen wird der Beitrag umgehend entfernt.",
            "reprint",
        ),
        (
            "Les droits d'auteur appartiennent à l'auteur original ; contactez-nous pour le supprimer.",
            "reprint",
        ),
        ("この記事は他サイトより転載しています。権利を侵害している場合は削除いたします。", "reprint"),
        ("이 글은 퍼온 글입니다. 저작권은 원작자에게 있으며 문제가 될 경우 삭제하겠습니다.", "reprint"),
        ("Материал взят из открытых источников, авторские права принадлежат их авторам.", "reprint"),
        (
            "This article is republished from The Conversation under a Creative Commons license.",
            "republished",
        ),
        ("Dieser Beitrag ist zuerst erschienen bei der Süddeutschen Zeitung.", "republished"),
        ("If you believe this post infringes on your copyright, please contact us to delete it.", "takedown"),
    ],
)
def test_reprint_notices_in_many_languages(notice: str, kind: str) -> None:
    text = f"Title\n{BODY_DE}{BODY_DE}{notice}\n"
    reprint = provenance_of(text)["reprint"]
    assert reprint is not None and kind in reprint["kinds"]
    assert text[reprint["start"] : reprint["end"]] == notice


def test_prose_about_copyright_is_no_reprint_notice() -> None:
    text = f"{BODY_DE}The court ruled on copyright for the original author of the song, a landmark case.\n"
    assert provenance_of(text)["reprint"] is None


def test_copyright_line_and_holder() -> None:
    prov = provenance_of(f"{BODY_DE}{BODY_DE}© 2024 Example Media. All rights reserved.\n")
    assert prov["copyright"]["holder"] == "Example Media"


@pytest.mark.parametrize(
    ("line", "generator"),
    [
        ("This summary was generated by ChatGPT.", "chatgpt"),
        ("Written with the help of AI.", "unknown"),
        ("── 中國科技 from grok (英)", "grok"),
        ("本文由AI生成", "unknown"),
        ("本文由文心一言生成。", "ernie"),
        ("Dieser Text wurde mit KI erstellt.", "unknown"),
        ("KI-generiert", "unknown"),
        ("Article généré par l'IA.", "unknown"),
        ("Texto generado por IA con Gemini.", "gemini"),
        ("本記事はAIで生成されています。", "unknown"),
        ("이 기사는 AI가 생성한 것입니다.", "unknown"),
        ("Текст сгенерирован нейросетью.", "unknown"),
        ("AI-generated image", "unknown"),
    ],
)
def test_ai_generation_markers(line: str, generator: str) -> None:
    ai = provenance_of(f"Title\n{BODY_DE}{BODY_DE}{line}\n")["ai_generated"]
    assert ai is not None and ai["generator"] == generator


@pytest.mark.parametrize(
    "body",
    [
        "AI-generated content is flooding social media platforms, and regulators in Brussels and Beijing are "
        "struggling to keep up with the scale of it, researchers said in a report published this week.",
        "DeepSeek claims to achieve comparable results to ChatGPT at a fraction of the cost, a new model "
        "from DeepSeek that sent shockwaves through the industry and the markets in January this year.",
        "A new model from grok",  # a short line, but in the head, not a footer
    ],
)
def test_articles_about_ai_are_not_ai_generated(body: str) -> None:
    text = f"{body}\n{BODY_DE * 8}"
    assert provenance_of(text)["ai_generated"] is None


# --- tags and links ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "tags"),
    [
        ("Tags: Politics, Economy, AI", ["Politics", "Economy", "AI"]),
        ("Schlagwörter: Politik | Wirtschaft", ["Politik", "Wirtschaft"]),
        ("Étiquettes : climat, énergie", ["climat", "énergie"]),
        ("标签：人工智能、中国", ["人工智能", "中国"]),
        ("タグ：政治、経済", ["政治", "経済"]),
        ("태그: 정치, 경제", ["정치", "경제"]),
        ("Теги: политика, экономика", ["политика", "экономика"]),
        ("#AI #China #Tech", ["AI", "China", "Tech"]),
    ],
)
def test_tag_lines(line: str, tags: list[str]) -> None:
    assert provenance_of(f"{BODY_DE}{BODY_DE}{line}\n")["tags"] == tags


def test_hashtags_in_prose_are_not_tags() -> None:
    assert (
        provenance_of(f"{BODY_DE}We ranked #1 again this year, said the company in a statement.\n")["tags"]
        == []
    )


def test_links_with_context() -> None:
    text = f"{BODY_DE}Read the original: https://example.com/story.\nShare on https://twitter.com/intent/tweet?u=1\n"
    links = provenance_of(text)["links"]
    assert [(link["url"], link["kind"]) for link in links] == [
        ("https://example.com/story", "source"),
        ("https://twitter.com/intent/tweet?u=1", "share"),
    ]


# --- dates: labels, origins, declared metadata --------------------------------


def test_labelled_published_and_updated_dates_at_the_head() -> None:
    prov = provenance_of(f"Title\nPosted on March 3, 2024 | Updated: March 5, 2024\n{BODY_DE * 3}")
    assert (prov["published"], prov["updated"]) == ("2024-03-03", "2024-03-05")


@pytest.mark.parametrize(
    ("line", "role", "iso"),
    [
        ("Aktualisiert am 17.01.2021.", "updated", "2021-01-17"),
        ("Mis à jour le 8 février 2025", "updated", "2025-02-08"),
        ("更新日期:2026/04/02", "updated", "2026-04-02"),
        ("최종수정 2025.08.09", "updated", "2025-08-09"),
        ("Veröffentlicht am 16.08.2019", "published", "2019-08-16"),
        ("公開日：2025年8月8日", "published", "2025-08-08"),
        ("Janic Cathomen, 01.12.2021", "published", "2021-12-01"),
    ],
)
def test_date_lines_at_the_tail_keep_their_role(line: str, role: str, iso: str) -> None:
    prov = provenance_of(f"{BODY_DE * 4}{line}\n")
    assert prov[role] == iso
    assert [d["origin"] for d in prov["dates"]] == ["footer"]


def test_dates_in_prose_are_not_publication_dates() -> None:
    text = (
        f"{BODY_DE * 2}The report, published on March 1, 2024, found that on 7 February 2025 prices rose.\n"
    )
    assert provenance_of(text)["dates"] == []


def test_originally_published_line() -> None:
    prov = provenance_of(
        f"Title\nFebruary 7, 2025\n{BODY_DE * 2}"
        "This article was originally published on The Conversation on January 28, 2025.\n"
    )
    assert prov["published"] == "2025-02-07"
    assert prov["originally_published"] == "2025-01-28"
    assert "republished" in prov["reprint"]["kinds"]


def test_first_published_in_prose_is_not_an_original_date() -> None:
    sentence = (
        "The novel, first published on 3 March 1990, sold millions of copies around the world and was "
        "translated into forty languages by the end of the decade, said the publisher in its statement.\n"
    )
    prov = provenance_of(BODY_DE * 3 + sentence + BODY_DE * 8)
    assert prov["originally_published"] is None and prov["dates"] == []


def test_declared_html_meta_and_url() -> None:
    declared = {
        "title": "Neue Regeln",
        "author": "Max Mustermann",
        "sitename": "Beispiel-Zeitung",
        "url": "https://example.de/2025/02/06/neue-regeln/",
        "date": "2025-02-06T08:00:00+01:00",
        "date_modified": "2025-02-08T10:00:00+01:00",
        "meta": {"article:published_time": "2025-02-06T08:00:00+01:00"},
    }
    prov = provenance_of(f"{BODY_DE * 3}", declared, declared_origin="html-meta")
    assert (prov["published"], prov["updated"]) == ("2025-02-06", "2025-02-08")
    assert {d["origin"] for d in prov["dates"]} == {"html-meta", "url"}
    assert (prov["title"], prov["author"], prov["site_name"]) == (
        "Neue Regeln",
        "Max Mustermann",
        "Beispiel-Zeitung",
    )
    assert prov["canonical_url"] == "https://example.de/2025/02/06/neue-regeln/"


def test_declared_jsonl_fields_beat_a_head_date_line() -> None:
    declared = {"published": "2025-02-01", "url": "https://example.com/a"}
    prov = provenance_of(f"7 February 2025\n{BODY_DE * 3}", declared, declared_origin="jsonl")
    assert prov["published"] == "2025-02-01"
    assert {(d["date"], d["origin"]) for d in prov["dates"]} == {
        ("2025-02-01", "jsonl"),
        ("2025-02-07", "dateline"),
    }


def test_output_does_not_depend_on_declared_order() -> None:
    declared = {
        "date": "2025-02-06",
        "updated": "2025-02-09",
        "title": "T",
        "url": "https://example.com/2025/02/05/x",
    }
    reversed_declared = dict(reversed(list(declared.items())))
    assert provenance_of(BODY_DE, declared) == provenance_of(BODY_DE, reversed_declared)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1:2.-/\n(#)年月日Tag:©By")), max_size=200))
def test_provenance_never_raises(text: str) -> None:
    prov = extract_provenance(
        text, (), tuple(split_blocks(text)), {"date": text[:20], "meta": {"date": text}}
    )
    json.dumps(prov)
    for item in prov["dates"] + prov["credits"] + prov["links"]:
        if item.get("start") is not None:
            assert 0 <= item["start"] <= item["end"] <= len(text)


# --- gold dates of real pages (trafilatura-eval) ------------------------------


def read_page(raw: bytes) -> tuple[str, dict[str, Any]]:
    """The page's text and its date metadata: <meta> tags, JSON-LD dates, the first <time datetime>.

    A deliberately plain reading (not audit's HTML extractor) so the figure
    measures date extraction, not main-text extraction.
    """
    from bs4 import BeautifulSoup

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # odd markup makes bs4 warn; the figure is what matters
        soup = BeautifulSoup(raw, "lxml")
    meta: dict[str, list[str]] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("name") or tag.get("property") or tag.get("itemprop") or tag.get("http-equiv")
        if isinstance(key, str) and isinstance(tag.get("content"), str):
            meta.setdefault(key.lower(), []).append(tag["content"])
    for script in soup.find_all("script", type="application/ld+json"):
        for key, value in re.findall(r'"(date(?:Published|Modified))"\s*:\s*"([^"]+)"', script.string or ""):
            meta.setdefault(key.lower(), []).append(value)
    stamp = soup.find("time", datetime=True)
    if stamp is not None:
        meta["time"] = [stamp["datetime"]]
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    text = "\n".join(line.strip() for line in soup.get_text("\n").splitlines() if line.strip())
    return text, meta


def measure_gold_dates(eval_dir: Path) -> tuple[int, int, list[str]]:
    """(pages whose gold date we read as `published`, pages with a gold date, notes on misses)."""
    found, total, misses = 0, 0, []
    folder = eval_dir / "trafilatura-eval"
    for line in (folder / "annotations.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if not entry.get("date"):
            continue
        total += 1
        text, meta = read_page((folder / entry["html_file"]).read_bytes())
        declared = {"meta": meta, "url": entry["url"]}
        prov = extract_provenance(text, (), tuple(split_blocks(text)), declared, declared_origin="html-meta")
        if prov["published"] == entry["date"]:
            found += 1
        else:
            misses.append(
                f"{entry['id']}: gold {entry['date']}, read {prov['published']} ({entry['url'][:60]})"
            )
    return found, total, misses


@pytest.mark.slow
def test_gold_publication_dates_of_trafilatura_eval(eval_dir: Path) -> None:
    found, total, misses = measure_gold_dates(eval_dir)
    assert total >= 90, "the eval set has fewer dated pages than expected"
    assert found / total >= GOLD_DATE_FLOOR, "\n".join(misses)


if __name__ == "__main__":
    found, total, misses = measure_gold_dates(EVAL)
    sys.stdout.write(
        "\n".join(misses) + f"\ngold dates read as published: {found}/{total} = {found / total:.3f}\n"
    )
