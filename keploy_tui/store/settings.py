"""Remembered settings: the last endpoint and auth per suite, and other named values.

They live in their own TinyDB file, `settings.json`, because a suite's auth may hold
a literal token or password. Like every store file it is written with mode 0600.
Apart from it, only the suite files in suites/ and undo/ can contain credentials:
ones written literally in a suite.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from keploy_tui.model import Auth
from keploy_tui.store.paths import SETTINGS_FILE
from keploy_tui.store.storage import StoreLock, open_db, put_document

logger = logging.getLogger(__name__)

SUITES_TABLE = "suites"
"""Keyed by `Suite.key`: `{"base_url": ..., "auth": Auth.to_dict()}`, plus `"variables"` when a run had any."""
VALUES_TABLE = "settings"
"""Keyed by setting name: `{"value": ...}`."""
LAST_BASE_URL = "last_base_url"
SUITE_SOURCES = "suite_sources"
"""Files and folders of suites the app loads at start."""


class SettingsStore:
    """Settings of one data directory, safe to share between processes."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / SETTINGS_FILE
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._lock = StoreLock(self.data_dir)
        self._hint = (
            "Move it aside to start with empty settings. Only remembered endpoints "
            "and credentials are lost, and reports are kept."
        )

    def get_suite(self, suite_key: str) -> dict[str, Any] | None:
        """Return `{"base_url": ..., "auth": {...}}` last used for a suite, with `"variables"` if any, or None."""
        with open_db(self.path, self._hint) as db:
            entry = db.table(SUITES_TABLE).get(doc_id=suite_key)
        return None if entry is None else dict(entry)

    def set_suite(self, suite_key: str, base_url: str, auth: Auth, variables: dict[str, str] | None = None) -> None:
        """Remember the endpoint, auth and variables for a suite, and the endpoint as the last one used."""
        entry: dict[str, Any] = {"base_url": base_url, "auth": auth.to_dict()}
        if variables:
            entry["variables"] = dict(variables)
        with self._lock, open_db(self.path, self._hint) as db:
            put_document(db.table(SUITES_TABLE), suite_key, entry)
            put_document(db.table(VALUES_TABLE), LAST_BASE_URL, {"value": base_url})
        # The URL may carry credentials (user:password@ or a key in the query), so it is not logged.
        logger.info("Saved the endpoint and %s auth for suite %s", auth.kind, suite_key)

    def last_base_url(self) -> str | None:
        """Return the endpoint of the last set_suite call in any process, or None."""
        return self.get(LAST_BASE_URL)

    def get(self, name: str, default: Any = None) -> Any:
        """Return a named setting, or `default` when it was never set."""
        with open_db(self.path, self._hint) as db:
            entry = db.table(VALUES_TABLE).get(doc_id=name)
        return default if entry is None else entry.get("value", default)

    def set(self, name: str, value: Any) -> None:
        """Store a named setting. Raise TypeError if `value` cannot be written as JSON."""
        try:
            json.dumps(value)
        except (TypeError, ValueError) as error:
            raise TypeError(f"Setting {name!r} must be JSON-serializable: {error}") from error
        with self._lock, open_db(self.path, self._hint) as db:
            put_document(db.table(VALUES_TABLE), name, {"value": value})
        logger.debug("Saved setting %s", name)

    def suite_sources(self) -> list[str]:
        """Return the suite files and folders the app loads at start, in the order they were added."""
        return list(self.get(SUITE_SOURCES, []))

    def add_suite_sources(self, paths: list[str]) -> list[str]:
        """Remember `paths` (made absolute) as suite sources; returns the whole list."""
        with self._lock, open_db(self.path, self._hint) as db:
            table = db.table(VALUES_TABLE)
            entry = table.get(doc_id=SUITE_SOURCES)
            sources = list(entry.get("value", [])) if entry else []
            for path in paths:
                absolute = str(Path(path).expanduser().absolute())
                if absolute not in sources:
                    sources.append(absolute)
            put_document(table, SUITE_SOURCES, {"value": sources})
        logger.info("Suite sources now %d paths", len(sources))
        return sources

    def remove_suite_source(self, path: str) -> None:
        with self._lock, open_db(self.path, self._hint) as db:
            table = db.table(VALUES_TABLE)
            entry = table.get(doc_id=SUITE_SOURCES)
            sources = [item for item in (entry.get("value", []) if entry else []) if item != path]
            put_document(table, SUITE_SOURCES, {"value": sources})
