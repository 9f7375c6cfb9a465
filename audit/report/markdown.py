"""Render reports/overlap.json as Markdown a reviewer can read in any viewer or diff in git.

The JSON is the contract and the only source of facts: this module presents it and
does no analysis. Quoted passages come from the cleaned texts, so every quote is
escaped (scraped text is full of `|`, `*`, `<`, `#`) and long passages are shortened
with their offsets stated, so the reader can always find the full text.

The report is produced as a stream of lines (`iter_markdown`), one section and one
overlap at a time, so a corpus with tens of thousands of quoted overlaps is written
to disk without ever being held as one string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from audit.report.passages import text_of

KINDS = ("verbatim", "near", "stock")
# A copied passage can be a whole article; beyond this many characters a quote shows its
# head and tail only. 700 is about 120 English words: enough to recognise the passage.
MAX_QUOTE_CHARS = 700
QUOTE_HEAD_CHARS = 400
QUOTE_TAIL_CHARS = 250
# How far a cut may move to land on whitespace instead of inside a word.
WORD_SNAP_CHARS = 40

_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<>|~])")
# An underscore inside a word (snake_case ids) never starts emphasis, so only the others are escaped.
_EDGE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Line starts that Markdown would read as a heading, list item or setext underline;
# a backslash before the marker (after the digits of "1.") makes them plain text.
_BLOCK_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")


def iter_markdown(report: dict[str, Any], cleaned: Mapping[str, str]) -> Iterator[str]:
    """The overlap report as Markdown, piece by piece; deterministic for a given input.

    Each line is followed by a newline and sections are parted by a blank line; every
    section starts with its heading, so none is empty and the blank lines never double.
    """
    sections: tuple[Iterable[str], ...] = (
        _render_header(report),
        _render_summary(report["summary"]),
        _render_problems(report.get("problems", [])),
        _render_documents(report.get("documents", [])),
        _render_clusters(report),
        _render_overlaps(report.get("overlaps", []), cleaned),
        _render_repeats(report.get("repeats", []), cleaned),
        _render_removed_repeats(report.get("removed_repeats", [])),
        _render_templates(report.get("templates", [])),
    )
    for number, lines in enumerate(sections):
        if number:
            yield "\n"
        for line in lines:
            yield line + "\n"


def escape_inline(text: str) -> str:
    """Escape text so Markdown shows it literally, on one line (table cells, list items)."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub(r"\\&", text)
    text = _EDGE_UNDERSCORE.sub(r"\\_", text)
    return " ".join(text.split())


def quote_passage(text: str, start: int, end: int) -> list[str]:
    """Quote text[start:end] as a blockquote, one paragraph per line, shortened when very long.

    Lines of cleaned text are paragraphs, so each becomes its own quoted paragraph
    (a bare newline would be joined into one paragraph by every Markdown viewer).
    """
    passage = text[start:end]
    if len(passage) <= MAX_QUOTE_CHARS:
        return _quote_lines(passage.split("\n"))
    head_end = _snap_to_space(passage, QUOTE_HEAD_CHARS)
    tail_start = _snap_to_space(passage, len(passage) - QUOTE_TAIL_CHARS)
    head = passage[:head_end].rstrip().split("\n")
    tail = passage[tail_start:].lstrip().split("\n")
    lines = [*_quote_lines(head), ">", "> *[…]*", ">", *_quote_lines(tail)]
    note = (
        f"*Shortened: the first {head_end:,} and last {len(passage) - tail_start:,} of "
        f"{len(passage):,} characters are shown; the full passage is characters {start}–{end}.*"
    )
    return [*lines, "", note]


def _render_header(report: dict[str, Any]) -> list[str]:
    return [
        "# Overlap report",
        "",
        f"Rendered from `reports/overlap.json` (schema `{report.get('schema', '?')}`, version "
        f"{report.get('version', '?')}). Offsets are character (code point) indices into "
        "`cleaned/<id>.txt`: `text[start:end]` is the passage, unless a section says otherwise.",
    ]


