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
    # Windows of 25 words, stride 10: the shortest copy we report (30 words) always
    # contains one whole window.
    window_words: int = 25
    window_stride: int = 10
    passage_threshold: float = 0.3
    # Gaps of up to this many words between aligned seeds are bridged (light edits).
    max_gap_words: int = 8

    # --- judging ---
    # Shared spans shorter than this are common wording, not evidence of copying.
    min_copy_words: int = 30
    # A span present in at least this many documents is a stock phrase (boilerplate or a slogan).
    stock_min_documents: int = 4
    verbatim_similarity: float = 0.95

    # --- clusters ---
    keep_policy: str = "earliest"  # earliest | longest | source:<substring> | none

    def to_json(self) -> JSONDict:
        return asdict(self)
