"""Atomic writes and output names that cannot escape their folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from audit.errors import AuditError, OutputNotWritable, UnsafePath
from audit.fsutil import SafeFolder, atomic_write_bytes, atomic_write_text


def test_writes_utf8_exactly_as_given(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic_write_text(target, "답글 남기기\nline two\r\nkept as given\n")
    assert target.read_bytes() == "답글 남기기\nline two\r\nkept as given\n".encode()


def test_replaces_existing_content_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new")
    atomic_write_bytes(target, b"newer")
    assert target.read_bytes() == b"newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_creates_missing_folders(tmp_path: Path) -> None:
    target = tmp_path / "cleaned" / "deep" / "x.txt"
    atomic_write_text(target, "x")
    assert target.read_text(encoding="utf-8") == "x"


def test_new_files_get_ordinary_permissions_and_existing_keep_theirs(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.txt"
    atomic_write_text(fresh, "x")
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's private 0o600
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    atomic_write_text(kept, "new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_unencodable_text_is_refused_and_the_old_file_kept(tmp_path: Path) -> None:
    target = tmp_path / "doc.txt"
    atomic_write_text(target, "old content")
    with pytest.raises(OutputNotWritable, match="UTF-8 cannot encode"):
        atomic_write_text(target, "half a pair \ud800")
    assert target.read_text(encoding="utf-8") == "old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.txt"]


def test_a_file_in_the_way_of_the_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "reports").write_text("I am a file", encoding="utf-8")
    with pytest.raises(OutputNotWritable) as caught:
        atomic_write_text(tmp_path / "reports" / "overlap.json", "{}")
    assert str(caught.value).startswith(f"cannot write {tmp_path / 'reports' / 'overlap.json'}: ")
    assert isinstance(caught.value, AuditError)


def test_a_folder_in_the_way_of_the_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.txt").mkdir()
    with pytest.raises(OutputNotWritable, match="a folder of that name is in the way"):
        atomic_write_text(tmp_path / "x.txt", "x")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(OutputNotWritable, match="permission denied"):
            atomic_write_text(locked / "x.txt", "x")
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("name", ["x.txt", "cleaned/x.txt", "Ünïcödé_名前.txt", "a..b.txt"])
def test_safe_folder_accepts_names_inside(tmp_path: Path, name: str) -> None:
    assert SafeFolder(tmp_path).child(name) == tmp_path.joinpath(*name.split("/"))


@pytest.mark.parametrize(
    "name",
    [
        "",
        "../x.txt",
        "cleaned/../../x.txt",
        "/etc/passwd",
        "..",
        ".",
        "a//b",
        "a\\..\\b",
        "nul\x00.txt",
        "C:x.txt",
    ],
)
def test_safe_folder_refuses_names_that_escape(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsafePath):
        SafeFolder(tmp_path).child(name)


def test_safe_folder_refuses_a_symlink_pointing_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "cleaned").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(UnsafePath, match="resolves outside"):
        SafeFolder(out).child("cleaned/x.txt")


def test_safe_folder_follows_links_that_stay_inside_and_refuses_a_file_link_out(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "real").mkdir(parents=True)
    (out / "inside").symlink_to(out / "real", target_is_directory=True)
    (tmp_path / "secret.txt").write_text("x", encoding="utf-8")
    (out / "x.txt").symlink_to(tmp_path / "secret.txt")
    folder = SafeFolder(out)
    assert folder.child("inside/a.txt") == out / "inside" / "a.txt"
    with pytest.raises(UnsafePath, match="resolves outside"):
        folder.child("x.txt")
