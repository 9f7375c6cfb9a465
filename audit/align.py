"""Turn a candidate pair of texts into maximal shared spans with offsets in both.

Seed, extend, merge, as text-reuse aligners (passim, BLAST-style tools) do:
shared shingles are the seeds; seeds on one diagonal (same offset between the
two texts) join into exact runs; runs are chained across small gaps, which is
what keeps a dropped or substituted word from cutting a span in two (case,
punctuation, quotes and line wrapping never reach this far: the tokenizer has
already folded them away); finally each chain is extended word by word past its
last shared shingle. Similarity is computed on words: exact runs plus the
longest common subsequence inside each bridged gap, over the longer side.

The same code finds a passage repeated inside one text (`align_self`): the
second occurrence is simply required to start after the first one ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from audit.fingerprint import Shingled
from audit.settings import Settings

# A shingle occurring more often than this in either text is a refrain
# ("ha ha ha ha ha", a repeated table row): its cross product of seeds would be
# quadratic and it cannot anchor one passage anyway. Sixteen keeps every
# repeated title and quote seen in the seeds and eval sets.
MAX_SEED_OCCURRENCES = 16
# Edits stepped over when extending past the outer seeds, as (words skipped in a,
# words skipped in b): a changed word, a dropped or added word, then two of them.
EDIT_STEPS = ((1, 1), (1, 0), (0, 1), (2, 2), (2, 1), (1, 2))
# Words that must agree again beyond such an edit. Two would let "of the" glue
# unrelated text onto a span; three still recovers a changed fourth word.
MIN_AGREEMENT_AFTER_EDIT = 3


@dataclass(frozen=True)
class Alignment:
    """One shared span: token ranges [start, end) and character ranges in both texts."""

    a_tokens: tuple[int, int]
    b_tokens: tuple[int, int]
    a_chars: tuple[int, int]
    b_chars: tuple[int, int]
    words: int  # tokens on the shorter side
    similarity: float  # matched tokens / tokens on the longer side


@dataclass
class _Chain:
    runs: list[tuple[int, int, int, int]]  # (a0, a1, b0, b1), in order of a0
    a0: int
    a1: int
    b0: int
    b1: int
    matched: int


def align_pair(a: Shingled, b: Shingled, settings: Settings) -> list[Alignment]:
    """Maximal spans shared by two texts, in order of their position in `a`."""
    seeds = _seed_pairs(a.shingles, b.shingles, same=False)
    return _align(a, b, seeds, settings, False, settings.min_overlap_words, settings.min_span_similarity)


def align_self(fingerprint: Shingled, settings: Settings) -> list[Alignment]:
    """Passages that occur twice in one text: `a_*` is the first occurrence, `b_*` the second."""
    seeds = _seed_pairs(fingerprint.shingles, fingerprint.shingles, same=True)
    return _align(
        fingerprint,
        fingerprint,
        seeds,
        settings,
        True,
        settings.min_repeat_words,
        settings.min_repeat_similarity,
    )


def _seed_pairs(sa: np.ndarray, sb: np.ndarray, same: bool) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with sa[i] == sb[j], leaving out refrains; for one text only j > i."""
    empty = np.zeros(0, dtype=np.int64)
    if len(sa) == 0 or len(sb) == 0:
        return empty, empty
    if same:
        # Only shingles occurring twice can seed a repeat, and most texts repeat few of them:
        # pair up those positions alone (their order and counts are the whole text's).
        ordered = np.sort(sa)
        repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        if len(repeated) == 0:
            return empty, empty
        positions = np.flatnonzero(np.isin(sa, repeated))
        ia, ib = _seed_pairs(sa[positions], sa[positions], same=False)
        ia, ib = positions[ia], positions[ib]
        later = ib > ia
        return ia[later], ib[later]
    order = np.argsort(sb, kind="stable")
    sorted_b = sb[order]
    low = np.searchsorted(sorted_b, sa, "left")
    count_b = np.searchsorted(sorted_b, sa, "right") - low
    _, inverse, counts = np.unique(sa, return_inverse=True, return_counts=True)
    count_a = counts[inverse]
    keep = np.flatnonzero(
        (count_b > 0) & (count_b <= MAX_SEED_OCCURRENCES) & (count_a <= MAX_SEED_OCCURRENCES)
    )
    repeats = count_b[keep]
    ia = np.repeat(keep, repeats)
    offsets = np.arange(int(repeats.sum())) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    ib = order[np.repeat(low[keep], repeats) + offsets]
    return ia.astype(np.int64), ib.astype(np.int64)


