"""langdetect's probabilities, bit for bit, at a fraction of the cost.

langdetect is the slowest stage of the pipeline by far (about 90 % of a run on
plain articles): per text it extracts character n-grams one character at a
time through a small state machine, then runs seven random trials that each
multiply a 55-language probability vector, in pure Python, until it converges.
Block languages feed the boilerplate rules, so the answer must not change;
this module computes the very same `Detector.langprob` vector faster:

- text preparation is the same regular expressions and per-character mapping,
  done with `str.translate`; the n-grams of many texts are then found in one
  numpy pass over their code points (21 bits per character, looked up in the
  sorted vocabulary) instead of one state-machine step per character;
- the trials replay the exact random stream langdetect draws from (a seeded
  `random.Random`: the same 32-bit words, the same rejection sampling, the same
  Box-Muller pair with its cached second value), and the floating-point work is
  the same operations in the same order, only on numpy arrays and for many texts
  at once: the five updates between two normalisations become five in-place
  multiplies of a (texts x languages) array, a shorter chunk is padded with
  factors of exactly 1.0, and sums run left to right as Python's `sum` does.

`check_identical` runs both on fixed texts once per process; if they ever
disagree (another Python or langdetect version), `langprobs` falls back to
langdetect itself, so a fast answer is never a different answer.
"""

from __future__ import annotations

import math
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory, init_factory
from langdetect.lang_detect_exception import LangDetectException
from langdetect.utils.ngram import NGram

from audit import fastdetect_kernel as kernel

# langdetect's own constants (Detector), restated so the replay reads as the original.
N_TRIAL = 7
ALPHA = Detector.ALPHA_DEFAULT
ALPHA_WIDTH = Detector.ALPHA_WIDTH
ITERATION_LIMIT = Detector.ITERATION_LIMIT
CONV_THRESHOLD = Detector.CONV_THRESHOLD
BASE_FREQ = Detector.BASE_FREQ
MAX_TEXT_LENGTH = 10000
CHUNK = 5  # langdetect normalises (and may stop) after update 0, 5, 10, ...
# Draws replayed per text: seven trials of at most ITERATION_LIMIT + 1 updates
# each. Trials of ~70 updates are typical, so texts are first replayed with
# room for FIRST_DRAWS; the few that need more (a text whose languages tie,
# such as Han characters shared by zh-cn and zh-tw, runs every trial to the
# limit) are replayed again with room for all of them.
MAX_DRAWS = N_TRIAL * (ITERATION_LIMIT + 1) + 1
FIRST_DRAWS = 1024
# 32-bit words of the random stream precomputed: MAX_DRAWS accepted draws at an
# acceptance rate of at least one half, plus the Gaussian pairs, with room to spare.
STREAM_WORDS = 4 * MAX_DRAWS + 64
# Texts replayed together: enough rows to amortise numpy calls over the long
# tail of slow trials, few enough that the gathered factors (rows x 5 x 55
# doubles) stay small.
BATCH_ROWS = 2048
# Slots of the compiled lookup's hash table: 2**18 = 262,144 for langdetect's 87,598 n-grams.
TABLE_BITS = 18
_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")
_TWOPI = 2.0 * math.pi
# Rows from which column-by-column addition beats `cumsum` for the row sums.
COLUMN_LOOP_ROWS = 64
# Python's sum() over floats adds left to right before 3.12 and with compensation after.
_SEQUENTIAL_SUM = sys.version_info < (3, 12)


@dataclass(frozen=True, eq=False)
class _Model:
    factory: DetectorFactory
    seed: int
    codes: np.ndarray  # int64, sorted: the profile's n-grams as `_gram_codes` writes them
    rows: np.ndarray  # int64: the row of `probabilities` for each code
    probabilities: np.ndarray  # float64 [n-grams, languages]
    stream: np.ndarray  # int64: the first STREAM_WORDS 32-bit words of Random(seed)
    table: (
        tuple[np.ndarray, np.ndarray] | None
    )  # the codes as a hash table (keys, rows) for the compiled lookup


# `NGram.normalize` of every code point seen so far (-1: not asked yet); it maps each
# character to one character, so a text's normalized code points are one gather.
_NORMALIZED = np.full(0x110000, -1, dtype=np.int64)
# `str.isupper()` of each normalized character, as langdetect's capital-word check asks
# it: filled with `_NORMALIZED` (asking about all 1.1M code points took ~0.35 s a process).
_UPPER = np.zeros(0x110000, dtype=bool)


