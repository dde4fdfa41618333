"""The saves of suite files that `u` can undo, kept in `<data-dir>/undo/` across restarts.

Each save is one JSON file holding the suite file's path and its full text before and
after the save. The name is `<sequence>-<path digest>.json`, so the newest save of one
suite file is found from the folder listing without reading every entry. The folder
keeps the newest MAX_ENTRIES saves and at most MAX_BYTES of them; older ones are deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from keploy_tui.store.storage import StoreLock, write_text_atomic

log = logging.getLogger(__name__)

UNDO_DIR = "undo"
"""Folder of the data directory that contains the saves that can be undone."""
MAX_ENTRIES = 50
MAX_BYTES = 16 * 1024 * 1024
"""Total size of the kept entries. The newest entry is kept even when it alone is larger."""
_ENTRY_NAME = re.compile(r"^(\d{10})-([0-9a-f]{16})\.json$")


@dataclass(frozen=True)
class UndoEntry:
    """One save of a suite file: its path as the app loaded it, and its text before and after."""

    name: str
    """The entry's file name in the undo folder."""
    path: str
    before: str
    after: str
    summary: str


class UndoHistory:
    """The saves that can be undone in one data directory, newest last."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.folder = self.data_dir / UNDO_DIR

    def push(self, path: str | Path, before: str, after: str, summary: str) -> UndoEntry:
        """Record a save of the suite file at `path` and delete the entries past the limits."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = {"path": str(path), "before": before, "after": after, "summary": summary}
        with StoreLock(self.data_dir):
            names = self._names()
            sequence = int(_ENTRY_NAME.match(names[-1]).group(1)) + 1 if names else 1
            name = f"{sequence:010d}-{_digest(path)}.json"
            # Mode 0600, because a suite file may hold a literal credential.
            write_text_atomic(self.folder / name, json.dumps(data, ensure_ascii=False))
            self._prune([*names, name])
        return UndoEntry(name=name, **data)

    def latest(self, path: str | Path | None = None) -> UndoEntry | None:
        """Return the newest save of the suite file at `path`, or of any file for None."""
        digest = None if path is None else _digest(path)
        for name in reversed(self._names()):
            if digest is not None and not name.endswith(f"-{digest}.json"):
                continue
            entry = self._read(name)
            if entry is not None and (path is None or _same_file(entry.path, path)):
                return entry
        return None

    def remove(self, entry: UndoEntry) -> None:
        """Forget `entry`, once it was undone."""
        with StoreLock(self.data_dir):
            (self.folder / entry.name).unlink(missing_ok=True)

    def _names(self) -> list[str]:
        """Return the entry file names, oldest first."""
        try:
            names = [item.name for item in self.folder.iterdir() if _ENTRY_NAME.match(item.name)]
        except FileNotFoundError:
            return []
        return sorted(names)

    def _read(self, name: str) -> UndoEntry | None:
        try:
            data = json.loads((self.folder / name).read_text(encoding="utf-8"))
            return UndoEntry(name=name, path=str(data["path"]), before=str(data["before"]),
                             after=str(data["after"]), summary=str(data.get("summary", "a save")))
        except FileNotFoundError:
            # Another process undid or pruned it a moment ago.
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("Skipped the unreadable undo entry %s: %s", self.folder / name, error)
            return None

    def _prune(self, names: list[str]) -> None:
        """Delete the oldest entries until at most MAX_ENTRIES and MAX_BYTES remain. The caller holds the lock."""
        kept_count = 0
        total = 0
        full = False
        for name in reversed(names):
            try:
                size = (self.folder / name).stat().st_size
            except FileNotFoundError:
                continue
            # Once one entry is past a limit, every older one goes too, so undo never skips a save.
            full = full or (kept_count > 0 and (kept_count >= MAX_ENTRIES or total + size > MAX_BYTES))
            if full:
                (self.folder / name).unlink(missing_ok=True)
                log.info("Deleted the undo entry %s: past %d entries or %d bytes", name, MAX_ENTRIES, MAX_BYTES)
                continue
            kept_count += 1
            total += size


def _digest(path: str | Path) -> str:
    # The resolved path, so a file reached through a symlink or a relative path is one file.
    resolved = str(Path(path).expanduser().resolve())
    return hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _same_file(first: str | Path, second: str | Path) -> bool:
    return Path(first).expanduser().resolve() == Path(second).expanduser().resolve()
