"""decode_source on real files: every common encoding, BOMs, binaries in disguise, HTML pages."""

from __future__ import annotations

import codecs
import gzip
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.decode import Decoded, decode_source
from audit.ingest import walk_inputs
from audit.settings import Settings
from audit.types import Problem, Source

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

# Real sentences, several lines each: the length of a short article paragraph.
GERMAN = (
    "Die künstliche Intelligenz entwickelt sich in China schneller als erwartet.\n"
    "Größere Unternehmen investieren Milliarden, während die Regierung neue Regeln erlässt.\n"
    "Über die Folgen für Europa wird heftig gestritten – auch in Brüssel."
)
FRENCH = (
    "Le président a déclaré que l'économie française était en crise.\n"
    "Les dépenses élevées et la dette publique inquiètent les marchés à Paris.\n"
    "« Nous devons agir vite », a-t-il ajouté devant les députés."
)
RUSSIAN = (
    "Искусственный интеллект быстро развивается в Китае.\n"
    "Правительство выделяет огромные средства на исследования и разработки.\n"
    "Эксперты считают, что к 2030 году Китай станет мировым лидером."
)
CHINESE_SIMPLIFIED = (
    "中国人工智能发展迅速，政府发布了新一代人工智能发展规划。\n到2030年，中国将成为世界主要人工智能创新中心。"
)
CHINESE_TRADITIONAL = (
    "中國人工智慧發展迅速，政府發布了新一代人工智慧發展規劃。\n台灣的半導體產業在全球具有重要地位。"
)
KOREAN = "한국어 텍스트입니다. 인공지능 기술이 빠르게 발전하고 있습니다.\n답글 남기기\n이메일 주소는 공개되지 않습니다."
JAPANESE = "日本語のテキストです。人工知能の技術が急速に発展しています。\n政府は新しい戦略を発表しました。"
GREEK = "Η τεχνητή νοημοσύνη αναπτύσσεται γρήγορα στην Κίνα.\nΗ κυβέρνηση επενδύει δισεκατομμύρια."


def decode_file(folder: Path, name: str, data: bytes) -> Decoded | Problem:
    """Write `data` to a real file and decode it the way a run does: walk, then decode."""
    path = folder / name
    path.write_bytes(data)
    items = list(walk_inputs(path, Settings()))
    sources = [item for item in items if isinstance(item, Source)]
    if not sources:
        return next(item for item in items if isinstance(item, Problem))
    return decode_source(sources[0])


def text_of(result: Decoded | Problem) -> str:
    if not isinstance(result, Decoded):
        raise AssertionError(f"expected text, got {result}")
    return result.text


@pytest.mark.parametrize(
    ("text", "encoding", "reported"),
    [
        (GERMAN, "utf-8", "utf-8"),
        (GERMAN, "cp1252", "cp1252"),
        (FRENCH, "cp1252", "cp1252"),
        (FRENCH, "latin-1", "cp1252"),
        (RUSSIAN, "cp1251", "cp1251"),
        (RUSSIAN, "koi8-r", "koi8-r"),
        (CHINESE_SIMPLIFIED, "gb18030", "gb18030"),
        (CHINESE_SIMPLIFIED, "gbk", "gb18030"),
        (CHINESE_TRADITIONAL, "big5", "big5hkscs"),
        (KOREAN, "euc-kr", "cp949"),
        (JAPANESE, "shift_jis", "cp932"),
        (JAPANESE, "euc-jp", "euc_jp"),
        (JAPANESE, "iso2022_jp", "iso2022_jp"),
        (KOREAN, "iso2022_kr", "iso2022_kr"),
        (GREEK, "cp1253", "cp1253"),
    ],
)
def test_legacy_encodings_are_detected(tmp_path: Path, text: str, encoding: str, reported: str) -> None:
    result = decode_file(tmp_path, "doc.txt", text.encode(encoding))
    assert text_of(result) == text
    assert isinstance(result, Decoded)
    assert result.encoding == reported


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"])
@pytest.mark.parametrize("text", [GERMAN, CHINESE_SIMPLIFIED, KOREAN + "\n" + RUSSIAN])
def test_unicode_encodings_with_and_without_bom(tmp_path: Path, encoding: str, text: str) -> None:
    result = decode_file(tmp_path, "doc.txt", text.encode(encoding))
    assert text_of(result) == text


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_bom_is_trusted_and_removed(tmp_path: Path, bom: bytes, encoding: str) -> None:
    result = decode_file(tmp_path, "doc.md", bom + FRENCH.encode(encoding))
    assert isinstance(result, Decoded)
    assert result.text == FRENCH
    assert result.encoding == encoding


