"""Run reports: a small index entry per report plus one step-results file per report.

The index (`keploy_tui.json` and its journal, table `reports`, keyed by report id) holds
`Report.summary_dict()`, so listing thousands of reports never reads step results.
`reports/<report-id>.jsonl` holds one JSON step result a line: a run appends its
steps in batches, and a re-run either rewrites the file or appends the step again,
in which case the last line for a step wins. The step files are JSON Lines, not
TinyDB, because TinyDB rewrites a whole file on every write.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from pathlib import Path
from typing import Any

from keploy_tui.model import Report, ResponseRecord, RunStatus, StepResult, SuiteStatus
from keploy_tui.model.report import record_fields
from keploy_tui.store.journal import JournalStorage, journal_path
from keploy_tui.store.paths import INDEX_FILE, REPORTS_DIR
from keploy_tui.store.storage import (
    CorruptFileError,
    KeyedTinyDB,
    StoreError,
    StoreLock,
    append_bytes,
    append_lines,
    fsync_if_exists,
    open_db,
    put_document,
    write_text_atomic,
)

logger = logging.getLogger(__name__)

REPORTS_TABLE = "reports"
MIN_PREFIX_LENGTH = 4
# Report ids become file names, so dots and slashes are rejected outright.
_REPORT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_ENTRY_ERRORS = (TypeError, ValueError, KeyError, AttributeError)
"""Exceptions that Report.from_dict raises on an entry with missing, unknown or mistyped fields."""


class _ReportLookupError(StoreError, KeyError):
    # KeyError.__str__ quotes its argument, but these messages are shown to users as they are.
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ReportNotFound(_ReportLookupError):
    """No report has the given id or id prefix."""


class AmbiguousReportId(_ReportLookupError):
    """An id prefix matches more than one report."""


BODY_APART_CHARS = 64 * 1024
"""Response bodies longer than this go to the report's bodies file instead of its step line."""


