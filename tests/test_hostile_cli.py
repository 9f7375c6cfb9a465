"""`audit run` on a folder of hostile and broken inputs, and on output folders that cannot be written.

tests/test_hostile_inputs.py checks the input side function by function; here
the same kinds of trouble go through the real command: every bad input ends as
a problem with a clear message in reports/overlap.json (or as a document with a
warning), the run goes on, the originals are untouched, every output lands
inside the output folder under a safe name, and an output folder that cannot
be written stops the run with one sentence and exit code 1, leaving what was
there before as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from audit.engines.local import LocalEngine
from audit.errors import PROBLEM_KINDS
from audit.ids import is_safe_id
from audit.incremental import run_indexed

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
PARAGRAPH = "Die künstliche Intelligenz entwickelt sich schnell. Größere Firmen investieren viel Geld in neue Modelle.\n"
# One sample per encoding, each long enough for detection; the decoded text must contain it verbatim.
ENCODED = {
    "cp1252": "Café au lait, naïve façade — “quoted” text about the économie of cafés in Paris and Lyon.",
    "latin-1": "Señor Muñoz visitó la ciudad de Cádiz y comió paella con su familia en el año pasado.",
    "cp1251": "Искусственный интеллект быстро развивается, и крупные компании вкладывают в него большие деньги.",
    "koi8-r": "Искусственный интеллект быстро развивается, и крупные компании вкладывают в него большие деньги.",
    "gb18030": "人工智能正在迅速发展，许多大公司都在这个领域投入了大量资金，以期在未来的竞争中占据优势。",
    "big5": "人工智慧正在迅速發展，許多大公司都在這個領域投入了大量資金，以期在未來的競爭中佔據優勢。",
    "shift_jis": "人工知能は急速に発展しており、多くの大企業がこの分野に多額の資金を投資しています。",
    "euc-jp": "人工知能は急速に発展しており、多くの大企業がこの分野に多額の資金を投資しています。",
    "euc-kr": "인공지능은 빠르게 발전하고 있으며 많은 대기업들이 이 분야에 막대한 자금을 투자하고 있습니다.",
    "utf-16": "UTF-16 with a byte order mark: Ünïcödé text, 人工智能 and an emoji 🙂 all survive.",
    "utf-16-le": "UTF-16 little endian without a mark: plain English words that are long enough to detect.",
    "utf-8-sig": "UTF-8 with a byte order mark that must not end up in the cleaned text at all.",
}
# input path -> problem kind it must produce (the run goes on past each)
EXPECTED_PROBLEMS = {
    "empty.txt": "empty",
    "whitespace.txt": "empty",
    "photo.txt": "binary",
    "undecodable.txt": "undecodable",
    "enormous.txt": "too-large",
    "markup-only.html": "html-no-text",
    "records.jsonl#2": "bad-jsonl",
    "records.jsonl#3": "bad-jsonl",
    "records.jsonl#4": "bad-jsonl",
    "records.jsonl#5": "too-large",
    "records.jsonl#9": "duplicate-id",
    "a_b.txt": "duplicate-id",
    "dup.md": "duplicate-id",
    "report.pdf": "unsupported",
    "pipe.txt": "unsupported",
    "sub/loop": "symlink-loop",
    "outside.txt": "symlink-escape",
    "dangling.txt": "broken-symlink",
}
# id -> where it came from: documents that must come through, hostile names and ids included
EXPECTED_DOCUMENTS = {
    "nul-inside": "nul-inside.txt",
    "long-line": "long-line.txt",
    "malformed": "malformed.html",
    "good-record": "records.jsonl#1",
    "good-record-2": "records.jsonl#9",
    "escape": "records.jsonl#6",
    "etc_passwd": "records.jsonl#7",
    "CON_": "records.jsonl#8",
    "a_b": "a b.txt",
    "a_b-2": "a_b.txt",
    "Dup": "Dup.txt",
    "dup-2": "dup.md",
    "x.y": "x..y.txt",
    "Ünïcödé_名前": "Ünïcödé 名前.txt",
    "sub__deeper__nested": "sub/deeper/nested.txt",
} | {f"enc-{encoding}": f"enc-{encoding}.txt" for encoding in ENCODED}


def audit(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "audit", *args], capture_output=True, text=True, cwd=REPO, env=env
    )


def build_corpus(root: Path) -> None:
    def write(name: str, data: bytes) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    write("empty.txt", b"")
    write("whitespace.txt", b"  \n\t\n   \r\n")
    write("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    write("nul-inside.txt", (PARAGRAPH * 3).encode().replace(b"Firmen", b"Fir\x00men"))
    write("undecodable.txt", bytes(range(128, 256)) * 40)
    for encoding, text in ENCODED.items():
        write(f"enc-{encoding}.txt", ((text + "\n") * 4).encode(encoding))
    write("enormous.txt", (PARAGRAPH * 25000).encode())  # 2.6 MiB, over --max-file-mb 1
    write("long-line.txt", (PARAGRAPH.strip() + " ").encode() * 2500)  # one 270 KB line, under the limit
    write(
        "malformed.html", b"<html><body><p>Unclosed <b>bold <div>text that matters here <table><tr><td>cell"
    )
    write(
        "markup-only.html",
        b"<html><head><script>var x = 1;</script><style>p{}</style></head><body></body></html>",
    )
    lines = [
        {"id": "good-record", "text": PARAGRAPH * 2},
        "{not json",
        {"id": "no-text"},
        "a string",
        {"id": "huge", "text": "x" * 1_200_000},
        {"id": "../../escape", "text": PARAGRAPH},
        {"id": "/etc/passwd", "text": PARAGRAPH + "x"},
        {"id": "CON", "text": PARAGRAPH + "y"},
        {"id": "good-record", "text": PARAGRAPH + "again"},
    ]
    write(
        "records.jsonl",
        "\n".join(line if line == "{not json" else json.dumps(line) for line in lines).encode() + b"\n",
    )
    for name, tail in (
        ("a b.txt", "space"),
        ("a_b.txt", "underscore"),
        ("Dup.txt", "upper"),
        ("dup.md", "lower"),
    ):
        write(name, (PARAGRAPH + tail).encode())
    write("x..y.txt", (PARAGRAPH + "dots").encode())
    write("Ünïcödé 名前.txt", (PARAGRAPH + "unicode name").encode())
    write("sub/deeper/nested.txt", (PARAGRAPH + "nested").encode())
    write("report.pdf", b"%PDF-1.4 not read")
    (root / "sub" / "loop").symlink_to("..")
    (root / "outside.txt").symlink_to("/etc/hostname")
    (root / "dangling.txt").symlink_to("missing-target.txt")
    os.mkfifo(root / "pipe.txt")


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Mode and content hash of everything under root, links and pipes included, without following links."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        elif stat.S_ISLNK(info.st_mode):
            digest = str(path.readlink())
        else:
            digest = ""
        found[path.relative_to(root).as_posix()] = (info.st_mode, digest + f"@{info.st_mtime_ns}")
    return found


@pytest.fixture(scope="module")
def hostile_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, subprocess.CompletedProcess[str], dict]:
    base = tmp_path_factory.mktemp("hostile")
    corpus, out = base / "in", base / "out"
    build_corpus(corpus)
    before = snapshot(corpus)
    result = audit("run", str(corpus), "--out", str(out), "--max-file-mb", "1", "-j", "2")
    return corpus, out, result, before


def test_the_run_finishes_with_exit_code_3_and_no_traceback(hostile_run):
    _, _, result, _ = hostile_run
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr


def test_every_hostile_input_is_a_problem_with_a_clear_message(hostile_run):
    _, out, _, _ = hostile_run
    report = json.loads((out / "reports" / "overlap.json").read_text(encoding="utf-8"))
    problems = {problem["source"]: problem for problem in report["problems"]}
    assert {
        source: problems[source]["kind"] for source in EXPECTED_PROBLEMS if source in problems
    } == EXPECTED_PROBLEMS
    for problem in report["problems"]:
        assert problem["kind"] in PROBLEM_KINDS
        message = problem["message"]
        assert "\n" not in message and len(message) < 400
        named = problem["source"].replace("#", ", line ") if "#" in problem["source"] else problem["source"]
        assert message.startswith(named + ":"), message
    assert "--max-file-mb" in problems["enormous.txt"]["message"]


def test_documents_with_hostile_names_and_encodings_come_through(hostile_run):
    _, out, _, _ = hostile_run
    report = json.loads((out / "reports" / "overlap.json").read_text(encoding="utf-8"))
    sources = {doc["id"]: doc["source"] for doc in report["documents"]}
    assert {doc_id: sources.get(doc_id) for doc_id in EXPECTED_DOCUMENTS} == EXPECTED_DOCUMENTS
    for encoding, text in ENCODED.items():
        cleaned = (out / "cleaned" / f"enc-{encoding}.txt").read_text(encoding="utf-8")
        assert text in cleaned, encoding
        assert "\ufeff" not in cleaned and "\ufffd" not in cleaned
    documents = {doc["id"]: doc for doc in report["documents"]}
    assert [w["kind"] for w in documents["nul-inside"]["warnings"]] == ["decoding"]
    assert "Firmen" in (out / "cleaned" / "nul-inside.txt").read_text(encoding="utf-8")
    assert documents["long-line"]["characters"]["normalized"] > 250_000


def test_originals_are_never_modified(hostile_run):
    corpus, _, _, before = hostile_run
    assert snapshot(corpus) == before
    assert stat.S_ISFIFO((corpus / "pipe.txt").lstat().st_mode)


def test_every_output_stays_inside_the_output_folder_under_a_safe_name(hostile_run):
    corpus, out, _, _ = hostile_run
    real_out = out.resolve()
    for path in out.rglob("*"):
        assert real_out in path.resolve().parents
        assert not path.is_symlink()
    names = sorted(path.stem for path in (out / "cleaned").glob("*.txt"))
    assert all(is_safe_id(name) for name in names), names
    assert not (out.parent / "escape.txt").exists() and not (corpus.parent / "escape.txt").exists()
    assert not list(out.glob(".audit-staging*")), "no staging left behind"


def test_a_second_run_over_the_hostile_folder_changes_nothing(hostile_run):
    corpus, out, _, before = hostile_run
    reports = (out / "reports" / "overlap.json").read_bytes()
    again = audit("run", str(corpus), "--out", str(out), "--max-file-mb", "1", "-j", "1")
    assert again.returncode == 3
    assert "0 new, 0 changed" in again.stderr
    assert (out / "reports" / "overlap.json").read_bytes() == reports
    assert snapshot(corpus) == before


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder after a finished run over the seeds (copied by each test)."""
    out = tmp_path_factory.mktemp("seeded") / "out"
    run_indexed(SEEDS, out, engine=LocalEngine(1))
    return out


