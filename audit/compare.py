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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

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
from audit.shingle import Tokens
from audit.spill import MappedSequence, spill_sorted
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
    overlaps: Sequence[Overlap]  # on disk (audit/spill.py): the one section that outgrows the corpus
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
            "overlaps": MappedSequence(self.overlaps, Overlap.to_json),
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
    return repeats_of(doc_id, shingle_text(text, settings), settings)


def repeats_of(doc_id: str, fingerprint: Shingled, settings: Settings) -> list[Repeat]:
    """Repeats inside one already shingled text."""
    repeats = [
        Repeat(
            doc_id, Span(doc_id, *found.a_chars), Span(doc_id, *found.b_chars), found.similarity, found.words
        )
        for found in align_self(fingerprint, settings)
    ]
    return sorted(repeats, key=lambda r: (r.first.start, r.second.start, r.first.end, r.second.end))


def candidate_of(doc: CompareDoc) -> Candidate:
    """What the keep policy may look at for one document."""
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
    docs = sorted(docs, key=lambda d: d.id)
    return compare_fingerprints(docs, [fingerprint_text(d.text, settings) for d in docs], settings)


def compare_fingerprints(
    docs: Sequence[CompareDoc], prints: Sequence[Fingerprint], settings: Settings
) -> Comparison:
    """`compare_corpus` for documents sorted by id whose fingerprints are already computed.

    Fingerprinting is per document, so an engine computes `prints` in its
    workers (`fingerprint_text` on each text, in the order of `docs`).
    """
    check_keep_policy(settings.keep_policy)
    ids = [d.id for d in docs]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        raise ValueError("document ids must be unique and sorted")
    if len(prints) != len(docs):
        raise ValueError("one fingerprint per document is needed")
    candidates = [candidate_of(d) for d in docs]
    too_short, eligible = split_too_short([p.shingle_count for p in prints], settings)
    exact, active = group_exact([d.text for d in docs], candidates, eligible, settings)

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
    near, families = near_clusters(groups, candidates, settings)
    frequency = _family_frequency(prints, active, families)

    pairs = [(a, b) for a, b in windows.document_pairs if families.find(a) != families.find(b)]
    overlaps: list[Overlap] = []
    contained: list[Contained] = []
    for a, b in pairs:
        found, lineage, alignments = examine_pair(docs[a], docs[b], prints[a], prints[b], settings)
        if found is not None:
            contained.append(found)
        for alignment in alignments:
            span = span_shingles(alignment, prints[a], settings)
            overlaps.append(judged_overlap((ids[a], ids[b]), alignment, span, frequency, lineage, settings))

    repeats = [repeat for index in eligible for repeat in repeats_of(ids[index], prints[index], settings)]
    return assemble_comparison(
        exact,
        near,
        contained,
        [ids[i] for i in too_short],
        overlaps,
        repeats,
        CandidateCounts(
            len(near_pairs),
            verified,
            windows.window_pairs,
            len(windows.document_pairs),
            len(pairs),
            windows.skipped_buckets,
        ),
    )


def split_too_short(shingle_counts: Sequence[int], settings: Settings) -> tuple[list[int], list[int]]:
    """(too short, eligible) document indices: fewer shingles than `min_shingles` cannot be compared."""
    too_short = [i for i, count in enumerate(shingle_counts) if count < settings.min_shingles]
    return too_short, sorted(set(range(len(shingle_counts))) - set(too_short))


def near_clusters(
    groups: Sequence[tuple[list[int], float]], candidates: Sequence[Candidate], settings: Settings
) -> tuple[list[Cluster], UnionFind]:
    """Near-duplicate Clusters with the keep policy applied, and the families they form."""
    near = [make_cluster([candidates[i] for i in m], score, settings.keep_policy) for m, score in groups]
    families = UnionFind(len(candidates))
    for members, _ in groups:
        for member in members[1:]:
            families.union(members[0], member)
    return near, families


class Comparable(Protocol):
    """What examining a pair reads of each side: a Fingerprint, or Shingled plus its shingle set."""

    @property
    def tokens(self) -> Tokens: ...
    @property
    def shingles(self) -> np.ndarray: ...
    @property
    def unique_shingles(self) -> np.ndarray: ...


