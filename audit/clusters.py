"""Group duplicate documents and choose the one to keep.

Exact duplicates share the hash of their cleaned text. Near duplicates are
LSH candidates whose *true* Jaccard similarity of shingle sets reaches the
threshold (MinHash only nominates; the exact check decides, so an LSH false
positive never reaches the report). Verified pairs are joined by union-find,
as text-dedup does, so a chain of reposts lands in one cluster.

The keep policy is an option because the right answer depends on the use:
"earliest" (the default: the original publication), "longest" (the most
complete copy), "source:<substring>" (a preferred outlet or folder), or
"none" (report clusters, keep no one in particular).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from audit.types import Cluster

POLICIES = ("earliest", "longest", "none")
SOURCE_POLICY_PREFIX = "source:"


@dataclass(frozen=True)
class Candidate:
    """What the keep policy may look at for one document."""

    id: str
    length: int  # characters of the cleaned text
    published: str | None  # YYYY-MM-DD
    published_origin: str = ""
    source: str = ""


class UnionFind:
    """Disjoint sets over 0..n-1; the root of a set is its smallest member, for determinism."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)

    def groups(self) -> list[list[int]]:
        """Sets with more than one member, each sorted, in order of their smallest member."""
        by_root: dict[int, list[int]] = {}
        for item in range(len(self.parent)):
            by_root.setdefault(self.find(item), []).append(item)
        return [members for _, members in sorted(by_root.items()) if len(members) > 1]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique hash arrays."""
    if len(a) == 0 and len(b) == 0:
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


def containment(part: np.ndarray, whole: np.ndarray) -> float:
    """Share of `part`'s shingles that also occur in `whole` (sorted unique arrays)."""
    if len(part) == 0:
        return 0.0
    return len(np.intersect1d(part, whole, assume_unique=True)) / len(part)


def check_keep_policy(policy: str) -> None:
    """Raise ValueError for a policy other than earliest, longest, none or source:<substring>."""
    if policy in POLICIES:
        return
    if policy.startswith(SOURCE_POLICY_PREFIX) and len(policy) > len(SOURCE_POLICY_PREFIX):
        return
    raise ValueError(f"keep policy {policy!r} is not one of earliest, longest, none, source:<substring>")


def _earliest_key(item: Candidate) -> tuple[int, str, int, str]:
    return (item.published is None, item.published or "", -item.length, item.id)


def _longest_key(item: Candidate) -> tuple[int, int, str, str]:
    return (-item.length, item.published is None, item.published or "", item.id)


def _explain(winner: Candidate, runner_up: Candidate, policy: str) -> str:
    """Say which criterion separated the kept document from the next best one."""
    date_first = policy != "longest"
    checks = [
        (winner.published != runner_up.published and winner.published is not None, "date"),
        (winner.length != runner_up.length, "length"),
    ]
    if not date_first:
        checks.reverse()
    for differs, criterion in checks:
        if differs and criterion == "date":
            return (
                f"earliest published date {winner.published} ({winner.published_origin or 'unknown origin'})"
            )
        if differs and criterion == "length":
            return f"longest text ({winner.length} characters)"
    return "same date and length: first id"


def choose_keep(members: Sequence[Candidate], policy: str) -> tuple[str | None, str]:
    """(kept id or None, reason) for one cluster under the keep policy."""
    check_keep_policy(policy)
    if policy == "none":
        return None, "keep policy none: no member chosen"
    pool = list(members)
    prefix = ""
    if policy.startswith(SOURCE_POLICY_PREFIX):
        wanted = policy[len(SOURCE_POLICY_PREFIX) :]
        preferred = [m for m in members if wanted in m.source]
        if preferred:
            pool = preferred
            prefix = f"source contains {wanted!r}; "
        else:
            prefix = f"no source contains {wanted!r}; "
    ranked = sorted(pool, key=_longest_key if policy == "longest" else _earliest_key)
    if len(ranked) == 1:
        return ranked[0].id, prefix.removesuffix("; ")
    return ranked[0].id, prefix + _explain(ranked[0], ranked[1], policy)


def exact_groups(texts: Sequence[str], eligible: Sequence[int]) -> list[list[int]]:
    """Groups (sorted indices) of eligible documents whose texts are identical."""
    by_text: dict[str, list[int]] = {}
    for index in sorted(eligible):
        by_text.setdefault(texts[index], []).append(index)
    return sorted(members for members in by_text.values() if len(members) > 1)


def near_duplicate_groups(
    pairs: Sequence[tuple[int, int]], sets: Sequence[np.ndarray], size: int, threshold: float
) -> tuple[list[tuple[list[int], float]], int]:
    """Clusters (sorted indices, lowest verified Jaccard) from candidate pairs, and pairs verified."""
    verified: dict[tuple[int, int], float] = {}
    for a, b in sorted(pairs):
        score = jaccard(sets[a], sets[b])
        if score >= threshold:
            verified[(a, b)] = score
    return groups_from_verified(verified, size), len(verified)


def groups_from_verified(verified: dict[tuple[int, int], float], size: int) -> list[tuple[list[int], float]]:
    """Clusters (sorted indices, lowest verified Jaccard) joined by union-find over verified pairs.

    Apart from `near_duplicate_groups` so an engine that verifies pairs in its
    own tasks (Spark) clusters the edges it collects with this same code.
    """
    finder = UnionFind(size)
    for a, b in sorted(verified):
        finder.union(a, b)
    lowest: dict[int, float] = {}
    for (a, _), score in verified.items():
        root = finder.find(a)
        lowest[root] = min(score, lowest.get(root, score))
    return [(members, round(lowest[finder.find(members[0])], 4)) for members in finder.groups()]


def make_cluster(members: Sequence[Candidate], similarity: float, policy: str) -> Cluster:
    """A Cluster with its members sorted by id and the keep policy applied."""
    keep, reason = choose_keep(members, policy)
    return Cluster(tuple(sorted(m.id for m in members)), similarity, keep, reason)
