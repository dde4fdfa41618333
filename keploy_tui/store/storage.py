"""Atomic JSON files, a TinyDB storage built on them, and the data directory's lock.

Every file written here is replaced whole: the data goes to a temporary file in the same
directory, which is fsynced and then renamed over the target with os.replace.
A reader therefore sees either the old or the new version, never a half-written
one, so plain reads take no lock. Every read-modify-write holds the lock file
`<data-dir>/.lock` and reads the file again inside the lock.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from keploy_tui.store.paths import LOCK_FILE

logger = logging.getLogger(__name__)

FILE_MODE = 0o600
LOCK_TIMEOUT = 30.0
"""Seconds to wait for another process's write. A locked write of a 5,000-entry index
took about 0.1 s on a 2-core VM, so a wait this long means the holder is stuck,
for example a CLI suspended with Ctrl-Z."""


class StoreError(Exception):
    """A data-directory file could not be read, written or locked."""


class CorruptFileError(StoreError):
    """A store file is not valid JSON or not in the expected shape."""

    def __init__(self, path: Path, reason: str, hint: str = "") -> None:
        self.path = path
        message = f"{path} is corrupt ({reason})."
        if hint:
            message = f"{message} {hint}"
        super().__init__(message)


def write_json_atomic(path: Path, data: Any) -> None:
    """Replace `path` with `data` as JSON, mode 0600, so that a crash leaves the old or the new file."""
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def append_lines(path: Path, lines: list[str]) -> None:
    """Append `lines` to `path` (created 0600 if missing) and fsync before returning."""
    append_bytes(path, "".join(line + "\n" for line in lines).encode("utf-8", errors="backslashreplace"))


def append_bytes(path: Path, data: bytes, sync: bool = True) -> int:
    """Append `data` to `path` (created 0600 if missing); returns the offset it starts at."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    size = os.fstat(fd).st_size
    try:
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(f"short write to {path}: {written} of {len(data)} bytes")
        if sync:
            os.fsync(fd)
    except OSError:
        # A half-written line in the middle of the file would make every later line
        # unreadable, so the file goes back to its size before this append.
        with suppress(OSError):
            os.ftruncate(fd, size)
        raise
    finally:
        os.close(fd)
    return size


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text`, mode 0600, so that a crash leaves the old or the new file."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp already creates the file 0600 on POSIX, and the chmod keeps that true elsewhere.
        os.chmod(temp_name, FILE_MODE)
        # A JSON body may decode to a lone surrogate ("\ud800"), which UTF-8 cannot
        # encode; backslashreplace writes it back as the same JSON escape.
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    _fsync_directory(path.parent)


def fsync_if_exists(path: Path) -> None:
    """Flush a file written without fsync (a report's bodies) to disk; a missing file is fine."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename itself durable. Windows cannot open a directory for fsync.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_json(path: Path, hint: str = "") -> Any:
    """Parse `path` as JSON, or return None when it is missing or empty.

    Raises CorruptFileError when the file is not valid JSON or not UTF-8.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    if not raw.strip():
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        logger.error("Invalid JSON in %s: %s", path, error)
        raise CorruptFileError(path, f"invalid JSON: {error}", hint) from error


class AtomicJSONStorage(Storage):
    """TinyDB storage that reads its file fresh and writes it with write_json_atomic.

    Open one TinyDB per operation while holding the store lock. The parsed data is
    kept only for the life of this instance, so TinyDB's repeated reads within one
    locked operation parse the file once and never see a stale copy afterwards.
    """

    def __init__(self, path: str | Path, hint: str = "") -> None:
        super().__init__()
        self._path = Path(path)
        self._hint = hint
        self._data: dict[str, dict[str, Any]] | None = None
        self._loaded = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self._loaded:
            data = read_json(self._path, self._hint)
            if data is not None and not isinstance(data, dict):
                kind = type(data).__name__
                logger.error("Invalid store file %s: the top level is %s, not an object", self._path, kind)
                raise CorruptFileError(self._path, "the top level is not a JSON object", self._hint)
            self._data = data
            self._loaded = True
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_json_atomic(self._path, data)
        self._data = data
        self._loaded = True


class KeyedTable(Table):
    """A table whose document ids are strings chosen by the caller (a report id, a suite key).

    Documents go in through put_document and come out with `get(doc_id=key)`, so a
    look-up is a dict access rather than a scan. TinyDB cannot generate string ids,
    so inserting a plain mapping without a Document id gets a wrong id or fails.
    """

    document_id_class = str

    def update(self, fields: Any, cond: Any = None, doc_ids: Any = None) -> list[str]:
        """Update matching documents, like Table.update, by storing an edited copy of each.

        TinyDB edits documents in place, but JournalStorage shares them with its cache
        and finds what to write by comparing against that cache, so an edit in place
        would look unchanged and be lost.
        """
        selected = None if doc_ids is None else [self.document_id_class(key) for key in doc_ids]
        updated: list[str] = []

        def updater(table: dict[str, dict[str, Any]]) -> None:
            for key in (list(table) if selected is None else [key for key in selected if key in table]):
                if cond is not None and not cond(table[key]):
                    continue
                document = dict(table[key])
                if callable(fields):
                    fields(document)
                else:
                    document.update(fields)
                table[key] = document
                updated.append(key)

        self._update_table(updater)
        return updated


class KeyedTinyDB(TinyDB):
    table_class = KeyedTable


def put_document(table: Table, key: str, value: dict[str, Any]) -> Document | None:
    """Store `value` under `key`, replacing any earlier document whole, and return the earlier one.

    TinyDB's upsert merges fields into an existing document and writes the file twice
    when the key is new, so this does one read and at most one write instead. An
    unchanged value is not written at all, because rewriting a large index is the
    slowest step of a save.
    """
    previous = table.get(doc_id=key)
    if previous is None:
        table.insert(Document(value, doc_id=key))
        return None
    if previous == value:
        return previous

    def replace(document: dict[str, Any]) -> None:
        document.clear()
        document.update(value)

    table.update(replace, doc_ids=[key])
    return previous


@contextmanager
def open_db(path: Path, hint: str = "", storage: type[Storage] = AtomicJSONStorage) -> Iterator[KeyedTinyDB]:
    """Open `path` as a TinyDB for one operation. The caller holds the store lock around writes."""
    db = KeyedTinyDB(path, storage=storage, hint=hint)
    try:
        yield db
    finally:
        db.close()


class StoreLock:
    """The data directory's inter-process lock, `<data-dir>/.lock`, held with flock (msvcrt.locking on Windows).

    A thread may enter the same StoreLock again while it holds it. Other threads wait
    like other processes do, because each thread opens the file itself and the OS
    lock belongs to the open file. Written here rather than with the filelock package,
    whose import was 13 ms of every command's start-up.
    """

    def __init__(self, data_dir: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = data_dir / LOCK_FILE
        self.timeout = timeout
        self._thread_state = threading.local()

    def __enter__(self) -> StoreLock:
        state = self._thread_state
        if getattr(state, "depth", 0):
            state.depth += 1
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            self._wait_for(fd)
        except BaseException:
            os.close(fd)
            raise
        state.fd, state.depth = fd, 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        state = self._thread_state
        state.depth -= 1
        if state.depth == 0:
            try:
                _unlock(state.fd)
            finally:
                os.close(state.fd)

    def _wait_for(self, fd: int) -> None:
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                logger.error("Timed out waiting for the lock %s", self.path)
                raise StoreError(
                    f"Timed out after {self.timeout:g} s waiting for the lock {self.path}. "
                    "Another keploy-tui process holds it: let it finish, or end it if it is stuck."
                )
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


if os.name == "nt":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
