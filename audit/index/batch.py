"""Apply one batch to the index: what is new or changed is processed, the rest is read back.

A batch is the inputs of one `audit run` (or the documents one `audit forget`
removes). Each input is matched with the stored document of the same id:
same content and source means unchanged (not decoded or cleaned again); new
or different content is processed and replaces the old version; a document
read earlier from the same input folder and absent now is removed, so a
folder run again is mirrored, while documents from other folders stay.

The results must equal a one-shot run over everything the index then holds.
Two things besides the comparison (audit/index/bands.py) reach across
documents, and both are honoured:

- site-template statistics: a batch changes in how many documents some
  blocks occur, so stored documents holding those blocks are cleaned again
  (pass 2 only, from their stored normalized text and blocks);
- the code and the settings: stored results are only valid for the audit
  that produced them. The index records a generation key (a hash of the
  package's code and of every setting that shapes stored results); when it
  differs, every stored document is processed again (from its input when
  this run reads it, else from its stored normalized text) and the
  comparison tables are rebuilt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace

from audit.compare import Comparison, repeats_of
from audit.corpus import corpus_view
from audit.engines import Engine
from audit.fingerprint import Fingerprint, fingerprint_text
from audit.ids import IdRegistry, renamed_problem
from audit.index.assemble import IndexedDoc, assemble_from_index
from audit.index.bands import BandTables
from audit.index.identity import GENERATION, content_key, document_source, generation_key, text_key
from audit.index.pairs import find_support, update_pairs
from audit.index.serial import StoredDoc
from audit.index.store import CorpusIndex, DocRow
from audit.prepare import prepare_view
from audit.process import Prepared, Processed, finish_document, prepare_source
from audit.rules.base import DocView
from audit.segment import block_key
from audit.settings import Settings
from audit.types import CleanDoc, JSONDict, Problem, Repeat, Source

Progress = Callable[[str, int, "int | None"], None]


@dataclass
class BatchCounts:
    """What a batch did, for the run summary and the index's run log."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    refinished: int = 0
    problems: int = 0
    rebuilt: bool = False
    # texts whose "too common" guards this batch flipped (window masks, skipped buckets)
    remasked: int = 0
    crossing_buckets: int = 0

    def to_json(self) -> dict[str, int]:
        return {key: int(value) for key, value in asdict(self).items()}


@dataclass
class Batch:
    """One batch's result: every stored document afterwards, and the comparison of all of them."""

    docs: list[CleanDoc]
    removed_repeats: list[JSONDict]
    comparison: Comparison
    counts: BatchCounts
    problems: list[Problem] = field(default_factory=list)  # this batch's own (what the exit code reflects)


def compare_facts(item: tuple[str, str], settings: Settings) -> tuple[Fingerprint, list[Repeat]]:
    """Fingerprint of one cleaned text and its repeats: the per-document part of the comparison."""
    doc_id, text = item
    fingerprint = fingerprint_text(text, settings)
    return fingerprint, repeats_of(doc_id, fingerprint, settings)