def _normalized(points: np.ndarray) -> np.ndarray:
    """The code points of `NGram.normalize` applied to each character, filled on first sight of each."""
    unseen = points[_NORMALIZED[points] < 0]
    for code in np.unique(unseen).tolist():
        normal = NGram.normalize(chr(code))
        _NORMALIZED[code] = ord(normal)
        _UPPER[ord(normal)] = normal.isupper()
    return _NORMALIZED[points]


# Results kept by text, as arrays (~0.5 KB each); cleared when full. A batch of
# documents asks about a few thousand blocks; a corpus repeats its footers.
CACHE_SIZE = 20_000
_RESULTS: dict[tuple[int, bool, str], np.ndarray | None] = {}
# Set (to anything) to have langdetect itself answer: the plain path the fast
# one is checked against (tests/test_fast_paths.py), and a way to rule it out.
PLAIN_ENVIRONMENT = "AUDIT_PLAIN_LANGDETECT"


@cache
def _model(seed: int) -> _Model:
    init_factory()
    from langdetect import detector_factory  # the module-level factory init_factory filled

    factory = detector_factory._factory
    if factory is None:
        raise RuntimeError("langdetect profiles could not be loaded")
    factory.set_seed(seed)
    words = sorted(factory.word_lang_prob_map)
    probabilities = np.array([factory.word_lang_prob_map[w] for w in words], dtype=np.float64)
    codes = np.array([_word_code(w) for w in words], dtype=np.int64)
    order = np.argsort(codes)
    generator = Detector(factory).random
    generator.seed(seed)
    stream = np.array([generator.getrandbits(32) for _ in range(STREAM_WORDS)], dtype=np.int64)
    return _Model(factory, seed, codes[order], order, probabilities, stream, _hash_table(codes))


def _hash_table(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The vocabulary codes in an open-addressing table at most a third full (compiled lookup only)."""
    if not kernel.AVAILABLE:
        return None
    keys = np.full(1 << TABLE_BITS, kernel.EMPTY, dtype=np.int64)
    rows = np.zeros(1 << TABLE_BITS, dtype=np.int64)
    kernel.fill_table(codes, np.arange(len(codes), dtype=np.int64), keys, rows, TABLE_BITS)
    return keys, rows


def prepared_text(text: str) -> str:
    """The text langdetect extracts n-grams from (`Detector.append` then `cleaning_text`)."""
    return _without_latin(_SPACES.sub(" ", _substituted(text)[:MAX_TEXT_LENGTH]))


def _substituted(text: str) -> str:
    """`Detector.append`'s substitutions: URLs and e-mail addresses to spaces, Vietnamese marks composed.

    Each is skipped when the character it cannot match without is missing:
    the e-mail pattern tries up to 64 characters at every letter before it
    looks for the "@" (a few MB/s), and a text holds none most of the time.
    """
    if "http" in text:
        text = Detector.URL_RE.sub(" ", text)
    if "@" in text:
        text = Detector.MAIL_RE.sub(" ", text)
    if any(mark in text for mark in NGram.DMARK_CLASS):
        text = NGram.normalize_vi(text)
    return text


def _without_latin(text: str) -> str:
    """`cleaning_text`'s last step: Latin letters dropped from a text mostly in other scripts."""
    points = _code_points(text)
    latin = int(np.count_nonzero((points >= 0x41) & (points <= 0x7A)))
    if latin * 2 < int(np.count_nonzero(points >= 0x300)):
        return _LATIN.sub("", text)
    return text


def prepared_texts(texts: Sequence[str]) -> list[str]:
    """`prepared_text` of each text, with the regular expressions run once over all of them.

    None of them can match a newline, nor does any change the length past
    `MAX_TEXT_LENGTH` for a text that starts shorter, so on texts joined by
    newlines they act on each text exactly as they do on it alone; the Latin
    check is per text, on counts taken over the joined code points.
    """
    if any("\n" in text or len(text) > MAX_TEXT_LENGTH for text in texts):
        return [prepared_text(text) for text in texts]
    cleaned = _SPACES.sub(" ", _substituted("\n".join(texts)))
    points = _code_points(cleaned)
    breaks = np.flatnonzero(points == 0x0A)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(points)]))
    latin = np.concatenate(([0], np.cumsum((points >= 0x41) & (points <= 0x7A))))
    other = np.concatenate(([0], np.cumsum(points >= 0x300)))
    mostly_other = (latin[ends] - latin[starts]) * 2 < other[ends] - other[starts]
    pieces = cleaned.split("\n")
    for index in np.flatnonzero(mostly_other).tolist():
        pieces[index] = _LATIN.sub("", pieces[index])
    return pieces


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