def _render_summary(summary: dict[str, Any]) -> list[str]:
    chars = summary.get("characters", {})
    overlaps = summary.get("overlaps", {})
    languages = summary.get("languages", {})
    rows = [
        ("Documents", _num(summary.get("documents", 0))),
        ("Problems (inputs skipped)", _num(summary.get("problems", 0))),
        ("Characters normalized", _num(chars.get("normalized", 0))),
        ("Characters cleaned", _num(chars.get("cleaned", 0))),
        ("Characters removed", _num(chars.get("removed", 0))),
        ("Languages", ", ".join(f"{lang} {_num(languages[lang])}" for lang in sorted(languages)) or "none"),
        ("Exact duplicate groups", _num(summary.get("exact_duplicate_groups", 0))),
        ("Near-duplicate clusters", _num(summary.get("near_duplicate_clusters", 0))),
    ]
    rows += [(f"Overlaps: {kind}", _num(overlaps.get(kind, 0))) for kind in KINDS]
    rows.append(("Repeats inside a document", _num(summary.get("repeats", 0))))
    if "removed_repeats" in summary:
        rows.append(("Repeats removed by cleaning", _num(summary["removed_repeats"])))
    lines = ["## Summary", "", "| | |", "|---|---:|"]
    lines += [f"| {escape_inline(name)} | {escape_inline(value)} |" for name, value in rows]
    by_rule = summary.get("removed_by_rule", {})
    lines += ["", "### Characters removed by rule", ""]
    if not by_rule:
        return [*lines, "None."]
    lines += ["| Rule | Characters | Edits |", "|---|---:|---:|"]
    for rule in sorted(by_rule):
        counts = by_rule[rule]
        lines.append(
            f"| {_code(rule, in_table=True)} | {_num(counts.get('characters', 0))} | {_num(counts.get('edits', 0))} |"
        )
    return lines


def _render_problems(problems: Sequence[dict[str, Any]]) -> Iterator[str]:
    yield from ("## Problems", "")
    if not problems:
        yield "None: every input was read."
        return
    # Messages name their file by contract; the source is added only where one does not.
    for p in problems:
        source = "" if p["source"] in p["message"] else f" ({_code(p['source'])})"
        yield f"- **{escape_inline(p['kind'])}**: {escape_inline(p['message'])}{source}"


def _render_documents(documents: Sequence[dict[str, Any]]) -> Iterator[str]:
    yield from ("## Documents", "")
    if not documents:
        yield "None."
        return
    yield "| Document | Source | Language | Removed chars | Status | Published | Updated |"
    yield "|---|---|---|---:|---|---|---|"
    yield from (_document_row(doc) for doc in documents)
    # The warnings follow the whole table, so the documents are gone through a second time.
    if any(doc.get("warnings") for doc in documents):
        yield from ("", "### Warnings", "")
        for doc in documents:
            yield from (
                f"- {_code(doc['id'])}, characters {w['start']}–{w['end']}, {escape_inline(w['kind'])}: "
                f"{escape_inline(w['message'])}"
                for w in doc.get("warnings", [])
            )


def _document_row(doc: dict[str, Any]) -> str:
    status = doc["status"] + (f" of {doc['duplicate_of']}" if doc.get("duplicate_of") else "")
    removed = doc.get("characters", {}).get("removed", 0)
    cells = [
        _code(doc["id"], in_table=True),
        escape_inline(doc.get("source", "")),
        escape_inline(doc.get("language") or "und"),
        _num(removed),
        escape_inline(status),
        escape_inline(doc.get("published") or "–"),
        escape_inline(doc.get("updated") or "–"),
    ]
    return "| " + " | ".join(cells) + " |"


