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

import pickle
import shutil
import tempfile
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar, overload

import numpy as np

from audit.lookup import find_sorted
from audit.types import CleanDoc, JSONDict

T = TypeVar("T")

# Writes are buffered: a 4 KB document pickles to ~10-30 KB, so 1 MiB of buffer
# amortises system calls without holding much.
BUFFER_BYTES = 1 << 20


class SpillFolder:
    """A private temporary folder, removed when the last object using it is gone."""

    def __init__(self, parent: Path | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="audit-spill-", dir=parent))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.path, True)

    def remove(self) -> None:
        self._cleanup()


class SpillFile(Generic[T]):
    """An append-only file of pickled objects: read back in order, or one by position."""

    def __init__(self, folder: SpillFolder, name: str) -> None:
        self.folder = folder  # keeps the folder alive as long as this file
        self.path = folder.path / name
        self._writer = self.path.open("wb", buffering=BUFFER_BYTES)
        self._reader: BinaryIO | None = None
        self.offsets: list[int] = []

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
            for _ in self.offsets:
                yield pickle.load(reader)

    def read(self, position: int) -> T:
        """The item at `position`, through one reader kept open (reports read thousands, scattered)."""
        self.close()
        if self._reader is None:
            self._reader = self.path.open("rb")
            weakref.finalize(self, self._reader.close)
        self._reader.seek(self.offsets[position])
        item: T = pickle.load(self._reader)
        return item


class SpilledDocs(Sequence[CleanDoc]):
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

    @overload
    def __getitem__(self, index: int) -> CleanDoc: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[CleanDoc]: ...
    def __getitem__(self, index: int | slice) -> CleanDoc | Sequence[CleanDoc]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
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