def _word_code(gram: str) -> int:
    """`_gram_codes` of a whole vocabulary n-gram (1 to 3 characters), in plain integers.

    87,598 of them are coded at each process' start: one small numpy array
    each cost ~0.3 s there, this ~0.03 s.
    """
    code = 0
    for char in gram:
        code = (code << 21) | ord(char)
    return code


def _gram_codes(points: np.ndarray, n: int) -> np.ndarray:
    """One integer per n-gram ending at each position: 21 bits per character."""
    codes = points.copy()
    for back in range(1, n):
        codes[back:] |= points[:-back] << (21 * back)
    return codes


def ngram_indices(text: str, model: _Model) -> np.ndarray:
    """The n-grams `Detector._extract_ngrams` yields for `text`, as vocabulary rows, in order."""
    return ngram_batch([text], model)[0]


def ngram_batch(texts: Sequence[str], model: _Model) -> list[np.ndarray]:
    """`ngram_indices` of many texts in one pass over all their characters.

    `NGram.add_char` keeps the last three characters since the last space (the
    space included) and skips a character that continues a run of capitals; so
    at each character it yields the 1-, 2- and 3-gram ending there (the 3-gram
    only from the word's second character on), at a space ending a word the 2-
    and 3-gram ending in that space, and nothing at a space after a space. Each
    text starts as if after a space, and its last word yields nothing after it:
    the texts are laid end to end, each behind a space of its own that yields
    nothing either.
    """
    pieces = [" " + piece for piece in prepared_texts(texts)]
    starts = np.cumsum([0] + [len(piece) for piece in pieces])
    points = _normalized(_code_points("".join(pieces)))
    if len(points) == 0:
        return [np.zeros(0, dtype=np.int64) for _ in texts]
    if model.table is not None:
        return _compiled_ngrams(points, starts, model)
    space = points == 0x20
    upper = _UPPER[points]
    index = np.arange(len(points))
    last_space = np.maximum.accumulate(np.where(space, index, 0))
    after_word = np.zeros(len(points), dtype=bool)
    after_word[1:] = ~space[:-1]
    after_word[starts[:-1]] = False  # a text's own leading space ends nothing
    capital = np.zeros(len(points), dtype=bool)
    capital[1:] = upper[1:] & upper[:-1]
    letter = ~space & ~capital
    valid = np.column_stack(
        (letter, letter | (space & after_word), (letter & (index - last_space >= 2)) | (space & after_word))
    )
    codes = np.column_stack([_gram_codes(points, n) for n in (1, 2, 3)])[valid]
    positions = np.repeat(index, valid.sum(axis=1))
    known = model.codes
    found = np.minimum(np.searchsorted(known, codes), len(known) - 1)
    hit = known[found] == codes
    rows, positions = model.rows[found[hit]], positions[hit]
    return np.split(rows, np.searchsorted(positions, starts[1:-1]))


def _compiled_ngrams(points: np.ndarray, starts: np.ndarray, model: _Model) -> list[np.ndarray]:
    """`ngram_batch`'s rows from the compiled loop: one step per character, one hash lookup per n-gram."""
    if model.table is None:
        raise RuntimeError("the compiled n-gram lookup needs numba")
    keys, rows = model.table
    found = np.empty(3 * len(points), dtype=np.int64)
    offsets = np.empty(len(starts), dtype=np.int64)
    kernel.gram_rows(points, starts[:-1], _UPPER, keys, rows, TABLE_BITS, found, offsets)
    return [found[offsets[k] : offsets[k + 1]] for k in range(len(starts) - 1)]


