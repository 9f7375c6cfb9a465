"""A corpus of real text of any requested size, with the duplication a scrape really has.

Throughput figures mean little on synthetic noise or on one article copied a
thousand times: the first never exercises language detection, rules or
alignment, the second makes every document a candidate of every other. So the
documents here are made of real sentences (English news bodies from
article-extraction-benchmark, the seeds, clough-stevenson sources, Indonesian
source documents, lingua-testdata sentences in 75 languages), laid out the way
scraped articles are (title, dateline, paragraphs, a site footer), and made
distinct from one another by replacing every fourth word with another word of
the same language (so reused sentences do not become shared passages). Then the
duplication a crawl has is planted on purpose:

- REPOST_SHARE of the documents are reposts of an earlier one with a few words
  changed, a later date and another site's footer (near-duplicate clusters);
- EXACT_SHARE are byte-identical copies of an earlier document (exact groups);
- COPY_SHARE receive a 40-150-word passage copied from another document;
- every document of a site ends with that site's footer (corpus template
  statistics and the boilerplate rules get real work).

Everything is drawn from one seeded random generator, so a size and a seed
always give the same files. Importable: the Spark and fast-path tests build
their 1k-document corpora with `write_corpus`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SEEDS = ROOT / "seeds"

# Shares of planted duplication, chosen to resemble a news scrape (text-dedup and
# datatrove report 5-30 % near duplicates in web crawls; news reposts are common).
REPOST_SHARE = 0.08
EXACT_SHARE = 0.02
COPY_SHARE = 0.05
COPY_WORDS = (40, 150)
# Share of documents in English; the rest are spread over all other languages.
ENGLISH_SHARE = 0.55
INDONESIAN_SHARE = 0.08
# Document sizes: log-normal around 4 KB (the "3,000 real 4 KB documents"),
# clipped to what scraped articles span.
MEDIAN_BYTES = 3600
SIGMA = 0.5
SIZE_RANGE = (300, 24_000)
REPLACE_EVERY = 4
SITES = 40
UNSPACED = frozenset({"zh", "ja", "th"})
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")

# Footers in the shapes the seeds show (reprint notice, Chinese credit footer,
# Korean comment form), one per site with the site's name in it.
FOOTERS = (
    "Disclaimer: The content of this article is sourced from {site}. The copyright of the text, images, and "
    "other materials belongs to the original author. The platform reprints the materials for the purpose "
    "of conveying more information. If it infringes on your rights, please contact us promptly.",
    "── {site} 科技 from grok (英)💬 加入討論:對這篇文章有想法嗎?\n歡迎到我們的討論區留言交流:\n"
    "https://{site}/discussion/topic/{slug}/\n📷 素材來源:@{site}\n📌 相關標籤:AI、China、Technology",
    "답글 남기기\n이메일 주소는 공개되지 않습니다. 필수 필드는 *로 표시됩니다",
    "Tags: {site}, news, technology, world\nShare this article: Facebook Twitter LinkedIn Email",
    "Leave a Reply\nYour email address will not be published. Required fields are marked *",
)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class CorpusDoc:
    id: str
    text: str


def load_pools() -> dict[str, list[str]]:
    """Paragraph-sized pieces of real text per language."""
    pools: dict[str, list[str]] = {}
    for path in sorted((EVAL / "lingua-testdata" / "sentences").glob("*.txt")):
        pools[path.stem] = [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]
    english = pools.setdefault("en", [])
    bodies = json.loads((EVAL / "article-extraction-benchmark" / "ground-truth.json").read_text("utf-8"))
    for key in sorted(bodies):
        english.extend(_sentences(bodies[key]["articleBody"]))
    for line in (EVAL / "clough-stevenson-reuse" / "sources.jsonl").read_text("utf-8").splitlines():
        english.extend(_sentences(json.loads(line)["text"]))
    for path in sorted(SEEDS.glob("*.txt")):
        english.extend(_sentences(path.read_text("utf-8")))
    indonesian = pools.setdefault("id", [])
    for path in sorted((EVAL / "indonesian-plagiarism-pan" / "source-documents").glob("*.txt")):
        indonesian.extend(_sentences(path.read_text("utf-8", errors="replace")))
    return {lang: sentences for lang, sentences in pools.items() if len(sentences) >= 20}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if len(s.strip()) > 20]


class _Maker:
    """Draws documents from the pools; one seeded generator for everything."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pools = load_pools()
        self.others = sorted(lang for lang in self.pools if lang not in ("en", "id"))
        self.vocabulary = {
            lang: sorted({w for s in sentences[:400] for w in _words(s, lang)})
            for lang, sentences in self.pools.items()
        }

    def language(self) -> str:
        roll = self.rng.random()
        if roll < ENGLISH_SHARE:
            return "en"
        if roll < ENGLISH_SHARE + INDONESIAN_SHARE:
            return "id"
        return self.rng.choice(self.others)

    def sentence(self, lang: str) -> str:
        return self._replace(self.rng.choice(self.pools[lang]), lang)

    def _replace(self, sentence: str, lang: str) -> str:
        vocabulary = self.vocabulary[lang]
        if lang in UNSPACED:
            chars = list(sentence)
            for index in range(self.rng.randrange(REPLACE_EVERY), len(chars), REPLACE_EVERY):
                chars[index] = self.rng.choice(vocabulary)
            return "".join(chars)
        words = sentence.split(" ")
        for index in range(self.rng.randrange(REPLACE_EVERY), len(words), REPLACE_EVERY):
            words[index] = self.rng.choice(vocabulary)
        return " ".join(words)

    def article(self, index: int, median_bytes: int) -> tuple[str, int]:
        """(text, site) of a fresh article of log-normal size."""
        lang = self.language()
        site = self.rng.randrange(SITES)
        target = min(max(int(self.rng.lognormvariate(0, SIGMA) * median_bytes), SIZE_RANGE[0]), SIZE_RANGE[1])
        joiner = "" if lang in UNSPACED else " "
        title = self.sentence(lang).rstrip(".!?。")
        paragraphs: list[str] = []
        size = len(title.encode())
        while size < target:
            paragraph = joiner.join(self.sentence(lang) for _ in range(self.rng.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph.encode()) + 1
        date = dt.date(2024, 1, 1) + dt.timedelta(days=index % 700)
        dateline = f"{MONTHS[date.month - 1]} {date.day}, {date.year}"
        body = "\n".join([title, dateline, *paragraphs])
        return body, site

    def footer(self, site: int) -> str:
        name = f"site{site:02d}.example"
        return FOOTERS[site % len(FOOTERS)].format(site=name, slug=f"story-{site}")

    def edit_words(self, text: str, changes: int) -> str:
        words = text.split(" ")
        for _ in range(changes):
            position = self.rng.randrange(len(words))
            words[position] = self.rng.choice(self.vocabulary["en"])
        return " ".join(words)

    def passage(self, text: str) -> str:
        words = text.split()
        length = self.rng.randint(*COPY_WORDS)
        if len(words) <= length:
            return " ".join(words)
        start = self.rng.randrange(len(words) - length)
        return " ".join(words[start : start + length])


def _words(sentence: str, lang: str) -> list[str]:
    if lang in UNSPACED:
        return [c for c in sentence if c.isalpha()]
    return [w for w in sentence.split(" ") if w]


def generate(total_bytes: int, seed: int = 7, median_bytes: int = MEDIAN_BYTES) -> Iterator[CorpusDoc]:
    """Documents until about `total_bytes` of UTF-8 text; ids `doc-0000001`... in order."""
    maker = _Maker(seed)
    bodies: list[str] = []  # kept bounded: the recent articles duplicates are drawn from
    written = 0
    index = 0
    while written < total_bytes:
        roll = maker.rng.random()
        if bodies and roll < EXACT_SHARE:
            text = maker.rng.choice(bodies)
        elif bodies and roll < EXACT_SHARE + REPOST_SHARE:
            original = maker.rng.choice(bodies).rsplit("\n", 1)[0]
            changed = maker.edit_words(original, max(2, len(original) // 1500))
            text = f"{changed}\n{maker.footer(maker.rng.randrange(SITES))}"
        else:
            body, site = maker.article(index, median_bytes)
            if bodies and roll < EXACT_SHARE + REPOST_SHARE + COPY_SHARE:
                cut = body.rfind("\n")
                body = f"{body[:cut]}\n{maker.passage(maker.rng.choice(bodies))}{body[cut:]}"
            text = f"{body}\n{maker.footer(site)}"
        bodies.append(text)
        if len(bodies) > 2000:
            bodies.pop(maker.rng.randrange(len(bodies)))
        index += 1
        written += len(text.encode())
        yield CorpusDoc(f"doc-{index:07d}", text)


def write_corpus(
    out_dir: Path, total_bytes: int, seed: int = 7, fmt: str = "txt", median_bytes: int = MEDIAN_BYTES
) -> tuple[int, int]:
    """Write the corpus under `out_dir` (txt: 1,000 files per folder; jsonl: ~16 MB shards).

    Returns (documents, bytes of text). Reuses a finished corpus of the same
    size and seed (a `.done` marker records it).
    """
    marker = out_dir / ".done"
    stamp = f"{total_bytes} {seed} {fmt} {median_bytes}"
    if marker.is_file() and marker.read_text().split("\n")[0] == stamp:
        documents, size = (int(v) for v in marker.read_text().split("\n")[1].split())
        return documents, size
    out_dir.mkdir(parents=True, exist_ok=True)
    documents = size = 0
    shard = None
    for doc in generate(total_bytes, seed, median_bytes):
        if fmt == "txt":
            folder = out_dir / f"part-{documents // 1000:04d}"
            folder.mkdir(exist_ok=True)
            (folder / f"{doc.id}.txt").write_text(doc.text, encoding="utf-8")
        else:
            if shard is None or shard.tell() > 16 * 1024 * 1024:
                if shard is not None:
                    shard.close()
                shard = (out_dir / f"shard-{documents:08d}.jsonl").open("w", encoding="utf-8")
            shard.write(json.dumps({"id": doc.id, "text": doc.text}, ensure_ascii=False) + "\n")
        documents += 1
        size += len(doc.text.encode())
    if shard is not None:
        shard.close()
    marker.write_text(f"{stamp}\n{documents} {size}\n")
    return documents, size
