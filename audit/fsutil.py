"""Write outputs so that a crash never leaves a half-written file, and never outside the output folder.

Every output goes through `atomic_write_bytes`: the bytes go to a temporary file
in the same folder, are flushed to disk, and only then replace the target with
`os.replace`, which is atomic on POSIX and Windows. A run killed at any moment
therefore leaves either the old file or the new one, never a mixture. Output
names come from input data (ids), so `SafeFolder` refuses any name that would
land outside the output folder, whatever the id sanitizer upstream let through.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from audit.errors import OutputNotWritable, UnsafePath


def _read_umask() -> int:
    """The process umask, read once at import (reading it means setting it, which is not thread-safe)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# New outputs get ordinary permissions (0o666 less the umask), not mkstemp's private 0o600.
_NEW_FILE_MODE = 0o666 & ~_read_umask()


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` as UTF-8 exactly as given (no newline translation), atomically."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise OutputNotWritable(
            f"cannot write {path}: the text holds a character UTF-8 cannot encode (position {error.start})"
        ) from None
    atomic_write_bytes(path, data)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so readers see the old or the new content, never a partial one.

    Missing parent folders are created. The folder is fsynced after the rename
    so the new name survives a power cut, not only a killed process.
    """
    atomic_write_chunks(path, (data,))


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """`atomic_write_bytes` for content produced piece by piece (a manifest, a large report).

    The pieces go straight to the temporary file, so the whole content is never
    held in memory at once.
    """
    temp_path, mode = _temporary(Path(path))
    try:
        with temp_path.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as error:
        _discard(temp_path)
        if isinstance(error, OSError):
            raise OutputNotWritable(f"cannot write {path}: {_describe(error)}") from None
        raise
    _replace(temp_path, Path(path), mode)
    _fsync_folder(Path(path).parent)


class StageTexts:
    """Writes many UTF-8 texts into a stage folder no reader sees yet; `BackgroundSync` makes them durable.

    The run's outputs are written to a fresh staging folder and installed from
    there under a journal (`audit.commit`), so each file needs no temporary name
    and rename of its own: creating a file is the cost here (~0.5 ms on an
    overlay file system, a million times on a large corpus), and it is paid
    once instead of twice. One `os.sync()` afterwards makes them all durable.
    """

    def __init__(self) -> None:
        self.written: list[Path] = []
        self._folders: set[Path] = set()

    def write(self, path: Path, text: str) -> None:
        data = _encoded(path, text)
        try:
            if path.parent not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _NEW_FILE_MODE)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
        except OSError as error:
            raise OutputNotWritable(f"cannot write {path}: {_describe(error)}") from None
        self.written.append(path)


class BackgroundSync:
    """`os.sync()` on a thread, started now; `wait()` before anything relies on what was written before it.

    The kernel's write-back is paid by the caller of sync (1.4 s of system time
    after a 10 MB run here); on a thread it overlaps the work that follows
    (rendering the reports) instead of adding to it.
    """

    def __init__(self) -> None:
        self._thread = threading.Thread(target=os.sync, name="audit-sync", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()


def _encoded(path: Path, text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise OutputNotWritable(
            f"cannot write {path}: the text holds a character UTF-8 cannot encode (position {error.start})"
        ) from None


def _temporary(path: Path) -> tuple[Path, int]:
    """A new temporary file beside `path`, and the mode the final file should get."""
    parent = path.parent
    if path.is_dir():
        raise OutputNotWritable(f"cannot write {path}: a folder of that name is in the way")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o7777 if path.exists() else _NEW_FILE_MODE
        fd, temp_name = tempfile.mkstemp(dir=parent, prefix=f".{path.name[:100]}.", suffix=".tmp")
    except OSError as error:
        raise OutputNotWritable(f"cannot write {path}: {_describe(error)}") from None
    os.close(fd)
    return Path(temp_name), mode


def _replace(temp_path: Path, path: Path, mode: int) -> None:
    try:
        temp_path.chmod(mode)
        temp_path.replace(path)
    except OSError as error:
        _discard(temp_path)
        raise OutputNotWritable(f"cannot write {path}: {_describe(error)}") from None


def _discard(temp_path: Path) -> None:
    with contextlib.suppress(OSError):
        temp_path.unlink()


class SafeFolder:
    """Paths under one output root, refusing any name that would resolve outside it.

    A name may hold `/`-separated folders (e.g. `cleaned/x.txt`) but no absolute
    path, no `..`, no backslash, no NUL and no empty part; a symbolic link inside
    the root cannot redirect a write out of it. The root is resolved once.

    Resolving a path costs one `lstat` per component of it; a run names a few
    files per document, so resolving the whole path each time (root included)
    was ~1 ms a document. Here only the name's own components are checked, and
    a path is resolved in full only when one of them is a symbolic link.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.real_root = self.root.resolve()

    def child(self, name: str) -> Path:
        if not name or "\x00" in name or "\\" in name:
            raise UnsafePath(f"refusing output name {name!r}: it is empty or holds a NUL or a backslash")
        parts = name.split("/")
        if (
            PurePosixPath(name).is_absolute()
            or any(part in ("", ".", "..") for part in parts)
            or ":" in parts[0]
        ):
            raise UnsafePath(f"refusing output name {name!r}: it would leave the output folder")
        if _holds_link(self.real_root, parts):
            real_child = self.real_root.joinpath(*parts).resolve()
            if real_child != self.real_root and self.real_root not in real_child.parents:
                raise UnsafePath(f"refusing output name {name!r}: it resolves outside {self.root}")
        return self.root.joinpath(*parts)


def _holds_link(real_root: Path, parts: Sequence[str]) -> bool:
    """True when a component of `real_root/parts...` that exists is a symbolic link."""
    path = real_root
    for part in parts:
        path = path / part
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return True
        except OSError:  # missing (or unreadable): nothing below it can be a link yet
            return False
    return False


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable; folders cannot be opened for fsync on Windows, which is fine to skip."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _describe(error: OSError) -> str:
    """A short reason in words for the usual OS errors, so messages stay one sentence."""
    reasons = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
        errno.ENOSPC: "the disk is full",
        errno.ENOTDIR: "a file is in the way of a folder on that path",
        errno.EISDIR: "a folder of that name is in the way",
        errno.ENAMETOOLONG: "the name is too long",
    }
    return reasons.get(error.errno or 0, error.strerror or type(error).__name__)
