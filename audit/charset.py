"""Decide which encoding a file's bytes are in, or that they are not text at all.

Scraped corpora arrive in every encoding the web ever used, with BOMs or without,
sometimes with binary files wearing a .txt extension. The order of decisions is
what matters, each step settling the cases it is sure of:

1. known binary signatures (PNG, PDF, ZIP, ...): refused with the format's name;
2. a BOM: trusted (UTF-8, UTF-16, UTF-32);
3. UTF-16/32 without a BOM, from the pattern of zero bytes; ISO-2022 from its escapes;
4. NUL and control bytes: a file full of them is binary; a few stray NULs (and
   NUL padding at the end) are removed and noted;
5. valid UTF-8 (the web's encoding since 2008; a legacy text is almost never valid
   UTF-8 by accident), or UTF-8 with a few corrupt sequences, replaced and noted;
6. the charset an HTML/XML page declares, if its bytes really decode with it;
7. charset-normalizer, limited to the encodings browsers support, with near-ties
   broken by language fit and then by how common each encoding is on the web (on
   its own it reads e.g. French as cp775 and Finnish as mac_iceland).

Legacy names are widened to their superset (GBK -> GB18030, EUC-KR -> cp949,
Shift_JIS -> cp932, Latin-1 -> cp1252), as browsers do.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from charset_normalizer import from_bytes

from audit.sniff import (
    bytes_look_binary,
    guess_wide_encodings,
    plausible_utf16,
    sniff_binary,
    text_looks_binary,
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Corrupt UTF-8 tolerated as UTF-8: at most one bad sequence per 50 valid non-ASCII
# characters, and at least 20 of those, so a cp1252 file with one lucky "Ã©" is not taken.
UTF8_MIN_VALID_NON_ASCII = 20
UTF8_MAX_BAD_SHARE = 0.02
# Candidates for detection: the legacy encodings browsers decode (WHATWG Encoding
# Standard), less the two Mac ones and windows-1258 (all rare on the web). Letting
# charset-normalizer try all 99 codecs it knows picks DOS and Mac code pages for plain
# Western text (lingua sentences: Finnish as mac_iceland/hp_roman8, Greek as
# mac_cyrillic), and windows-1258 won over cp1252 for Catalan.
WEB_ENCODINGS = [
    "utf_8", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be", "cp1252", "cp1250", "cp1251", "cp1253",
    "cp1254", "cp1255", "cp1256", "cp1257", "cp874", "cp866", "iso8859_2", "iso8859_3",
    "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13",
    "iso8859_14", "iso8859_15", "iso8859_16", "koi8_r", "koi8_u", "gb18030", "gbk", "big5", "big5hkscs",
    "euc_jp", "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949",
]  # fmt: skip
# Charset-normalizer matches this close to the best "chaos" score count as a tie.
CHAOS_TIE = 0.01
# Among those, a language-fit ("coherence") tie. 0 means only exact ties go to the web
# preference below. Measured on shared/eval/lingua-testdata sentences re-encoded in
# 37 language/legacy-encoding pairs: ties of 0 / 0.05 / 0.1 decode 90% / 86% / 83%
# of 5-line samples exactly (charset-normalizer's own best(): 81%).
COHERENCE_TIE = 0.0
# Second try with charset-normalizer's mess threshold raised from 0.2: 0.5 recovers
# Japanese samples with full-width symbols and still rejects random high bytes.
LENIENT_MESS_THRESHOLD = 0.5
# Tie-break among single-byte candidates: roughly W3Techs' share of each on the web.
# Multi-byte candidates keep charset-normalizer's own order: it already ranks them by
# how well the bytes parse, and a preference would prefer Shift_JIS over Big5 blindly.
WEB_PREFERENCE = (
    "cp1252", "cp1251", "cp1250", "cp1256", "cp874", "cp1253", "cp1254", "cp1255", "koi8_r", "koi8_u",
    "cp1257", "iso8859_15", "iso8859_2", "cp866",
)  # fmt: skip
MULTI_BYTE = frozenset(
    {"utf_8", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be", "gb18030", "gbk", "big5", "big5hkscs",
     "euc_jp", "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949"}
)  # fmt: skip
# Legacy labels decoded with the superset a browser uses (WHATWG Encoding Standard).
SUPERSETS = {
    "ascii": "utf-8", "latin_1": "cp1252", "iso8859_1": "cp1252", "iso8859_9": "cp1254", "gb2312": "gb18030",
    "gbk": "gb18030", "euc_kr": "cp949", "shift_jis": "cp932", "big5": "big5hkscs", "tis_620": "cp874",
    "iso8859_11": "cp874",
}  # fmt: skip
# Pages declare their charset in the head; 64 kB covers heads bloated with inline scripts.
DECLARATION_BYTES = 65_536
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
HTML_START = re.compile(
    r"\A[\s\ufeff]*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])",
    re.IGNORECASE | re.DOTALL,
)
BINARY_DATA = "holds NUL or control bytes throughout, so it looks like binary data, not text"


class Refusal(NamedTuple):
    """Why bytes were not decoded: a Problem kind and the reason in words."""

    kind: str  # "binary" | "undecodable"
    what: str


def decode_bytes(raw: bytes, *, html: bool, notes: list[str]) -> tuple[str, str] | Refusal:
    """Return (text, encoding name), or a Refusal when the bytes are not text; repairs go to `notes`."""
    binary = sniff_binary(raw)
    if binary:
        return Refusal("binary", f"looks like {binary}, not text")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            text = _decode_noting(raw[len(bom) :], encoding, notes)
            return (text, encoding) if not text_looks_binary(text) else Refusal("binary", BINARY_DATA)
    for wide in guess_wide_encodings(raw):
        text = _strict(raw, wide)
        if text is not None:
            return (text, wide) if not text_looks_binary(text) else Refusal("binary", BINARY_DATA)
    if b"\x1b$" in raw:  # ISO-2022: 7-bit (it would pass as ASCII) with SO/SI shifts (as controls)
        for encoding in ("iso2022_jp", "iso2022_kr"):
            text = _strict(raw, encoding)
            if text is not None and "\x1b" not in text:
                return text, _canonical(encoding)
    stripped = raw.rstrip(b"\x00")
    if len(stripped) < len(raw):
        notes.append(f"removed {len(raw) - len(stripped)} NUL bytes of padding at the end")
    if bytes_look_binary(stripped):
        wide_text = plausible_utf16(raw)
        return wide_text if wide_text else Refusal("binary", BINARY_DATA)
    if stripped.count(0):
        notes.append(f"removed {stripped.count(0)} NUL bytes")
        stripped = stripped.replace(b"\x00", b"")
    return _decode_text_bytes(stripped, html, notes)


def _decode_text_bytes(raw: bytes, html: bool, notes: list[str]) -> tuple[str, str] | Refusal:
    text = _strict(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    lenient = _mostly_utf8(raw, notes)
    if lenient is not None:
        return lenient, "utf-8"
    if html or HTML_START.match(raw[:1024].decode("latin-1")):
        declared = _declared_charset(raw)
        text = _strict(raw, declared) if declared else None
        if declared and text is not None:
            return text, declared
    detected = _detect(raw)
    if detected is None:
        return Refusal("undecodable", "its bytes fit no known text encoding")
    return _decode_noting(raw, detected, notes), detected


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_noting(raw: bytes, encoding: str, notes: list[str]) -> str:
    """Decode, replacing bad sequences with U+FFFD and noting how many there were."""
    text = _strict(raw, encoding)
    if text is not None:
        return text
    text = raw.decode(encoding, errors="replace")
    notes.append(f"replaced {text.count(chr(0xFFFD))} invalid {encoding} byte sequences with U+FFFD")
    return text


def _mostly_utf8(raw: bytes, notes: list[str]) -> str | None:
    """UTF-8 with a few corrupt sequences (a truncated or spliced file), or None if it is not UTF-8."""
    try:
        head = codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
    except UnicodeDecodeError:
        head = None
    if head is not None and len(head) > len(head.encode("ascii", "ignore")):
        # Valid UTF-8 with non-ASCII text, cut inside its last character: a truncated download.
        notes.append("dropped an incomplete UTF-8 character at the end (the file looks truncated)")
        return head
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - raw.count(b"\xef\xbf\xbd")
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    if valid_non_ascii >= UTF8_MIN_VALID_NON_ASCII and bad <= UTF8_MAX_BAD_SHARE * valid_non_ascii:
        notes.append(f"replaced {bad} invalid UTF-8 byte sequences with U+FFFD")
        return text
    return None


def _declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in its first bytes, as a Python codec name (superset applied)."""
    match = _DECLARED_CHARSET.search(raw[:DECLARATION_BYTES])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    if name.startswith(("utf_16", "utf_32")):
        return None  # a declaration readable as ASCII cannot be in UTF-16/32 (WHATWG reads it as UTF-8)
    return _canonical(SUPERSETS.get(name, name))


