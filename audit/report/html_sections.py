"""The tabular sections of the HTML report: summary, matrix, duplicates, documents.

Kept apart from html.py, which lays out passages in context, because these sections
only tabulate the JSON's lists and counts. Every value from the report is escaped.
Each section is yielded piece by piece, one table row at a time, so the documents
table and the pair list of a large corpus are written out rather than joined.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html import escape
from itertools import chain
from typing import Any

KINDS = ("verbatim", "near", "stock")
# Beyond this many documents a matrix stops being readable (and grows quadratically),
# so the page lists the related pairs instead; 40 columns still fit a laptop screen.
MATRIX_MAX_DOCS = 40

Pair = tuple[str, str]


def render_summary(report: dict[str, Any]) -> Iterator[str]:
    summary = report.get("summary", {})
    chars = summary.get("characters", {})
    overlaps = summary.get("overlaps", {})
    normalized = chars.get("normalized", 0)
    removed = chars.get("removed", 0)
    share = f" ({removed / normalized:.1%} of {normalized:,})" if normalized else ""
    cards = [
        ("Documents", f"{summary.get('documents', 0):,}", ""),
        ("Problems", f"{summary.get('problems', 0):,}", "inputs skipped"),
        ("Characters removed", f"{removed:,}", share.strip(" ()")),
        ("Exact duplicate groups", f"{summary.get('exact_duplicate_groups', 0):,}", ""),
        ("Near-duplicate clusters", f"{summary.get('near_duplicate_clusters', 0):,}", ""),
    ]
    total = sum(overlaps.get(kind, 0) for kind in KINDS)
    cards.append(("Shared passages", f"{total:,}", ", ".join(f"{overlaps.get(k, 0):,} {k}" for k in KINDS)))
    cards.append(("Repeats", f"{summary.get('repeats', 0):,}", "inside one document"))
    if "removed_repeats" in summary:
        cards.append(("Removed repeats", _count(summary["removed_repeats"]), "found before cleaning"))
    items = "".join(
        f'<div class="card"><dt>{escape(label)}</dt><dd>{value}'
        + (f'<span class="note">{escape(note)}</span>' if note else "")
        + "</dd></div>"
        for label, value, note in cards
    )
    by_rule = summary.get("removed_by_rule", {})
    rule_rows = [
        [
            f"<code>{escape(rule)}</code>",
            f"{by_rule[rule].get('characters', 0):,}",
            f"{by_rule[rule].get('edits', 0):,}",
        ]
        for rule in sorted(by_rule)
    ]
    languages = summary.get("languages", {})
    language_rows = [[escape(lang), f"{languages[lang]:,}"] for lang in sorted(languages)]
    candidates = report.get("candidates") or {}
    yield (
        '<section id="summary" aria-labelledby="summary-title"><h2 id="summary-title">Summary</h2>'
        f'<dl class="cards">{items}</dl><div class="columns"><div>'
    )
    yield from _table("Characters removed by rule", ["Rule", "Characters", "Edits"], rule_rows, (1, 2))
    yield "</div><div>"
    yield from _table("Documents by language", ["Language", "Documents"], language_rows, (1,))
    yield "</div></div>"
    if candidates:
        yield (
            '<p class="note">Candidate search: '
            + ", ".join(
                f"{escape(key.replace('_', ' '))} {_count(candidates[key])}" for key in sorted(candidates)
            )
            + ".</p>"
        )
    yield "</section>"


def render_problems(problems: Sequence[dict[str, Any]]) -> Iterator[str]:
    yield '<section id="problems" aria-labelledby="problems-title"><h2 id="problems-title">Problems</h2>'
    if not problems:
        yield "<p>None: every input was read.</p></section>"
        return
    yield '<ul class="problems">'
    for p in problems:
        source = "" if p["source"] in p["message"] else f" (<code>{escape(p['source'])}</code>)"
        yield f'<li><span class="badge problem">{escape(p["kind"])}</span> {escape(p["message"])}{source}</li>'
    yield "</ul></section>"


def render_matrix(report: dict[str, Any], numbers: Mapping[str, int]) -> Iterator[str]:
    """Documents against documents: what each pair shares, each cell linking to the passages."""
    cells = _collect_pairs(report)
    repeats: dict[str, int] = {}
    first_repeat: dict[str, int] = {}
    for index, repeat in enumerate(report.get("repeats", []), start=1):
        repeats[repeat["id"]] = repeats.get(repeat["id"], 0) + 1
        first_repeat.setdefault(repeat["id"], index)
    involved = sorted(
        {doc_id for pair in cells for doc_id in pair} | set(repeats),
        key=lambda doc_id: (numbers.get(doc_id, 0), doc_id),
    )
    yield '<section id="matrix" aria-labelledby="matrix-title"><h2 id="matrix-title">Document matrix</h2>'
    if not involved:
        yield "<p>No two documents share anything, and no document repeats itself.</p></section>"
        return
    yield (
        '<p class="legend">Each cell counts the passages two documents share: '
        '<span class="k kind-verbatim">V</span> verbatim, <span class="k kind-near">N</span> near, '
        '<span class="k kind-stock">S</span> stock; <span class="rel">≈ 0.86</span> near-duplicate '
        'similarity, <span class="rel">=</span> exact duplicate, <span class="rel">⊂ 0.95</span> containment. '
        "The diagonal counts repeats inside a document. Only documents with a relation are shown.</p>"
    )
    if len(involved) > MATRIX_MAX_DOCS:
        yield from _render_pair_list(cells, numbers)
    else:
        yield _render_grid(involved, cells, repeats, first_repeat, numbers)
    yield "</section>"


def _render_grid(
    involved: Sequence[str],
    cells: Mapping[Pair, dict[str, Any]],
    repeats: Mapping[str, int],
    first_repeat: Mapping[str, int],
    numbers: Mapping[str, int],
) -> str:
    """The matrix proper; at most MATRIX_MAX_DOCS squared cells, so built as one string."""
    header = "".join(
        f'<th scope="col"><a href="#doc-{numbers[d]}" title="{escape(d)}">{numbers[d]}</a></th>'
        for d in involved
    )
    rows = []
    for row in involved:
        tds = []
        for col in involved:
            if row == col:
                count = repeats.get(row, 0)
                link = f'<a href="#rep-{first_repeat[row]}">↻ {count}</a>' if count else "–"
                tds.append(f'<td class="diag">{link}</td>')
            else:
                pair = (min(row, col), max(row, col))
                tds.append(_render_cell(pair, cells.get(pair), numbers))
        rows.append(
            f'<tr><th scope="row"><span class="num">{numbers[row]}</span> '
            f'<a href="#doc-{numbers[row]}" title="{escape(row)}"><code>{escape(row)}</code></a></th>'
            + "".join(tds)
            + "</tr>"
        )
    return (
        '<div class="scroll"><table class="matrix"><caption class="sr">Shared passages by document pair'
        + f"</caption><thead><tr><td></td>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def render_duplicates(report: dict[str, Any], numbers: Mapping[str, int]) -> Iterator[str]:
    exact = (
        [_refs(g["members"], numbers), _ref(g["keep"], numbers)] for g in report.get("exact_duplicates", [])
    )
    near = (
        [
            _refs(c["members"], numbers),
            f"{c['similarity']:.2f}",
            _ref(c["keep"], numbers) if c.get("keep") else "none",
            escape(c.get("reason", "")),
        ]
        for c in report.get("near_duplicates", [])
    )
    contained = (
        [_ref(c["id"], numbers), _ref(c["contained_in"], numbers), f"{c['containment']:.2f}"]
        for c in report.get("contained", [])
    )
    short = report.get("too_short", [])
    yield '<section id="duplicates" aria-labelledby="duplicates-title"><h2 id="duplicates-title">Duplicates</h2>'
    yield from _table("Exact duplicates", ["Members", "Keep"], exact)
    yield from _table(
        "Near-duplicate clusters", ["Members", "Similarity", "Keep", "Reason"], near, numeric=(1,)
    )
    yield from _table(
        "Contained documents", ["Document", "Contained in", "Containment"], contained, numeric=(2,)
    )
    yield "<h3>Too short to compare</h3>"
    if short:
        # One piece per document, as in the tables: the list can be as long as the corpus.
        yield "<p>"
        yield from (f"{', ' if n else ''}{_ref(doc_id, numbers)}" for n, doc_id in enumerate(short))
        yield "</p>"
    else:
        yield "<p>None.</p>"
    yield "</section>"


def render_removed_repeats(removed: Sequence[dict[str, Any]], numbers: Mapping[str, int]) -> Iterator[str]:
    rows = (
        [
            _ref(r["id"], numbers),
            f"{r['first']['start']}–{r['first']['end']}",
            f"{r['second']['start']}–{r['second']['end']}",
            f"{r.get('words', 0):,}",
            f"{r['similarity']:.2f}",
            ", ".join(f"<code>{escape(rule)}</code>" for rule in r.get("removed_by", [])),
        ]
        for r in removed
    )
    yield (
        '<section id="removed-repeats" aria-labelledby="removed-repeats-title">'
        '<h2 id="removed-repeats-title">Repeats removed by cleaning</h2>'
    )
    note = (
        "<p>Found before cleaning, then removed by a rule (a repeated title or teaser is evidence even once "
        "removed). These offsets index the <strong>normalized</strong> text, not <code>cleaned/&lt;id&gt;.txt"
        "</code>; the removed text is in the edit log of <code>cleaned/manifest.jsonl</code>.</p>"
    )
    if removed:
        yield note
    headers = ["Document", "First", "Second", "Words", "Similarity", "Removed by"]
    yield from _table("", headers, rows, numeric=(3, 4))
    yield "</section>"


def render_documents(documents: Sequence[dict[str, Any]], numbers: Mapping[str, int]) -> Iterator[str]:
    headers = ["#", "Document", "Source", "Language", "Normalized", "Cleaned", "Removed", "Status"]
    headers += ["Published", "Updated", "Warnings"]
    rows = (_document_cells(doc, numbers) for doc in documents)
    row_ids = (f"doc-{numbers[doc['id']]}" for doc in documents)
    yield '<section id="documents" aria-labelledby="documents-title"><h2 id="documents-title">Documents</h2>'
    yield from _table("", headers, rows, numeric=(0, 4, 5, 6), row_ids=row_ids)
    yield "</section>"


def _document_cells(doc: dict[str, Any], numbers: Mapping[str, int]) -> list[str]:
    chars = doc.get("characters", {})
    status = f'<span class="status status-{escape(doc["status"])}">{escape(doc["status"])}</span>'
    if doc.get("duplicate_of"):
        status += f" of {_ref(doc['duplicate_of'], numbers)}"
    return [
        str(numbers[doc["id"]]),
        f'<code class="id">{escape(doc["id"])}</code>',
        f'<span class="path">{escape(doc.get("source", ""))}</span>'
        f'<span class="note">{escape(doc.get("format", ""))}, {escape(doc.get("encoding", ""))}</span>',
        escape(doc.get("language") or "und"),
        f"{chars.get('normalized', 0):,}",
        f"{chars.get('cleaned', 0):,}",
        f"{chars.get('removed', 0):,}",
        status,
        f'<span class="date">{escape(doc.get("published") or "–")}</span>',
        f'<span class="date">{escape(doc.get("updated") or "–")}</span>',
        _render_warnings(doc.get("warnings", [])),
    ]


def render_settings(report: dict[str, Any]) -> Iterator[str]:
    settings = report.get("settings", {})
    rows = [
        [f"<code>{escape(key)}</code>", f"<code>{escape(json.dumps(settings[key]))}</code>"]
        for key in sorted(settings)
    ]
    yield (
        '<section id="settings" aria-labelledby="settings-title"><h2 id="settings-title">Settings</h2>'
        "<details><summary>Settings this report was made with</summary>"
    )
    yield from _table("", ["Setting", "Value"], rows)
    yield "</details></section>"


def _collect_pairs(report: dict[str, Any]) -> dict[Pair, dict[str, Any]]:
    """What the report says about each unordered document pair (counts, clusters, containment)."""
    cells: dict[Pair, dict[str, Any]] = {}

    def cell(x: str, y: str) -> dict[str, Any]:
        return cells.setdefault((min(x, y), max(x, y)), {})

    for overlap in report.get("overlaps", []):
        entry = cell(overlap["a"]["id"], overlap["b"]["id"])
        entry[overlap["kind"]] = entry.get(overlap["kind"], 0) + 1
    for cluster in report.get("near_duplicates", []):
        for i, x in enumerate(cluster["members"]):
            for y in cluster["members"][i + 1 :]:
                cell(x, y)["near_duplicate"] = cluster["similarity"]
    for group in report.get("exact_duplicates", []):
        for i, x in enumerate(group["members"]):
            for y in group["members"][i + 1 :]:
                cell(x, y)["exact"] = True
    for item in report.get("contained", []):
        cell(item["id"], item["contained_in"])["contained"] = item["containment"]
    return cells


def _render_cell(pair: Pair, entry: dict[str, Any] | None, numbers: Mapping[str, int]) -> str:
    if not entry:
        return '<td class="empty"></td>'
    strongest = next((k for k in ("exact", "near_duplicate", "contained", *KINDS) if entry.get(k)), "stock")
    return f'<td class="cell has-{strongest.replace("_", "-")}">{_describe_pair(pair, entry, numbers)}</td>'


def _describe_pair(pair: Pair, entry: dict[str, Any], numbers: Mapping[str, int]) -> str:
    """Badges for one pair: overlap counts linking to the passages, then document relations."""
    counts = "".join(
        f'<span class="k kind-{kind}" title="{entry[kind]} {kind}">{entry[kind]}&nbsp;{kind[0].upper()}</span>'
        for kind in KINDS
        if entry.get(kind)
    )
    described = ", ".join(f"{entry[kind]} {kind}" for kind in KINDS if entry.get(kind))
    parts = []
    if counts:
        first, second = (numbers[doc_id] for doc_id in pair)
        label = escape(f"{described} shared between {pair[0]} and {pair[1]}")
        parts.append(f'<a href="#pair-{first}-{second}" aria-label="{label}">{counts}</a>')
    relations = []
    if entry.get("exact"):
        relations.append('<span class="rel" title="exact duplicates">=</span>')
    if "near_duplicate" in entry:
        sim = entry["near_duplicate"]
        relations.append(
            f'<span class="rel" title="near-duplicate cluster, similarity {sim:.2f}">≈&nbsp;{sim:.2f}</span>'
        )
    if "contained" in entry:
        value = entry["contained"]
        relations.append(f'<span class="rel" title="containment {value:.2f}">⊂&nbsp;{value:.2f}</span>')
    if relations:
        parts.append(f'<a href="#duplicates">{"".join(relations)}</a>')
    return " ".join(parts)


def _render_pair_list(cells: Mapping[Pair, dict[str, Any]], numbers: Mapping[str, int]) -> Iterator[str]:
    rows = (
        [_ref(x, numbers), _ref(y, numbers), _describe_pair((x, y), cells[(x, y)], numbers)]
        for x, y in sorted(cells)
    )
    yield "<p>Too many documents for a matrix; the related pairs instead:</p>"
    yield from _table("", ["Document", "Document", "Shared"], rows)


def _render_warnings(warnings: Sequence[dict[str, Any]]) -> str:
    if not warnings:
        return "–"
    items = "".join(
        f"<li><strong>{escape(w['kind'])}</strong> ({w['start']}–{w['end']}): {escape(w['message'])}</li>"
        for w in warnings
    )
    label = "1 warning" if len(warnings) == 1 else f"{len(warnings)} warnings"
    return f"<details><summary>{label}</summary><ul>{items}</ul></details>"


def _table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Sequence[int] = (),
    row_ids: Iterable[str] | None = None,
) -> Iterator[str]:
    """A table of already-escaped cells, one piece per row; numeric columns align right.

    `rows` may be a generator: the first row is read ahead to tell an empty table
    ("None.") from a full one, so the rows are never collected in a list.
    """
    if caption:
        yield f"<h3>{escape(caption)}</h3>"
    remaining = iter(rows)
    first = next(remaining, None)
    if first is None:
        yield "<p>None.</p>"
        return

    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    head = "".join(f'<th scope="col"{cls(i)}>{escape(h)}</th>' for i, h in enumerate(headers))
    yield f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>'
    ids = iter(row_ids) if row_ids is not None else None
    for row in chain((first,), remaining):
        yield (
            (f'<tr id="{next(ids)}">' if ids is not None else "<tr>")
            + "".join(f"<td{cls(i)}>{cell}</td>" for i, cell in enumerate(row))
            + "</tr>"
        )
    yield "</tbody></table></div>"


def _count(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else escape(str(value))


def _ref(doc_id: str, numbers: Mapping[str, int]) -> str:
    if doc_id not in numbers:
        return f"<code>{escape(doc_id)}</code>"
    return f'<a class="doc" href="#doc-{numbers[doc_id]}"><code>{escape(doc_id)}</code></a>'


def _refs(ids: Sequence[str], numbers: Mapping[str, int]) -> str:
    return ", ".join(_ref(doc_id, numbers) for doc_id in ids)
