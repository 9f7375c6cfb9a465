"""Overlap quality: recall, precision, direction and stock handling against labelled copies.

Builds a labelled corpus from real texts in ../shared/eval (English news bodies
from article-extraction-benchmark, sentences in ten languages from
lingua-testdata): passages of 40-150 words are copied from an earlier document
into a later one, half verbatim and half lightly edited (case, quotes,
punctuation, re-wrapped lines, a dropped and a changed word); a few whole
articles are reposted later with small edits; two stock sentences are
sprinkled through many documents. It then runs `compare_corpus` and prints:

- recall: copied passages with >= 80 % of their words (on both sides) covered by
  reported verbatim/near spans between the right two documents;
- precision: reported verbatim/near spans lying mostly (>= 50 %) inside a copied passage;
- direction: found passages whose reported source is the earlier document;
- reposts clustered (and kept as the original), stock sentences reported as copying.

It also scores the two labelled reuse sets (clough-stevenson-reuse, indonesian-plagiarism-pan).
Run: `.venv/bin/python benchmarks/overlap_quality.py [--english N] [--per-language N] [--seed N]`.
Importable: tests/test_overlap_quality.py runs `run_benchmark` on a small corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from audit.compare import CompareDoc, Comparison, compare_corpus  # noqa: E402
from audit.settings import Settings  # noqa: E402
from audit.shingle import shingle_hashes, tokenize  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
LANGUAGES = ("de", "fr", "es", "ru", "ar", "hi", "ko", "zh", "ja", "th")
UNSPACED = ("zh", "ja", "th")
STOCK_SENTENCES = (
    "The views expressed in this article are those of the author and do not necessarily reflect the "
    "official policy or position of this publication, its editors or any of its partners, sponsors and "
    "affiliated organisations.",
    "Follow us on social media to get the latest news and updates delivered straight to you.",
)
COPY_KINDS = ("verbatim", "near")
_BOUNDARY = re.compile(r"(?<=[.!?。！？])\s*")


@dataclass
class Draft:
    id: str
    text: str
    date: dt.date
    insertions: list[tuple[int, str, str]] = field(default_factory=list)  # (position, text, label)
    protected: list[tuple[int, int]] = field(default_factory=list)  # source ranges that must stay whole


@dataclass(frozen=True)
class Event:
    source: str
    target: str
    source_span: tuple[int, int]
    target_span: tuple[int, int]
    edited: bool


@dataclass
class Labelled:
    docs: list[CompareDoc]
    events: list[Event]
    reposts: list[tuple[str, str]]  # (original, repost)


def load_english(limit: int, min_words: int = 200) -> list[str]:
    """Gold article bodies, minus any that share a 10-word sequence with another (true overlaps)."""
    data = json.loads((EVAL / "article-extraction-benchmark" / "ground-truth.json").read_text("utf-8"))
    bodies = [data[key]["articleBody"] for key in sorted(data)]
    bodies = [b for b in bodies if len(b.split()) >= min_words]
    grams = [
        {tuple(w[i : i + 10]) for i in range(len(w) - 9)}
        for w in (re.findall(r"\w+", b.lower()) for b in bodies)
    ]
    clean = [
        b for i, b in enumerate(bodies) if not any(grams[i] & grams[j] for j in range(len(bodies)) if j != i)
    ]
    return clean[:limit]


def load_multilingual(per_language: int, sentences: int = 14) -> list[tuple[str, str]]:
    """Documents of consecutive lingua-testdata sentences, `per_language` per language."""
    docs = []
    for lang in LANGUAGES:
        lines = (EVAL / "lingua-testdata" / "sentences" / f"{lang}.txt").read_text("utf-8").splitlines()
        for k in range(per_language):
            chunk = lines[k * sentences : (k + 1) * sentences]
            docs.append((lang, ("" if lang in UNSPACED else " ").join(chunk)))
    return docs


def _boundaries(text: str) -> list[int]:
    return [m.start() for m in _BOUNDARY.finditer(text) if 0 < m.start() < len(text)]


def _free(position: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return not any(start < position < end for start, end in ranges)


def light_edit(text: str, rng: random.Random, unspaced: bool = False, changes_per_100: float = 2.0) -> str:
    """Edits a re-typing copy editor makes: case, quotes, punctuation, line breaks, dropped and changed words.

    `changes_per_100` words are dropped or replaced (half each); the default, 2,
    is one dropped and one changed word in a 100-word passage.
    """
    if unspaced:  # scripts without word spaces: drop characters, break a line, swap a comma
        chars = list(text)
        for _ in range(max(1, round(len(chars) * changes_per_100 / 100))):
            del chars[rng.randrange(5, len(chars) - 5)]
        chars.insert(rng.randrange(5, len(chars) - 5), "\n")
        return "".join(chars).replace("，", ", ", 1)
    words = text.split(" ")
    changes = max(1, round(len(words) * changes_per_100 / 200))
    for _ in range(changes):
        del words[rng.randrange(1, len(words) - 1)]
    for _ in range(changes):
        words[rng.randrange(1, len(words) - 1)] = words[rng.randrange(len(words))]
    for index in rng.sample(range(len(words)), k=min(4, len(words))):
        words[index] = rng.choice((str.upper, str.lower, str.capitalize))(words[index])
    for index in rng.sample(range(len(words) - 1), k=min(3, len(words) - 1)):
        words[index] = words[index].rstrip(",") + "," if rng.random() < 0.5 else words[index].rstrip(",;:")
    joined = "".join(w + ("\n" if rng.random() < 0.08 else " ") for w in words).strip()
    return joined.replace("'", "’").replace(' "', " “").replace('" ', "” ")


def _pick_passage(draft: Draft, rng: random.Random) -> tuple[int, int] | None:
    """A 40-150 word passage starting at a sentence, whole, and occurring only once in its text.

    A passage the source prints twice (a repeated table row, a recurring meal in
    a diet plan) has two equally good origins, so it cannot be labelled with one.
    """
    tokens = tokenize(draft.text)
    grams = shingle_hashes(tokens.hashes, 8)
    starts = [0, *(b + 1 for b in _boundaries(draft.text))]
    for _ in range(50):
        length = rng.randint(40, 150)
        first = int(np.searchsorted(tokens.starts, rng.choice(starts)))
        if first + length > len(tokens):
            continue
        inside = grams[first : first + length - 7]
        outside = np.concatenate((grams[: max(first - 7, 0)], grams[first + length :]))
        if np.isin(inside, outside).any() or len(np.unique(inside)) < len(inside):
            continue
        span = (int(tokens.starts[first]), int(tokens.ends[first + length - 1]))
        clash = any(p > span[0] and p < span[1] for p, _, _ in draft.insertions)
        if not clash and not any(s < span[1] and span[0] < e for s, e in draft.protected):
            return span
    return None


def build_corpus(english: int, per_language: int, seed: int, changes_per_100: float = 2.0) -> Labelled:
    """The labelled corpus: base documents, copy events, reposts and stock sentences."""
    rng = random.Random(seed)
    bases = [(f"en-{i:02d}", t) for i, t in enumerate(load_english(english))]
    bases += [(f"{lang}-{i:02d}", t) for i, (lang, t) in enumerate(load_multilingual(per_language))]
    days = rng.sample(range(6 * 365), len(bases))
    drafts = [
        Draft(doc_id, text, dt.date(2019, 1, 1) + dt.timedelta(days=d))
        for (doc_id, text), d in zip(bases, days, strict=True)
    ]
    english_drafts = [d for d in drafts if d.id.startswith("en-")]
    originals = english_drafts[: max(2, len(english_drafts) // 10)]
    pool = [d for d in drafts if d not in originals]
    planned: list[tuple[Draft, tuple[int, int], Draft, str, bool]] = []
    for _ in range(len(pool)):
        source, target = sorted(rng.sample(pool, 2), key=lambda d: d.date)
        if source.id[:2] != target.id[:2] and rng.random() < 0.7:
            continue  # most copying stays within one language
        span = _pick_passage(source, rng)
        points = [p for p in _boundaries(target.text) if _free(p, target.protected)]
        if span is None or not points:
            continue
        source.protected.append(span)
        edited = rng.random() < 0.5
        passage = source.text[span[0] : span[1]]
        if edited:
            passage = light_edit(passage, rng, source.id[:2] in UNSPACED, changes_per_100)
        label = f"copy-{len(planned)}"
        point = rng.choice(points)
        target.insertions.append((point, f" {passage} ", label))
        planned.append((source, span, target, label, edited))
    for sentence in STOCK_SENTENCES:
        for draft in rng.sample(english_drafts, max(5, len(english_drafts) // 4)):
            points = [p for p in _boundaries(draft.text) if _free(p, draft.protected)]
            draft.insertions.append((rng.choice(points), f" {sentence} ", "stock"))
    finals = {d.id: _assemble(d) for d in drafts}
    events = []
    for source, span, target, label, edited in planned:
        start = span[0] + sum(len(t) for p, t, _ in source.insertions if p <= span[0])
        events.append(
            Event(
                source.id, target.id, (start, start + span[1] - span[0]), finals[target.id][1][label], edited
            )
        )
    docs = [_doc(d.id, finals[d.id][0], d.date) for d in drafts]
    reposts = []
    for original in originals:
        words = finals[original.id][0].split(" ")
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(words)
        del words[rng.randrange(len(words))]
        text = " ".join(words).replace("'", "’")
        docs.append(
            _doc(f"{original.id}-repost", text, original.date + dt.timedelta(days=rng.randint(1, 30)))
        )
        reposts.append((original.id, f"{original.id}-repost"))
    return Labelled(docs, events, reposts)


def _assemble(draft: Draft) -> tuple[str, dict[str, tuple[int, int]]]:
    """The final text and, per inserted label, the span of the inserted text (without its padding)."""
    pieces, spans, cursor, length = [], {}, 0, 0
    for position, text, label in sorted(draft.insertions, key=lambda item: item[0]):
        pieces.append(draft.text[cursor:position])
        length += position - cursor
        spans[label] = (length + 1, length + len(text) - 1)
        pieces.append(text)
        length += len(text)
        cursor = position
    pieces.append(draft.text[cursor:])
    return "".join(pieces), spans


def _doc(doc_id: str, text: str, date: dt.date) -> CompareDoc:
    evidence = {
        "date": date.isoformat(),
        "role": "published",
        "origin": "benchmark",
        "text": "",
        "confidence": 0.9,
    }
    return CompareDoc(doc_id, text, (evidence,), source=f"benchmark/{doc_id}.txt")


def _coverage(
    text_tokens: tuple[np.ndarray, np.ndarray], span: tuple[int, int], covers: Sequence[tuple[int, int]]
) -> float:
    """Share of the words inside `span` that lie inside one of `covers`."""
    starts, ends = text_tokens
    inside = (starts >= span[0]) & (ends <= span[1])
    if not inside.any():
        return 0.0
    covered = np.zeros(len(starts), dtype=bool)
    for low, high in covers:
        covered |= (starts >= low) & (ends <= high)
    return float((covered & inside).sum() / inside.sum())


def _stock_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for sentence in STOCK_SENTENCES:
        start = text.find(sentence)
        while start >= 0:
            spans.append((start, start + len(sentence)))
            start = text.find(sentence, start + 1)
    return spans


def score(labelled: Labelled, comparison: Comparison) -> dict[str, float | int | list[str]]:
    """Recall, precision, direction, reposts and stock misreports of one comparison."""
    texts = {d.id: d.text for d in labelled.docs}
    tokens = {k: (tokenize(v).starts, tokenize(v).ends) for k, v in texts.items()}
    copies = [o for o in comparison.overlaps if o.kind in COPY_KINDS]
    between: dict[tuple[str, str], list[tuple[tuple[int, int], tuple[int, int], str | None]]] = {}
    for o in copies:
        a, b = (o.a.start, o.a.end), (o.b.start, o.b.end)
        between.setdefault((o.a.doc_id, o.b.doc_id), []).append((a, b, o.source))
        between.setdefault((o.b.doc_id, o.a.doc_id), []).append((b, a, o.source))
    found = direction = 0
    missed: list[str] = []
    for e in labelled.events:
        shared = between.get((e.source, e.target), [])
        on_source = _coverage(tokens[e.source], e.source_span, [x for x, _, _ in shared])
        on_target = _coverage(tokens[e.target], e.target_span, [y for _, y, _ in shared])
        if min(on_source, on_target) >= 0.8:
            found += 1
            sources = {src for _, y, src in shared if y[0] < e.target_span[1] and e.target_span[0] < y[1]}
            direction += sources == {e.source}
        else:
            missed.append(f"{e.source}->{e.target} edited={e.edited} cover={on_source:.2f}/{on_target:.2f}")
    gold: dict[tuple[str, str], list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    for e in labelled.events:
        gold.setdefault((e.source, e.target), []).append((e.source_span, e.target_span))
        gold.setdefault((e.target, e.source), []).append((e.target_span, e.source_span))
    correct, stock_misreports, false_spans = 0, 0, []
    for o in copies:
        pairs = gold.get((o.a.doc_id, o.b.doc_id), [])
        in_a = _coverage(tokens[o.a.doc_id], (o.a.start, o.a.end), [x for x, _ in pairs])
        in_b = _coverage(tokens[o.b.doc_id], (o.b.start, o.b.end), [y for _, y in pairs])
        correct += min(in_a, in_b) >= 0.5
        if min(in_a, in_b) < 0.5:
            false_spans.append(
                f"{o.a.doc_id}/{o.b.doc_id} {o.words}w {texts[o.a.doc_id][o.a.start : o.a.end][:70]!r}"
            )
        stock_a = _coverage(tokens[o.a.doc_id], (o.a.start, o.a.end), _stock_spans(texts[o.a.doc_id]))
        stock_b = _coverage(tokens[o.b.doc_id], (o.b.start, o.b.end), _stock_spans(texts[o.b.doc_id]))
        stock_misreports += max(stock_a, stock_b) >= 0.5
    cluster_of = {m: c for c in comparison.near_duplicates for m in c.members}
    clustered = sum(
        cluster_of.get(o) is not None and cluster_of.get(o) is cluster_of.get(r) for o, r in labelled.reposts
    )
    kept = sum(cluster_of.get(o) is not None and cluster_of[o].keep == o for o, _ in labelled.reposts)
    events = len(labelled.events)
    return {
        "documents": len(labelled.docs),
        "copied_passages": events,
        "edited_passages": sum(e.edited for e in labelled.events),
        "recall": round(found / events, 4) if events else 1.0,
        "precision": round(correct / len(copies), 4) if copies else 1.0,
        "direction": round(direction / found, 4) if found else 1.0,
        "reported_copies": len(copies),
        "stock_reported": sum(o.kind == "stock" for o in comparison.overlaps),
        "stock_misreports": stock_misreports,
        "reposts": len(labelled.reposts),
        "reposts_clustered": clustered,
        "reposts_kept_original": kept,
        "near_duplicate_clusters": len(comparison.near_duplicates),
        "missed": missed,
        "false_spans": false_spans,
    }


def run_benchmark(
    english: int = 84,
    per_language: int = 4,
    seed: int = 7,
    settings: Settings | None = None,
    changes_per_100: float = 2.0,
) -> dict:
    """Build the labelled corpus, compare it and score it."""
    labelled = build_corpus(english, per_language, seed, changes_per_100)
    return score(labelled, compare_corpus(labelled.docs, settings or Settings()))


def _auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Area under the ROC curve: chance a reuse case scores above an independent one (ties half)."""
    if not positive or not negative:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def score_clough(settings: Settings | None = None) -> dict[str, object]:
    """Per label: answers with a reported copy of their source, mean share of words covered, AUC."""
    folder = EVAL / "clough-stevenson-reuse"
    answers = [
        json.loads(line) for line in (folder / "answers.jsonl").read_text("utf-8").splitlines() if line
    ]
    sources = [
        json.loads(line) for line in (folder / "sources.jsonl").read_text("utf-8").splitlines() if line
    ]
    docs = [CompareDoc(f"source-{s['topic']}", s["text"]) for s in sources]
    docs += [CompareDoc(a["id"], a["text"]) for a in answers]
    comparison = compare_corpus(docs, settings or Settings())
    texts = {d.id: d.text for d in docs}
    contained = {(c.id, c.contained_in) for c in comparison.contained}
    cluster_of = {m: c.members for c in comparison.near_duplicates for m in c.members}
    rows: dict[str, list[tuple[bool, float, bool, bool]]] = {}
    coverage_by_label: dict[int, list[float]] = {}
    for answer in answers:
        source = f"source-{answer['topic']}"
        spans = [
            (o.b.start, o.b.end) if o.a.doc_id == source else (o.a.start, o.a.end)
            for o in comparison.overlaps
            if o.kind in COPY_KINDS and {o.a.doc_id, o.b.doc_id} == {answer["id"], source}
        ]
        tokens = tokenize(texts[answer["id"]])
        share = _coverage((tokens.starts, tokens.ends), (0, len(texts[answer["id"]])), spans)
        is_contained = (answer["id"], source) in contained or (source, answer["id"]) in contained
        near = source in cluster_of.get(answer["id"], ())
        share = 1.0 if near else share  # a near duplicate is reported as a cluster, not as spans
        rows.setdefault(answer["label_name"], []).append((bool(spans), share, is_contained, near))
        coverage_by_label.setdefault(answer["label"], []).append(share)
    table = {
        label: {
            "answers": len(items),
            "near_duplicate": sum(i[3] for i in items),
            "contained": sum(i[2] for i in items),
            "copy_spans": sum(i[0] for i in items),
            "any_of_these": sum(i[0] or i[2] or i[3] for i in items),
            "mean_coverage": round(sum(i[1] for i in items) / len(items), 3),
        }
        for label, items in sorted(rows.items())
    }
    reuse = [c for label in (1, 2, 3) for c in coverage_by_label.get(label, [])]
    return {"labels": table, "auc_reuse_vs_non": round(_auc(reuse, coverage_by_label.get(0, [])), 3)}


