"""Runs through the index give what one run over everything gives, while processing only what changed.

The reference is always a one-shot run (`run_pipeline`, or `audit run --no-index`)
over a folder holding exactly the documents the index should hold; the
incremental reports must be equal to it, byte for byte once serialized.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import output_files

from audit.engines.local import LocalEngine
from audit.incremental import forget_documents, run_indexed
from audit.index.identity import generation_key
from audit.index.schema import index_path
from audit.pipeline import run_pipeline
from audit.report.json_text import report_json
from audit.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
WORDS = " ".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))).split()
ENGINE = LocalEngine(1)
# Small guards so that a corpus of ~20 documents crosses them: shingles and
# buckets shared by more than two texts, stock phrases from two documents.
TIGHT = Settings(max_bucket_documents=2, stock_min_documents=2)


def audit(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=REPO, env=env
    )


def report_text(report: dict[str, object]) -> str:
    return report_json(report)


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def derived_state(out: Path) -> dict[str, object]:
    """The index's comparison tables with text ids replaced by text keys, so two indexes can be compared."""
    connection = sqlite3.connect(index_path(out))
    try:
        keys = dict(connection.execute("SELECT tid, key FROM texts"))
        keys[0] = "tie"
        pairs = set()
        for a, b, lsh, windows, score, part, share in connection.execute(
            "SELECT a, b, lsh, windows, jaccard, part, containment FROM pairs"
        ):
            first, second = sorted((keys[a], keys[b]))
            pairs.add((first, second, lsh, windows, score, keys[part], share))
        return {
            "texts": set(connection.execute("SELECT key, docs FROM texts")),
            "shingles": {(h, keys[t]) for h, t in connection.execute("SELECT hash, tid FROM shingles")},
            "windows": {(b, k, keys[t], p) for b, k, t, p in connection.execute("SELECT * FROM windows")},
            "doc_bands": {(b, k, keys[t]) for b, k, t in connection.execute("SELECT * FROM doc_bands")},
            "skipped": set(connection.execute("SELECT band, key FROM skipped")),
            "blocks": set(connection.execute("SELECT key, doc FROM blocks")),
            "pairs": pairs,
        }
    finally:
        connection.close()


def assert_index_like_a_fresh_one(out: Path, folder: Path, settings: Settings) -> None:
    """The tables a history of batches left equal those one batch over the same documents writes."""
    fresh = folder.parent / f"{folder.name}-fresh-index"
    shutil.rmtree(fresh, ignore_errors=True)
    run_indexed(folder, fresh, settings, ENGINE)
    assert derived_state(out) == derived_state(fresh)
    shutil.rmtree(fresh)


def new_article() -> str:
    """An article that copies a long passage from seed 002 and a shorter one from seed 003."""
    seeds = sorted(SEEDS.glob("*.txt"))
    second = seeds[2].read_text(encoding="utf-8").split()
    third = seeds[3].read_text(encoding="utf-8").split()
    return (
        "March 3, 2026\n\n"
        + " ".join(second[100:220])
        + "\n\nOur own reporting follows, written fresh for this article and found nowhere else.\n\n"
        + " ".join(third[50:130])
        + "\n"
    )


def test_seeds_plus_one_new_file_processes_only_the_new_file_and_matches_a_one_shot_run(tmp_path: Path):
    combined = tmp_path / "combined"
    shutil.copytree(SEEDS, combined)
    (combined / "new_article.txt").write_text(new_article(), encoding="utf-8")
    out = tmp_path / "out"
    first = audit("run", str(SEEDS), "--out", str(out), "-j", "1")
    assert first.returncode == 0, first.stderr
    second = audit("run", str(combined), "--out", str(out), "-j", "1")
    assert second.returncode == 0, second.stderr
    assert "1 new, 0 changed, 5 unchanged" in second.stderr

    report = json.loads((out / "reports" / "overlap.json").read_text(encoding="utf-8"))
    assert len(report["documents"]) == 6
    copied = [
        o
        for o in report["overlaps"]
        if "new_article" in (o["a"]["id"], o["b"]["id"]) and o["kind"] != "stock"
    ]
    partners = {o["a"]["id"] if o["b"]["id"] == "new_article" else o["b"]["id"] for o in copied}
    assert partners == {"002_5ee09b2ac27d2ae6", "003_58cb06e2dad91940"}
    texts = {
        doc["id"]: (out / "cleaned" / f"{doc['id']}.txt").read_text(encoding="utf-8")
        for doc in report["documents"]
    }
    for overlap in copied:
        a, b = overlap["a"], overlap["b"]
        assert texts[a["id"]][a["start"] : a["end"]].split() == texts[b["id"]][b["start"] : b["end"]].split()

    reference = tmp_path / "reference"
    assert audit("run", str(combined), "--out", str(reference), "--no-index", "-j", "1").returncode == 0
    assert not (reference / "index").exists(), "--no-index must not create an index"
    assert output_files(out) == output_files(reference)


