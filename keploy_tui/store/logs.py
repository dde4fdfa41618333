"""Application log in the data directory: the TUI owns the terminal, so nothing goes to stderr."""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from keploy_tui.store.paths import LOG_FILE

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [pid %(process)d]: %(message)s"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
LOG_MODE = 0o600

# httpx logs every request URL at INFO, and an API key may be a query parameter.
_QUIET_LOGGERS = ("httpx", "httpcore")


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files, rotated ones included, are created with mode 0600.

    NOTE: several processes that write one log rotate it independently, because the
    stdlib handler has no cross-process lock. Lines written near a rotation can then
    land in a backup file.
    """

    def _open(self):
        stream = open(
            self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,
            opener=_private_opener,
        )
        # A file created earlier by something else keeps its mode unless it is set here.
        os.chmod(self.baseFilename, LOG_MODE)
        return stream


def _private_opener(path: str, flags: int) -> int:
    return os.open(path, flags, LOG_MODE)


def setup_logging(data_dir: Path, level: int = logging.INFO) -> Path:
    """Send stdlib logging and Python warnings to `<data-dir>/keploy-tui.log` and return that path.

    Calling it again replaces the handler it added before, so handlers never pile up.
    """
    path = Path(data_dir) / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, PrivateRotatingFileHandler):
            root.removeHandler(handler)
            handler.close()

    handler = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    # Python warnings would otherwise print to stderr over the TUI.
    logging.captureWarnings(True)
    return path