class BatchRunner:
    """Applies one batch inside the index's open transaction."""

    def __init__(
        self, index: CorpusIndex, settings: Settings, engine: Engine, progress: Progress, run: int
    ) -> None:
        self.index = index
        self.settings = settings
        self.engine = engine
        self.progress = progress
        self.run = run
        self.counts = BatchCounts()
        self.rows = index.rows()
        self.generation = generation_key(settings)
        stored = index.meta(GENERATION)
        self.counts.rebuilt = stored is not None and stored != self.generation and bool(self.rows)
        self.stored: dict[str, StoredDoc] = {}  # bodies loaded this batch, by id
        self.texts: dict[str, str] = {}  # cleaned text by text key, for texts this batch touches
        self.prepared: dict[str, Prepared] = {}  # pass 1 of everything cleaned this batch
        self.refinished: set[str] = set()  # stored documents cleaned again (block statistics changed)
        self.failed: set[str] = set()  # documents pass 2 turned into problems
        self.facts: dict[str, tuple[str, int, tuple[Repeat, ...]]] = {}  # id -> (text key, shingles, repeats)
        self.new_stored: dict[str, StoredDoc] = {}
        self.tables = BandTables(index.connection, settings, self._load_text)

    # --- the batch ---------------------------------------------------------------------------

    def apply(
        self,
        items: Iterable[Source | Problem],
        root: str | None,
        forget: Sequence[str] = (),
        kill: Callable[[str], None] = lambda name: None,
    ) -> Batch:
        """Process a walk's items (from input folder `root`) and/or forget ids; return every document."""
        problems: list[Problem] = []
        todo: list[tuple[Source, str]] = []
        seen: set[str] = set()
        moved: list[int] = []
        ids = IdRegistry()
        for doc_id in sorted(self.rows):
            ids.claim(doc_id)
        renamed = {(row.root, row.source): doc_id for doc_id, row in self.rows.items()}
        for item in items:
            if isinstance(item, Problem):
                problems.append(item)
                continue
            if item.id not in self.rows:
                item = self._unique_id(item, ids, problems, renamed.get((root, document_source(item))))
            seen.add(item.id)
            key, row = content_key(item), self.rows.get(item.id)
            if row and not self.counts.rebuilt and row.content == key and row.source == document_source(item):
                self.counts.unchanged += 1
                if row.root != root:
                    moved.append(row.did)
                continue
            todo.append((item, key))
            self.progress("read", len(seen), None)
        kill("read")
        gone = {doc_id for doc_id, row in self.rows.items() if root is not None and row.root == root}
        gone = (gone - seen) | set(forget)
        replaced = {source.id for source, _ in todo if source.id in self.rows}
        restored = sorted(set(self.rows) - seen - gone) if self.counts.rebuilt else []
        self._load_bodies(gone | replaced | set(restored))
        if self.counts.rebuilt:
            self.index.clear_comparison()

        prepared, origin = self._pass_one(todo, root, problems)
        for doc_id in restored:
            stored = self.stored[doc_id]
            prepared.append(_prepared_from_text(stored, self.settings))
            row = self.rows[doc_id]
            origin[doc_id] = (row.root, row.content)

        old_docs = [] if self.counts.rebuilt else sorted(gone | replaced)
        refinish = self._update_blocks(old_docs, prepared)
        kill("index-write")
        processed = self._pass_two(prepared, refinish, problems)
        self._compare_tables(old_docs, processed)
        self._write_documents(gone | replaced, processed, origin, moved, root)
        if root is not None:
            self.index.replace_problems(root, problems)
        self.index.drop_problems(self.stored[doc_id].doc.document.source for doc_id in forget)
        self.index.set_meta(GENERATION, self.generation)
        self.counts.removed = len(gone - {source.id for source, _ in todo})
        self.counts.problems = len(problems)
        return self._assemble(problems)

    @staticmethod
    def _unique_id(source: Source, ids: IdRegistry, problems: list[Problem], before: str | None) -> Source:
        """A new input whose id differs only in case from an indexed one is renamed, as within a run.

        Otherwise `Dup` from one folder and `dup` from another would write
        cleaned/Dup.txt and cleaned/dup.txt, one file on macOS and Windows. An
        input renamed so in an earlier run of its folder (`before`) keeps that name.
        """
        if before is not None and before.casefold().startswith(source.id.casefold() + "-"):
            given = before
        else:
            given, renamed = ids.claim(source.id)
            if not renamed:
                return source
        where = source.path if source.record is None else f"{source.path}, line {source.record}"
        problems.append(renamed_problem(document_source(source), where, source.id, given))
        return replace(source, id=given)

    def _load_bodies(self, ids: Iterable[str]) -> None:
        wanted = {self.rows[doc_id].did: doc_id for doc_id in ids if doc_id in self.rows}
        for did, stored in self.index.load(wanted).items():
            self.stored[wanted[did]] = stored
            self.texts[self.rows[wanted[did]].text_key] = stored.doc.text

    def _pass_one(
        self, todo: Sequence[tuple[Source, str]], root: str | None, problems: list[Problem]
    ) -> tuple[list[Prepared], dict[str, tuple[str, str]]]:
        prepared: list[Prepared] = []
        origin: dict[str, tuple[str, str]] = {}
        keys = {source.id: key for source, key in todo}
        sources = (source for source, _ in todo)
        for done, result in enumerate(self.engine.map_ordered(prepare_source, sources, self.settings), 1):
            if isinstance(result, Problem):
                problems.append(result)
            else:
                prepared.append(result)
                origin[result.document.id] = (root or "", keys[result.document.id])
            self.progress("read", done, len(todo))
        return prepared, origin

    def _update_blocks(self, old_docs: Sequence[str], prepared: Sequence[Prepared]) -> list[str]:
        """Write block rows; return the stored documents whose block statistics the batch changed."""
        net: Counter[str] = Counter()
        for doc_id in old_docs:
            keys = set(self.stored[doc_id].block_keys)
            self.index.remove_blocks(doc_id, keys)
            net.subtract(keys)
        for item in prepared:
            keys = set(item.block_keys)
            self.index.add_blocks(item.document.id, keys)
            net.update(keys)
        changed = {key for key, value in net.items() if value}
        fresh = {item.document.id for item in prepared}
        refinish = sorted(self.index.documents_with_blocks(changed) - fresh - set(old_docs))
        self._load_bodies(doc_id for doc_id in refinish if doc_id not in self.stored)
        return refinish

    def _pass_two(
        self, prepared: list[Prepared], refinish: Sequence[str], problems: list[Problem]
    ) -> dict[str, Processed]:
        """Clean the new documents, and clean again the stored ones whose block statistics changed."""
        again = [_prepared_again(self.stored[doc_id]) for doc_id in refinish]
        everything = prepared + again
        self.prepared = {item.document.id: item for item in everything}
        counts = Counter(self.index.block_counts(key for item in everything for key in item.block_keys))
        total = len(set(self.rows) - {item.document.id for item in prepared}) + len(prepared)
        work = ((item, corpus_view(item.block_keys, counts, total)) for item in everything)
        processed: dict[str, Processed] = {}
        for done, result in enumerate(self.engine.map_ordered(finish_document, work, self.settings), 1):
            if isinstance(result, Problem):
                problems.append(result)
            else:
                processed[result.doc.document.id] = result
            self.progress("clean", done, len(everything))
        fresh = {item.document.id for item in prepared}
        self.refinished = {doc_id for doc_id in refinish if doc_id in processed}
        self.failed = {item.document.id for item in everything} - set(processed)
        self.counts.refinished = len(self.refinished)
        self.counts.added = len([doc_id for doc_id in fresh - self.failed if doc_id not in self.rows])
        self.counts.changed = len([doc_id for doc_id in fresh - self.failed if doc_id in self.rows])
        for doc_id in sorted(self.failed):  # block rows follow the stored documents
            self.index.remove_blocks(doc_id, self.prepared[doc_id].block_keys)
        return processed

    def _compare_tables(self, old_docs: Sequence[str], processed: dict[str, Processed]) -> None:
        """Fingerprint the cleaned texts that changed and bring the comparison tables up to date."""
        minimum = self.settings.min_shingles
        fresh: list[tuple[str, str]] = []
        for doc_id, result in sorted(processed.items()):
            key = text_key(result.doc.text)
            self.texts[key] = result.doc.text
            if doc_id in self.refinished and self.rows[doc_id].text_key == key:
                self.facts[doc_id] = (key, self.rows[doc_id].shingles, self.stored[doc_id].repeats)
            else:
                fresh.append((doc_id, result.doc.text))
        prints: dict[str, Fingerprint] = {}
        jobs = self.engine.map_ordered(compare_facts, fresh, self.settings)
        for (doc_id, text), (fingerprint, repeats) in zip(fresh, jobs, strict=True):
            prints[doc_id] = fingerprint
            self.facts[doc_id] = (text_key(text), fingerprint.shingle_count, tuple(repeats))
        if self.counts.rebuilt:
            leaving: set[str] = set()
        else:
            leaving = set(old_docs) | (self.failed & set(self.rows)) | (self.refinished & set(prints))
        removed = sorted(self.rows[d].text_key for d in leaving if self.rows[d].shingles >= minimum)
        added = sorted(
            ((self.facts[d][0], fp) for d, fp in prints.items() if fp.shingle_count >= minimum),
            key=lambda pair: pair[0],
        )
        applied = self.tables.apply(removed, added)
        self.counts.remasked = applied.remasked
        self.counts.crossing_buckets = applied.crossing_buckets
        windows, lsh = find_support(self.tables, applied)
        update_pairs(self.tables, applied, windows, lsh)

    def _load_text(self, tid: int) -> str:
        """The cleaned text of a stored text id (from this batch, else from a document holding it)."""
        connection = self.index.connection
        key = connection.execute("SELECT key FROM texts WHERE tid = ?", (tid,)).fetchone()[0]
        if key not in self.texts:
            did = connection.execute(
                "SELECT did FROM documents WHERE text_key = ? LIMIT 1", (key,)
            ).fetchone()[0]
            self.texts[key] = self.index.load([did])[did].doc.text
        return str(self.texts[key])

    def _write_documents(
        self,
        gone: set[str],
        processed: dict[str, Processed],
        origin: dict[str, tuple[str, str]],
        moved: Sequence[int],
        root: str | None,
    ) -> None:
        """Document rows follow the batch: removed ones go, processed ones are written."""
        leaving = (gone | self.failed) - set(processed)
        self.index.delete(self.rows[doc_id].did for doc_id in leaving if doc_id in self.rows)
        for doc_id, result in sorted(processed.items()):
            prepared = self.prepared[doc_id]
            key, shingles, repeats = self.facts[doc_id]
            stored = StoredDoc(
                result.doc,
                prepared.source_format,
                prepared.notes,
                prepared.block_keys,
                result.removed_repeats,
                repeats,
            )
            row_root, content = origin.get(doc_id) or (self.rows[doc_id].root, self.rows[doc_id].content)
            row = DocRow(0, doc_id, result.doc.document.source, row_root, content, key, shingles, self.run)
            self.index.put(row, stored, self.run)
            self.new_stored[doc_id] = stored
        if root is not None:
            self.index.set_root(moved, root)

    def _assemble(self, problems: list[Problem]) -> Batch:
        rows = self.index.rows()
        bodies = dict(self.new_stored)
        missing = {row.did: doc_id for doc_id, row in rows.items() if doc_id not in bodies}
        for did, stored in self.index.load(missing).items():
            bodies[missing[did]] = stored
        tids = self.index.text_ids()
        minimum = self.settings.min_shingles
        indexed = [
            IndexedDoc(
                bodies[doc_id].doc,
                row.shingles,
                tids.get(row.text_key) if row.shingles >= minimum else None,
                bodies[doc_id].repeats,
            )
            for doc_id, row in sorted(rows.items())
        ]
        comparison = assemble_from_index(self.tables, indexed, self.settings)
        removed_repeats = [repeat for doc_id in sorted(rows) for repeat in bodies[doc_id].removed_repeats]
        return Batch([item.doc for item in indexed], removed_repeats, comparison, self.counts, problems)


def _prepared_from_text(stored: StoredDoc, settings: Settings) -> Prepared:
    """Pass 1 again from the stored normalized text (when the settings or the code changed)."""
    document = stored.doc.document
    view = prepare_view(document.text, settings)
    keys = tuple(block_key(block.text) for block in view.blocks)
    return Prepared(stored.source_format, document, view, keys, stored.notes)


def _prepared_again(stored: StoredDoc) -> Prepared:
    """Pass 1 as it was: the stored normalized text, blocks and language (for cleaning again)."""
    doc = stored.doc
    view = DocView(text=doc.document.text, blocks=doc.blocks, language=doc.language)
    return Prepared(stored.source_format, doc.document, view, stored.block_keys, stored.notes)
