"""Render reports/overlap.json as one self-contained HTML page for reviewers.

Reviewers open the HTML first, often from an email attachment or an artifact store,
so the page carries its own CSS and JS, loads nothing from the network (its Content
Security Policy forbids it, pinning the inline code by hash), and reads fine with JS
off: only the kind filter needs it. Every piece of document text is escaped, since
scraped text routinely contains markup. Like the Markdown renderer it does no
analysis: it lays out what the JSON says, quoting passages from the cleaned texts.
Like it too, the page is produced as a stream (`iter_html`), one section, overlap
and table row at a time, so a large report is never held as one string.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html import escape
from importlib import resources
from typing import Any

from audit.report.html_sections import (
    KINDS,
    render_documents,
    render_duplicates,
    render_matrix,
    render_problems,
    render_removed_repeats,
    render_settings,
    render_summary,
)
from audit.report.passages import text_of

# Characters of context shown on each side of a highlighted passage: about two
# sentences, enough to see where the passage sits without drowning it.
CONTEXT_CHARS = 200
# How far a context cut may move to land on a line break (a paragraph of cleaned
# text), else on whitespace, instead of inside a line or a word.
LINE_SNAP_CHARS = 100
WORD_SNAP_CHARS = 40
# Passages longer than this get a scroll box that can be focused with the keyboard.
SCROLL_BOX_CHARS = 1500


def iter_html(report: dict[str, Any], cleaned: Mapping[str, str]) -> Iterator[str]:
    """The overlap report as one HTML page, piece by piece; deterministic for a given input.

    The Content Security Policy in the head pins only the inline CSS and JS, so the
    head is complete before any of the body is rendered. Each body section ends with
    a newline.
    """
    numbers = number_documents(report)
    languages = {doc["id"]: doc.get("language") or "" for doc in report.get("documents", [])}
    css = _read_asset("report.css")
    js = _read_asset("report.js")
    policy = f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; img-src data:"
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        "<title>Overlap report</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
    )
    sections: tuple[Iterable[str], ...] = (
        (_render_header(report),),
        ("<main>",),
        render_summary(report),
        render_problems(report.get("problems", [])),
        render_matrix(report, numbers),
        render_duplicates(report, numbers),
        _render_overlaps(report.get("overlaps", []), cleaned, numbers, languages),
        _render_repeats(report.get("repeats", []), cleaned, numbers, languages),
        render_removed_repeats(report.get("removed_repeats", []), numbers),
        render_documents(report.get("documents", []), numbers),
        render_settings(report),
        ("</main>",),
    )
    for pieces in sections:
        yield from pieces
        yield "\n"
    yield f"<script>{js}</script>\n</body>\n</html>\n"


def number_documents(report: dict[str, Any]) -> dict[str, int]:
    """Give each document a short number for anchors and matrix headers (ids can be long).

    Documents keep the report's order; an id referenced elsewhere but missing from
    `documents` (which the contract does not allow) still gets a number, after them.
    """
    ids = [doc["id"] for doc in report.get("documents", [])]
    referenced = {
        side["id"] for overlap in report.get("overlaps", []) for side in (overlap["a"], overlap["b"])
    }
    referenced |= {repeat["id"] for repeat in report.get("repeats", [])}
    referenced |= {r["id"] for r in report.get("removed_repeats", [])}
    for group in (*report.get("near_duplicates", []), *report.get("exact_duplicates", [])):
        referenced |= set(group["members"])
    for item in report.get("contained", []):
        referenced |= {item["id"], item["contained_in"]}
    ids += sorted(referenced - set(ids))
    return {doc_id: number for number, doc_id in enumerate(ids, start=1)}


def render_context(text: str, start: int, end: int) -> str:
    """The passage as <mark> inside about CONTEXT_CHARS of escaped context on each side.

    Context cuts land on a line break when one is near, else on a space, so the
    reader sees whole lines or words; an ellipsis marks a cut inside a line.
    """
    before = _cut_before(text, start)
    after = _cut_after(text, end)
    lead = '<span class="gap">…</span>' if before > 0 and text[before - 1] != "\n" else ""
    tail = '<span class="gap">…</span>' if after < len(text) and text[after] != "\n" else ""
    return (
        f'{lead}<span class="ctx">{escape(text[before:start])}</span>'
        f"<mark>{escape(text[start:end])}</mark>"
        f'<span class="ctx">{escape(text[end:after])}</span>{tail}'
    )


def _render_header(report: dict[str, Any]) -> str:
    summary = report.get("summary", {})
    counts = summary.get("overlaps", {})
    total = sum(counts.get(kind, 0) for kind in KINDS)
    nav = [
        ("summary", "Summary"),
        ("problems", "Problems"),
        ("matrix", "Matrix"),
        ("duplicates", "Duplicates"),
        ("overlaps", "Overlaps"),
        ("repeats", "Repeats"),
        ("documents", "Documents"),
        ("settings", "Settings"),
    ]
    links = "".join(f'<li><a href="#{anchor}">{label}</a></li>' for anchor, label in nav)
    return (
        '<header class="page-head"><h1>Overlap report</h1>'
        f'<p class="lead">{summary.get("documents", 0):,} documents, {total:,} shared passages, '
        f"{summary.get('near_duplicate_clusters', 0):,} near-duplicate clusters. Schema "
        f"<code>{escape(str(report.get('schema', '?')))}</code> version {escape(str(report.get('version', '?')))}; "
        "offsets are character indices into <code>cleaned/&lt;id&gt;.txt</code>.</p>"
        f'<nav aria-label="Sections"><ul>{links}</ul></nav></header>'
    )


def _render_overlaps(
    overlaps: Sequence[dict[str, Any]],
    cleaned: Mapping[str, str],
    numbers: Mapping[str, int],
    languages: Mapping[str, str],
) -> Iterator[str]:
    """The overlaps grouped by document pair, one piece per overlap, parted by newlines."""
    yield '<section id="overlaps" aria-labelledby="overlaps-title">\n<h2 id="overlaps-title">Overlaps</h2>\n'
    if not overlaps:
        yield "<p>No passages are shared between documents.</p></section>"
        return
    counts = {kind: sum(o["kind"] == kind for o in overlaps) for kind in KINDS}
    boxes = "".join(
        f'<label class="chip kind-{kind}"><input type="checkbox" name="kind" value="{kind}" checked> '
        f'{kind} <span class="count">({counts[kind]})</span></label>'
        for kind in KINDS
    )
    yield (
        "<p>Passages shared by two documents: each side shows the passage highlighted in its context "
        "from the cleaned text. <em>Verbatim</em> and <em>near</em> are copying; <em>stock</em> is common "
        "wording, not evidence of copying.</p>\n"
        f'<fieldset class="filter" id="filter" hidden><legend>Show kinds</legend>{boxes}'
        f'<p id="filter-status" class="filter-status" aria-live="polite">'
        f"Showing {len(overlaps)} of {len(overlaps)} overlaps.</p></fieldset>\n"
    )
    for (first, second), indices in _group_by_pair(overlaps).items():
        yield (
            f'<section class="pair" id="pair-{numbers[first]}-{numbers[second]}">'
            f'<h3>{_doc_ref(first, numbers)} <span aria-hidden="true">↔</span><span class="sr">and</span> '
            f"{_doc_ref(second, numbers)} <small>({len(indices)} shared)</small></h3>\n"
        )
        for index in indices:
            yield _render_overlap(index, overlaps[index], cleaned, numbers, languages) + "\n"
        yield "</section>\n"
    yield "</section>"


def _render_overlap(
    index: int,
    overlap: dict[str, Any],
    cleaned: Mapping[str, str],
    numbers: Mapping[str, int],
    languages: Mapping[str, str],
) -> str:
    kind = escape(overlap["kind"])
    evidence = overlap.get("evidence") or {}
    source = overlap.get("source")
    qualifiers = []
    if source and isinstance(evidence.get("confidence"), (int, float)):
        qualifiers.append(f"confidence {evidence['confidence']:.2f}")
    if evidence.get("rule"):
        qualifiers.append(f"rule <code>{escape(str(evidence['rule']))}</code>")
    direction = f"Likely source {_doc_ref(source, numbers)}" if source else "Source unknown"
    direction += f" ({', '.join(qualifiers)})" if qualifiers else ""
    if evidence.get("reason"):
        direction += f" — {escape(str(evidence['reason']).rstrip('.'))}"
    decided = (
        f" Decided by <code>{escape(overlap['decided_by'])}</code>." if overlap.get("decided_by") else ""
    )
    sides = "".join(
        _render_side(role, overlap[role], evidence.get(f"{role}_date"), source, cleaned, numbers, languages)
        for role in ("a", "b")
    )
    return (
        f'<article class="overlap kind-{kind}" id="ov-{index + 1}" data-kind="{kind}">'
        f'<header class="ov-head"><h4><span class="badge kind-{kind}">{kind}</span> '
        f'<a class="ov-num" href="#ov-{index + 1}">#{index + 1}</a> '
        f"<span>{overlap['words']:,} words, similarity {overlap['similarity']:.2f}</span></h4>"
        f'<p class="ov-meta">{direction}.{decided}</p>'
        f'</header><div class="sides">{sides}</div></article>'
    )


def _render_side(
    role: str,
    span: dict[str, Any],
    date: dict[str, Any] | None,
    source: str | None,
    cleaned: Mapping[str, str],
    numbers: Mapping[str, int],
    languages: Mapping[str, str],
) -> str:
    doc_id, start, end = span["id"], span["start"], span["end"]
    text = text_of(cleaned, doc_id, start, end)
    tag = '<span class="tag-source">likely source</span>' if source == doc_id else ""
    lang = languages.get(doc_id, "")
    lang_attr = f' lang="{escape(lang)}"' if lang and lang != "und" else ""
    scroll = ' tabindex="0"' if end - start > SCROLL_BOX_CHARS else ""
    return (
        f'<section class="side side-{role}" aria-label="{role}: {escape(doc_id)}">'
        f'<h5><span class="role">{role}</span> {_doc_ref(doc_id, numbers)} {tag}'
        f'<span class="side-meta">characters {start}–{end}{_describe_date(date)}</span></h5>'
        f'<div class="text"{lang_attr}{scroll}>{render_context(text, start, end)}</div></section>'
    )


def _render_repeats(
    repeats: Sequence[dict[str, Any]],
    cleaned: Mapping[str, str],
    numbers: Mapping[str, int],
    languages: Mapping[str, str],
) -> Iterator[str]:
    """The repeats, one piece per repeat, parted by newlines."""
    yield '<section id="repeats" aria-labelledby="repeats-title">\n<h2 id="repeats-title">Repeats</h2>\n'
    if not repeats:
        yield "<p>No passage occurs twice inside one document.</p></section>"
        return
    yield "<p>Passages that occur twice inside one document, found in the cleaned text.</p>\n"
    for index, repeat in enumerate(repeats, start=1):
        yield _render_repeat(index, repeat, cleaned, numbers, languages) + "\n"
    yield "</section>"


def _render_repeat(
    index: int,
    repeat: dict[str, Any],
    cleaned: Mapping[str, str],
    numbers: Mapping[str, int],
    languages: Mapping[str, str],
) -> str:
    doc_id = repeat["id"]
    words = f"{repeat['words']:,} words, " if "words" in repeat else ""
    sides = "".join(
        _render_side(label, {"id": doc_id, **repeat[label]}, None, None, cleaned, numbers, languages)
        for label in ("first", "second")
    )
    return (
        f'<article class="repeat" id="rep-{index}"><header class="ov-head"><h4>'
        f'<a class="ov-num" href="#rep-{index}">#{index}</a> {_doc_ref(doc_id, numbers)} '
        f"<span>{words}similarity {repeat['similarity']:.2f}</span></h4></header>"
        f'<div class="sides">{sides}</div></article>'
    )


def _group_by_pair(overlaps: Sequence[dict[str, Any]]) -> dict[tuple[str, str], list[int]]:
    """Indices of the overlaps by document pair, pairs in order of first appearance in the report.

    Only indices are kept: the pair heading needs its count before the overlaps are rendered.
    """
    groups: dict[tuple[str, str], list[int]] = {}
    for index, overlap in enumerate(overlaps):
        first, second = sorted((overlap["a"]["id"], overlap["b"]["id"]))
        groups.setdefault((first, second), []).append(index)
    return groups


def _doc_ref(doc_id: str, numbers: Mapping[str, int]) -> str:
    return f'<a class="doc" href="#doc-{numbers[doc_id]}"><code>{escape(doc_id)}</code></a>'


def _describe_date(date: dict[str, Any] | None) -> str:
    if not date:
        return ", undated"
    text = f", dated {escape(str(date.get('date') or '?'))}"
    if date.get("origin"):
        text += f" from {escape(str(date['origin']))}"
    if date.get("text"):
        text += f" “{escape(str(date['text']))}”"
    return text


def _cut_before(text: str, start: int) -> int:
    """Where the context before a passage begins: a line start or word start near the cut."""
    cut = max(0, start - CONTEXT_CHARS)
    if cut == 0:
        return 0
    window = text[cut : min(start, cut + LINE_SNAP_CHARS)]
    newline = window.find("\n")
    if newline >= 0:
        return cut + newline + 1
    space = next((i for i, char in enumerate(window[:WORD_SNAP_CHARS]) if char.isspace()), -1)
    return cut + space + 1 if space >= 0 else cut


def _cut_after(text: str, end: int) -> int:
    """Where the context after a passage ends: a line end or word end near the cut."""
    cut = min(len(text), end + CONTEXT_CHARS)
    if cut == len(text):
        return cut
    low = max(end, cut - LINE_SNAP_CHARS)
    newline = text.rfind("\n", low, cut)
    if newline >= 0:
        return newline
    for position in range(cut, max(end, cut - WORD_SNAP_CHARS), -1):
        if text[position - 1].isspace():
            return position - 1
    return cut


def _read_asset(name: str) -> str:
    return resources.files("audit.report").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
