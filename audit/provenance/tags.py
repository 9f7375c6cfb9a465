"""Tags and links: what a page said it was about, and where it pointed readers.

Tag lines and hashtag runs are removed as boilerplate but describe the
document (and tend to be copied along with it); links in a footer point at the
discussion page or the original. Both are kept as metadata, in text order.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from audit.dates import words_pattern
from audit.provenance.common import SHORT_LINE_CHARS, Evidence, load_phrases, span_json

# A tag longer than this is a sentence caught by a label, not a tag.
MAX_TAG_CHARS = 60
# A line is a hashtag run when at least this share of its non-space
# characters belong to hashtags and it holds at least two of them.
HASHTAG_SHARE = 0.5
MIN_HASHTAGS = 2

_TAG_SPLIT = re.compile(r"\s*[,，、;；|·•/]\s*|\s+#|\s{2,}")
_HASHTAG = re.compile(r"(?<![\w#&/])#(?P<tag>[^\s#,.;:!?，。、（）()\[\]]{1,50})")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'）)\]】]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?。，；：！？"
# Words around a link that say what it is for; first match wins, in this order.
_LINK_KINDS = (
    (
        "share",
        r"share|teilen|partager|compartir|分享|シェア|공유|facebook\.com/sharer|twitter\.com/intent|wa\.me/",
    ),
    (
        "discussion",
        r"discuss|comment|forum|reply|diskussion|kommentar|commentaire|comentario|討論|讨论|留言|评论|評論|コメント|댓글|토론",
    ),
    ("source", r"source|via|original|quelle|fuente|来源|來源|出典|출처|原文|источник"),
)


@cache
def _tag_line() -> re.Pattern[str]:
    labels = load_phrases("tags")["labels"]
    return re.compile(rf"^[^\w#]{{0,6}}?(?:{words_pattern(labels)})\s*[:：]\s*(?P<value>.+)$", re.IGNORECASE)


def _split_tags(value: str) -> list[str]:
    tags = []
    for piece in _TAG_SPLIT.split(value.strip()):
        tag = piece.strip().lstrip("#").strip(" .")
        if tag and len(tag) <= MAX_TAG_CHARS and not tag.isdigit():
            tags.append(tag)
    return tags


def _hashtag_run(text: str) -> list[str]:
    tags = [m.group("tag") for m in _HASHTAG.finditer(text) if not m.group("tag").isdigit()]
    covered = sum(len(t) + 1 for t in tags)
    letters = len("".join(text.split()))
    if len(tags) < MIN_HASHTAGS or letters == 0 or covered / letters < HASHTAG_SHARE:
        return []
    return tags


def extract_tags(evidence: Evidence) -> tuple[list[str], list[dict[str, Any]]]:
    """Ordered unique tags, and each tag line with its span."""
    tags: list[str] = []
    lines: list[dict[str, Any]] = []
    for block in evidence.blocks:
        stripped = block.text.strip()
        if len(stripped) > SHORT_LINE_CHARS * 2:
            continue
        match = _tag_line().match(stripped)
        found = _split_tags(match.group("value")) if match else _hashtag_run(stripped)
        if not found:
            continue
        line = {"text": stripped, "tags": found}
        line.update(span_json(block.start, block.end, evidence.removed_by(block.start, block.end)))
        lines.append(line)
        tags.extend(tag for tag in found if tag not in tags)
    return list(dict.fromkeys(tags)), lines


def _link_kind(context: str) -> str:
    for kind, pattern in _LINK_KINDS:
        if re.search(pattern, context, re.IGNORECASE):
            return kind
    return "link"


def extract_links(evidence: Evidence) -> list[dict[str, Any]]:
    """Every URL in the text with the words around it (its own line, or the line before)."""
    links: list[dict[str, Any]] = []
    for index, block in enumerate(evidence.blocks):
        for match in _URL.finditer(block.text):
            url = match.group().rstrip(_URL_TRAILING)
            start = block.start + match.start()
            end = start + len(url)
            context = (block.text[: match.start()] + block.text[match.end() :]).strip()
            if len(re.sub(r"\W", "", context)) < 3 and index > 0:
                context = evidence.blocks[index - 1].text.strip()
            link = {
                "url": url,
                "kind": _link_kind(context or url),
                "context": context[:SHORT_LINE_CHARS],
            }
            link.update(span_json(start, end, evidence.removed_by(start, end)))
            links.append(link)
    return links
