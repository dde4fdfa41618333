"""A TinyDB storage whose writes cost the changed documents only: a snapshot plus a journal.

TinyDB hands its storage the whole database on every write, and a plain JSON storage
rewrites the whole file, so saving one report into an index of 5,000 took ten times
as long as into one of 100. Here each write appends one line per changed document to
the journal (`keploy_tui.journal.jsonl`). The snapshot (`keploy_tui.json`, plain JSON
as before) is rewritten only once the journal has grown as long as the snapshot.

Every line contains a whole document or a deletion, so replaying lines that the snapshot
already contains changes nothing. That makes the two-file compaction crash-safe: the
new snapshot replaces the old one first, then an empty journal replaces the old journal.

Each process keeps the parsed state of each index it has opened and on the next read
only stats the two files and reads the journal lines appended since. Writers hold the
store lock and readers take none. A reader never reads past a journal's last newline,
so a line that another process is still appending is read next time.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from keploy_tui.store.storage import (
    CorruptFileError,
    append_lines,
    read_json,
    write_json_atomic,
    write_text_atomic,
)

logger = logging.getLogger(__name__)

Tables = dict[str, dict[str, dict[str, Any]]]

MIN_COMPACT_LINES = 1000
"""The journal is folded into the snapshot once it has this many lines and at least as
many as the snapshot has documents, which keeps the cost of compaction per write flat."""

_RELOAD_ATTEMPTS = 5


def journal_path(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.stem + ".journal.jsonl")


class JournalStorage(Storage):
    """TinyDB storage over a snapshot and its journal. Open one TinyDB per operation."""

    def __init__(self, path: str | Path, hint: str = "") -> None:
        super().__init__()
        self._state = _state_for(Path(path), hint)
        self._data: Tables | None = None

    def read(self) -> Tables | None:
        # TinyDB replaces whole tables in what read() returns, so each operation gets its
        # own dicts; documents are shared, which KeyedTable.update never edits in place.
        if self._data is None:
            self._data = self._state.snapshot_copy()
        return self._data

    def write(self, data: Tables) -> None:
        self._state.commit(data)
        self._data = data


_states: dict[Path, _JournalState] = {}
_states_lock = threading.Lock()


def _state_for(path: Path, hint: str) -> _JournalState:
    key = path.resolve()
    with _states_lock:
        state = _states.get(key)
        if state is None:
            state = _states[key] = _JournalState(key, hint)
        return state


def _file_key(path: Path) -> tuple[int, int, int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


class _JournalState:
    """One process's view of one index: the tables, and how far into which files it has read."""

    def __init__(self, path: Path, hint: str) -> None:
        self.path = path
        self.journal = journal_path(path)
        self.hint = hint
        self.lock = threading.Lock()
        self.tables: Tables = {}
        self.snapshot_key: tuple[int, int, int, int] | None = None
        self.journal_id: tuple[int, int] | None = None
        self.offset = 0
        self.lines = 0
        self.loaded = False

    def snapshot_copy(self) -> Tables:
        with self.lock:
            self._refresh()
            return {name: dict(table) for name, table in self.tables.items()}

    def commit(self, data: Tables) -> None:
        """Append what `data` changes to the journal. The caller holds the store lock."""
        with self.lock:
            self._refresh()
            changes = list(_changes(self.tables, data))
            if not changes:
                return
            _drop_torn_tail(self.journal, self.offset)
            append_lines(self.journal, [json.dumps(change, ensure_ascii=False, separators=(",", ":"))
                                        for change in changes])
            for change in changes:
                _apply(self.tables, change)
            self.lines += len(changes)
            # Read back the new size rather than summing encoded lengths, so offset and file agree.
            self._note_journal()
            documents = sum(len(table) for table in self.tables.values())
            if self.lines >= max(MIN_COMPACT_LINES, documents):
                self._compact()

    def _refresh(self) -> None:
        journal_stat = _stat(self.journal)
        journal_id = None if journal_stat is None else (journal_stat.st_dev, journal_stat.st_ino)
        size = 0 if journal_stat is None else journal_stat.st_size
        if (not self.loaded or _file_key(self.path) != self.snapshot_key
                or journal_id != self.journal_id or size < self.offset):
            self._reload()
        elif size > self.offset and not self._read_tail():
            self._reload()

    def _reload(self) -> None:
        for _ in range(_RELOAD_ATTEMPTS):
            before = _file_key(self.path)
            tables = _as_tables(read_json(self.path, self.hint), self.path, self.hint)
            self.tables, self.journal_id, self.offset, self.lines = tables, None, 0, 0
            self._read_tail()
            # A compaction between the two reads pairs an old snapshot with a new journal.
            if _file_key(self.path) == before:
                self.snapshot_key, self.loaded = before, True
                return
        raise CorruptFileError(self.path, "it kept changing while being read", self.hint)

    def _read_tail(self) -> bool:
        """Apply the complete lines past `offset`; False when the journal was replaced meanwhile."""
        try:
            with self.journal.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                journal_id = (stat.st_dev, stat.st_ino)
                if self.journal_id not in (None, journal_id):
                    return False
                handle.seek(self.offset)
                raw = handle.read()
        except FileNotFoundError:
            self.journal_id, self.offset, self.lines = None, 0, 0
            return True
        self.journal_id = journal_id
        # A line without its newline is still being written or was torn by a crash.
        complete = raw[: raw.rfind(b"\n") + 1]
        for number, line in enumerate(complete.splitlines(), start=self.lines + 1):
            _apply(self.tables, self._parse(line, number))
        self.lines += complete.count(b"\n")
        self.offset += len(complete)
        return True

    def _parse(self, line: bytes, number: int) -> dict[str, Any]:
        try:
            change = json.loads(line)
            if not (isinstance(change, dict) and isinstance(change.get("table"), str)
                    and isinstance(change.get("id"), str)
                    and (isinstance(change.get("doc"), dict) or change.get("deleted") is True)):
                raise ValueError("expected an object with table, id and doc or deleted")
        except (UnicodeDecodeError, ValueError) as error:
            logger.error("Invalid index journal line %s:%d: %s", self.journal, number, error)
            raise CorruptFileError(
                self.journal, f"line {number} is not a valid entry: {error}",
                f"Move it aside to lose the changes since {self.path.name} was last written.",
            ) from error
        return change

    def _note_journal(self) -> None:
        stat = _stat(self.journal)
        if stat is not None:
            self.journal_id, self.offset = (stat.st_dev, stat.st_ino), stat.st_size

    def _compact(self) -> None:
        write_json_atomic(self.path, self.tables)
        write_text_atomic(self.journal, "")
        self.snapshot_key = _file_key(self.path)
        self.journal_id, self.offset, self.lines = None, 0, 0
        self._note_journal()
        logger.info("Folded the index journal into %s", self.path)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _as_tables(data: Any, path: Path, hint: str) -> Tables:
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(table, dict) for table in data.values()):
        logger.error("Invalid store file %s: expected an object of tables", path)
        raise CorruptFileError(path, "the top level is not a JSON object of tables", hint)
    return data


def _changes(old: Tables, new: Tables):
    for name in old.keys() | new.keys():
        before, after = old.get(name, {}), new.get(name, {})
        for key, doc in after.items():
            if before.get(key) != doc:
                yield {"table": name, "id": str(key), "doc": dict(doc)}
        for key in before.keys() - after.keys():
            yield {"table": name, "id": str(key), "deleted": True}


def _apply(tables: Tables, change: dict[str, Any]) -> None:
    table = tables.setdefault(change["table"], {})
    if change.get("deleted"):
        table.pop(change["id"], None)
    else:
        table[change["id"]] = change["doc"]


def _drop_torn_tail(journal: Path, complete_size: int) -> None:
    """Cut off a line torn by a crash, so the next line is not glued to it."""
    stat = _stat(journal)
    if stat is not None and stat.st_size > complete_size:
        logger.warning("Dropping the torn last line of %s, left by a process that died mid-write", journal)
        os.truncate(journal, complete_size)


def read_index(path: Path) -> Tables:
    """Read a snapshot and its journal afresh, bypassing this process's cached state."""
    return _JournalState(Path(path), "").snapshot_copy()
