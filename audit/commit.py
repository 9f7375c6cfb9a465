"""Put a run's outputs in place so that a process killed at any moment never leaves a mixture.

Outputs are several files (cleaned texts, the manifest, three reports), and the
index is a database beside them; no single rename can switch them all. So a run
commits in steps, with one commit point:

1. stage: every output is written under `<out>/.audit-staging/<token>/files/`
   (fsynced), unchanged files are dropped from the stage, and a journal lists
   what will be installed and which stale cleaned texts removed;
2. commit: with the index, the index transaction commits (it records the run's
   token); without it, the journal's existence is the commit;
3. install: each staged file is renamed over its target (atomic per file) and
   stale texts are removed; then the stage is deleted.

A kill before the commit point leaves the index and every output exactly as
they were (the stage is thrown away by the next run). A kill after it leaves
the new index; the next audit command finishes the install from the stage
before doing anything else (`recover_outputs`), so the outputs always end up
matching the index. One process at a time writes to an output folder (an
exclusive lock on the folder, released by the system if the process dies).

`AUDIT_TEST_KILL_AT=<point>` makes the process SIGKILL itself at a named point
(`kill_point`); tests/test_crash_safety.py uses it to kill real runs there.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from audit.errors import OutputNotWritable, UnsafePath
from audit.fsutil import SafeFolder, atomic_write_text
from audit.outputs import CLEANED_DIR, MANIFEST, manifest_ids, write_outputs
from audit.pipeline import RunResult

STAGING_DIR = ".audit-staging"
JOURNAL = "journal.json"
KILL_ENV = "AUDIT_TEST_KILL_AT"
# The named points, in the order a run passes them (documented for the crash tests).
# "journaled" is the commit point of a run without the index; "committed" that of a run with it.
KILL_POINTS = ("read", "index-write", "staged", "journaled", "committed", "installing", "installed")


def kill_point(name: str) -> None:
    """SIGKILL this process here when AUDIT_TEST_KILL_AT names this point (a test hook; never set in use)."""
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class Staged:
    """Outputs written to the stage, waiting for the commit point."""

    out_dir: Path
    folder: Path
    token: str
    install: tuple[str, ...]  # paths relative to out_dir, staged under folder/files
    remove: tuple[str, ...]  # stale cleaned texts to delete


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder (created if missing) for the whole run."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = os.open(out_dir, os.O_RDONLY)
    except OSError as error:
        raise OutputNotWritable(f"cannot use {out_dir} as the output folder: {_reason(error)}") from None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; concurrent runs are the user's to avoid
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputNotWritable(
                f"another audit process is writing to {out_dir}; wait for it to finish"
            ) from None
        yield
    finally:
        os.close(handle)


def stage_outputs(result: RunResult, out_dir: Path, token: str, indexed: bool) -> Staged:
    """Write every output under the stage, keep only what differs from the folder, write the journal."""
    folder = out_dir / STAGING_DIR / token
    try:
        return _stage(result, out_dir, folder, token, indexed)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        _remove_empty(out_dir / STAGING_DIR)
        raise


def _stage(result: RunResult, out_dir: Path, folder: Path, token: str, indexed: bool) -> Staged:
    files = folder / "files"
    write_outputs(result, files)
    produced = sorted(path for path in files.rglob("*") if path.is_file())
    new_ids = {path.stem for path in (files / CLEANED_DIR).glob("*.txt")}
    outputs = SafeFolder(out_dir)
    install = []
    for path in produced:
        rel = path.relative_to(files).as_posix()
        target = outputs.child(rel)
        if _same_bytes(path, target):
            path.unlink()
            continue
        _check_writable(target)
        install.append(rel)
    remove = []
    for doc_id in sorted(manifest_ids(out_dir / CLEANED_DIR / MANIFEST) - new_ids):
        try:
            stale = outputs.child(f"{CLEANED_DIR}/{doc_id}.txt")
        except UnsafePath:  # a hand-edited manifest: never delete outside the folder
            continue
        if stale.is_file():
            remove.append(stale.relative_to(out_dir).as_posix())
    journal = {"token": token, "indexed": indexed, "install": install, "remove": remove}
    kill_point("staged")
    atomic_write_text(folder / JOURNAL, json.dumps(journal, ensure_ascii=False, indent=1) + "\n")
    kill_point("journaled")
    return Staged(out_dir, folder, token, tuple(install), tuple(remove))


def install_outputs(staged: Staged) -> None:
    """Move the staged files into place (after the commit point) and delete the stage."""
    _install(staged.out_dir, staged.folder, staged.install, staged.remove)


def discard_stage(staged: Staged) -> None:
    shutil.rmtree(staged.folder, ignore_errors=True)
    _remove_empty(staged.out_dir / STAGING_DIR)


def recover_outputs(out_dir: Path, committed: Callable[[str, bool], bool]) -> list[str]:
    """Finish or throw away stages a killed run left; return what was done, in words.

    `committed(token, indexed)` says whether that run reached its commit point.
    """
    staging = out_dir / STAGING_DIR
    if not staging.is_dir():
        return []
    done = []
    for folder in sorted(path for path in staging.iterdir() if path.is_dir()):
        journal = _read_journal(folder / JOURNAL)
        if journal is not None and committed(str(journal["token"]), bool(journal["indexed"])):
            _install(out_dir, folder, journal["install"], journal["remove"])
            done.append(f"finished installing the outputs of an interrupted run ({folder.name})")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            done.append(f"discarded the unfinished outputs of an interrupted run ({folder.name})")
    _remove_empty(staging)
    return done


def _install(out_dir: Path, folder: Path, install: Sequence[str], remove: Sequence[str]) -> None:
    files = folder / "files"
    try:
        outputs = SafeFolder(out_dir)
        for count, rel in enumerate(install):
            source = files / rel
            if not source.is_file():  # moved already by an earlier, interrupted install
                continue
            target = outputs.child(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            source.replace(target)
            if count == 0:
                kill_point("installing")
        for rel in remove:
            outputs.child(rel).unlink(missing_ok=True)
        for parent in sorted({outputs.child(rel).parent for rel in [*install, *remove]}):
            _fsync_folder(parent)
    except OSError as error:
        raise OutputNotWritable(f"cannot install outputs under {out_dir}: {_reason(error)}") from None
    kill_point("installed")
    shutil.rmtree(folder, ignore_errors=True)
    _remove_empty(out_dir / STAGING_DIR)


def _check_writable(target: Path) -> None:
    """Fail before the commit point, not halfway through installing, when a target cannot be replaced."""
    if target.is_dir():
        raise OutputNotWritable(f"cannot write {target}: a folder of that name is in the way")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputNotWritable(f"cannot write {target}: {_reason(error)}") from None
    if not os.access(target.parent, os.W_OK):
        raise OutputNotWritable(f"cannot write {target}: permission denied")


def _same_bytes(staged: Path, target: Path) -> bool:
    try:
        if not target.is_file() or target.stat().st_size != staged.stat().st_size:
            return False
        return target.read_bytes() == staged.read_bytes()
    except OSError:
        return False


def _read_journal(path: Path) -> dict[str, object] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()
