"""Compare a corpus of cleaned texts: duplicates, containment, shared passages, repeats.

This is the one entry point the pipeline calls for corpus work. It wires the
stages in their fixed order (fingerprints, exact duplicates, near-duplicate
clusters, passage candidates, alignment, judging, lineage) and returns a
Comparison whose JSON is exactly the overlap sections of reports/overlap.json.

Everything is keyed and sorted by document id, so the result does not depend on
the order the documents arrive in, and there is no randomness besides the fixed
MinHash seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from audit.align import Alignment, align_pair, align_self
from audit.candidates import ShingleFrequency, find_near_duplicate_candidates, find_window_candidates
from audit.clusters import (
    Candidate,
    UnionFind,
    check_keep_policy,
    choose_keep,
    containment,
    exact_groups,
    make_cluster,
    near_duplicate_groups,
)
from audit.fingerprint import Fingerprint, Shingled, fingerprint_text, shingle_text
from audit.judge import judge_span
from audit.lineage import best_date, decide_source
from audit.settings import Settings
from audit.types import Cluster, JSONDict, Overlap, Repeat, Span


@dataclass(frozen=True)
class CompareDoc:
    """One document as the comparison sees it; every reported offset indexes `text`."""

    id: str
    text: str
    dates: tuple[JSONDict, ...] = ()  # {"date", "role", "origin", "text", "confidence"}
    source: str = ""


@dataclass(frozen=True)
class Contained:
    """A document whose shingles lie (almost) all inside a longer one: a story inside a roundup."""

    id: str
    contained_in: str
    containment: float
    source: str | None = None
    evidence: JSONDict = field(default_factory=dict)

    def to_json(self) -> JSONDict:
        return {
            "id": self.id,
            "contained_in": self.contained_in,
            "containment": self.containment,
            "source": self.source,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Comparison:
    """The corpus comparison: what reports/overlap.json shows in its overlap sections.

    `candidates` counts the work candidate search let through: `document_pairs`
    (document MinHashLSH candidates), `verified_pairs` (candidate pairs whose
    exact Jaccard reached the threshold), `window_pairs` (window pairs sharing an
    LSH bucket), `window_document_pairs` (the document pairs they belong to),
    `aligned_pairs` (those aligned: not in one duplicate cluster) and
    `skipped_buckets` (buckets too common to expand).
    """

    exact_duplicates: tuple[Cluster, ...]
    near_duplicates: tuple[Cluster, ...]
    contained: tuple[Contained, ...]
    too_short: tuple[str, ...]
    overlaps: tuple[Overlap, ...]
    repeats: tuple[Repeat, ...]
    candidates: JSONDict = field(default_factory=dict)

    def to_json(self) -> JSONDict:
        return {
            "exact_duplicates": [
                {"members": list(c.members), "keep": c.keep, "reason": c.reason}
                for c in self.exact_duplicates
            ],
            "near_duplicates": [c.to_json() for c in self.near_duplicates],
            "contained": [c.to_json() for c in self.contained],
            "too_short": list(self.too_short),
            "overlaps": [o.to_json() for o in self.overlaps],
            "repeats": [r.to_json() for r in self.repeats],
            "candidates": dict(self.candidates),
        }

    def duplicate_of(self) -> dict[str, str]:
        """Member id -> kept id, for every exact or near duplicate that is not itself kept."""
        near_keep = {m: c.keep for c in self.near_duplicates if c.keep is not None for m in c.members}
        result: dict[str, str] = {}
        for cluster in self.exact_duplicates:
            if cluster.keep is None:
                continue
            final = near_keep.get(cluster.keep, cluster.keep)
            for member in cluster.members:
                if member != final:
                    result[member] = final
        for member, keep in near_keep.items():
            if member != keep:
                result[member] = keep
        return dict(sorted(result.items()))

    def statuses(self) -> dict[str, str]:
        """Documents whose status is not "ok": duplicate, near-duplicate, contained or too-short."""
        result = dict.fromkeys(self.too_short, "too-short")
        result.update({c.id: "contained" for c in self.contained})
        for cluster in self.near_duplicates:
            result.update({m: "near-duplicate" for m in cluster.members if m != cluster.keep})
        for cluster in self.exact_duplicates:
            result.update({m: "duplicate" for m in cluster.members if m != cluster.keep})
        return dict(sorted(result.items()))


def find_repeats(doc_id: str, text: str, settings: Settings) -> list[Repeat]:
    """Passages occurring twice in one text (offsets into `text`), in order of position."""
    return _repeats(doc_id, shingle_text(text, settings), settings)


def _repeats(doc_id: str, fingerprint: Shingled, settings: Settings) -> list[Repeat]:
    repeats = [
        Repeat(
            doc_id, Span(doc_id, *found.a_chars), Span(doc_id, *found.b_chars), found.similarity, found.words
        )
        for found in align_self(fingerprint, settings)
    ]
    return sorted(repeats, key=lambda r: (r.first.start, r.second.start, r.first.end, r.second.end))


def _candidate(doc: CompareDoc) -> Candidate:
    published = best_date(doc.dates)
    return Candidate(
        id=doc.id,
        length=len(doc.text),
        published=str(published["date"])[:10] if published else None,
        published_origin=str(published.get("origin", "")) if published else "",
        source=doc.source,
    )


def compare_corpus(docs: Sequence[CompareDoc], settings: Settings) -> Comparison:
    """Exact and near duplicates, contained documents, shared passages and repeats of a corpus."""
    check_keep_policy(settings.keep_policy)
    docs = sorted(docs, key=lambda d: d.id)
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise ValueError("document ids must be unique")
    prints = [fingerprint_text(d.text, settings) for d in docs]
    candidates = [_candidate(d) for d in docs]
    too_short = [i for i, p in enumerate(prints) if p.shingle_count < settings.min_shingles]
    eligible = sorted(set(range(len(docs))) - set(too_short))
    exact, active = _group_exact(docs, candidates, eligible, settings)

    near_pairs = find_near_duplicate_candidates(prints, active, settings)
    per_document = ShingleFrequency.from_families([[prints[i].unique_shingles] for i in active])
    windows = find_window_candidates(prints, active, settings, per_document)
    # Window candidates are verified too: a near duplicate the document LSH missed
    # by bad luck still shares most of its windows.
    groups, verified = near_duplicate_groups(
        sorted(set(near_pairs) | set(windows.document_pairs)),
        [p.unique_shingles for p in prints],
        len(docs),
        settings.near_duplicate_threshold,
    )
    near = [make_cluster([candidates[i] for i in m], score, settings.keep_policy) for m, score in groups]
    families = UnionFind(len(docs))
    for members, _ in groups:
        for member in members[1:]:
            families.union(members[0], member)
    frequency = _family_frequency(prints, active, families)

    pairs = [(a, b) for a, b in windows.document_pairs if families.find(a) != families.find(b)]
    overlaps: list[Overlap] = []
    contained: list[Contained] = []
    for a, b in pairs:
        source, evidence = decide_source(ids[a], docs[a].dates, ids[b], docs[b].dates)
        found = _contained(a, b, prints, ids, settings)
        if found is not None:
            contained.append(Contained(*found, source, evidence))
        for alignment in align_pair(prints[a], prints[b], settings):
            overlaps.append(
                _overlap((ids[a], ids[b]), alignment, prints[a], frequency, (source, evidence), settings)
            )

    repeats = [repeat for index in eligible for repeat in _repeats(ids[index], prints[index], settings)]
    return Comparison(
        exact_duplicates=tuple(sorted(exact, key=lambda c: c.members)),
        near_duplicates=tuple(sorted(near, key=lambda c: c.members)),
        contained=tuple(sorted(contained, key=lambda c: (c.id, c.contained_in))),
        too_short=tuple(ids[i] for i in too_short),
        overlaps=tuple(sorted(overlaps, key=_overlap_key)),
        repeats=tuple(sorted(repeats, key=lambda r: (r.doc_id, r.first.start, r.second.start))),
        candidates={
            "document_pairs": len(near_pairs),
            "verified_pairs": verified,
            "window_pairs": windows.window_pairs,
            "window_document_pairs": len(windows.document_pairs),
            "aligned_pairs": len(pairs),
            "skipped_buckets": windows.skipped_buckets,
        },
    )


def _group_exact(
    docs: Sequence[CompareDoc], candidates: Sequence[Candidate], eligible: Sequence[int], settings: Settings
) -> tuple[list[Cluster], list[int]]:
    """Exact-duplicate groups, and the documents left to compare (one per group: the kept one).

    A group always keeps one document (the schema's `keep` is an id): under the
    "none" policy the earliest is kept for the comparison that follows.
    """
    policy = "earliest" if settings.keep_policy == "none" else settings.keep_policy
    groups: list[Cluster] = []
    active = set(eligible)
    for group in exact_groups([d.text for d in docs], eligible):
        keep, reason = choose_keep([candidates[i] for i in group], policy)
        groups.append(Cluster(tuple(docs[i].id for i in group), 1.0, keep, reason))
        active -= {i for i in group if docs[i].id != keep}
    return groups, sorted(active)


def _family_frequency(
    prints: Sequence[Fingerprint], active: Sequence[int], families: UnionFind
) -> ShingleFrequency:
    """Shingle document frequency with each near-duplicate cluster counted once."""
    members: dict[int, list[np.ndarray]] = {}
    for index in active:
        members.setdefault(families.find(index), []).append(prints[index].unique_shingles)
    return ShingleFrequency.from_families([members[root] for root in sorted(members)])


def _contained(
    a: int, b: int, prints: Sequence[Fingerprint], ids: Sequence[str], settings: Settings
) -> tuple[str, str, float] | None:
    """(part id, whole id, containment) when the smaller shingle set lies inside the larger."""
    sets = (prints[a].unique_shingles, prints[b].unique_shingles)
    part, whole = (a, b) if len(sets[0]) <= len(sets[1]) else (b, a)
    score = containment(prints[part].unique_shingles, prints[whole].unique_shingles)
    if score < settings.containment_threshold:
        return None
    return ids[part], ids[whole], round(score, 4)


def _overlap(
    ids: tuple[str, str],
    alignment: Alignment,
    a_print: Fingerprint,
    frequency: ShingleFrequency,
    lineage: tuple[str | None, JSONDict],
    settings: Settings,
) -> Overlap:
    """Judge one aligned span (by the shingles of its `a` side) and attach its lineage."""
    first, last = alignment.a_tokens
    span_shingles = a_print.shingles[first : max(last - settings.shingle_size + 1, first + 1)]
    documents = frequency.median_documents(span_shingles)
    kind, decided_by = judge_span(alignment.words, alignment.similarity, documents, settings)
    return Overlap(
        a=Span(ids[0], *alignment.a_chars),
        b=Span(ids[1], *alignment.b_chars),
        words=alignment.words,
        similarity=alignment.similarity,
        kind=kind,
        source=lineage[0],
        evidence=dict(lineage[1]),
        decided_by=decided_by,
    )


def _overlap_key(overlap: Overlap) -> tuple[str, str, int, int, int, int]:
    return (
        overlap.a.doc_id,
        overlap.b.doc_id,
        overlap.a.start,
        overlap.b.start,
        overlap.a.end,
        overlap.b.end,
    )