def test_a_second_run_over_the_same_input_cleans_nothing_and_changes_nothing(tmp_path: Path):
    out = tmp_path / "out"
    first = run_indexed(SEEDS, out, engine=ENGINE)
    before = output_files(out)
    second = run_indexed(SEEDS, out, engine=ENGINE)
    assert (first.counts.added, second.counts.added, second.counts.unchanged) == (5, 0, 5)
    assert second.counts.refinished == second.counts.changed == 0
    assert output_files(out) == before
    assert report_text(second.result.report) == report_text(run_pipeline(SEEDS, jobs=1).report)


def _corpus(rng: random.Random, size: int) -> dict[str, str]:
    """Real words in new orders: template lines, shared passages and phrases, dates, exact and near copies."""
    templates = [
        "Subscribe to our newsletter for daily updates",
        "Share this article with your friends",
        "Copyright Example News all rights reserved",
    ]
    passages = [" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(3)]
    phrases = [" ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(2)]
    files: dict[str, str] = {}
    for number in range(size):
        body = [rng.choice(WORDS) for _ in range(rng.randint(20, 180))]
        if rng.random() < 0.7:
            body.insert(rng.randrange(len(body)), rng.choice(phrases))
        parts = [f"March {rng.randint(1, 28)}, 2025"] if rng.random() < 0.6 else []
        parts += [rng.choice(templates)] if rng.random() < 0.7 else []
        parts.append(" ".join(body))
        parts += [rng.choice(passages)] if rng.random() < 0.8 else []
        files[f"d{number:02d}.txt"] = "\n\n".join(parts) + "\n"
    for number, name in enumerate(rng.sample(sorted(files), size // 5)):
        text = files[name]
        if number % 2:
            words = text.split(" ")
            words[rng.randrange(len(words))] = "changed"
            text = " ".join(words)
        files[f"copy{number:02d}.txt"] = text
    return files


@pytest.mark.parametrize("seed", [0, 1])
def test_runs_changes_deletions_and_forgets_match_one_shot_runs(tmp_path: Path, seed: int):
    """A scripted history over three input folders, checked after every step against a one-shot run."""
    rng = random.Random(seed)
    corpus = _corpus(rng, 14)
    folders: dict[str, dict[str, str]] = {"r1": {}, "r2": {}, "r3": {}}
    for name in sorted(corpus):
        folders[rng.choice(sorted(folders))][name] = corpus[name]
    out = tmp_path / "out"
    held: dict[str, tuple[str, str]] = {}  # file name -> (folder, text): what the index must hold
    guards_flipped = 0
    steps = ["run r1", "run r2", "run r3", "modify", "delete", "forget", "run r1", "modify"]
    for step in steps:
        if step == "forget":
            name = rng.choice(sorted(held))
            result = forget_documents(out, [name.removesuffix(".txt")], TIGHT, ENGINE)
            del held[name]
        else:
            folder = step.split()[1] if step.startswith("run") else rng.choice(sorted(folders))
            if step == "modify" and folders[folder]:
                name = rng.choice(sorted(folders[folder]))
                folders[folder][name] = (
                    folders[folder][name].replace(" the ", " THE ", 1) + "\nOne more line.\n"
                )
            elif step == "delete" and folders[folder]:
                del folders[folder][rng.choice(sorted(folders[folder]))]
            result = run_indexed(write_folder(tmp_path / folder, folders[folder]), out, TIGHT, ENGINE)
            held = {name: value for name, value in held.items() if value[0] != folder}
            held.update({name: (folder, text) for name, text in folders[folder].items()})
        guards_flipped += result.counts.remasked + result.counts.crossing_buckets
        everything = write_folder(tmp_path / "everything", {name: text for name, (_, text) in held.items()})
        expected = run_pipeline(everything, TIGHT, jobs=1)
        assert report_text(result.result.report) == report_text(expected.report), step
        assert_index_like_a_fresh_one(out, everything, TIGHT)
    assert guards_flipped, "the scenario must flip the corpus-wide guards at least once"


def test_site_template_counts_across_runs_clean_earlier_documents_again(tmp_path: Path):
    template = "Follow Example Daily on social media for more stories like this one"
    bodies = [" ".join(random.Random(n).choice(WORDS) for _ in range(80)) for n in range(3)]
    first = write_folder(tmp_path / "monday", {f"m{n}.txt": f"{template}\n\n{bodies[n]}\n" for n in range(2)})
    second = write_folder(tmp_path / "tuesday", {"t0.txt": f"{template}\n\n{bodies[2]}\n"})
    out = tmp_path / "out"
    run_indexed(first, out, engine=ENGINE)
    assert template in (out / "cleaned" / "m0.txt").read_text(encoding="utf-8"), "two documents are a pair"
    result = run_indexed(second, out, engine=ENGINE)
    assert result.counts.refinished == 2
    for name in ("m0", "m1", "t0"):
        assert template not in (out / "cleaned" / f"{name}.txt").read_text(encoding="utf-8")
    everything = write_folder(
        tmp_path / "all",
        {f"m{n}.txt": f"{template}\n\n{bodies[n]}\n" for n in range(2)}
        | {"t0.txt": f"{template}\n\n{bodies[2]}\n"},
    )
    assert report_text(result.result.report) == report_text(run_pipeline(everything, jobs=1).report)


def test_changed_settings_rebuild_the_index_and_free_ones_do_not(tmp_path: Path):
    out = tmp_path / "out"
    run_indexed(SEEDS, out, engine=ENGINE)
    longest = replace(Settings(), keep_policy="longest", min_copy_words=20)
    kept = run_indexed(SEEDS, out, longest, ENGINE)
    assert not kept.counts.rebuilt and kept.counts.unchanged == 5
    assert report_text(kept.result.report) == report_text(run_pipeline(SEEDS, longest, jobs=1).report)
    looser = replace(Settings(), near_duplicate_threshold=0.7, passage_threshold=0.25)
    rebuilt = run_indexed(SEEDS, out, looser, ENGINE)
    assert rebuilt.counts.rebuilt
    assert report_text(rebuilt.result.report) == report_text(run_pipeline(SEEDS, looser, jobs=1).report)
    assert generation_key(Settings()) == generation_key(longest)
    assert generation_key(Settings()) != generation_key(looser)


def test_a_rebuild_keeps_documents_of_folders_not_run_again(tmp_path: Path):
    extra = write_folder(tmp_path / "extra", {"extra.txt": new_article()})
    out = tmp_path / "out"
    run_indexed(extra, out, engine=ENGINE)
    looser = replace(Settings(), near_duplicate_threshold=0.75)
    rebuilt = run_indexed(SEEDS, out, looser, ENGINE)
    assert rebuilt.counts.rebuilt
    everything = tmp_path / "everything"
    shutil.copytree(SEEDS, everything)
    shutil.copy(extra / "extra.txt", everything / "extra.txt")
    assert report_text(rebuilt.result.report) == report_text(run_pipeline(everything, looser, jobs=1).report)


def test_exact_copies_across_runs_cost_no_comparison_and_are_grouped(tmp_path: Path):
    seed = sorted(SEEDS.glob("*.txt"))[1]
    copies = write_folder(
        tmp_path / "copies",
        {"copy_a.txt": seed.read_text(encoding="utf-8"), "copy_b.txt": seed.read_text(encoding="utf-8")},
    )
    out = tmp_path / "out"
    run_indexed(SEEDS, out, engine=ENGINE)
    result = run_indexed(copies, out, engine=ENGINE)
    groups = result.result.report["exact_duplicates"]
    assert [sorted(group["members"]) for group in groups] == [sorted(["copy_a", "copy_b", seed.stem])]
    everything = tmp_path / "everything"
    shutil.copytree(SEEDS, everything)
    for name in ("copy_a.txt", "copy_b.txt"):
        shutil.copy(copies / name, everything / name)
    assert report_text(result.result.report) == report_text(run_pipeline(everything, jobs=1).report)


def test_a_jsonl_record_whose_fields_changed_is_processed_again(tmp_path: Path):
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    record = {"id": "rec", "text": text, "date": "2025-01-02"}
    folder = write_folder(tmp_path / "in", {"data.jsonl": json.dumps(record) + "\n"})
    out = tmp_path / "out"
    run_indexed(folder, out, engine=ENGINE)
    record["date"] = "2024-12-30"
    write_folder(folder, {"data.jsonl": json.dumps(record) + "\n"})
    result = run_indexed(folder, out, engine=ENGINE)
    assert result.counts.changed == 1
    assert report_text(result.result.report) == report_text(run_pipeline(folder, jobs=1).report)


def test_incremental_outputs_are_identical_across_folders_and_orders(tmp_path: Path):
    """Two histories with the same batches, in different places and file orders, write the same bytes."""
    extra = {"new_article.txt": new_article(), "other.txt": " ".join(WORDS[300:500]) + "\n"}
    results = []
    for place, order in (("a", 1), ("b/deeper/still", -1)):
        base = tmp_path / place
        seeds = base / "seeds"
        seeds.mkdir(parents=True)
        for path in sorted(SEEDS.glob("*.txt"))[::order]:
            shutil.copy(path, seeds / path.name)
        news = base / "news"
        news.mkdir()
        for name in sorted(extra)[::order]:
            (news / name).write_text(extra[name], encoding="utf-8")
        out = base / "out"
        assert audit("run", str(seeds), "--out", str(out), "-j", "2" if order == 1 else "1").returncode == 0
        assert audit("run", str(news), "--out", str(out), "-j", "1").returncode == 0
        results.append(output_files(out))
    assert results[0] == results[1]


def test_editing_documents_one_after_another_keeps_every_table_right(tmp_path: Path):
    """Each edit retires one text and brings a new one in the same batch (text ids are never reused)."""
    rng = random.Random(3)
    shared = " ".join(rng.choice(WORDS) for _ in range(70))
    files = {
        f"e{n}.txt": " ".join(rng.choice(WORDS) for _ in range(90)) + f"\n\n{shared}\n" for n in range(3)
    }
    out = tmp_path / "out"
    for edit in range(6):
        name = "e0.txt" if edit else "e1.txt"  # the newest text goes each time: its id must not come back
        files[name] = files[name].replace("\n\n", f" edit{edit}\n\n", 1)
        folder = write_folder(tmp_path / "in", files)
        result = run_indexed(folder, out, TIGHT, ENGINE)
        assert report_text(result.result.report) == report_text(run_pipeline(folder, TIGHT, jobs=1).report), (
            edit
        )
        assert_index_like_a_fresh_one(out, folder, TIGHT)


def test_ids_differing_only_in_case_across_folders_are_renamed_once_and_for_good(tmp_path: Path):
    text = sorted(SEEDS.glob("*.txt"))
    first = write_folder(tmp_path / "first", {"Story.txt": text[0].read_text(encoding="utf-8")})
    second = write_folder(tmp_path / "second", {"story.txt": text[1].read_text(encoding="utf-8")})
    out = tmp_path / "out"
    run_indexed(first, out, engine=ENGINE)
    result = run_indexed(second, out, engine=ENGINE)
    assert sorted(doc.document.id for doc in result.result.docs) == ["Story", "story-2"]
    assert [(p.kind, p.source) for p in result.run_problems] == [("duplicate-id", "story.txt")]
    again = run_indexed(second, out, engine=ENGINE)
    assert (again.counts.unchanged, again.counts.added) == (1, 0)
    assert sorted(doc.document.id for doc in again.result.docs) == ["Story", "story-2"]
    assert sorted(path.name for path in (out / "cleaned").glob("*.txt")) == ["Story.txt", "story-2.txt"]
