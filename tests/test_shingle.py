"""The tokenizer and the signatures: offsets, folding, scripts, stability, datasketch compatibility."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from audit.fingerprint import fingerprint_text, minhash_inputs, window_layout, window_signatures
from audit.settings import Settings
from audit.shingle import CharacterTables, shingle_hashes, token_texts, tokenize


def words(text: str) -> list[str]:
    return token_texts(text, tokenize(text))


def test_every_token_slices_its_text() -> None:
    text = "Ｆｕｌｌ-width, “curly” quotes\nand 中文字 mixed with ไทย and 한국어 문장."
    tokens = tokenize(text)
    assert len(tokens) == len(tokens.starts) == len(tokens.ends)
    for start, end, word in zip(tokens.starts, tokens.ends, words(text), strict=True):
        assert text[start:end] == word
        assert word.strip() == word and word


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Don’t STOP the “Music”!", 'don\'t stop the "music"'),
        ("Catch-Up mode", "catch up MODE"),
        ("re-wrapped\nlines   here", "re wrapped lines here"),
        ("ＦＵＬＬ ｗｉｄｔｈ", "full width"),
        ("Straße ÄRGER", "straße ärger"),
        ("ΣΟΦΙΑ", "σοφια"),
    ],
)
def test_case_quotes_punctuation_and_wrapping_do_not_change_tokens(left: str, right: str) -> None:
    assert tokenize(left).hashes.tolist() == tokenize(right).hashes.tolist()


def test_different_words_hash_differently() -> None:
    assert len(set(tokenize("cat act tac cats at a c").hashes.tolist())) == 7


def test_unspaced_scripts_are_tokenized_by_character() -> None:
    assert words("中国人工智能") == ["中", "国", "人", "工", "智", "能"]
    assert words("ひらがなカタカナ") == list("ひらがなカタカナ")
    # Thai marks stay with their base character.
    assert words("ภาษาไทยง่าย") == ["ภ", "า", "ษ", "า", "ไ", "ท", "ย", "ง่", "า", "ย"]
    assert words("AI在中国") == ["AI", "在", "中", "国"]


def test_spaced_scripts_keep_words_whole_with_their_marks() -> None:
    assert words("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert words("한국어 문장입니다") == ["한국어", "문장입니다"]
    assert words("Größe café naïve") == ["Größe", "café", "naïve"]


def test_empty_and_punctuation_only_texts_have_no_tokens() -> None:
    assert len(tokenize("")) == 0
    assert len(tokenize(" … —  !!! \n")) == 0
    assert len(shingle_hashes(tokenize("one two").hashes, 5)) == 0


def test_lone_surrogates_do_not_shift_offsets() -> None:
    text = "bad \ud800 char then words"
    assert words(text) == ["bad", "char", "then", "words"]


def test_shingles_count_and_order_matter() -> None:
    hashes = tokenize("a b c d e f g").hashes
    shingles = shingle_hashes(hashes, 5)
    assert len(shingles) == 3
    assert len(set(shingles.tolist())) == 3
    reordered = shingle_hashes(tokenize("e d c b a").hashes, 5)
    assert reordered[0] != shingles[0]


def test_hashes_are_stable_across_runs() -> None:
    # Pinned values: a salted hash (Python's hash()) would change between processes.
    assert tokenize("Hello").hashes.tolist() == tokenize("hello").hashes.tolist()
    assert int(shingle_hashes(tokenize("the quick brown fox jumps").hashes, 5)[0]) == 10944606297787624595


def test_document_signature_equals_datasketch_minhash(seed_texts: dict[str, str]) -> None:
    settings = Settings()
    fingerprint = fingerprint_text(seed_texts["002"], settings)
    reference = MinHash(num_perm=settings.num_perm, seed=settings.minhash_seed, hashfunc=int)
    reference.update_batch(minhash_inputs(fingerprint.shingles).tolist())
    assert np.array_equal(reference.hashvalues, fingerprint.signature)
    assert fingerprint.lean_minhash(settings).jaccard(fingerprint.lean_minhash(settings)) == 1.0


@pytest.mark.parametrize("length", [3, 21, 22, 57, 300])
def test_window_signatures_equal_datasketch_per_window(length: int) -> None:
    settings = Settings()
    values = np.arange(1, length + 1, dtype=np.uint32) * np.uint32(2654435761)
    starts, width = window_layout(length, settings)
    assert starts[0] == 0 and starts[-1] + width >= length  # every shingle lies in a window
    signatures = window_signatures(values, starts, width, settings)
    for index, start in enumerate(starts.tolist()):
        reference = MinHash(num_perm=settings.num_perm, seed=settings.minhash_seed, hashfunc=int)
        reference.update_batch(values[start : start + width].tolist())
        assert np.array_equal(reference.hashvalues, signatures[index]), (length, start)


def test_token_hashes_do_not_depend_on_position_or_text_length() -> None:
    long_text = "Abc " * 300_000  # past the cached table of powers
    assert tokenize(long_text).hashes[-1] == tokenize("abc").hashes[0]
    assert tokenize("x " * 5000 + "abc").hashes[-1] == tokenize("ABC").hashes[0]


def test_characters_are_classified_a_page_at_a_time_when_first_seen() -> None:
    # A fresh process fills nothing; a text fills the pages of 4,096 code points it touches.
    tables = CharacterTables()
    assert not tables.filled.any() and tables.classes[ord("a")] == 0  # not filled yet: a separator
    whole = CharacterTables().covering(np.arange(0x110000, dtype=np.uint32))
    assert whole.filled.all()
    assert tables.covering(np.array([ord("a"), 0x1D400], dtype=np.uint32)) is tables
    assert tables.filled.sum() == 2 and tables.classes[0x1000] == 0  # only the two pages asked for
    for page in (0x0, 0x1D):
        span = slice(page << 12, (page + 1) << 12)
        assert np.array_equal(tables.classes[span], whole.classes[span])
        assert np.array_equal(tables.folded[span], whole.folded[span])
    # Mathematical bold letters fold to plain ones; CJK extension B characters are tokens of their own.
    assert tokenize("\U0001d407\U0001d41e\U0001d425\U0001d425\U0001d428 world").hashes.tolist() == (
        tokenize("Hello World").hashes.tolist()
    )
    assert len(tokenize("\U00020000\U00020001 \U0001f600 ok")) == 3
