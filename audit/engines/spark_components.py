"""Near-duplicate clusters as Spark shuffles: connected components of the verified-pair graph.

`groups_from_verified` joins the verified pairs with a union-find, which needs
every edge in one process; on the Spark engine that would mean collecting them
all to the driver. Here the components are found with the large-star /
small-star algorithm (Kiveris et al., "Connected Components in MapReduce and
Beyond", 2014; text-dedup's minhash_spark does the same), each member is
labelled with the smallest node of its component, and the members and the
lowest Jaccard are aggregated per label, so only the clusters reach the driver.

The graph is kept as (larger node, (smaller node, changed)) records. A round is
two shuffles: large-star hangs every larger neighbour of a node on the
smallest node of its neighbourhood, small-star hangs a node and its smaller
neighbours on the smallest of them. `changed` marks records a step moved: a
large-star node whose neighbourhood holds a smaller node, a small-star node
with more than one smaller neighbour (or a moved record coming in). When a
round moves nothing the graph is a forest of stars, each centred on its
component's smallest node, and the rounds stop. Neighbours are gathered into
sets, so edges that two reducers emit twice count once.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyspark import RDD, StorageLevel

# (larger node, (smaller node, moved this round))
Hung = tuple[int, tuple[int, bool]]
Verified = tuple[tuple[int, int], float]
# A round's shuffles carry two small ints per edge, so a partition can hold many
# edges; fewer partitions mean fewer tasks per round, each of which costs
# scheduling time whatever its size (tens of milliseconds on local[2]).
EDGES_PER_PARTITION = 50_000


def verified_groups(verified: RDD[Verified]) -> tuple[list[tuple[list[int], float]], int]:
    """What `groups_from_verified` returns for these ((a, b), Jaccard) pairs (a < b), and their number.

    The clusters come sorted by smallest member, each with its members sorted
    and its lowest verified Jaccard rounded to 4 places, like the union-find's.
    `verified` should be persisted: it is counted, then read by the first round
    and by the final aggregation.
    """
    count = verified.count()
    if not count:
        return [], 0
    partitions = -(-count // EDGES_PER_PARTITION)
    # The verification's many partitions, read as a few: a task per partition
    # costs more than the few edges in each.
    pairs = verified.coalesce(partitions)
    stars = star_forest(pairs.map(lambda pair: (pair[0][1], (pair[0][0], False))), partitions)
    try:
        # Every node is a leaf of the forest or a centre, and a centre, the
        # smallest node of its component, is the first node of its pairs: the
        # cogroup meets each node once, with its centre and its pairs' scores.
        clusters = (
            stars.cogroup(pairs.map(lambda pair: (pair[0][0], pair[1])), partitions)
            .map(_labelled)
            .groupByKey(partitions)
            .values()
            .map(_cluster)
            .collect()
        )
    finally:
        stars.unpersist()
    clusters.sort(key=lambda cluster: cluster[0][0])
    return [(members, round(score, 4)) for members, score in clusters], count


def star_forest(edges: RDD[Hung], partitions: int) -> RDD[Hung]:
    """The components as stars: (node, (smallest node of its component, False)) for each other node.

    Persisted. Each round's graph is persisted and counted (the convergence
    test), then the previous round's is dropped, so a round reads the last one
    from memory instead of recomputing the whole chain of rounds.
    """
    graph = edges
    while True:
        moved = (
            graph.flatMap(_both_directions)
            .groupByKey(partitions)
            .flatMap(_large_star)
            .groupByKey(partitions)
            .flatMap(_small_star)
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        changes = moved.filter(lambda record: record[1][1]).count()
        if graph is not edges:
            graph.unpersist()
        graph = moved
        if not changes:
            return graph


def _both_directions(record: Hung) -> tuple[tuple[int, int], tuple[int, int]]:
    larger, (smaller, _) = record
    return (larger, smaller), (smaller, larger)


def _large_star(group: tuple[int, Iterable[int]]) -> list[Hung]:
    """Hang the node's larger neighbours on the smallest node of its neighbourhood."""
    node, neighbours = group
    unique = set(neighbours)
    lowest = min(node, min(unique))
    return [(neighbour, (lowest, lowest < node)) for neighbour in unique if neighbour > node]


def _small_star(group: tuple[int, Iterable[tuple[int, bool]]]) -> list[Hung]:
    """Hang the node and its smaller neighbours on the smallest of them."""
    node, hung = group
    smaller: set[int] = set()
    changed = False
    for neighbour, moved in hung:
        smaller.add(neighbour)
        changed = changed or moved
    lowest = min(smaller)
    changed = changed or len(smaller) > 1
    return [(member, (lowest, changed)) for member in smaller | {node} if member != lowest]


def _labelled(
    node: tuple[int, tuple[Iterable[tuple[int, bool]], Iterable[float]]],
) -> tuple[int, tuple[int, float | None]]:
    """(centre, (node, lowest score of the pairs the node starts, if any)).

    A node that is no leaf of the forest has no centre: it is a centre itself.
    """
    index, (centres, scores) = node
    centre = next((centre for centre, _ in centres), index)
    return centre, (index, min(scores, default=None))


def _cluster(members: Iterable[tuple[int, float | None]]) -> tuple[list[int], float]:
    """A component's sorted members and the lowest Jaccard of its pairs."""
    nodes = []
    scores = []
    for node, score in members:
        nodes.append(node)
        if score is not None:
            scores.append(score)
    return sorted(nodes), min(scores)