class ReportStore:
    """Reports of one data directory, safe to share between processes."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.index_path = self.data_dir / INDEX_FILE
        self.reports_dir = self.data_dir / REPORTS_DIR
        self.reports_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._lock = StoreLock(self.data_dir)
        self._skipped_entries: set[str] = set()
        self._index_hint = (
            f"Move it aside (for example rename it to {INDEX_FILE}.bad) to start a new, empty "
            f"report index. The step files in {self.reports_dir} are left as they are."
        )

    def report_path(self, report_id: str) -> Path:
        """Return the step-results file of a report, or raise ValueError for an id unsafe as a file name."""
        if not _REPORT_ID.match(report_id):
            raise ValueError(f"Invalid report id {report_id!r}: use letters, digits, '-' and '_' only.")
        return self.reports_dir / f"{report_id}.jsonl"

    def create(self, report: Report) -> None:
        """Insert the index entry and write the report file. Raise StoreError if the id is taken."""
        path = self.report_path(report.id)
        with self._lock, self._open_index() as db:
            table = db.table(REPORTS_TABLE)
            if table.contains(doc_id=report.id):
                raise StoreError(f"Report {report.id} already exists in {self.index_path}.")
            write_text_atomic(path, self._step_lines(report))
            put_document(table, report.id, report.summary_dict())
        suites = len(report.suites)
        logger.info(
            "Created report %s: %d %s, status %s, pid %s on %s",
            report.id, suites, "suite" if suites == 1 else "suites", report.status.value, report.pid, report.host,
        )

    def update(self, report: Report) -> None:
        """Write the index entry (status, suite summaries, totals) without touching the report file."""
        with self._lock, self._open_index() as db:
            self._write_entry(db, report)

    def save_steps(self, report: Report) -> None:
        """Rewrite the report file with all of `report.steps`, then write the index entry."""
        path = self.report_path(report.id)
        text = self._step_lines(report)
        with self._lock, self._open_index() as db:
            write_text_atomic(path, text)
            self._write_entry(db, report)

    def append_steps(self, report: Report, lines: list[str]) -> None:
        """Append serialized step results (one JSON object a line) and write the index entry.

        A running report grows by appending, so each save costs the new steps only,
        not the whole run. A process killed mid-append leaves at most one torn last
        line, which reading skips.
        """
        path = self.report_path(report.id)
        with self._lock, self._open_index() as db:
            if lines:
                # The lines point into the bodies file, so its data must be on disk first.
                fsync_if_exists(self.bodies_path(report.id))
                append_lines(path, lines)
            self._write_entry(db, report)

    def bodies_path(self, report_id: str) -> Path:
        """Return the file holding a report's large response bodies, one after another."""
        return self.report_path(report_id).with_suffix(".bodies")

    def step_line(self, report_id: str, step: StepResult) -> str:
        """Serialize `step` as a report-file line, moving each large response body to the bodies file.

        The report file then stays small, so a report of thousands of steps with
        megabyte bodies opens quickly and a body is read only when its step is shown.
        A body moved now is also cleared from `step`, and load_bodies reads it back. An
        app run of 10,000 steps with 100 KiB bodies held 1 GB of them before.
        """
        for attempt in step.attempts:
            response = attempt.response
            if response is not None and response.body_ref is None and len(response.body) > BODY_APART_CHARS:
                encoded = response.body.encode("utf-8", errors="backslashreplace")
                with self._lock:
                    offset = append_bytes(self.bodies_path(report_id), encoded, sync=False)
                # Set on the live response too, so saving the step again writes no second copy.
                # NOTE: the app's report view can read the body just after this clears it and
                # show it empty. load_bodies reads it back when the step is highlighted again.
                response.body_ref = [offset, len(encoded)]
                response.body = ""
        return _STEP_ENCODER.encode(step)

    def load_bodies(self, report_id: str, steps: list[StepResult]) -> None:
        """Read the large bodies of `steps` back from the bodies file, in place; loaded ones are skipped."""
        wanted = [attempt.response for step in steps for attempt in step.attempts
                  if attempt.response is not None and attempt.response.body_ref and not attempt.response.body]
        if not wanted:
            return
        path = self.bodies_path(report_id)
        try:
            with path.open("rb") as handle:
                for response in wanted:
                    offset, length = response.body_ref
                    handle.seek(offset)
                    response.body = handle.read(length).decode("utf-8", errors="replace")
        except OSError as error:
            logger.warning("Could not read bodies of report %s from %s: %s", report_id, path, error)

    def _step_lines(self, report: Report) -> str:
        return "".join(self.step_line(report.id, step) + "\n" for step in report.steps)

    def get(self, report_id: str, bodies: bool = True) -> Report:
        """Return the full report for an id or a unique id prefix of at least 4 characters.

        With `bodies=False`, large response bodies stay on disk (empty, with `body_ref`
        set) until load_bodies reads the ones needed.

        Raises ReportNotFound or AmbiguousReportId, and CorruptFileError when the index
        entry or the report file cannot be read.
        """
        with self._open_index() as db:
            table = db.table(REPORTS_TABLE)
            resolved = self._resolve_id(table, report_id.strip())
            # The entry comes from the same parsed snapshot that _resolve_id searched, so it exists.
            entry = table.get(doc_id=resolved)
        try:
            report = Report.from_dict(entry)
        except _ENTRY_ERRORS as error:
            logger.error("Invalid index entry for report %s in %s: %r", resolved, self.index_path, error)
            raise CorruptFileError(
                self.index_path, f"the entry for report {resolved} is invalid: {error!r}",
                f"Delete report {resolved} to remove the entry.",
            ) from error
        report.steps = self._read_steps(resolved)
        if bodies:
            self.load_bodies(resolved, report.steps)
        return report

    def summary(self, report_id: str) -> Report:
        """Return one report's index entry, without steps, for its full id.

        Raises ReportNotFound, or CorruptFileError when the entry cannot be read.
        """
        with self._open_index() as db:
            entry = db.table(REPORTS_TABLE).get(doc_id=report_id)
        if entry is None:
            raise ReportNotFound(f"No report with id {report_id} in {self.data_dir}.")
        try:
            return Report.from_dict(entry)
        except _ENTRY_ERRORS as error:
            logger.error("Invalid index entry for report %s in %s: %r", report_id, self.index_path, error)
            raise CorruptFileError(
                self.index_path, f"the entry for report {report_id} is invalid: {error!r}",
                f"Delete report {report_id} to remove the entry.",
            ) from error

    def index_stamp(self) -> tuple[int, ...]:
        """Return the size and modification time of the index files, which change when any process stores a run."""
        stamp: list[int] = []
        for path in (self.index_path, journal_path(self.index_path)):
            try:
                info = path.stat()
            except OSError:
                stamp += [-1, -1]
                continue
            stamp += [info.st_size, info.st_mtime_ns]
        return tuple(stamp)

    def list(self) -> list[Report]:
        """Return every report without steps, newest first.

        Entries that cannot be read are logged and skipped.
        """
        with self._open_index() as db:
            entries = db.table(REPORTS_TABLE).all()
        reports = []
        for entry in entries:
            try:
                reports.append(Report.from_dict(entry))
            except _ENTRY_ERRORS as error:
                self._log_skipped(str(entry.doc_id), error)
        reports.sort(key=lambda report: (report.created_at, report.id), reverse=True)
        return reports

    def mark_interrupted(self) -> list[str]:
        """Mark QUEUED or RUNNING reports whose process on this host is gone as INTERRUPTED.

        A report from another host is left alone, because its pid means nothing here.
        A report without a host is judged by its pid on this host. Returns the marked ids.
        """
        host = socket.gethostname()
        with self._lock, self._open_index() as db:
            table = db.table(REPORTS_TABLE)
            orphans = [entry for entry in table if _is_orphaned(entry, host)]
            for entry in orphans:
                table.update(_interrupted_fields(entry), doc_ids=[entry.doc_id])
        for entry in orphans:
            logger.info(
                "Marked report %s INTERRUPTED: it was %s and its process %s on %s is gone",
                entry.doc_id, entry.get("status"), entry.get("pid"), entry.get("host") or host,
            )
        return [str(entry.doc_id) for entry in orphans]

    def delete(self, report_id: str) -> None:
        """Remove a report's index entry and file. It takes the full id, not a prefix."""
        path = self.report_path(report_id)
        with self._lock, self._open_index() as db:
            removed = db.table(REPORTS_TABLE).remove(doc_ids=[report_id])
            if not removed and not path.exists():
                raise ReportNotFound(f"No report with id {report_id} in {self.data_dir}.")
            path.unlink(missing_ok=True)
            self.bodies_path(report_id).unlink(missing_ok=True)
        logger.info("Deleted report %s", report_id)

    def _open_index(self):
        return open_db(self.index_path, self._index_hint, storage=JournalStorage)

    def _write_entry(self, db: KeyedTinyDB, report: Report) -> None:
        previous = put_document(db.table(REPORTS_TABLE), report.id, report.summary_dict())
        status = report.status.value
        if previous is None:
            logger.info("Report %s was missing from the index; added it with status %s", report.id, status)
        elif previous.get("status") != status:
            logger.info("Report %s status %s -> %s", report.id, previous.get("status"), status)

    def _resolve_id(self, table: Any, text: str) -> str:
        if table.contains(doc_id=text):
            return text
        if len(text) < MIN_PREFIX_LENGTH:
            raise ReportNotFound(
                f"No report with id {text!r} in {self.data_dir}. "
                f"Give the full id or a prefix of at least {MIN_PREFIX_LENGTH} characters."
            )
        prefix = text.lower()
        matches = sorted(str(entry.doc_id) for entry in table if str(entry.doc_id).lower().startswith(prefix))
        if not matches:
            raise ReportNotFound(f"No report id starts with {text!r} in {self.data_dir}.")
        if len(matches) > 1:
            shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
            raise AmbiguousReportId(
                f"Report id prefix {text!r} matches {len(matches)} reports ({shown}). Give more characters."
            )
        return matches[0]

    def _read_steps(self, report_id: str) -> list[StepResult]:
        path = self.report_path(report_id)
        hint = f"Move the file aside to see the report without steps, or delete report {report_id}."
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            logger.warning("Report file %s is missing. Showing report %s without steps", path, report_id)
            return []
        except (OSError, UnicodeDecodeError) as error:
            raise CorruptFileError(path, f"cannot be read: {error}", hint) from error
        # A step re-run later is appended again; the last line for a step wins.
        steps: dict[tuple[int, int], StepResult] = {}
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                step = StepResult.from_dict(json.loads(line))
            except (ValueError, *_ENTRY_ERRORS) as error:
                if number == len(lines) and not text.endswith("\n"):
                    logger.warning("Skipping the torn last line of %s, left by a process that died mid-write", path)
                    continue
                logger.error("Invalid step result at %s:%d: %r", path, number, error)
                raise CorruptFileError(path, f"line {number} is not a valid step result: {error!r}", hint) from error
            steps[(step.suite_index, step.index)] = step
        return [steps[key] for key in sorted(steps)]

    def _log_skipped(self, report_id: str, error: Exception) -> None:
        # list() runs on every refresh, so each bad entry is logged once per store.
        if report_id in self._skipped_entries:
            return
        self._skipped_entries.add(report_id)
        logger.warning(
            "Skipping invalid index entry for report %s in %s: %r. Delete the report to remove it.",
            report_id, self.index_path, error,
        )


