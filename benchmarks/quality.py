"""Cleaning quality on labelled real pages: our kept text against gold, beside trafilatura and jusText.

Three sets in ../shared/eval (each has a README):

- article-extraction-benchmark: 84 news/blog pages with a gold article body.
  Scored as upstream's evaluate.py: `\\w+` tokens, 4-token shingles counted
  with multiplicity, TP/FP/FN normalised per page, precision and recall
  averaged over pages, F1 from the averages. The gold leaves the headline out,
  so a first line that is the page's title is dropped from every system's text
  before scoring (ours keeps the title on purpose).
- trafilatura-eval: 145 pages with snippets that must stay (`with`) and must go
  (`without`); both sides are normalized (audit.normalize) and whitespace is
  collapsed, as upstream collapses it. Also: gold publication dates found as
  the provenance `published` date, beside trafilatura's own (htmldate) date.
- lingua-testdata: block-level language accuracy per language for sentences
  and word pairs, in the languages langdetect supports, through the same
  `prepare_view` the pipeline uses; "und" (too short to judge) counts as wrong
  and its share is printed as well.

"ours" is the full path `audit run` takes: decode (trafilatura main content,
bs4 fallback) -> normalize -> blocks and languages -> corpus statistics over
the set -> rules -> cleaned text. The baselines run on the same decoded pages
in the same run: trafilatura as upstream's benchmark calls it
(`extract(html, include_comments=False)`), jusText with upstream's parameters
and the stoplist of the page's language (English when unknown). Body loss per
rule: the share of the gold body's shingles, present in the normalized text,
that each rule's edits remove.

Run: `.venv/bin/python benchmarks/quality.py [--sets aeb,te,lingua] [--limit N]
[--per-language N] [--jobs N]`. Importable: tests/test_quality.py scores a small
subset with the same functions.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import justext  # noqa: E402
import trafilatura  # noqa: E402

from audit.charset import Refusal, decode_bytes  # noqa: E402
from audit.corpus import corpus_view, count_block_documents  # noqa: E402
from audit.edits import apply_edits  # noqa: E402
from audit.engines.local import default_jobs, map_ordered  # noqa: E402
from audit.normalize import normalize_text  # noqa: E402
from audit.prepare import prepare_view  # noqa: E402
from audit.process import Prepared, Processed, finish_document, prepare_source  # noqa: E402
from audit.settings import Settings  # noqa: E402
from audit.types import CleanDoc, Problem, Source  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
AEB = EVAL / "article-extraction-benchmark"
TE = EVAL / "trafilatura-eval"
LINGUA = EVAL / "lingua-testdata"
TIDY_RULE = "whitespace-tidy@1"

# Lingua's labels that langdetect can answer (langdetect says "no" for Bokmål).
LINGUA_LANGUAGES = (
    "af", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "gu", "he",
    "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "mk", "mr", "nb", "nl", "pa", "pl", "pt", "ro", "ru",
    "sk", "sl", "so", "sq", "sv", "sw", "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh",
)  # fmt: skip
LINGUA_ALIASES = {"nb": "no"}
LINGUA_KINDS = ("sentences", "word-pairs")

# jusText stoplists by ISO 639-1 code (the stoplist names jusText ships).
JUSTEXT_STOPLISTS = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ko": "Korean", "lt": "Lithuanian",
    "lv": "Latvian", "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sv": "Swedish", "sw": "Swahili",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}  # fmt: skip

_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


# --- scoring -----------------------------------------------------------------


def shingle_counts(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """Upstream's shingles: `\\w+` tokens (case kept), every run of `size`, counted; short texts give one."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)) if tokens[i : i + size]
    )


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """(TP, FP, FN) of one page's shingles, normalised to sum to 1 (upstream's `string_shingle_matching`)."""
    truth, guess = shingle_counts(gold), shingle_counts(predicted)
    tp = fp = fn = 0.0
    for key in truth.keys() | guess.keys():
        t, p = truth.get(key, 0), guess.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_recall_f1(pages: Sequence[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Mean precision and recall over pages, and F1 of the means (upstream's `metrics_from_tp_fp_fns`)."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean([precision(*c) for c in pages if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([recall(*c) for c in pages if c[0] + c[2] > 0] or [0.0])
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def squash(text: str) -> str:
    """Normalized (as the pipeline normalizes) with whitespace runs collapsed, for snippet matching."""
    return _SPACE.sub(" ", normalize_text(text)).strip()


def drop_title_line(text: str, title: str | None) -> str:
    """`text` without a first line that is the page's title (the gold bodies leave the headline out)."""
    if not title:
        return text
    lines = text.lstrip().split("\n", 1)
    first = " ".join(lines[0].casefold().split())
    wanted = " ".join(title.casefold().split())
    if first and len(first) >= 10 and (wanted.startswith(first) or first.startswith(wanted)):
        return lines[1] if len(lines) > 1 else ""
    return text


@dataclass
class SnippetScore:
    """trafilatura-eval counts: `with` snippets kept, `without` snippets removed, comments removed."""

    kept: int = 0
    with_total: int = 0
    removed: int = 0
    without_total: int = 0
    comments_removed: int = 0
    comments_total: int = 0

    def add(self, text: str, entry: dict[str, Any]) -> None:
        found = squash(text)
        for snippet in entry.get("with") or []:
            self.with_total += 1
            self.kept += squash(snippet) in found
        for snippet in entry.get("without") or []:
            self.without_total += 1
            self.removed += squash(snippet) not in found
        for snippet in entry.get("comments") or []:
            self.comments_total += 1
            self.comments_removed += squash(snippet) not in found

    @property
    def kept_share(self) -> float:
        return self.kept / self.with_total if self.with_total else 0.0

    @property
    def removed_share(self) -> float:
        return self.removed / self.without_total if self.without_total else 0.0

    def precision_recall_f1(self) -> tuple[float, float, float]:
        """Upstream's figures from the totals: kept `with` are TP, kept `without` FP, lost `with` FN."""
        tp, fn, fp = self.kept, self.with_total - self.kept, self.without_total - self.removed
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --- systems -----------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One labelled page: its id, raw bytes, and the set's labels for it."""

    id: str
    raw: bytes
    labels: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ours:
    """What the pipeline produced for a page: cleaned text, the document, the edit log."""

    doc: CleanDoc

    @property
    def title(self) -> str | None:
        title = self.doc.provenance.get("title")
        return str(title) if title else None


def run_pipeline_on(pages: Sequence[Page], jobs: int | None = None) -> dict[str, Ours | Problem]:
    """The two per-document passes `audit run` makes, with corpus statistics over `pages` between them."""
    settings = Settings()
    workers = default_jobs() if jobs is None else max(1, jobs)
    sources = [Source(id=p.id, path=f"{p.id}.html", raw=p.raw, format="html") for p in pages]
    results: dict[str, Ours | Problem] = {}
    prepared: list[Prepared] = []
    for source, item in zip(sources, map_ordered(prepare_source, sources, settings, workers), strict=True):
        if isinstance(item, Problem):
            results[source.id] = item
        else:
            prepared.append(item)
    counts = count_block_documents(item.block_keys for item in prepared)
    work = [(item, corpus_view(item.block_keys, counts, len(prepared))) for item in prepared]
    for item, done in zip(prepared, map_ordered(finish_document, work, settings, workers), strict=True):
        results[item.document.id] = Ours(done.doc) if isinstance(done, Processed) else done
    return results


def decoded_html(raw: bytes) -> str:
    """The page as text, decoded exactly as the pipeline decodes it (so every system reads the same page)."""
    decoded = decode_bytes(raw, html=True, notes=[])
    return "" if isinstance(decoded, Refusal) else decoded[0]


def trafilatura_text(html: str) -> str:
    """trafilatura as upstream's benchmark runs it."""
    return trafilatura.extract(html, include_comments=False) or ""


def justext_text(html: str, language: str) -> str:
    """jusText with upstream's parameters and the stoplist of the page's language."""
    if not html.strip():
        return ""
    stoplist = justext.get_stoplist(JUSTEXT_STOPLISTS.get(language, "English"))
    try:
        paragraphs = justext.justext(html, stoplist, 50, 200, 0.1, 0.2, 0.2, 200, True)
    except Exception:  # jusText raises on some malformed pages; that page then scores as empty
        return ""
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _baselines(item: tuple[str, str]) -> tuple[str, str]:
    html, language = item
    return trafilatura_text(html), justext_text(html, language)


def run_baselines(pages: Sequence[Page], languages: Sequence[str], jobs: int | None) -> list[tuple[str, str]]:
    """(trafilatura text, jusText text) per page, on the pipeline's decoding of each page."""
    from concurrent.futures import ProcessPoolExecutor

    items = [(decoded_html(p.raw), lang) for p, lang in zip(pages, languages, strict=True)]
    workers = default_jobs() if jobs is None else max(1, jobs)
    if workers <= 1:
        return [_baselines(item) for item in items]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(_baselines, items, chunksize=4))


def _text_of(result: Ours | Problem | None) -> str:
    return result.doc.text if isinstance(result, Ours) else ""


def _language_of(result: Ours | Problem | None) -> str:
    return result.doc.language if isinstance(result, Ours) else "en"


# --- the sets ----------------------------------------------------------------


def load_article_benchmark(limit: int | None = None) -> list[Page]:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:limit]
    return [Page(k, (AEB / "html" / f"{k}.html").read_bytes(), truth[k]) for k in keys]


def load_trafilatura_eval(limit: int | None = None) -> list[Page]:
    lines = (TE / "annotations.jsonl").read_text(encoding="utf-8").splitlines()
    entries = sorted((json.loads(line) for line in lines if line.strip()), key=lambda e: e["id"])[:limit]
    return [Page(e["id"], (TE / e["html_file"]).read_bytes(), e) for e in entries]


def score_article_benchmark(pages: Sequence[Page], jobs: int | None = None) -> dict[str, Any]:
    """Precision/recall/F1 of ours, trafilatura and jusText on gold bodies, and body loss per rule."""
    ours = run_pipeline_on(pages, jobs)
    baselines = run_baselines(pages, [_language_of(ours.get(p.id)) for p in pages], jobs)
    counts: dict[str, list[tuple[float, float, float]]] = {"ours": [], "trafilatura": [], "justext": []}
    for page, (traf, jus) in zip(pages, baselines, strict=True):
        result = ours.get(page.id)
        title = result.title if isinstance(result, Ours) else None
        gold = str(page.labels["articleBody"])
        for name, text in (("ours", _text_of(result)), ("trafilatura", traf), ("justext", jus)):
            counts[name].append(page_counts(gold, drop_title_line(text, title)))
    scores = {name: precision_recall_f1(pages_) for name, pages_ in counts.items()}
    return {"scores": scores, "body_loss": body_loss_by_rule(pages, ours), "pages": len(pages)}


def body_loss_by_rule(pages: Sequence[Page], ours: dict[str, Ours | Problem]) -> dict[str, float]:
    """Per rule: the share of gold-body shingles, present in the normalized text, that its edits remove."""
    lost: Counter[str] = Counter()
    present_total = 0
    for page in pages:
        result = ours.get(page.id)
        if not isinstance(result, Ours):
            continue
        gold = shingle_counts(str(page.labels["articleBody"]))
        normalized = result.doc.document.text
        present = _matched(gold, shingle_counts(normalized))
        present_total += present
        for rule in sorted({e.rule for e in result.doc.edits if e.rule != TIDY_RULE}):
            kept = apply_edits(normalized, [e for e in result.doc.edits if e.rule == rule])
            # Removing a line can join two gold shingles that the line split: never a negative loss.
            lost[rule] += max(0, present - _matched(gold, shingle_counts(kept)))
    return {rule: lost[rule] / present_total for rule in sorted(lost)} if present_total else {}


def _matched(gold: Counter[tuple[str, ...]], found: Counter[tuple[str, ...]]) -> int:
    return sum(min(count, found.get(key, 0)) for key, count in gold.items())


def score_trafilatura_eval(pages: Sequence[Page], jobs: int | None = None) -> dict[str, Any]:
    """Snippets kept/removed for ours, trafilatura and jusText; gold dates found by our provenance."""
    ours = run_pipeline_on(pages, jobs)
    baselines = run_baselines(pages, [_language_of(ours.get(p.id)) for p in pages], jobs)
    snippets = {"ours": SnippetScore(), "trafilatura": SnippetScore(), "justext": SnippetScore()}
    dated = found = htmldate_found = 0
    missed: list[str] = []
    for page, (traf, jus) in zip(pages, baselines, strict=True):
        result = ours.get(page.id)
        for name, text in (("ours", _text_of(result)), ("trafilatura", traf), ("justext", jus)):
            snippets[name].add(text, page.labels)
        gold_date = page.labels.get("date")
        if gold_date:
            dated += 1
            published = result.doc.provenance.get("published") if isinstance(result, Ours) else None
            found += published == gold_date
            extractor = result.doc.document.metadata.get("extractor", {}) if isinstance(result, Ours) else {}
            htmldate_found += isinstance(extractor, dict) and extractor.get("date") == gold_date
            if published != gold_date:
                missed.append(f"{page.id}: gold {gold_date}, read {published}")
    return {
        "snippets": snippets,
        "dates": {"pages": dated, "found": found, "htmldate": htmldate_found, "missed": missed},
        "pages": len(pages),
    }


def _lingua_item(item: tuple[str, str, int | None]) -> tuple[str, str, int, int, int]:
    kind, language, limit = item
    text = (LINGUA / kind / f"{language}.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()][:limit]
    wanted = LINGUA_ALIASES.get(language, language)
    right = undetermined = 0
    for line in lines:
        view = prepare_view(line)
        got = view.blocks[0].lang if view.blocks else "und"
        right += got == wanted
        undetermined += got == "und"
    return kind, language, right, undetermined, len(lines)


def score_lingua(
    per_language: int | None = None,
    languages: Sequence[str] = LINGUA_LANGUAGES,
    kinds: Sequence[str] = LINGUA_KINDS,
    jobs: int | None = None,
) -> dict[str, dict[str, tuple[float, float]]]:
    """{kind: {language: (accuracy, share too short to judge)}} for one block per line."""
    from concurrent.futures import ProcessPoolExecutor

    items = [(kind, language, per_language) for kind in kinds for language in languages]
    workers = default_jobs() if jobs is None else max(1, jobs)
    if workers <= 1:
        rows = [_lingua_item(item) for item in items]
    else:
        with ProcessPoolExecutor(workers) as pool:
            rows = list(pool.map(_lingua_item, items))
    result: dict[str, dict[str, tuple[float, float]]] = {kind: {} for kind in kinds}
    for kind, language, right, undetermined, total in rows:
        result[kind][language] = (right / total, undetermined / total) if total else (0.0, 0.0)
    return result


# --- printing ----------------------------------------------------------------


def _row(name: str, values: Iterable[float]) -> str:
    return f"  {name:<14}" + "".join(f"{v:>10.3f}" for v in values)


def print_article_benchmark(result: dict[str, Any]) -> None:
    print(f"article-extraction-benchmark ({result['pages']} pages): 4-shingle P / R / F1 against gold bodies")
    print(f"  {'system':<14}{'precision':>10}{'recall':>10}{'F1':>10}")
    for name, values in result["scores"].items():
        print(_row(name, values))
    print("  body loss by rule (share of gold-body shingles present before cleaning that the rule removed):")
    for rule, share in sorted(result["body_loss"].items(), key=lambda item: -item[1]):
        print(f"    {rule:<24}{share:>9.2%}")


def print_trafilatura_eval(result: dict[str, Any]) -> None:
    print(f"trafilatura-eval ({result['pages']} pages): snippets, and P / R / F1 from the snippet totals")
    print(
        f"  {'system':<14}{'with kept':>10}{'w/o gone':>10}{'comm gone':>10}{'precision':>10}{'recall':>10}{'F1':>10}"
    )
    for name, score in result["snippets"].items():
        comments = score.comments_removed / score.comments_total if score.comments_total else 0.0
        print(_row(name, (score.kept_share, score.removed_share, comments, *score.precision_recall_f1())))
    dates = result["dates"]
    if dates["pages"]:
        print(
            f"  gold dates found: ours {dates['found']}/{dates['pages']} ({dates['found'] / dates['pages']:.3f}), "
            f"trafilatura/htmldate {dates['htmldate']}/{dates['pages']} ({dates['htmldate'] / dates['pages']:.3f})"
        )


def print_lingua(result: dict[str, dict[str, tuple[float, float]]]) -> None:
    for kind, by_language in result.items():
        if not by_language:
            continue
        mean = statistics.mean(acc for acc, _ in by_language.values())
        und = statistics.mean(u for _, u in by_language.values())
        judged = statistics.mean(acc / (1 - u) for acc, u in by_language.values() if u < 1)
        print(
            f"lingua-testdata {kind}: mean accuracy {mean:.3f} over {len(by_language)} languages "
            f"(too short to judge: {und:.3f}; accuracy where judged: {judged:.3f})"
        )
        cells = [f"{lang} {acc:.2f}" for lang, (acc, _) in sorted(by_language.items())]
        for start in range(0, len(cells), 10):
            print("    " + "  ".join(cells[start : start + 10]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sets", default="aeb,te,lingua", help="comma-separated: aeb, te, lingua")
    parser.add_argument("--limit", type=int, default=None, help="pages per set (default: all)")
    parser.add_argument(
        "--per-language", type=int, default=None, help="lingua lines per language (default: all)"
    )
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    args = parser.parse_args(argv)
    sets = {s.strip() for s in args.sets.split(",") if s.strip()}
    if "aeb" in sets:
        print_article_benchmark(score_article_benchmark(load_article_benchmark(args.limit), args.jobs))
    if "te" in sets:
        print_trafilatura_eval(score_trafilatura_eval(load_trafilatura_eval(args.limit), args.jobs))
    if "lingua" in sets:
        print_lingua(score_lingua(args.per_language, jobs=args.jobs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
