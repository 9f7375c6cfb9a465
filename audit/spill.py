"""Keep per-document results on disk between stages, so memory does not grow with the corpus.

The pipeline's two passes and its outputs all need every document, but never
all at once: pass 2 reads pass 1's results in order, the comparison needs each
document's fingerprint once and a candidate pair's texts now and then, and the
writers need one document at a time. So results are pickled to a temporary
file as they arrive and read back in order, or by position for a random
access; the process keeps only offsets and a few numbers per document.

Pickles written and read by this same process, in a private temporary folder
that is removed when the run's results are released: nothing here is ever read
from elsewhere.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import time
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, overload

import numpy as np

from audit.lookup import find_sorted
from audit.types import CleanDoc, JSONDict

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so abandoned folders are left for the system to clear
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
U = TypeVar("U")

# Writes are buffered: a 4 KB document pickles to ~10-30 KB, so 1 MiB of buffer
# amortises system calls without holding much.
BUFFER_BYTES = 1 << 20
PREFIX = "audit-spill-"
# A spill folder this old (seconds since it last changed) and unlocked was left by a killed run.
ABANDONED_AFTER = 60.0
LOCKED = "locked-while-in-use"


class SpillFolder:
    """A private temporary folder, removed when the last object using it is gone.

    A run that is killed cannot remove its folders, and on a large corpus they
    hold gigabytes. So each folder is locked (flock on the folder) while its
    process lives, and a new folder first removes the old ones nobody holds.
    """

    def __init__(self, parent: Path | None = None) -> None:
        root = parent or Path(tempfile.gettempdir())
        remove_abandoned(root)
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
        handle = os.open(self.path, os.O_RDONLY)
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            (self.path / LOCKED).touch()  # only folders that say they are locked are ever swept
        self._cleanup = weakref.finalize(self, _remove_folder, self.path, handle)

    def remove(self) -> None:
        self._cleanup()


def _remove_folder(path: Path, handle: int) -> None:
    shutil.rmtree(path, ignore_errors=True)
    os.close(handle)


def remove_abandoned(root: Path, min_age: float = ABANDONED_AFTER) -> list[Path]:
    """Remove the spill folders under `root` that no live process holds; returns them.

    Only folders marked as locked while in use are candidates (an older
    version's folders carry no lock, so a run of it is never swept away), and
    one younger than `min_age` seconds is left alone: its process may not have
    locked it yet. Without advisory locks (Windows) nothing is removed.
    """
    if fcntl is None:
        return []
    removed = []
    now = time.time()
    for path in sorted(root.glob(PREFIX + "*")):
        try:
            if now - path.stat().st_mtime < min_age or not (path / LOCKED).exists():
                continue
            handle = os.open(path, os.O_RDONLY)
        except OSError:  # gone meanwhile, or not ours to open
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held: a live run's folder
            continue
        else:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            os.close(handle)
    return removed


class _ListLike(Sequence[T]):
    """A read-only sequence that indexes and slices like a list and compares equal to one."""

    def _item(self, index: int) -> T:
        """The item at `index` (0 <= index < len(self))."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._item(i) for i in range(*index.indices(len(self)))]
        return self._item(range(len(self))[index])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so unhashable like them


class SpillFile(_ListLike[T]):
    """An append-only file of pickled objects: read back in order, or one by position.

    Once written it is a read-only sequence that compares equal to a list of
    the same items, so a report section can live on disk where a list used to.
    """

    def __init__(self, folder: SpillFolder, name: str) -> None:
        self.folder = folder  # keeps the folder alive as long as this file
        self.path = folder.path / name
        self._writer = self.path.open("wb", buffering=BUFFER_BYTES)
        self._reader: BinaryIO | None = None
        self.offsets = array("q")  # 8 bytes an item, not a Python int each

    def append(self, item: T) -> int:
        """Store `item`; returns its position."""
        self.offsets.append(self._writer.tell())
        pickle.dump(item, self._writer, protocol=pickle.HIGHEST_PROTOCOL)
        return len(self.offsets) - 1

    def close(self) -> None:
        """Finish writing (reading first closes the writer)."""
        if not self._writer.closed:
            self._writer.close()

    def __len__(self) -> int:
        return len(self.offsets)

    def __iter__(self) -> Iterator[T]:
        self.close()
        with self.path.open("rb", buffering=BUFFER_BYTES) as reader:
            for _ in range(len(self.offsets)):
                yield pickle.load(reader)

    def _item(self, index: int) -> T:
        return self.read(index)

    def __repr__(self) -> str:
        return f"SpillFile({self.path.name!r}, {len(self)} items)"

    def read(self, position: int) -> T:
        """The item at `position`, through one reader kept open (reports read thousands, scattered)."""
        self.close()
        if self._reader is None:
            self._reader = self.path.open("rb")
            weakref.finalize(self, self._reader.close)
        self._reader.seek(self.offsets[position])
        item: T = pickle.load(self._reader)
        return item


class MappedSequence(_ListLike[U]):
    """`function` applied to each item of `items` when it is read: a JSON view of objects kept on disk."""

    def __init__(self, items: Sequence[T], function: Callable[[T], U]) -> None:
        self._items = items
        self._function = function

    def __len__(self) -> int:
        return len(self._items)

    def _item(self, index: int) -> U:
        return self._function(self._items[index])

    def __iter__(self) -> Iterator[U]:
        return map(self._function, self._items)


def spill_sorted(items: Iterable[T], key: Callable[[T], Any], name: str) -> SpillFile[T]:
    """`items` sorted by `key` (a stable sort), in a spill file of their own.

    Items that already arrive in order (the bounded comparison's overlaps) are
    streamed through holding nothing but the last key; only items out of order
    cost a key each in memory while they are sorted.
    """
    source = items if isinstance(items, SpillFile) else _spilled(items, name)
    previous = None
    for number, item in enumerate(source):
        current = key(item)
        if number and current < previous:
            break
        previous = current
    else:
        return source
    keys = [key(item) for item in source]
    result: SpillFile[T] = SpillFile(SpillFolder(), name)
    for position in sorted(range(len(keys)), key=keys.__getitem__):
        result.append(source.read(position))
    result.close()
    return result


def _spilled(items: Iterable[T], name: str) -> SpillFile[T]:
    spill: SpillFile[T] = SpillFile(SpillFolder(), name)
    for item in items:
        spill.append(item)
    spill.close()
    return spill


class SpilledDocs(_ListLike[CleanDoc]):
    """The run's cleaned documents, sorted by id, read from disk when asked for.

    Behaves as the tuple of CleanDocs the pipeline used to return (len,
    iteration, indexing); only the ids and file positions stay in memory.
    """

    def __init__(self, store: SpillFile[CleanDoc], ids: Sequence[str]) -> None:
        self._store = store
        order = sorted(range(len(ids)), key=lambda position: ids[position])
        self._positions = order
        self.ids = [ids[position] for position in order]

    def __len__(self) -> int:
        return len(self._positions)

    def _item(self, index: int) -> CleanDoc:
        return self._store.read(self._positions[index])

    def __iter__(self) -> Iterator[CleanDoc]:
        if self._positions == sorted(self._positions):
            yield from self._store
            return
        for position in self._positions:
            yield self._store.read(position)

    def texts(self) -> Mapping[str, str]:
        """Cleaned text by id, each read when it is asked for."""
        return _LazyTexts(self)


class _LazyTexts(Mapping[str, str]):
    """Texts read on demand, the last few hundred kept: the reports quote one pair's two texts in a row."""

    KEPT = 256

    def __init__(self, docs: SpilledDocs) -> None:
        self._docs = docs
        self._index = {doc_id: i for i, doc_id in enumerate(docs.ids)}
        self._recent: OrderedDict[str, str] = OrderedDict()

    def __getitem__(self, doc_id: str) -> str:
        text = self._recent.get(doc_id)
        if text is None:
            text = self._docs[self._index[doc_id]].text
            self._recent[doc_id] = text
            if len(self._recent) > self.KEPT:
                self._recent.popitem(last=False)
        else:
            self._recent.move_to_end(doc_id)
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs.ids)

    def __len__(self) -> int:
        return len(self._index)


class BlockCounter:
    """In how many documents each block key occurs, as numpy arrays (8 bytes per block seen)."""

    def __init__(self) -> None:
        self._parts: list[np.ndarray] = []
        self.documents = 0
        self._keys = np.zeros(0, dtype=np.uint64)
        self._counts = np.zeros(0, dtype=np.int64)

    def add(self, block_keys: Iterable[str]) -> None:
        """Count one document's block keys (hex xxh64 digests; each counts once per document)."""
        self._parts.append(np.unique(np.array([int(key, 16) for key in block_keys], dtype=np.uint64)))
        self.documents += 1

    def finish(self) -> None:
        if self._parts:
            self._keys, self._counts = np.unique(np.concatenate(self._parts), return_counts=True)
        self._parts = []

    def view(self, block_keys: Sequence[str]) -> JSONDict:
        """What `audit.corpus.corpus_view` gives for these keys: the same dict, from the arrays."""
        keys = np.array([int(key, 16) for key in block_keys], dtype=np.uint64)
        index, found = find_sorted(self._keys, keys)
        counts = np.where(found, self._counts[index] if len(self._counts) else 0, 0)
        return {"documents": self.documents, "block_documents": [int(c) for c in counts.tolist()]}
