"""Shared fixtures: the repository's seeds, the shared evaluation data, a seeds run."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
EVAL = SHARED / "eval"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.fail(f"the shared evaluation data is missing: expected {EVAL} beside the repository")
    return EVAL


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    """Seed id -> raw text, e.g. texts['003'] for seeds/003_*.txt."""
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory: pytest.TempPathFactory):
    """The pipeline run on seeds/ once, with its outputs written to a temp folder."""
    from audit.outputs import write_outputs
    from audit.pipeline import run_pipeline

    out = tmp_path_factory.mktemp("seeds-run")
    result = run_pipeline(SEEDS, jobs=1)
    write_outputs(result, out)
    return result, out