def _state(out: Path) -> dict[str, bytes]:
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("blocker", "kind"),
    [
        ("cleaned", "file"),  # a file where the cleaned/ folder goes
        ("reports/overlap.json", "folder"),  # a folder where a report goes
        ("index", "file"),  # a file where the index folder goes
        ("index/audit.sqlite", "folder"),  # a folder where the index file goes
    ],
)
def test_an_output_that_cannot_be_written_is_fatal_and_changes_nothing(
    tmp_path: Path, seeded: Path, blocker: str, kind: str
):
    out = tmp_path / "out"
    shutil.copytree(seeded, out)
    target = out / blocker
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    if kind == "file":
        target.write_text("in the way", encoding="utf-8")
    else:
        target.mkdir()
    before = _state(out)
    result = audit("run", str(SEEDS), "--out", str(out), "-j", "1")
    assert result.returncode == 1, result.stderr
    assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert _state(out) == before
    assert not (out / ".audit-staging").exists()


@pytest.mark.parametrize("where", ["file", "under-a-file", "too-long"])
def test_an_output_folder_that_cannot_be_made_is_fatal(tmp_path: Path, where: str):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = {"file": blocker, "under-a-file": blocker / "out", "too-long": tmp_path / ("x" * 300)}[where]
    for extra in ([], ["--no-index"]):
        result = audit("run", str(SEEDS), "--out", str(out), "-j", "1", *extra)
        assert result.returncode == 1, result.stderr
        assert "error:" in result.stderr and "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "x"


def test_an_output_folder_on_a_read_only_file_system_is_fatal(tmp_path: Path):
    read_only = Path("/sys/audit-test-output")
    try:
        read_only.mkdir()
    except OSError:
        pass
    else:
        read_only.rmdir()
        pytest.skip("/sys is writable here")
    result = audit("run", str(SEEDS), "--out", str(read_only), "-j", "1")
    assert result.returncode == 1
    assert "error:" in result.stderr and "Traceback" not in result.stderr
