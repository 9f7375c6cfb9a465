"""Write a run's outputs: cleaned texts, the manifest and the three reports.

Every file goes through one atomic-write helper, so a crash leaves either the
old file or the new one, never half of one. Cleaned texts left over from an
earlier run (listed in the old manifest, absent now) are removed so cleaned/
always mirrors the manifest; nothing else in the folder is touched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from pathlib import Path

from audit.fsutil import BackgroundSync, SafeFolder, StageTexts, atomic_write_chunks
from audit.pipeline import RunResult
from audit.report.html import iter_html
from audit.report.json_text import iter_report_json
from audit.report.manifest import manifest_line
from audit.report.markdown import iter_markdown
from audit.types import CleanDoc

CLEANED_DIR = "cleaned"
REPORTS_DIR = "reports"
MANIFEST = "manifest.jsonl"
# Characters encoded and written at a time when a file is produced piece by piece.
WRITE_CHUNK = 1 << 20


def write_outputs(result: RunResult, out_dir: Path) -> list[Path]:
    """Write everything under `out_dir`; return the paths written, in order.

    `out_dir` is a run's stage (`audit.commit` installs it under a journal, so a
    crash leaves the old outputs or the new ones): the cleaned texts are written
    straight, the reports each atomically.
    """
    cleaned_dir = out_dir / CLEANED_DIR
    reports_dir = out_dir / REPORTS_DIR
    cleaned_dir.mkdir(parents=True, exist_ok=True)
    reports_dir.mkdir(parents=True, exist_ok=True)
    previous = manifest_ids(cleaned_dir / MANIFEST)

    # Written as a stage (see audit.commit): one file creation per text and one sync for all.
    # The manifest is written in the same pass over the documents (each is read from disk once).
    texts = StageTexts()
    manifest = cleaned_dir / MANIFEST
    atomic_write_chunks(manifest, _utf8(_texts_and_manifest_lines(result, SafeFolder(cleaned_dir), texts)))
    texts_durable = BackgroundSync()
    try:
        reports = _write_reports(result, cleaned_dir, reports_dir, previous)
    finally:
        texts_durable.wait()  # the stage is installed only once its texts are on disk
    return [*texts.written, manifest, *reports]


def _texts_and_manifest_lines(result: RunResult, cleaned: SafeFolder, texts: StageTexts) -> Iterator[str]:
    """Each document's manifest line, its cleaned text written to `cleaned` on the way."""
    for doc in result.docs:
        texts.write(cleaned.child(f"{doc.document.id}.txt"), doc.text)
        yield manifest_line(doc, result.statuses)


def _write_reports(result: RunResult, cleaned_dir: Path, reports_dir: Path, previous: set[str]) -> list[Path]:
    """The three reports, each atomically; texts of earlier runs' documents removed."""
    texts = _cleaned_texts(result.docs)
    written = []

    # Each report goes to disk piece by piece as it is rendered: all three grow with the corpus,
    # and the Markdown and HTML quote every overlap from the cleaned texts.
    reports = (
        ("overlap.json", chain(iter_report_json(result.report), ["\n"])),
        ("overlap.md", iter_markdown(result.report, texts)),
        ("overlap.html", iter_html(result.report, texts)),
    )
    for name, pieces in reports:
        path = reports_dir / name
        atomic_write_chunks(path, _utf8(pieces))
        written.append(path)

    cleaned_folder = SafeFolder(cleaned_dir)
    for stale_id in sorted(previous - texts.keys()):
        stale = cleaned_folder.child(f"{stale_id}.txt")
        stale.unlink(missing_ok=True)
    return written


def _utf8(pieces: Iterable[str]) -> Iterator[bytes]:
    """UTF-8 bytes of many small strings, about WRITE_CHUNK characters at a time."""
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= WRITE_CHUNK:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    yield "".join(buffer).encode("utf-8")


def _cleaned_texts(docs: Sequence[CleanDoc]) -> Mapping[str, str]:
    """Cleaned text by id; read from disk on demand when the pipeline spilled the documents."""
    lazy = getattr(docs, "texts", None)
    if callable(lazy):
        texts: Mapping[str, str] = lazy()
        return texts
    return {doc.document.id: doc.text for doc in docs}


def manifest_ids(manifest: Path) -> set[str]:
    """Ids listed in the manifest now in the folder (an earlier run's); unreadable lines are ignored."""
    if not manifest.is_file():
        return set()
    ids = set()
    for line in manifest.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            ids.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return ids