def examine_pair(
    a: CompareDoc, b: CompareDoc, a_print: Comparable, b_print: Comparable, settings: Settings
) -> tuple[Contained | None, tuple[str | None, JSONDict], list[Alignment]]:
    """Everything one candidate pair yields on its own: containment, lineage, aligned spans."""
    source, evidence = decide_source(a.id, a.dates, b.id, b.dates)
    found = _contained(a.id, b.id, a_print, b_print, settings)
    contained = None if found is None else Contained(*found, source, evidence)
    return contained, (source, evidence), align_pair(a_print, b_print, settings)


def span_shingles(alignment: Alignment, a_print: Shingled, settings: Settings) -> np.ndarray:
    """The shingles of an aligned span's `a` side: what judging counts documents by."""
    first, last = alignment.a_tokens
    return a_print.shingles[first : max(last - settings.shingle_size + 1, first + 1)]


class CandidateCounts(NamedTuple):
    """What candidate search let through (see `Comparison.candidates`), in the report's order."""

    document_pairs: int
    verified_pairs: int
    window_pairs: int
    window_document_pairs: int
    aligned_pairs: int
    skipped_buckets: int


def assemble_comparison(
    exact: Sequence[Cluster],
    near: Sequence[Cluster],
    contained: Sequence[Contained],
    too_short: Sequence[str],
    overlaps: Iterable[Overlap],
    repeats: Sequence[Repeat],
    candidates: CandidateCounts,
) -> Comparison:
    """The Comparison, every section in its fixed order (whatever order the parts came in)."""
    return Comparison(
        exact_duplicates=tuple(sorted(exact, key=lambda c: c.members)),
        near_duplicates=tuple(sorted(near, key=lambda c: c.members)),
        contained=tuple(sorted(contained, key=lambda c: (c.id, c.contained_in))),
        too_short=tuple(too_short),
        overlaps=spill_sorted(overlaps, overlap_key, "overlaps.pickle"),
        repeats=tuple(sorted(repeats, key=lambda r: (r.doc_id, r.first.start, r.second.start))),
        candidates=candidates._asdict(),
    )


def group_exact(
    texts: Sequence[str], candidates: Sequence[Candidate], eligible: Sequence[int], settings: Settings
) -> tuple[list[Cluster], list[int]]:
    """Exact-duplicate groups, and the documents left to compare (one per group: the kept one).

    A group always keeps one document (the schema's `keep` is an id): under the
    "none" policy the earliest is kept for the comparison that follows.
    """
    policy = "earliest" if settings.keep_policy == "none" else settings.keep_policy
    groups: list[Cluster] = []
    active = set(eligible)
    for group in exact_groups(texts, eligible):
        keep, reason = choose_keep([candidates[i] for i in group], policy)
        groups.append(Cluster(tuple(candidates[i].id for i in group), 1.0, keep, reason))
        active -= {i for i in group if candidates[i].id != keep}
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
    a_id: str, b_id: str, a_print: Comparable, b_print: Comparable, settings: Settings
) -> tuple[str, str, float] | None:
    """(part id, whole id, containment) when the smaller shingle set lies inside the larger."""
    if len(a_print.unique_shingles) <= len(b_print.unique_shingles):
        part, whole = (a_id, a_print), (b_id, b_print)
    else:
        part, whole = (b_id, b_print), (a_id, a_print)
    score = containment(part[1].unique_shingles, whole[1].unique_shingles)
    if score < settings.containment_threshold:
        return None
    return part[0], whole[0], round(score, 4)


def judged_overlap(
    ids: tuple[str, str],
    alignment: Alignment,
    shingles: np.ndarray,
    frequency: ShingleFrequency,
    lineage: tuple[str | None, JSONDict],
    settings: Settings,
) -> Overlap:
    """Judge one aligned span by its `span_shingles` and attach its lineage."""
    documents = frequency.median_documents(shingles)
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


def overlap_key(overlap: Overlap) -> tuple[str, str, int, int, int, int]:
    """The report's order of overlaps: by document pair, then by where they sit."""
    return (
        overlap.a.doc_id,
        overlap.b.doc_id,
        overlap.a.start,
        overlap.b.start,
        overlap.a.end,
        overlap.b.end,
    )