def _render_clusters(report: dict[str, Any]) -> Iterator[str]:
    yield from ("## Exact duplicates", "")
    exact = report.get("exact_duplicates", [])
    yield from _or_none(f"- {_ids(g['members'])}; keep {_code(g['keep'])}" for g in exact)
    yield from ("", "## Near-duplicate clusters", "")
    near = report.get("near_duplicates", [])
    if near:
        yield from ("| Members | Similarity | Keep | Reason |", "|---|---:|---|---|")
        yield from (
            f"| {_ids(c['members'], in_table=True)} | {c['similarity']:.2f} | "
            f"{_code(c['keep'], in_table=True) if c.get('keep') else 'none'} | {escape_inline(c.get('reason', ''))} |"
            for c in near
        )
    else:
        yield "None."
    yield from ("", "## Contained documents", "")
    yield from _or_none(
        f"- {_code(c['id'])} is contained in {_code(c['contained_in'])} (containment {c['containment']:.2f})"
        for c in report.get("contained", [])
    )
    yield from ("", "## Too short to compare", "")
    yield from _or_none(f"- {_code(doc_id)}" for doc_id in report.get("too_short", []))


def _render_overlaps(overlaps: Sequence[dict[str, Any]], cleaned: Mapping[str, str]) -> Iterator[str]:
    yield from ("## Overlaps", "")
    if not overlaps:
        yield "None."
        return
    yield "Passages shared by two documents, both sides quoted from the cleaned texts."
    for number, overlap in enumerate(overlaps, start=1):
        yield "\n".join(_overlap_lines(number, overlap, cleaned))


def _overlap_lines(number: int, overlap: dict[str, Any], cleaned: Mapping[str, str]) -> list[str]:
    """One overlap, after a blank line: its heading, what decided it, and both sides quoted."""
    a, b = overlap["a"], overlap["b"]
    lines = [
        "",
        f"### {number}. {overlap['kind']}: {_code(a['id'])} ↔ {_code(b['id'])}",
        "",
        f"- {_num(overlap['words'])} words, similarity {overlap['similarity']:.2f}",
        f"- Decided by: {_code(overlap['decided_by']) if overlap.get('decided_by') else 'not stated'}",
        f"- Likely source: {_describe_source(overlap)}",
    ]
    for side in (a, b):
        lines += _quoted_span(f"**{_code(side['id'])}**", cleaned, side["id"], side)
    return lines


def _render_repeats(repeats: Sequence[dict[str, Any]], cleaned: Mapping[str, str]) -> Iterator[str]:
    yield from ("## Repeats inside a document", "")
    if not repeats:
        yield "None."
        return
    for number, repeat in enumerate(repeats, start=1):
        if number > 1:
            yield ""
        yield "\n".join(_repeat_lines(number, repeat, cleaned))


def _repeat_lines(number: int, repeat: dict[str, Any], cleaned: Mapping[str, str]) -> list[str]:
    """One repeat: its heading and similarity, then both occurrences quoted."""
    words = f"{_num(repeat['words'])} words, " if "words" in repeat else ""
    lines = [f"### {number}. {_code(repeat['id'])}", "", f"{words}similarity {repeat['similarity']:.2f}"]
    for label in ("first", "second"):
        lines += _quoted_span(f"**{label.capitalize()}**", cleaned, repeat["id"], repeat[label])
    return lines


def _quoted_span(label: str, cleaned: Mapping[str, str], doc_id: str, span: dict[str, Any]) -> list[str]:
    """A labelled span, after a blank line, quoted from its cleaned text."""
    text = text_of(cleaned, doc_id, span["start"], span["end"])
    return [
        "",
        f"{label}, characters {span['start']}–{span['end']}:",
        "",
        *quote_passage(text, span["start"], span["end"]),
    ]


def _render_removed_repeats(removed: Sequence[dict[str, Any]]) -> Iterator[str]:
    yield from ("## Repeats removed by cleaning", "")
    if not removed:
        yield "None."
        return
    yield from (
        "Found before cleaning, then removed by a rule. Offsets here index the **normalized** text "
        "(before cleaning), not `cleaned/<id>.txt`; the removed text is in the edit log of "
        "`cleaned/manifest.jsonl`.",
        "",
        "| Document | First | Second | Words | Similarity | Removed by |",
        "|---|---|---|---:|---:|---|",
    )
    for r in removed:
        first, second = r["first"], r["second"]
        yield (
            f"| {_code(r['id'], in_table=True)} | {first['start']}–{first['end']} | "
            f"{second['start']}–{second['end']} | {_num(r.get('words', 0))} | "
            f"{r['similarity']:.2f} | {', '.join(_code(rule, in_table=True) for rule in r.get('removed_by', []))} |"
        )


