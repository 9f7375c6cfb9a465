"""Write a run's outputs: cleaned texts, the manifest and the three reports.

Every file goes through one atomic-write helper, so a crash leaves either the
old file or the new one, never half of one. Cleaned texts left over from an
earlier run (listed in the old manifest, absent now) are removed so cleaned/
always mirrors the manifest; nothing else in the folder is touched.
"""

from __future__ import annotations

import json
from pathlib import Path

from audit.fsutil import atomic_write_text, safe_child
from audit.pipeline import RunResult
from audit.report.html import render_html
from audit.report.manifest import render_manifest
from audit.report.markdown import render_markdown

CLEANED_DIR = "cleaned"
REPORTS_DIR = "reports"
MANIFEST = "manifest.jsonl"


def write_outputs(result: RunResult, out_dir: Path) -> list[Path]:
    """Write everything under `out_dir`; return the paths written, in order."""
    cleaned_dir = out_dir / CLEANED_DIR
    reports_dir = out_dir / REPORTS_DIR
    cleaned_dir.mkdir(parents=True, exist_ok=True)
    reports_dir.mkdir(parents=True, exist_ok=True)
    previous = _previous_ids(cleaned_dir / MANIFEST)

    written: list[Path] = []
    texts = {doc.document.id: doc.text for doc in result.docs}
    for doc_id, text in texts.items():
        path = safe_child(cleaned_dir, f"{doc_id}.txt")
        atomic_write_text(path, text)
        written.append(path)
    manifest = cleaned_dir / MANIFEST
    atomic_write_text(manifest, render_manifest(result.docs, result.statuses))
    written.append(manifest)

    report_json = json.dumps(result.report, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    for name, content in (
        ("overlap.json", report_json),
        ("overlap.md", render_markdown(result.report, texts)),
        ("overlap.html", render_html(result.report, texts)),
    ):
        path = reports_dir / name
        atomic_write_text(path, content)
        written.append(path)

    for stale_id in sorted(previous - texts.keys()):
        stale = safe_child(cleaned_dir, f"{stale_id}.txt")
        stale.unlink(missing_ok=True)
    return written


def _previous_ids(manifest: Path) -> set[str]:
    """Ids listed in an earlier run's manifest; unreadable lines are ignored."""
    if not manifest.is_file():
        return set()
    ids = set()
    for line in manifest.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            ids.add(str(json.loads(line)["id"]))
        except (ValueError, KeyError, TypeError):
            continue
    return ids