def _detect(raw: bytes) -> str | None:
    """Ask charset-normalizer; among near-ties (mess, then language fit) prefer the commoner encoding."""
    matches = list(from_bytes(raw, cp_isolation=WEB_ENCODINGS))
    if not matches:  # a few messy chunks (mixed scripts, symbols) can sink the default threshold
        matches = list(from_bytes(raw, cp_isolation=WEB_ENCODINGS, threshold=LENIENT_MESS_THRESHOLD))
    if not matches:
        return None
    best_chaos = min(match.chaos for match in matches)
    calm = [match for match in matches if match.chaos <= best_chaos + CHAOS_TIE]
    best_coherence = max(match.coherence for match in calm)
    ranked: list[tuple[int, int, str]] = []
    for order, match in enumerate(calm):
        if match.coherence < best_coherence - COHERENCE_TIE:
            continue
        names = [match.encoding, *match.could_be_from_charset]
        ranked.append(min((_web_rank(name), order, name) for name in names))
    name = min(ranked)[2]
    return _canonical(SUPERSETS.get(name, name))


def _web_rank(name: str) -> int:
    if name in MULTI_BYTE:
        return -1
    return WEB_PREFERENCE.index(name) if name in WEB_PREFERENCE else len(WEB_PREFERENCE)


def _canonical(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name