def _runs(ia: np.ndarray, ib: np.ndarray, size: int) -> list[tuple[int, int, int, int]]:
    """Seeds on one diagonal at consecutive positions, as token ranges (a0, a1, b0, b1)."""
    if len(ia) == 0:
        return []
    diagonal = ib - ia
    order = np.lexsort((ia, diagonal))
    ia, diagonal = ia[order], diagonal[order]
    breaks = np.flatnonzero((np.diff(diagonal) != 0) | (np.diff(ia) != 1)) + 1
    first = np.concatenate(([0], breaks))
    last = np.concatenate((breaks - 1, [len(ia) - 1]))
    a0, a1, shift = ia[first], ia[last] + size, diagonal[first]
    runs = np.column_stack((a0, a1, a0 + shift, a1 + shift))
    runs = runs[np.lexsort((runs[:, 2], runs[:, 0]))]
    return [tuple(row) for row in runs.tolist()]


def _chain_runs(runs: list[tuple[int, int, int, int]], max_gap: int, overlap: int) -> list[_Chain]:
    """Greedily join runs that continue a chain within `max_gap` words on both sides."""
    open_chains: list[_Chain] = []
    finished: list[_Chain] = []
    for run in runs:
        a0, a1, b0, b1 = run
        still_open = []
        for chain in open_chains:
            (finished if a0 - chain.a1 > max_gap else still_open).append(chain)
        open_chains = still_open
        best: _Chain | None = None
        best_score: tuple[int, int] | None = None
        for chain in open_chains:
            gap_a, gap_b = a0 - chain.a1, b0 - chain.b1
            if not (-overlap <= gap_a <= max_gap and -overlap <= gap_b <= max_gap):
                continue
            if a1 <= chain.a1 or b1 <= chain.b1:
                continue
            score = (abs(gap_a) + abs(gap_b), -chain.matched)
            if best_score is None or score < best_score:
                best, best_score = chain, score
        if best is None:
            open_chains.append(_Chain([run], a0, a1, b0, b1, a1 - a0))
        else:
            best.runs.append(run)
            best.matched += a1 - max(a0, best.a1)
            best.a1, best.b1 = a1, b1
    return finished + open_chains


def _agree(ta: np.ndarray, tb: np.ndarray, i: int, j: int, step: int, limit_a: int, limit_b: int) -> int:
    """How many tokens agree walking from (i, j) by `step` (-1 back, +1 forward), within limits."""
    count = 0
    if step < 0:
        while (
            i - count - 1 >= limit_a and j - count - 1 >= limit_b and ta[i - count - 1] == tb[j - count - 1]
        ):
            count += 1
    else:
        while i + count < limit_a and j + count < limit_b and ta[i + count] == tb[j + count]:
            count += 1
    return count


def _extend(
    chain: _Chain, ta: np.ndarray, tb: np.ndarray, same: bool
) -> tuple[tuple[int, int, int, int], int]:
    """Grow the chain word by word past its outer seeds; return the bounds and the words matched.

    Where agreement stops, one edit (a changed, dropped or added word, or two)
    is stepped over if at least MIN_AGREEMENT_AFTER_EDIT words agree beyond it:
    that is what keeps "The committee said on Tuesday" from losing its first
    four words when "Tuesday" became "Monday" (four words make no 5-word seed).
    """
    a0, a1, b0, b1 = chain.a0, chain.a1, chain.b0, chain.b1
    matched = 0
    floor_b = a1 if same else 0  # a repeat's second copy never reaches back into the first
    while True:
        count = _agree(ta, tb, a0, b0, -1, 0, floor_b)
        a0, b0, matched = a0 - count, b0 - count, matched + count
        skip = next(
            (
                (x, y)
                for x, y in EDIT_STEPS
                if _agree(ta, tb, a0 - x, b0 - y, -1, 0, floor_b) >= MIN_AGREEMENT_AFTER_EDIT
            ),
            None,
        )
        if skip is None:
            break
        a0, b0 = a0 - skip[0], b0 - skip[1]
    ceiling_a = b0 if same else len(ta)
    while True:
        count = _agree(ta, tb, a1, b1, 1, ceiling_a, len(tb))
        a1, b1, matched = a1 + count, b1 + count, matched + count
        skip = next(
            (
                (x, y)
                for x, y in EDIT_STEPS
                if _agree(ta, tb, a1 + x, b1 + y, 1, ceiling_a, len(tb)) >= MIN_AGREEMENT_AFTER_EDIT
            ),
            None,
        )
        if skip is None:
            break
        a1, b1 = a1 + skip[0], b1 + skip[1]
    if same and a1 > b0:  # a tandem repeat: the two copies may touch but never overlap
        a1 = b0
        b1 = b0 + (a1 - a0)
    return (a0, a1, b0, b1), matched


def _covered(ranges: list[tuple[int, int]], low: int, high: int) -> int:
    """Number of positions in [low, high) covered by the ranges."""
    total, reach = 0, low
    for start, end in sorted(ranges):
        start, end = max(start, reach), min(end, high)
        if end > start:
            total += end - start
            reach = end
    return total


