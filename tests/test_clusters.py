"""Duplicate clusters: exact groups, verified near duplicates, too-short documents, keep policies."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from audit.clusters import Candidate, UnionFind, choose_keep, containment, jaccard, near_duplicate_groups
from audit.compare import CompareDoc, compare_corpus
from audit.settings import Settings


@pytest.fixture(scope="module")
def articles(eval_dir: Path) -> list[str]:
    data = json.loads((eval_dir / "article-extraction-benchmark" / "ground-truth.json").read_text("utf-8"))
    return [data[key]["articleBody"] for key in sorted(data) if len(data[key]["articleBody"].split()) > 300][
        :6
    ]


def dated(doc_id: str, text: str, date: str | None, source: str = "") -> CompareDoc:
    dates = (
        ({"date": date, "role": "published", "origin": "jsonl", "text": date, "confidence": 0.9},)
        if date
        else ()
    )
    return CompareDoc(doc_id, text, dates, source or f"in/{doc_id}.txt")


def repost(text: str) -> str:
    """A repost: a changed word every ~150 words, curly quotes, a new first line."""
    words = text.split(" ")
    for index in range(40, len(words), 150):
        words[index] = "indeed"
    return "Reposted from the wire\n" + " ".join(words).replace("'", "’")


def test_union_find_roots_are_smallest_members() -> None:
    finder = UnionFind(6)
    finder.union(4, 2)
    finder.union(5, 4)
    finder.union(1, 3)
    assert finder.groups() == [[1, 3], [2, 4, 5]]


def test_exact_set_measures() -> None:
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    b = np.array([3, 4, 5, 6], dtype=np.uint64)
    assert jaccard(a, b) == pytest.approx(2 / 6)
    assert containment(np.array([3, 4], dtype=np.uint64), a) == 1.0
    assert jaccard(a[:0], b[:0]) == 0.0


def test_candidates_below_the_threshold_are_never_clustered() -> None:
    sets = [
        np.arange(10, dtype=np.uint64),
        np.arange(1, 11, dtype=np.uint64),
        np.arange(5, 15, dtype=np.uint64),
    ]
    clusters, verified = near_duplicate_groups([(0, 1), (0, 2), (1, 2)], sets, 3, 0.8)
    assert clusters == [([0, 1], round(9 / 11, 4))]
    assert verified == 1


@pytest.mark.parametrize(
    ("policy", "keep", "reason"),
    [
        ("earliest", "b", "earliest published date 2020-01-01 (dateline)"),
        ("longest", "c", "longest text (900 characters)"),
        ("source:wire/", "a", "source contains 'wire/'"),
        (
            "source:nowhere",
            "b",
            "no source contains 'nowhere'; earliest published date 2020-01-01 (dateline)",
        ),
        ("none", None, "keep policy none: no member chosen"),
    ],
)
def test_keep_policies(policy: str, keep: str | None, reason: str) -> None:
    members = [
        Candidate("a", 500, "2021-05-01", "html-meta", "wire/a.html"),
        Candidate("b", 400, "2020-01-01", "dateline", "blog/b.txt"),
        Candidate("c", 900, None, "", "blog/c.txt"),
    ]
    assert choose_keep(members, policy) == (keep, reason)


def test_ties_fall_back_to_length_then_id() -> None:
    same_day = [
        Candidate("b", 10, "2020-01-01"),
        Candidate("a", 10, "2020-01-01"),
        Candidate("c", 12, "2020-01-01"),
    ]
    assert choose_keep(same_day, "earliest") == ("c", "longest text (12 characters)")
    assert choose_keep(same_day[:2], "earliest") == ("a", "same date and length: first id")


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="keep policy"):
        choose_keep([Candidate("a", 1, None)], "newest")


def test_reposts_cluster_and_the_earliest_is_kept(articles: list[str]) -> None:
    docs = [
        dated("orig", articles[0], "2021-03-01"),
        dated("copy-1", repost(articles[0]), "2021-03-04"),
        dated("copy-2", repost(repost(articles[0])), "2021-04-10"),
        dated("other", articles[1], "2020-01-01"),
    ]
    comparison = compare_corpus(docs, Settings())
    (cluster,) = comparison.near_duplicates
    assert cluster.members == ("copy-1", "copy-2", "orig")
    assert cluster.keep == "orig" and "2021-03-01" in cluster.reason
    assert cluster.similarity >= 0.8
    assert comparison.duplicate_of() == {"copy-1": "orig", "copy-2": "orig"}
    assert not any({o.a.doc_id, o.b.doc_id} <= set(cluster.members) for o in comparison.overlaps)


def test_exact_duplicates_group_by_cleaned_text_and_chain_to_the_near_keep(articles: list[str]) -> None:
    docs = [
        dated("a", articles[2], "2022-01-02"),
        dated("a-mirror", articles[2], "2022-01-05"),
        dated("a-repost", repost(articles[2]), "2022-01-01"),
    ]
    comparison = compare_corpus(docs, Settings())
    (group,) = comparison.exact_duplicates
    assert group.members == ("a", "a-mirror") and group.keep == "a"
    (cluster,) = comparison.near_duplicates
    assert cluster.members == ("a", "a-repost") and cluster.keep == "a-repost"
    assert comparison.duplicate_of() == {"a": "a-repost", "a-mirror": "a-repost"}
    assert comparison.statuses() == {"a": "near-duplicate", "a-mirror": "duplicate"}


def test_too_short_documents_are_listed_never_clustered(articles: list[str]) -> None:
    docs = [
        dated(f"short-{i}", text, None)
        for i, text in enumerate(["Subscribe now!", "Subscribe now!", "", "Ok."])
    ]
    docs.append(dated("long", articles[3], None))
    comparison = compare_corpus(docs, Settings())
    assert comparison.too_short == ("short-0", "short-1", "short-2", "short-3")
    assert comparison.exact_duplicates == () and comparison.near_duplicates == ()
    assert comparison.statuses() == {f"short-{i}": "too-short" for i in range(4)}
