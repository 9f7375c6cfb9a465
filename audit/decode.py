"""Turn a Source into text: decode its bytes, convert HTML, or say in one sentence why not.

The one entry point the pipeline calls per document. Byte-level decisions live in
`charset` (which encoding, or not text at all) and HTML conversion in
`extract` (main content, with the `html_text` walker as fallback); this module
ties them together, handles JSONL records (always UTF-8), removes NUL
characters with a note, and turns every failure into a Problem that names the
file: nothing here raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit.charset import HTML_START, Refusal, decode_bytes
from audit.errors import make_problem, record_source
from audit.extract import extract_main_text
from audit.types import JSONDict, Problem, Source

_SAVED_FULLY = "Check that the page was saved completely."
_CONVERT = "Remove it from the input, or convert it to UTF-8 text."


@dataclass(frozen=True)
class Decoded:
    """Decoded text (not yet normalized), how it was decoded, and page metadata for HTML.

    `format` is "html" when the text came out of HTML, else the Source's format.
    `notes` says what decoding had to repair (NULs removed, bad bytes replaced).
    """

    text: str
    encoding: str
    format: str
    meta: JSONDict = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def decode_source(source: Source) -> Decoded | Problem:
    """Decode, and convert HTML to text; any failure is a Problem naming the source."""
    name, where = (
        (source.path, source.path) if source.record is None else record_source(source.path, source.record)
    )
    try:
        return _decode(source, name, where)
    except (ValueError, LookupError, RecursionError, MemoryError) as error:  # a last guard: never raise
        return make_problem(name, "undecodable", f"could not be decoded ({type(error).__name__})", "", where)
    except Exception as error:  # a parser bug on one odd file must not stop the run
        what = f"could not be read ({type(error).__name__})"
        return make_problem(name, "internal-error", what, "Please report this file.", where)


def _decode(source: Source, name: str, where: str) -> Decoded | Problem:
    notes: list[str] = []
    if source.format == "jsonl-record":
        text, encoding = source.raw.decode("utf-8", errors="replace"), "utf-8"
    else:
        decoded = decode_bytes(source.raw, html=source.format == "html", notes=notes)
        if isinstance(decoded, Refusal):
            return make_problem(name, decoded.kind, decoded.what, _CONVERT, where)
        text, encoding = decoded
    if "\x00" in text:
        notes.append(f"removed {text.count(chr(0))} NUL characters")
        text = text.replace("\x00", "")
    if source.format == "html" or HTML_START.match(text[:4096]):
        page = extract_main_text(text)
        if not page.text.strip():
            return make_problem(name, "html-no-text", "is HTML with no readable text", _SAVED_FULLY, where)
        return Decoded(page.text, encoding, "html", dict(page.meta), tuple(notes))
    if not text.strip():
        return make_problem(name, "empty", "holds only whitespace", "", where)
    return Decoded(text, encoding, source.format, {}, tuple(notes))
