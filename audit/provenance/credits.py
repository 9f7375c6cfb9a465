"""Who a text credits: source, photo, author and translator lines, and outlets cited inline.

A credit line ("Source: Reuters", "📷 素材來源:@Macrobruce", "Quelle: dpa") names
where a text or its pictures came from, which is the first thing to check when
two documents share a passage. Inline citations ("… services (South China
Morning Post).") name the outlets the writer drew on. Both are found by
shape (a label line, a bracket at the end of a sentence) with the labels and
known outlets in data files, so no language is special-cased in code.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from audit.dates import find_dates, words_pattern
from audit.provenance.common import SHORT_LINE_CHARS, Evidence, load_phrases, span_json

# A credited name longer than this is a caption or a sentence, not a name.
MAX_NAME_CHARS = 60
MAX_NAME_WORDS = 8
# A bare bracket is read as an outlet only when it is this short: the longest
# outlet name in the seeds is "Center for Data Innovation" (26 characters).
MAX_OUTLET_CHARS = 50
# Words allowed in lowercase inside an outlet name ("Center for Data Innovation").
_CONNECTORS = frozenset(
    [
        "of",
        "for",
        "the",
        "and",
        "on",
        "in",
        "at",
        "de",
        "del",
        "des",
        "du",
        "la",
        "le",
        "les",
        "der",
        "die",
        "das",
        "von",
        "di",
        "da",
        "do",
        "dos",
        "y",
        "et",
        "und",
        "&",
        "am",
        "zu",
    ]
)
_ROLES = ("source", "photo", "author", "editor", "translator")
_SEPARATORS = re.compile(r"\s*(?:[|·•]|\s[-–—]\s)\s*")


@cache
def _label_line() -> re.Pattern[str]:
    labels = [label for role in _ROLES for label in load_phrases("credits")[role]]
    return re.compile(
        rf"^[^\w@]{{0,6}}?(?P<label>{words_pattern(labels)})\s*[:：]\s*(?P<name>.+)$", re.IGNORECASE
    )


@cache
def _byline() -> re.Pattern[str]:
    labels = load_phrases("credits")["byline"]
    name = r"(?P<name>(?:@\w+|\p{Lu}[\w.'’-]*)(?:\s+(?:\p{Lu}[\w.'’-]*|van|von|de|da|del|der|di|le|la|bin|al-\w+)){0,4})"
    name = name.replace(r"\p{Lu}", "[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ]")
    # The name must end the line or be followed by a separator (a date, a
    # section may follow), or by a comma and a short tail ("By Jane Doe, Reuters").
    end = r"(?=\s*(?:$|[|·•]|[–—-]\s|,\s*[^,]{0,40}$))"
    return re.compile(rf"^[^\w@]{{0,6}}?(?P<label>(?i:{words_pattern(labels)}))\s+{name}{end}")


@cache
def _bracketed() -> re.Pattern[str]:
    labels = [label for role in _ROLES for label in load_phrases("credits")[role]]
    return re.compile(
        rf"[(\[（【]\s*(?P<label>{words_pattern(labels)})\s*[:：]\s*(?P<name>[^)\]）】\n]{{1,{MAX_NAME_CHARS}}})[)\]）】]",
        re.IGNORECASE,
    )


@cache
def _role_of_label() -> dict[str, str]:
    roles: dict[str, str] = {}
    for role in (*_ROLES, "byline"):
        for label in load_phrases("credits")[role]:
            roles.setdefault(label, "author" if role == "byline" else role)
    for label in ("edited by", "editing by"):
        roles[label] = "editor"
    for label in ("translated by", "traduit par", "traducido por", "übersetzt von", "tradotto da"):
        roles[label] = "translator"
    return roles


def _clean_name(raw: str) -> str | None:
    """The credited name, trimmed of trailing dates and separators; None if it reads as prose."""
    name = _SEPARATORS.split(raw.strip())[0].strip(" .,;:()[]（）【】")
    dates = find_dates(name)
    if dates:
        name = name[: dates[0].start].strip(" .,;:|")
    if not name or len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return None
    if not any(ch.isalnum() for ch in name):
        return None
    return name


def extract_credits(evidence: Evidence) -> list[dict[str, Any]]:
    """Credit lines and bracketed credits, in text order."""
    credits: list[dict[str, Any]] = []
    roles = _role_of_label()
    for block in evidence.blocks:
        stripped = block.text.strip()
        lead = len(block.text) - len(block.text.lstrip())
        matches = []
        if len(stripped) <= SHORT_LINE_CHARS:
            line = _label_line().match(stripped) or _byline().match(stripped)
            if line:
                matches.append(line)
        matches.extend(_bracketed().finditer(block.text))
        seen: set[tuple[str, str]] = set()  # "(Photo: AP)" alone on a line matches both ways
        for match in matches:
            name = _clean_name(match.group("name"))
            role = roles.get(match.group("label").lower(), "source")
            if name is None or (name, role) in seen:
                continue
            seen.add((name, role))
            offset = block.start + (lead if match.re is not _bracketed() else 0)
            start, end = offset + match.start(), offset + match.end()
            credit = {
                "name": name,
                "role": role,
                "label": match.group("label"),
                "text": match.group().strip(),
            }
            credit.update(span_json(start, end, evidence.removed_by(start, end)))
            credits.append(credit)
    return credits


@cache
def _attribution() -> re.Pattern[str]:
    words = load_phrases("outlets")["attribution"]
    return re.compile(rf"^\s*(?:{words_pattern(words)})\s*[:：,]?\s*", re.IGNORECASE)


@cache
def _known_outlets() -> frozenset[str]:
    return frozenset(load_phrases("outlets")["known"])


_ELISION = re.compile(r"^(?:l|d)['’]", re.IGNORECASE)  # "selon l'AFP" cites "AFP"
_BRACKET = re.compile(r"[(（](?P<inner>[^()（）\n]{2,80})[)）]")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,10}$", re.IGNORECASE)
# After a citation: sentence end, line end, or another bracket (chained citations).
_CITATION_END = re.compile(r"^\s*(?:[.!?;。！？；]|$|[(（])")


def _looks_like_outlet(name: str) -> bool:
    """Title-case words ("MIT Technology Review"), a domain ("Tech.co") or a known outlet."""
    if name.lower() in _known_outlets():
        return True
    if _DOMAIN.match(name):
        return True
    words = name.split()
    if len(words) < 2 or len(name) > MAX_OUTLET_CHARS or any(ch.isdigit() for ch in name):
        return False
    significant = [w for w in words if w.lower() not in _CONNECTORS]
    return bool(significant) and all(w[0].isupper() for w in significant) and words[0][0].isupper()


def _outlet_from_bracket(inner: str, after: str, word_before: str) -> str | None:
    inner = inner.strip()
    attribution = _attribution().match(inner)
    if attribution and attribution.end() < len(inner):
        name = _ELISION.sub("", inner[attribution.end() :].strip(" .,;:"))
        ok = 0 < len(name) <= MAX_OUTLET_CHARS and not any(ch.isdigit() for ch in name)
        return name if ok and (name[0].isupper() or name[0].lower() == name[0].upper()) else None
    if inner.lower() in _known_outlets():
        return inner
    if _bracketed().fullmatch(f"({inner})"):
        return None  # "(Photo: AP)" is a credit, listed under credits
    # A bare bracket cites a source only at the end of a sentence, and not right
    # after a capitalised name, where a bracket is an alias: "Tencent (WeChat Pay)".
    if not _CITATION_END.match(after) or (word_before[:1].isupper() and not _DOMAIN.match(inner)):
        return None
    return inner if _looks_like_outlet(inner) else None


def extract_cited_outlets(evidence: Evidence) -> tuple[list[str], list[dict[str, Any]]]:
    """Ordered unique outlets cited in brackets, and each citation with its span."""
    outlets: list[str] = []
    citations: list[dict[str, Any]] = []
    for block in evidence.blocks:
        for match in _BRACKET.finditer(block.text):
            before = block.text[: match.start()].split()
            outlet = _outlet_from_bracket(
                match.group("inner"), block.text[match.end() :], before[-1] if before else ""
            )
            if outlet is None:
                continue
            start, end = block.start + match.start(), block.start + match.end()
            citation = {"outlet": outlet, "text": match.group()}
            citation.update(span_json(start, end, evidence.removed_by(start, end)))
            citations.append(citation)
            if outlet not in outlets:
                outlets.append(outlet)
    return outlets, citations