def _lcs_length(x: list[int], y: list[int]) -> int:
    """Longest common subsequence of two short token lists (gaps are at most a few words)."""
    if not x or not y:
        return 0
    previous = [0] * (len(y) + 1)
    for item in x:
        current = [0]
        for j, other in enumerate(y):
            current.append(previous[j] + 1 if item == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def _matched_inside(chain: _Chain, ta: np.ndarray, tb: np.ndarray) -> int:
    """Tokens matched between the chain's outer seeds: exact runs plus the LCS of each bridged gap."""
    a_ranges = [(r[0], r[1]) for r in chain.runs]
    b_ranges = [(r[2], r[3]) for r in chain.runs]
    matched = min(_covered(a_ranges, chain.a0, chain.a1), _covered(b_ranges, chain.b0, chain.b1))
    reach_a, reach_b = chain.runs[0][1], chain.runs[0][3]
    for run in chain.runs[1:]:
        if run[0] > reach_a and run[2] > reach_b:
            matched += _lcs_length(ta[reach_a : run[0]].tolist(), tb[reach_b : run[2]].tolist())
        reach_a, reach_b = max(reach_a, run[1]), max(reach_b, run[3])
    return matched


def _align(
    a: Shingled,
    b: Shingled,
    seeds: tuple[np.ndarray, np.ndarray],
    settings: Settings,
    same: bool,
    min_words: int,
    min_similarity: float,
) -> list[Alignment]:
    size = settings.shingle_size
    chains = _chain_runs(_runs(*seeds, size), settings.max_gap_words, size - 1)
    ta, tb = a.tokens.hashes, b.tokens.hashes
    spans: list[tuple[tuple[int, int, int, int], float]] = []
    for chain in chains:
        bounds, extended = _extend(chain, ta, tb, same)
        a0, a1, b0, b1 = bounds
        if min(a1 - a0, b1 - b0) < min_words:
            continue
        similarity = min((_matched_inside(chain, ta, tb) + extended) / max(a1 - a0, b1 - b0), 1.0)
        if similarity >= min_similarity:
            spans.append((bounds, similarity))
    spans = _resolve_conflicts(_drop_enclosed(spans))
    return [_to_alignment(bounds, similarity, a, b) for bounds, similarity in spans]


def _drop_enclosed(
    spans: list[tuple[tuple[int, int, int, int], float]],
) -> list[tuple[tuple[int, int, int, int], float]]:
    """Leave out spans lying inside another span on both sides (cross matches of a phrase)."""
    spans = sorted(spans, key=lambda item: (item[0][0], -item[0][1], item[0][2], -item[0][3]))
    kept: list[tuple[tuple[int, int, int, int], float]] = []
    for bounds, similarity in spans:
        a0, a1, b0, b1 = bounds
        if any(k[0] <= a0 and a1 <= k[1] and k[2] <= b0 and b1 <= k[3] for k, _ in kept):
            continue
        kept.append((bounds, similarity))
    return kept


def _resolve_conflicts(
    spans: list[tuple[tuple[int, int, int, int], float]],
) -> list[tuple[tuple[int, int, int, int], float]]:
    """Keep, for a passage aligned to several places, only the best-matching places.

    Text with repeated structure (a meal plan, a results table) lets one passage
    align to several similar regions on the other side. A span overlapping a
    better one by more than half of its length on either side is dropped unless
    it matches just as well (then the source is genuinely ambiguous: the
    passage occurs twice, and both places are reported).
    """
    ranked = sorted(spans, key=lambda item: (-item[1] * (item[0][1] - item[0][0]), item[0]))
    kept: list[tuple[tuple[int, int, int, int], float]] = []
    for bounds, similarity in ranked:
        if not any(
            _conflicts(bounds, other) and similarity < other_similarity for other, other_similarity in kept
        ):
            kept.append((bounds, similarity))
    return sorted(kept)


def _conflicts(span: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> bool:
    a0, a1, b0, b1 = span
    shared_a = min(a1, other[1]) - max(a0, other[0])
    shared_b = min(b1, other[3]) - max(b0, other[2])
    return shared_a * 2 > a1 - a0 or shared_b * 2 > b1 - b0


def _to_alignment(
    bounds: tuple[int, int, int, int], similarity: float, a: Shingled, b: Shingled
) -> Alignment:
    a0, a1, b0, b1 = bounds
    return Alignment(
        a_tokens=(a0, a1),
        b_tokens=(b0, b1),
        a_chars=(int(a.tokens.starts[a0]), int(a.tokens.ends[a1 - 1])),
        b_chars=(int(b.tokens.starts[b0]), int(b.tokens.ends[b1 - 1])),
        words=min(a1 - a0, b1 - b0),
        similarity=round(similarity, 4),
    )