def _stored_fields(record: Any) -> dict[str, Any]:
    """Write a record as a report-file line does: a body kept in the bodies file is left out."""
    data = record_fields(record)
    if type(record) is ResponseRecord and record.body_ref is not None:
        data["body"] = ""
    return data


# Built once: json.dumps with options builds a new encoder for every step.
_STEP_ENCODER = json.JSONEncoder(default=_stored_fields, ensure_ascii=False, separators=(",", ":"))


def _is_orphaned(entry: dict[str, Any], host: str) -> bool:
    if entry.get("status") not in (RunStatus.QUEUED.value, RunStatus.RUNNING.value):
        return False
    if entry.get("host") not in (None, host):
        return False
    return not _process_alive(entry.get("pid"))


def _process_alive(pid: object) -> bool:
    """Tell whether a process with this pid exists on this host; an absent or invalid pid is dead."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":
        # NOTE: os.kill(pid, 0) terminates the process on Windows, so there every run counts as alive.
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        # The process exists but belongs to another user.
        return True
    # NOTE: a pid reused by an unrelated process after the run died also counts as alive.
    return True


def _interrupted_fields(entry: dict) -> dict:
    """Return the index fields that mark a dead run INTERRUPTED, its unfinished suites included."""
    suites = []
    for suite in entry.get("suites") or []:
        suite = dict(suite)
        if suite.get("status") in (SuiteStatus.QUEUED.value, SuiteStatus.RUNNING.value):
            suite["status"] = SuiteStatus.INTERRUPTED.value
        suites.append(suite)
    return {"status": RunStatus.INTERRUPTED.value, "suites": suites}