def score_pan(settings: Settings | None = None) -> dict[str, object]:
    """Cases found (a reported copy covering >= half of both gold spans) per obfuscation; char precision."""
    folder = EVAL / "indonesian-plagiarism-pan"
    docs = [
        CompareDoc(path.name, path.read_text("utf-8"))
        for sub in ("source-documents", "suspicious-documents")
        for path in sorted((folder / sub).glob("*.txt"))
    ]
    cases = [json.loads(line) for line in (folder / "cases.jsonl").read_text("utf-8").splitlines() if line]
    comparison = compare_corpus(docs, settings or Settings())
    spans: dict[tuple[str, str], list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    for o in comparison.overlaps:
        if o.kind in COPY_KINDS:
            spans.setdefault((o.a.doc_id, o.b.doc_id), []).append(
                ((o.a.start, o.a.end), (o.b.start, o.b.end))
            )
            spans.setdefault((o.b.doc_id, o.a.doc_id), []).append(
                ((o.b.start, o.b.end), (o.a.start, o.a.end))
            )
    found: dict[str, list[bool]] = {}
    gold_by_pair: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for case in cases:
        this = (case["this_offset"], case["this_offset"] + case["this_length"])
        other = (case["source_offset"], case["source_offset"] + case["source_length"])
        pair = (case["suspicious_document"], case["source_document"])
        gold_by_pair.setdefault(pair, []).append(this)
        reported = spans.get(pair, [])
        hit = (
            _char_share(this, [x for x, _ in reported]) >= 0.5
            and _char_share(other, [y for _, y in reported]) >= 0.5
        )
        found.setdefault(f"{case['type']}/{case['obfuscation'] or 'hand-written'}", []).append(hit)
    reported_chars = inside_chars = 0
    clean = {d.id for d in docs if d.id.startswith("suspicious")} - {c["suspicious_document"] for c in cases}
    clean_hits = 0
    for (left, right), items in spans.items():
        if not (left.startswith("suspicious") and right.startswith("source")):
            continue
        clean_hits += len(items) if left in clean else 0
        for this, _ in items:
            reported_chars += this[1] - this[0]
            inside_chars += round(
                _char_share(this, gold_by_pair.get((left, right), [])) * (this[1] - this[0])
            )
    return {
        "cases": len(cases),
        "recall": {key: f"{sum(v)}/{len(v)}" for key, v in sorted(found.items())},
        "char_precision": round(inside_chars / reported_chars, 3) if reported_chars else None,
        "copies_reported_in_clean_documents": clean_hits,
        "kinds": {k: sum(o.kind == k for o in comparison.overlaps) for k in ("verbatim", "near", "stock")},
    }


def _char_share(span: tuple[int, int], covers: Sequence[tuple[int, int]]) -> float:
    """Share of the characters of `span` inside the union of `covers`."""
    covered = np.zeros(max(span[1] - span[0], 0), dtype=bool)
    for low, high in covers:
        covered[max(low - span[0], 0) : max(min(high, span[1]) - span[0], 0)] = True
    return float(covered.mean()) if len(covered) else 0.0


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--english", type=int, default=84, help="English base articles (at most those usable)"
    )
    parser.add_argument("--per-language", type=int, default=4, help="base documents per other language")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = run_benchmark(args.english, args.per_language, args.seed)
    print("labelled corpus (../shared/eval texts):")
    for key, value in result.items():
        if isinstance(value, list):
            for line in value[:10]:
                print(f"  {key}: {line}")
        else:
            print(f"  {key}: {value}")
    print("beyond light edits (words dropped or changed per 100, in edited passages only):")
    for rate in (5.0, 10.0, 20.0):
        heavier = run_benchmark(args.english, args.per_language, args.seed, changes_per_100=rate)
        print(f"  {rate:>4} per 100: recall {heavier['recall']}, precision {heavier['precision']}")
    print("clough-stevenson-reuse:", json.dumps(score_clough(), indent=1))
    print("indonesian-plagiarism-pan:", json.dumps(score_pan(), indent=1))


if __name__ == "__main__":
    main()
