"""The undo history on disk: newest save per file, the limits, and entries that cannot be read."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from keploy_tui.store import undo_history
from keploy_tui.store.undo_history import UndoHistory


@pytest.fixture
def history(tmp_path: Path) -> UndoHistory:
    return UndoHistory(tmp_path / "data")


def test_latest_is_newest_save_per_file(history, tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    history.push(first, "a0", "a1", "save 1 of a")
    history.push(second, "b0", "b1", "save 1 of b")
    history.push(first, "a1", "a2", "save 2 of a")

    assert history.latest(first).summary == "save 2 of a"
    assert history.latest(second).summary == "save 1 of b"
    assert history.latest().summary == "save 2 of a"
    assert history.latest(tmp_path / "c.yaml") is None


def test_entries_survive_a_new_instance(history, tmp_path):
    path = tmp_path / "a.yaml"
    history.push(path, "before\n", "after\n", "one save")

    entry = UndoHistory(history.data_dir).latest(path)

    assert (entry.path, entry.before, entry.after) == (str(path), "before\n", "after\n")


def test_relative_path_finds_same_file(history, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    history.push(tmp_path / "a.yaml", "0", "1", "save")

    assert history.latest("a.yaml").summary == "save"


def test_remove_reveals_older_save(history, tmp_path):
    path = tmp_path / "a.yaml"
    history.push(path, "0", "1", "first")
    history.remove(history.push(path, "1", "2", "second"))

    assert history.latest(path).summary == "first"


def test_entry_files_are_private(history, tmp_path):
    entry = history.push(tmp_path / "a.yaml", "token: secret", "token: other", "save")

    assert stat.S_IMODE((history.folder / entry.name).stat().st_mode) == 0o600


def test_oldest_entries_pruned_past_count(history, tmp_path, monkeypatch):
    monkeypatch.setattr(undo_history, "MAX_ENTRIES", 3)
    path = tmp_path / "a.yaml"
    for number in range(5):
        history.push(path, str(number), str(number + 1), f"save {number}")

    assert len(list(history.folder.iterdir())) == 3
    summaries = []
    while (entry := history.latest(path)) is not None:
        summaries.append(entry.summary)
        history.remove(entry)
    assert summaries == ["save 4", "save 3", "save 2"]


def test_oldest_entries_pruned_past_bytes(history, tmp_path, monkeypatch):
    monkeypatch.setattr(undo_history, "MAX_BYTES", 3000)
    path = tmp_path / "a.yaml"
    history.push(path, "x" * 1000, "y", "old")
    history.push(path, "x" * 1000, "y", "middle")
    history.push(path, "x" * 1000, "y", "new")

    assert len(list(history.folder.iterdir())) == 2
    history.push(path, "x" * 5000, "y", "huge")
    assert [entry.name for entry in history.folder.iterdir()] == [history.latest(path).name]
    assert history.latest(path).summary == "huge"


def test_unreadable_entry_skipped(history, tmp_path):
    path = tmp_path / "a.yaml"
    history.push(path, "0", "1", "good")
    broken = history.push(path, "1", "2", "broken")
    (history.folder / broken.name).write_text("{not json", encoding="utf-8")

    assert history.latest(path).summary == "good"