def _png_bytes() -> bytes:
    """A real 1x1 PNG, built chunk by chunk with correct CRCs."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", GERMAN)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "named"),
    [
        ("photo.html", _png_bytes(), "a PNG image"),
        ("report.txt", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n", "a PDF document"),
        ("export.txt", _zip_bytes(), "a ZIP archive"),
        ("page.html", gzip.compress(b"<html><body><p>compressed page</p></body></html>"), "gzip-compressed"),
        ("jpeg.md", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)), "a JPEG image"),
    ],
)
def test_binary_files_are_named(tmp_path: Path, name: str, data: bytes, named: str) -> None:
    result = decode_file(tmp_path, name, data)
    assert isinstance(result, Problem)
    assert result.kind == "binary"
    assert result.message.startswith(f"{name}: looks like {named}")
    assert "skipped" in result.message


def test_an_executable_is_binary(tmp_path: Path) -> None:
    result = decode_file(tmp_path, "python.txt", Path(sys.executable).resolve().read_bytes()[:200_000])
    assert isinstance(result, Problem)
    assert result.kind == "binary"


def test_nul_heavy_data_is_binary(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40  # every byte value: controls and NULs throughout
    result = decode_file(tmp_path, "data.txt", data)
    assert isinstance(result, Problem)
    assert result.kind == "binary"
    assert "binary data" in result.message


def test_stray_nul_bytes_are_removed_with_a_note(tmp_path: Path) -> None:
    data = (GERMAN[:60] + "\x00" + GERMAN[60:] + "\x00").encode("utf-8")
    result = decode_file(tmp_path, "nul.txt", data)
    assert isinstance(result, Decoded)
    assert result.text == GERMAN
    assert any("NUL" in note for note in result.notes)


def test_nul_padding_at_the_end_is_removed(tmp_path: Path) -> None:
    result = decode_file(tmp_path, "padded.txt", FRENCH.encode("utf-8") + b"\x00" * 4096)
    assert isinstance(result, Decoded)
    assert result.text == FRENCH
    assert result.notes == ("removed 4096 NUL bytes of padding at the end",)


def test_truncated_utf8_keeps_everything_but_the_cut_character(tmp_path: Path) -> None:
    data = (KOREAN + "끝").encode("utf-8")[:-1]
    result = decode_file(tmp_path, "cut.txt", data)
    assert isinstance(result, Decoded)
    assert result.text == KOREAN
    assert result.encoding == "utf-8"
    assert "truncated" in result.notes[0]


def test_utf8_with_a_few_corrupt_bytes_stays_utf8(tmp_path: Path) -> None:
    data = (RUSSIAN + "\n").encode("utf-8") + b"broken \xff\xfe here\n" + RUSSIAN.encode("utf-8")
    result = decode_file(tmp_path, "spliced.txt", data)
    assert isinstance(result, Decoded)
    assert result.encoding == "utf-8"
    assert RUSSIAN in result.text
    assert "broken \ufffd\ufffd here" in result.text
    assert result.notes == ("replaced 2 invalid UTF-8 byte sequences with U+FFFD",)


def test_high_byte_soup_is_undecodable(tmp_path: Path) -> None:
    # Bytes 0x80-0xFF in no order fit no encoding, and hold no controls to call them binary.
    soup = bytes((index * 151 + 7) % 128 + 128 for index in range(3000))
    result = decode_file(tmp_path, "soup.txt", soup)
    assert isinstance(result, Problem)
    assert result.kind == "undecodable"
    assert result.message.startswith("soup.txt: its bytes fit no known text encoding; skipped.")


def test_whitespace_only_in_utf16_is_empty(tmp_path: Path) -> None:
    result = decode_file(tmp_path, "blank.txt", " \n\u3000\n ".encode("utf-16"))
    assert isinstance(result, Problem)
    assert result.kind == "empty"


def test_html_meta_charset_is_honoured(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Новости</title></head>'
        f"<body><p>{RUSSIAN}</p></body></html>"
    )
    result = decode_file(tmp_path, "news.html", page.encode("cp1251"))
    assert isinstance(result, Decoded)
    assert result.encoding == "cp1251"
    assert result.format == "html"
    assert result.meta["title"] == "Новости"
    assert "Искусственный интеллект" in result.text


def test_html_declared_gb2312_is_read_as_gb18030(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
        f"<body><p>{CHINESE_SIMPLIFIED}</p><p>㐀 is outside GB2312</p></body></html>"
    )
    result = decode_file(tmp_path, "cn.htm", page.encode("gb18030"))
    assert isinstance(result, Decoded)
    assert result.encoding == "gb18030"
    assert "㐀 is outside GB2312" in result.text


def test_html_declaring_the_wrong_charset_is_read_as_what_it_is(tmp_path: Path) -> None:
    page = f'<html><head><meta charset="iso-8859-1"></head><body><p>{KOREAN}</p></body></html>'
    result = decode_file(tmp_path, "liar.html", page.encode("utf-8"))
    assert isinstance(result, Decoded)
    assert result.encoding == "utf-8"
    assert "답글 남기기" in result.text


def test_a_txt_file_holding_a_whole_page_is_converted(tmp_path: Path) -> None:
    page = "<!DOCTYPE html>\n<html><body><nav>Home | About</nav><p>Saved as text.</p></body></html>"
    result = decode_file(tmp_path, "saved.txt", page.encode("utf-8"))
    assert isinstance(result, Decoded)
    assert result.format == "html"
    assert result.text == "Saved as text."


def test_markdown_with_inline_html_stays_text(tmp_path: Path) -> None:
    text = "# Title\n\nSome <b>bold</b> markup inside markdown.\n"
    result = decode_file(tmp_path, "note.md", text.encode("utf-8"))
    assert isinstance(result, Decoded)
    assert result.format == "text"
    assert result.text == text


@pytest.mark.parametrize(
    "markup",
    [
        "<html><head><title>Only a title</title><script>var x = 1;</script></head><body></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav><script>track()</script><style>p{}</style></body></html>",
        "<div><img src='a.png'><br><hr></div>",
    ],
)
def test_markup_without_text_is_a_problem(tmp_path: Path, markup: str) -> None:
    result = decode_file(tmp_path, "empty.html", markup.encode("utf-8"))
    assert isinstance(result, Problem)
    assert result.kind == "html-no-text"


def test_jsonl_record_is_decoded_as_utf8_text(tmp_path: Path) -> None:
    (tmp_path / "recs.jsonl").write_text('{"id": "k1", "text": "답글 남기기\\u0000 끝"}\n', encoding="utf-8")
    source = next(item for item in walk_inputs(tmp_path, Settings()) if isinstance(item, Source))
    result = decode_source(source)
    assert isinstance(result, Decoded)
    assert (result.text, result.format, result.encoding) == ("답글 남기기 끝", "jsonl-record", "utf-8")
    assert result.notes == ("removed 1 NUL characters",)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seeds_decode_to_their_utf8_text(path: Path) -> None:
    source = next(iter(walk_inputs(path, Settings())))
    assert isinstance(source, Source)
    result = decode_source(source)
    assert isinstance(result, Decoded)
    assert (result.text, result.encoding, result.notes) == (path.read_text(encoding="utf-8"), "utf-8", ())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=3000), fmt=st.sampled_from(["text", "html", "jsonl-record"]))
def test_decoding_never_raises(raw: bytes, fmt: str) -> None:
    result = decode_source(
        Source(id="x", path="x.txt", raw=raw, format=fmt, record=1 if fmt == "jsonl-record" else None)
    )
    assert isinstance(result, (Decoded, Problem))
    if isinstance(result, Decoded):
        result.text.encode("utf-8", "surrogatepass")


_TEXTY_BYTES = st.lists(
    st.sampled_from([b"<p>", b"</div>", b"<html>", b"<meta charset=gbk>", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00",
                     b"\xe4\xb8\xad", b"\xc3", b"caf\xe9 ", b"\x1b$B", b"text ", b"\n", b"<!--", b"<script>"]),
    max_size=60,
).map(b"".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(raw=_TEXTY_BYTES)
def test_decoding_never_raises_on_near_text(raw: bytes) -> None:
    result = decode_source(Source(id="x", path="x.html", raw=raw, format="html"))
    assert isinstance(result, (Decoded, Problem))