@cache
def _gauss_table(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`Random.gauss`'s (value, cached next value) for a pair drawn at every stream position.

    Computed with the `math` functions `random` itself uses (numpy's may differ in
    the last bit), once per process.
    """
    words = [int(w) for w in _model(seed).stream]
    value = np.zeros(len(words))
    following = np.zeros(len(words))
    for position in range(len(words) - 3):
        w0, w1, w2, w3 = words[position : position + 4]
        first = ((w0 >> 5) * 67108864.0 + (w1 >> 6)) * (1.0 / 9007199254740992.0)
        second = ((w2 >> 5) * 67108864.0 + (w3 >> 6)) * (1.0 / 9007199254740992.0)
        x2pi = first * _TWOPI
        g2rad = math.sqrt(-2.0 * math.log(1.0 - second))
        value[position], following[position] = math.cos(x2pi) * g2rad, math.sin(x2pi) * g2rad
    return value, following


@lru_cache(maxsize=1024)
def _accepted(seed: int, count: int, draws: int) -> tuple[np.ndarray, np.ndarray]:
    """The first `draws` stream positions `Random._randbelow(count)` accepts, and the values there."""
    stream = _model(seed).stream
    values = stream[: 4 * draws + 64] >> (32 - count.bit_length())
    positions = np.flatnonzero(values < count)[:draws]
    if len(positions) < draws:  # cannot happen with an acceptance rate of at least one half
        raise RuntimeError("the precomputed random stream is too short")
    return positions.astype(np.int32), values[positions].astype(np.int32)


class _Rows:
    """The replay state of the texts still running, one row each (compacted as texts finish)."""

    def __init__(self, count: int, languages: int, table: np.ndarray, gram_offsets: np.ndarray) -> None:
        self.row = np.arange(count)  # index of the text in the batch
        self.table = table  # which accepted-draw table (by n-gram count)
        self.gram_offset = gram_offsets
        self.prob = np.full((count, languages), 1.0 / languages)
        self.trial = np.zeros(count, dtype=np.int64)
        self.iteration = np.zeros(count, dtype=np.int64)  # langdetect's i at the last update done
        self.pointer = np.zeros(count, dtype=np.int64)  # index of the next accepted draw
        self.weight = np.zeros(count)
        self.cached = np.zeros(count)  # the Gaussian value gauss() keeps for the next trial
        self.fresh = np.ones(count, dtype=bool)  # the next chunk opens a trial (one update)

    def keep(self, mask: np.ndarray) -> None:
        for name in ("row", "table", "gram_offset", "prob", "trial", "iteration", "pointer", "weight"):
            setattr(self, name, getattr(self, name)[mask])
        self.cached, self.fresh = self.cached[mask], self.fresh[mask]


def _replay(grams: Sequence[np.ndarray], model: _Model, draws: int) -> tuple[np.ndarray, np.ndarray]:
    """`Detector._detect_block`'s langprob for texts with n-grams (each non-empty).

    Returns (langprob rows, overflowed): an overflowed row needed more than
    `draws` random draws and must be replayed with more.
    """
    count, languages = len(grams), model.probabilities.shape[1]
    counts, table = np.unique([len(g) for g in grams], return_inverse=True)
    tables = [_accepted(model.seed, int(n), draws) for n in counts.tolist()]
    positions = np.stack([t[0] for t in tables])  # [distinct n-gram counts, draws]
    values = np.stack([t[1] for t in tables])
    # Positions of all tables in one sorted array, so a trial's first draw is one searchsorted.
    flat_positions = (np.arange(len(counts))[:, None] * len(model.stream) + positions).ravel()
    gram_rows = np.concatenate(grams)
    gauss = _gauss_table(model.seed)
    langprob = np.zeros((count, languages))
    overflowed = np.zeros(count, dtype=bool)
    state = _Rows(count, languages, table, np.cumsum([0] + [len(g) for g in grams])[:-1])
    tables_at = (flat_positions, len(model.stream), draws)
    _start_trials(state, np.ones(count, dtype=bool), np.zeros(count, dtype=np.int64), tables_at, gauss)
    steps = np.arange(CHUNK)
    while len(state.row):
        any_fresh = bool(state.fresh.any())
        take = state.pointer[:, None] + steps[None, :]
        short = (take[:, -1] >= draws) & ~state.fresh | (take[:, 0] >= draws)
        if short.any():
            overflowed[state.row[short]] = True
            state.keep(~short)
            continue
        drawn = values[state.table[:, None], np.minimum(take, draws - 1)]
        factors = (
            state.weight[:, None, None] + model.probabilities[gram_rows[state.gram_offset[:, None] + drawn]]
        )
        prob = state.prob
        if any_fresh:  # a trial's first chunk is one update: pad it with factors of exactly 1.0
            factors[state.fresh, 1:] = 1.0
        for step in range(CHUNK):
            prob *= factors[:, step]
        prob /= _row_sums(prob)[:, None]
        if any_fresh:
            state.pointer += np.where(state.fresh, 1, CHUNK)
            state.iteration += np.where(state.fresh, 0, CHUNK)
            state.fresh[:] = False
        else:
            state.pointer += CHUNK
            state.iteration += CHUNK
        done = (prob.max(axis=1) > CONV_THRESHOLD) | (state.iteration >= ITERATION_LIMIT)
        if not done.any():
            continue
        langprob[state.row[done]] += prob[done] / N_TRIAL
        state.trial[done] += 1
        going = done & (state.trial < N_TRIAL)
        after = positions[state.table[going], state.pointer[going] - 1].astype(np.int64) + 1
        late = after >= len(model.stream) - 4
        if late.any():  # no room for a Gaussian pair: leave these rows to langdetect
            late_rows = np.flatnonzero(going)[late]
            overflowed[state.row[late_rows]] = True
            state.trial[late_rows] = N_TRIAL
            going[late_rows] = False
            after = after[~late]
        _start_trials(state, going, after, tables_at, gauss)
        prob[going] = 1.0 / languages
        state.iteration[going] = 0
        state.fresh[going] = True
        if (state.trial >= N_TRIAL).any():
            state.keep(state.trial < N_TRIAL)
    return langprob, overflowed


def _start_trials(
    state: _Rows,
    rows: np.ndarray,
    position: np.ndarray,
    tables_at: tuple[np.ndarray, int, int],  # flat positions, stride, draws
    gauss: tuple[np.ndarray, np.ndarray],
) -> None:
    """Open a trial on `rows` (a mask) whose random stream stands at `position`: alpha, then the first draw.

    An even trial's gauss() draws a fresh pair (four words) and keeps the second
    value; an odd trial's uses the kept one.
    """
    gauss_value, gauss_next = gauss
    even = state.trial[rows] % 2 == 0
    cached = state.cached[rows]
    value = np.where(even, gauss_value[position], cached)
    state.cached[rows] = np.where(even, gauss_next[position], cached)
    position = position + np.where(even, 4, 0)
    state.weight[rows] = (ALPHA + value * ALPHA_WIDTH) / BASE_FREQ
    flat_positions, stride, draws = tables_at
    base = state.table[rows].astype(np.int64)
    state.pointer[rows] = np.searchsorted(flat_positions, base * stride + position) - base * draws


def _row_sums(matrix: np.ndarray) -> np.ndarray:
    """Row sums exactly as Python's `sum()` computes them on this Python.

    Before 3.12 that is left to right, which numpy's `sum` is not (it adds
    pairwise), so the columns are added one after another: `cumsum` for a few
    rows, a loop over the 55 columns for many (fewer passes over memory).
    """
    if not _SEQUENTIAL_SUM:
        return np.array([sum(row) for row in matrix.tolist()])
    if len(matrix) < COLUMN_LOOP_ROWS:
        return np.cumsum(matrix, axis=1)[:, -1]
    total = matrix[:, 0].copy()
    for column in range(1, matrix.shape[1]):
        total += matrix[:, column]
    return total


def _langdetect_langprob(text: str, model: _Model) -> list[float] | None:
    """The reference: langdetect itself."""
    detector = model.factory.create()
    detector.append(text)
    try:
        detector.get_probabilities()
    except LangDetectException:
        return None
    return list(detector.langprob)


def langprobs(texts: Sequence[str], seed: int = 0) -> list[list[float] | None]:
    """`Detector.langprob` for each text (None where langdetect finds no features)."""
    return [None if row is None else row.tolist() for row in langprob_arrays(texts, seed)]


def langprob_arrays(texts: Sequence[str], seed: int = 0) -> list[np.ndarray | None]:
    """`langprobs` as float64 arrays, which callers must not change.

    Results are cached by text: a corpus repeats its footers and headings, and a
    caller may compute a whole batch first (one replay for all) and then ask
    for the texts one by one.
    """
    if len(_RESULTS) > CACHE_SIZE:
        _RESULTS.clear()
    plain = bool(os.environ.get(PLAIN_ENVIRONMENT))
    missing = sorted({text for text in texts if (seed, plain, text) not in _RESULTS})
    if missing:
        for text, result in zip(missing, _compute(missing, seed, plain), strict=True):
            _RESULTS[(seed, plain, text)] = result
    return [_RESULTS[(seed, plain, text)] for text in texts]


def _compute(texts: Sequence[str], seed: int, plain: bool) -> list[np.ndarray | None]:
    model = _model(seed)
    if plain or not check_identical(seed):
        return [_as_array(_langdetect_langprob(text, model)) for text in texts]
    grams = ngram_batch(texts, model)
    results: list[np.ndarray | None] = [None] * len(texts)
    usable = [index for index, g in enumerate(grams) if len(g)]
    for first in range(0, len(usable), BATCH_ROWS):
        batch = usable[first : first + BATCH_ROWS]
        rows, overflowed = replay([grams[i] for i in batch], model)
        for offset, (index, short) in enumerate(zip(batch, overflowed.tolist(), strict=True)):
            # A text beyond the precomputed random stream: langdetect itself.
            results[index] = _as_array(_langdetect_langprob(texts[index], model)) if short else rows[offset]
    return results


def _as_array(row: list[float] | None) -> np.ndarray | None:
    return None if row is None else np.array(row)


def replay(grams: Sequence[np.ndarray], model: _Model) -> tuple[np.ndarray, np.ndarray]:
    """(langprob, overflowed) of texts with n-grams: the compiled loop when numba is there.

    Without numba (or on a Python whose `sum()` compensates, which the loop does
    not replicate) the numpy replay runs, first with room for FIRST_DRAWS
    draws, then again with room for all for the texts that needed more.
    """
    if kernel.AVAILABLE and _SEQUENTIAL_SUM:
        return _replay_compiled(grams, model)
    langprob = np.zeros((len(grams), model.probabilities.shape[1]))
    overflowed = np.zeros(len(grams), dtype=bool)
    pending = np.arange(len(grams))
    for draws in (FIRST_DRAWS, MAX_DRAWS):
        if not len(pending):
            break
        rows, short = _replay([grams[i] for i in pending.tolist()], model, draws)
        langprob[pending] = rows
        overflowed[pending] = short
        pending = pending[short]
    return langprob, overflowed


def _replay_compiled(grams: Sequence[np.ndarray], model: _Model) -> tuple[np.ndarray, np.ndarray]:
    weight_value, weight_next = _trial_weights(model.seed)
    langprob = np.zeros((len(grams), model.probabilities.shape[1]))
    overflowed = np.zeros(len(grams), dtype=bool)
    kernel.replay_rows(
        np.concatenate(grams) if grams else np.zeros(0, dtype=np.int64),
        np.cumsum([0] + [len(g) for g in grams]).astype(np.int64),
        model.probabilities,
        model.stream,
        weight_value,
        weight_next,
        N_TRIAL,
        ITERATION_LIMIT,
        CONV_THRESHOLD,
        langprob,
        overflowed,
    )
    return langprob, overflowed


@cache
def _trial_weights(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A trial's alpha / BASE_FREQ at every stream position, for the fresh Gaussian and the kept one."""
    value, following = _gauss_table(seed)
    return (ALPHA + value * ALPHA_WIDTH) / BASE_FREQ, (ALPHA + following * ALPHA_WIDTH) / BASE_FREQ


