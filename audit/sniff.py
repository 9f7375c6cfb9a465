"""Recognise what kind of bytes a file holds before trying to read them as text.

Cheap, byte-level evidence settles most files: a known signature names a binary
format (so the message can say "looks like a PNG image"), the pattern of zero
bytes reveals UTF-16/32 without a BOM, and the share of control bytes separates
binary data from text by an order of magnitude.
"""

from __future__ import annotations

import re

# (signature, offset, what it is). Only signatures that no text file starts with.
MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"%PDF-", 0, "a PDF document"),
    (b"PK\x03\x04", 0, "a ZIP archive (or a DOCX/XLSX/EPUB file)"),
    (b"PK\x05\x06", 0, "an empty ZIP archive"),
    (b"\x1f\x8b", 0, "gzip-compressed data (decompress it first)"),
    (b"BZh", 0, "bzip2-compressed data (decompress it first)"),
    (b"\xfd7zXZ\x00", 0, "xz-compressed data (decompress it first)"),
    (b"(\xb5/\xfd", 0, "zstd-compressed data (decompress it first)"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"\x7fELF", 0, "an executable (ELF)"),
    (b"\xcf\xfa\xed\xfe", 0, "an executable (Mach-O)"),
    (b"\xca\xfe\xba\xbe", 0, "a Java class file"),
    (b"\x00asm", 0, "a WebAssembly module"),
    (b"SQLite format 3\x00", 0, "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Office document (DOC/XLS/PPT)"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"\x00\x00\x01\x00", 0, "an icon (ICO)"),
    (b"OggS", 0, "an Ogg audio/video file"),
    (b"fLaC", 0, "a FLAC audio file"),
    (b"wOFF", 0, "a web font (WOFF)"),
    (b"wOF2", 0, "a web font (WOFF2)"),
    (b"ftyp", 4, "an MP4/MOV/HEIC media file"),
)
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}
# C0 control bytes that never occur in text (tab, LF, VT, FF, CR and ESC do: ESC in ISO-2022).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (0, 9, 10, 11, 12, 13, 27))
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Share of control bytes (other than NUL) above which a file is binary. Text has none;
# random or compressed data has 26/256 (10%); 1% separates them by an order of magnitude
# and tolerates a few stray bytes in a real text.
BINARY_BYTE_RATIO = 0.01
# Share of NUL bytes above which a file is binary. Stray NULs in a scraped text are a
# handful (removed, with a note); structured binaries (tables, databases, executables
# without a known signature) are a fifth or more zeros. UTF-16/32 are recognised first.
BINARY_NUL_RATIO = 0.1
# UTF-16 without BOM: ASCII-heavy text puts a zero in every other byte. A third of
# those slots being zero while the other slots (almost) never are is unmistakable.
WIDE_ZERO_SHARE = 0.3
WIDE_OTHER_ZERO_SHARE = 0.02
SNIFF_BYTES = 65_536


def sniff_binary(raw: bytes) -> str | None:
    """Name the binary format a file's first bytes announce, or None."""
    for signature, offset, what in MAGIC:
        if raw[offset : offset + len(signature)] == signature:
            return what
    if raw[:4] == b"RIFF" and raw[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[raw[8:12]]
    return None


def guess_wide_encodings(raw: bytes) -> tuple[str, ...]:
    """UTF-32/16 without BOM, recognised by where the zero bytes fall; a strict decode then decides.

    UTF-32 text has a zero in its top byte for every character (any script); UTF-16
    shows a zero in every other byte where the text is ASCII (digits, spaces, markup).
    """
    sample = raw[:SNIFF_BYTES]
    if len(sample) < 4 or sample.count(0) == 0:
        return ()
    candidates: list[str] = []
    if len(raw) % 4 == 0:
        quads = sample[: len(sample) // 4 * 4]
        if quads[3::4].count(0) == len(quads) // 4:
            candidates.append("utf-32-le")
        if quads[0::4].count(0) == len(quads) // 4:
            candidates.append("utf-32-be")
    pairs = sample[: len(sample) // 2 * 2]
    even, odd = (pairs[i::2].count(0) / (len(pairs) // 2) for i in (0, 1))
    if odd > WIDE_ZERO_SHARE and even < WIDE_OTHER_ZERO_SHARE:
        candidates.append("utf-16-le")
    if even > WIDE_ZERO_SHARE and odd < WIDE_OTHER_ZERO_SHARE:
        candidates.append("utf-16-be")
    return tuple(candidates)


def plausible_utf16(raw: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16 of non-Latin text: zero and control bytes abound, yet it decodes cleanly.

    Binary data almost never decodes strictly (one unpaired surrogate in about every
    32 code units fails it), so a strict decode with no controls and almost no
    private-use characters is text. Returns (text, encoding) or None.
    """
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL_CHARS.search(text):
            continue
        private = len(text) - len(_PRIVATE_USE.sub("", text))
        if private <= BINARY_BYTE_RATIO * len(text):
            return text, encoding
    return None


def bytes_look_binary(raw: bytes) -> bool:
    """Too many NUL or control bytes for text in any ASCII-compatible encoding."""
    if not raw:
        return False
    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    return raw.count(0) > BINARY_NUL_RATIO * len(raw) or controls > BINARY_BYTE_RATIO * len(raw)


def text_looks_binary(text: str) -> bool:
    """Binary data behind a BOM or a zero-byte pattern still shows as control characters once decoded."""
    controls = len(text) - len(_CONTROL_CHARS.sub("", text))
    return controls > BINARY_BYTE_RATIO * len(text)
