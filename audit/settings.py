"""Every tunable number in one frozen object, with how each default was chosen.

One object instead of keyword arguments threaded through stages: the pipeline,
the process pool and Spark all receive the same picklable Settings, so a result
can always be reproduced from the settings recorded in the report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from audit.types import JSONDict

MIB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    # --- ingest ---
    # Larger files are refused with a problem rather than risking memory: 64 MiB
    # is ~10,000 long articles, far beyond any single scraped page.
    max_file_bytes: int = 64 * MIB

    # --- language ---
    # langdetect is random unless seeded; 0 is arbitrary but fixed forever.
    langdetect_seed: int = 0
    # Blocks with fewer letters than this are "und": measured on lingua word pairs,
    # langdetect is right under 60% of the time below ~20 letters of Latin script.
    min_letters_for_language: int = 20

    # --- shingles and MinHash ---
    # 5-word shingles: the usual choice for news text reuse (passim, text-dedup use 5).
    shingle_size: int = 5
    num_perm: int = 128
    minhash_seed: int = 1
    # Near-duplicate documents: estimated Jaccard of word shingles, then verified exactly.
    near_duplicate_threshold: float = 0.8
    # A short text embedded whole in a longer one: containment of the shorter.
    containment_threshold: float = 0.8
    # Documents with fewer shingles than this cannot be compared meaningfully.
    min_shingles: int = 5

    # --- passages ---
    # Windows of 25 words, stride 10: a copy of 34 words or more holds one whole
    # window of each side; shorter ones still share most of a window. Windows are
    # candidates at an estimated Jaccard of about 0.3 (datasketch picks 37 bands of
    # 3 rows): a verbatim copy of 34+ words shares >= 16 of 21 shingles with the
    # nearest window of the other side (Jaccard >= 0.6); edits lower that, and
    # benchmarks/overlap_quality.py prints recall by edit rate.
    window_words: int = 25
    window_stride: int = 10
    passage_threshold: float = 0.3
    # Gaps of up to this many words between aligned seeds are bridged (light edits).
    max_gap_words: int = 8
    # Shared spans shorter than this are not reported at all: a 5-word shingle is
    # shared by chance ("one of the most important"); 6 words still lets stock
    # names such as "Next Generation Artificial Intelligence Development Plan" show.
    min_overlap_words: int = 6
    # Aligned spans whose matched words fall below half of their length are chance
    # chains of common 5-grams, not edited copies (lightly edited copies in the
    # overlap benchmark score >= 0.9).
    min_span_similarity: float = 0.5
    # Text printed by more documents than this (site boilerplate, a slogan) is not
    # expanded into candidate pairs: windows made mostly of such shingles are left
    # out of the banding, and a bucket still holding more documents is counted, not
    # expanded. This keeps candidate pairs linear in corpus size
    # (benchmarks/candidate_scaling.py); raise it for wire-heavy corpora.
    max_bucket_documents: int = 50
    # A passage repeated inside one document: titles repeated by scrapers run to
    # 10-15 words (seeds/003 repeats a 13-word title); below 10 words, names and
    # formulas recur naturally inside an article.
    min_repeat_words: int = 10
    # ... printed (nearly) twice: a repeated title or teaser matches at >= 0.96. At
    # 0.8 the seeds show formula ("AI is transforming China's <sector> ...")
    # rather than repetition; 0.9 keeps sentences an article restates.
    min_repeat_similarity: float = 0.9

    # --- judging ---
    # Shared spans shorter than this are common wording, not evidence of copying.
    min_copy_words: int = 30
    # A span present in at least this many documents is a stock phrase (boilerplate or a slogan).
    stock_min_documents: int = 4
    # ... unless the span is this long. Stock sentences (disclaimers, "follow us",
    # wire credits) run to ~40 words; in clough-stevenson-reuse, 64-71-word
    # passages that several students pasted from one source are copies, not stock.
    stock_max_words: int = 50
    verbatim_similarity: float = 0.95

    # --- clusters ---
    keep_policy: str = "earliest"  # earliest | longest | source:<substring> | none

    def to_json(self) -> JSONDict:
        return asdict(self)