def languages(seed: int = 0) -> tuple[str, ...]:
    """langdetect's language codes, in the order of the probability vectors."""
    return tuple(_model(seed).factory.langlist)


# Texts the self-check replays: several scripts, a capitalised run, a URL, a
# text too short to converge quickly, one with no n-grams at all.
_CHECK_TEXTS = (
    "The committee said on Tuesday that the new rules would take effect next year.",
    "Der Ausschuss teilte am Dienstag mit, dass die neuen Regeln im nächsten Jahr gelten.",
    "NASA and the ESA launched https://example.org/x a joint MISSION to Mars in 2025.",
    "Комитет заявил во вторник, что новые правила вступят в силу в следующем году.",
    "委员会周二表示，新规则将于明年生效。",
    "ok yes",
    "12345 !!! ???",
)


@cache
def check_identical(seed: int = 0) -> bool:
    """True when the fast path gives langdetect's exact vectors on the check texts."""
    model = _model(seed)
    expected = [_langdetect_langprob(text, model) for text in _CHECK_TEXTS]
    grams = [ngram_indices(text, model) for text in _CHECK_TEXTS]
    usable = [index for index, g in enumerate(grams) if len(g)]
    rows, overflowed = replay([grams[i] for i in usable], model)
    alone, alone_overflowed = replay([grams[usable[0]]], model)  # a batch of one row
    if overflowed.any() or alone_overflowed.any() or alone.tolist()[0] != rows.tolist()[0]:
        return False
    got: list[list[float] | None] = [None] * len(_CHECK_TEXTS)
    for index, row in zip(usable, rows.tolist(), strict=True):
        got[index] = row
    return got == expected
