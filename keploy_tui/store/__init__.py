"""Persistence in the data directory: reports, settings and the log.

Layout of `<data-dir>/`:

    keploy_tui.json           TinyDB report index, one small entry per report (no steps)
    keploy_tui.journal.jsonl  index entries changed since keploy_tui.json was last written
    reports/<report-id>.jsonl one report's step results, one JSON object a line
    settings.json             TinyDB: last endpoint, auth and variables per suite, named settings (credentials)
    suites/                   imported suites edited in the app, as suite YAML (suite_copies)
    undo/                     each suite-file save's text before and after, for undo (undo_history)
    keploy-tui.log            application log, rotated at 1 MB, 3 backups
    .lock                     inter-process lock held by every read-modify-write

Every JSON file is replaced atomically, every JSON Lines file grows by whole lines, and
every file is created with mode 0600.
"""

from keploy_tui.store.logs import setup_logging
from keploy_tui.store.paths import ENV_VAR, resolve_data_dir
from keploy_tui.store.reports import AmbiguousReportId, ReportNotFound, ReportStore
from keploy_tui.store.settings import SettingsStore
from keploy_tui.store.storage import CorruptFileError, StoreError

__all__ = [
    "ENV_VAR", "AmbiguousReportId", "CorruptFileError", "ReportNotFound", "ReportStore",
    "SettingsStore", "StoreError", "resolve_data_dir", "setup_logging",
]