def _render_templates(templates: Sequence[dict[str, Any]]) -> Iterator[str]:
    yield from ("## Site templates", "")
    if not templates:
        yield "None: no block recurred across enough documents to be a template."
        return
    yield from (
        "Blocks that recur across the corpus, removed by `site-template@1`.",
        "",
        "| Template | Documents | Removed |",
        "|---|---:|---:|",
    )
    for template in templates:
        yield (
            f"| {escape_inline(str(template['text']))} | {_num(template['documents'])} | "
            f"{_num(template['removed'])} |"
        )


def _or_none(lines: Iterable[str]) -> Iterator[str]:
    """The lines, or "None." when there are none: an empty list still reads as a stated fact."""
    empty = True
    for line in lines:
        empty = False
        yield line
    if empty:
        yield "None."


def _describe_source(overlap: dict[str, Any]) -> str:
    """The likely source, how sure, by which rule and why, then each side's date."""
    evidence = overlap.get("evidence") or {}
    source = overlap.get("source")
    qualifiers = []
    if source and isinstance(evidence.get("confidence"), (int, float)):
        qualifiers.append(f"confidence {evidence['confidence']:.2f}")
    if evidence.get("rule"):
        qualifiers.append(f"rule {_code(str(evidence['rule']))}")
    text = _code(source) if source else "unknown"
    text += f" ({', '.join(qualifiers)})" if qualifiers else ""
    if evidence.get("reason"):
        text += " — " + escape_inline(str(evidence["reason"]).rstrip("."))
    dates = [
        f"{_code(overlap[side]['id'])} {_describe_date(evidence.get(f'{side}_date'))}" for side in ("a", "b")
    ]
    return text + ". Dates: " + "; ".join(dates) + "."


def _describe_date(date: dict[str, Any] | None) -> str:
    """A date from provenance: its day, where it was read, how sure, and the text it was read from."""
    if not date:
        return "undated"
    details = [str(date["origin"])] if date.get("origin") else []
    if isinstance(date.get("confidence"), (int, float)):
        details.append(f"confidence {date['confidence']:.2f}")
    if date.get("text"):
        details.append(f"read from “{date['text']}”")
    if date.get("removed_by"):
        details.append(f"removed by {date['removed_by']}")
    text = str(date.get("date") or "?")
    return escape_inline(text + (f" ({', '.join(details)})" if details else ""))


def _quote_lines(lines: Sequence[str]) -> list[str]:
    quoted: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        escaped = escape_inline(line)
        match = _BLOCK_START.match(escaped)
        if match:
            escaped = escaped[: match.start()] + _escape_marker(match.group(1)) + escaped[match.end() :]
        quoted += [">", f"> {escaped}"] if quoted else [f"> {escaped}"]
    return quoted or ["> *(empty passage)*"]


def _escape_marker(marker: str) -> str:
    """`#` becomes `\\#`; the digits of an ordered-list marker keep a backslash before their `.` or `)`."""
    return marker + "\\" if marker[0].isdigit() else "\\" + marker


def _snap_to_space(text: str, index: int) -> int:
    """Move a cut to the nearest following whitespace, if one is close, so words stay whole."""
    window = text[index : index + WORD_SNAP_CHARS]
    match = re.search(r"\s", window)
    return index + match.start() if match else index


def _code(value: str, in_table: bool = False) -> str:
    """Inline code for ids, rule names and paths; a longer fence when the value has backticks.

    Inside a GFM table a pipe ends the cell even within code, so there it is escaped.
    """
    fence = "``" if "`" in value else "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    code = f"{fence}{pad}{value}{pad}{fence}"
    return code.replace("|", "\\|") if in_table else code


def _ids(members: Iterable[str], in_table: bool = False) -> str:
    return ", ".join(_code(member, in_table) for member in members)


def _num(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
