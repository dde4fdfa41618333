"""ReportStore: index entries, step files, id look-up and interrupted runs."""

import json
import logging
import os
import socket
import stat
import subprocess
import sys
import uuid

import pytest

from keploy_tui.model import (
    AssertionResult,
    Attempt,
    DiffEntry,
    Report,
    RequestRecord,
    ResponseRecord,
    RunStatus,
    StepResult,
    SuiteStatus,
    SuiteSummary,
)
from keploy_tui.store import AmbiguousReportId, CorruptFileError, ReportNotFound, ReportStore, StoreError
from keploy_tui.store.journal import journal_path, read_index

HOST = socket.gethostname()


def make_report(report_id=None, created_at="2024-05-01T10:00:00+00:00", **fields):
    fields.setdefault("suites", [SuiteSummary(name="Posts CRUD", source="posts.yaml", total=2)])
    return Report(id=report_id or str(uuid.uuid4()), created_at=created_at, creator="dev@example.com", **fields)


def make_step(index, passed=True):
    attempt = Attempt(
        started_at="2024-05-01T10:00:01+00:00",
        duration_ms=12.5,
        passed=passed,
        request=RequestRecord(method="POST", url="http://127.0.0.1:1/posts", headers=[["Accept", "*/*"]], body="{}"),
        response=ResponseRecord(status=201, headers=[["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]], body='{"id": 7}'),
        assertions=[
            AssertionResult(
                type="json_equal", passed=passed, key="$.id", expected="7", actual="8",
                diff=[DiffEntry(path="$.id", kind="changed", expected=7, actual=8)],
            )
        ],
        variables={"base": 1},
        extracted={"post_id": 7},
    )
    return StepResult(suite="Posts CRUD", suite_index=0, step=f"step {index}", index=index,
                      method="POST", url="/posts", attempts=[attempt])


@pytest.fixture
def store(tmp_path):
    return ReportStore(tmp_path)


def mode_of(path):
    return stat.S_IMODE(path.stat().st_mode)


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# Round trips


def test_create_then_get(store):
    report = make_report(pid=os.getpid(), host=HOST, base_url="http://127.0.0.1:8000", auth_kind="bearer")

    store.create(report)

    assert store.get(report.id).to_dict() == report.to_dict()


def test_create_writes_empty_report_file(store):
    report = make_report()

    store.create(report)

    assert store.report_path(report.id).read_text() == ""


def test_index_entry_has_no_steps(store):
    report = make_report(steps=[make_step(0)])
    report.recount()

    store.create(report)

    entry = read_index(store.index_path)["reports"][report.id]
    assert "steps" not in entry
    assert entry == report.summary_dict()
    assert entry["total"] == 2
    assert entry["passed"] == 1


def test_create_logs_suite_count(store, caplog):
    caplog.set_level(logging.INFO, logger="keploy_tui.store.reports")
    one_suite = make_report()
    two_suites = make_report(suites=[SuiteSummary(name="A"), SuiteSummary(name="B")])

    store.create(one_suite)
    store.create(two_suites)

    messages = [record.getMessage() for record in caplog.records]
    assert f"Created report {one_suite.id}: 1 suite, status QUEUED, pid None on None" in messages
    assert f"Created report {two_suites.id}: 2 suites, status QUEUED, pid None on None" in messages


def test_create_duplicate_rejected(store):
    report = make_report()
    store.create(report)
    report.steps = [make_step(0)]
    store.save_steps(report)

    with pytest.raises(StoreError, match="already exists"):
        store.create(make_report(report.id))

    assert len(store.get(report.id).steps) == 1


def test_update_changes_index_only(store):
    report = make_report()
    store.create(report)
    report_file = store.report_path(report.id)
    before = report_file.read_bytes()

    report.status = RunStatus.RUNNING
    report.suites[0].status = SuiteStatus.RUNNING
    report.steps = [make_step(0)]
    store.update(report)

    assert report_file.read_bytes() == before
    loaded = store.get(report.id)
    assert loaded.status is RunStatus.RUNNING
    assert loaded.suites[0].status is SuiteStatus.RUNNING
    assert loaded.steps == []


def test_update_readds_missing_entry(store):
    report = make_report(status=RunStatus.RUNNING)

    store.update(report)

    assert [listed.id for listed in store.list()] == [report.id]


def test_save_steps_round_trip(store):
    report = make_report(status=RunStatus.RUNNING)
    store.create(report)

    report.steps = [make_step(0), make_step(1, passed=False)]
    report.recount()
    report.status = RunStatus.COMPLETED
    store.save_steps(report)

    loaded = store.get(report.id)
    assert loaded.to_dict() == report.to_dict()
    assert loaded.failed == 1
    assert loaded.steps[1].latest.assertions[0].diff[0].actual == 8
    assert loaded.steps[0].latest.response.headers == [["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]


def test_save_steps_replaces_whole_list(store):
    report = make_report()
    store.create(report)
    report.steps = [make_step(0), make_step(1)]
    store.save_steps(report)

    report.steps = [make_step(0)]
    store.save_steps(report)

    assert len(store.get(report.id).steps) == 1


def test_save_steps_touches_only_its_report(store):
    first, second = make_report(), make_report()
    store.create(first)
    store.create(second)
    second_file = store.report_path(second.id)
    before = (second_file.read_bytes(), second_file.stat().st_mtime_ns)

    first.steps = [make_step(0)]
    store.save_steps(first)

    assert (second_file.read_bytes(), second_file.stat().st_mtime_ns) == before


def test_list_newest_first_without_steps(store):
    older = make_report(created_at="2024-05-01T09:00:00+00:00", steps=[make_step(0)])
    newest = make_report(created_at="2024-05-03T09:00:00+00:00")
    middle = make_report(created_at="2024-05-02T09:00:00+00:00")
    for report in (older, newest, middle):
        store.create(report)
    store.save_steps(older)

    listed = store.list()

    assert [report.id for report in listed] == [newest.id, middle.id, older.id]
    assert all(report.steps == [] for report in listed)
    assert listed[0].suites[0].name == "Posts CRUD"


def test_list_empty_store(store):
    assert store.list() == []


def test_second_store_sees_writes(tmp_path):
    reader, writer = ReportStore(tmp_path), ReportStore(tmp_path)
    first = make_report()
    writer.create(first)
    assert [report.id for report in reader.list()] == [first.id]

    first.status = RunStatus.COMPLETED
    writer.update(first)
    second = make_report()
    writer.create(second)

    assert {report.id for report in reader.list()} == {first.id, second.id}
    assert reader.get(first.id).status is RunStatus.COMPLETED


# Id look-up


def test_get_by_prefix(store):
    report = make_report("3f2a9c1e-0000-4000-8000-000000000001")
    store.create(report)

    assert store.get("3f2a").id == report.id
    assert store.get("3F2A9C").id == report.id
    assert store.get("  3f2a9c1e ").id == report.id


def test_prefix_too_short(store):
    store.create(make_report("3f2a9c1e-0000-4000-8000-000000000001"))

    with pytest.raises(ReportNotFound) as excinfo:
        store.get("3f2")

    assert "at least 4 characters" in str(excinfo.value)


def test_ambiguous_prefix_lists_matches(store):
    first = make_report("abcd1111-0000-4000-8000-000000000001")
    second = make_report("abcd2222-0000-4000-8000-000000000002")
    store.create(first)
    store.create(second)

    with pytest.raises(AmbiguousReportId) as excinfo:
        store.get("abcd")

    message = str(excinfo.value)
    assert first.id in message
    assert second.id in message
    assert "matches 2 reports" in message
    assert store.get("abcd1").id == first.id


def test_exact_id_wins_over_prefix(store):
    short = make_report("abcd")
    longer = make_report("abcd-more")
    store.create(short)
    store.create(longer)

    assert store.get("abcd").id == "abcd"


def test_not_found_message(store, tmp_path):
    with pytest.raises(ReportNotFound) as excinfo:
        store.get("deadbeef")

    assert isinstance(excinfo.value, KeyError)
    message = str(excinfo.value)
    assert message.startswith("No report id starts with 'deadbeef'")
    assert str(tmp_path) in message


def test_path_like_id_not_found(store):
    with pytest.raises(ReportNotFound):
        store.get("../../etc/passwd")


@pytest.mark.parametrize("bad_id", ["../x", "a/b", "", ".hidden", "a.b"])
def test_unsafe_id_rejected(store, bad_id):
    report = make_report()
    report.id = bad_id

    with pytest.raises(ValueError, match="Invalid report id"):
        store.create(report)

    assert list(store.reports_dir.iterdir()) == []


# Delete


def test_delete_removes_entry_and_file(store):
    kept, removed = make_report(), make_report()
    store.create(kept)
    store.create(removed)

    store.delete(removed.id)

    assert [report.id for report in store.list()] == [kept.id]
    assert not store.report_path(removed.id).exists()
    assert store.report_path(kept.id).exists()
    with pytest.raises(ReportNotFound):
        store.get(removed.id)


def test_delete_unknown_raises(store):
    with pytest.raises(ReportNotFound, match="No report with id"):
        store.delete("0000aaaa-0000-4000-8000-000000000000")


# Interrupted runs


def test_mark_interrupted_dead_pid(store):
    pid = dead_pid()
    running = make_report(status=RunStatus.RUNNING, pid=pid, host=HOST)
    queued = make_report(status=RunStatus.QUEUED, pid=pid, host=HOST)
    store.create(running)
    store.create(queued)

    marked = store.mark_interrupted()

    assert sorted(marked) == sorted([running.id, queued.id])
    assert store.get(running.id).status is RunStatus.INTERRUPTED
    assert store.get(queued.id).status is RunStatus.INTERRUPTED
    assert store.mark_interrupted() == []


def test_mark_interrupted_live_pid(store):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        other = make_report(status=RunStatus.RUNNING, pid=child.pid, host=HOST)
        own = make_report(status=RunStatus.RUNNING, pid=os.getpid(), host=HOST)
        store.create(other)
        store.create(own)

        assert store.mark_interrupted() == []
    finally:
        child.kill()
        child.wait()

    assert store.get(other.id).status is RunStatus.RUNNING
    assert store.get(own.id).status is RunStatus.RUNNING
    assert store.mark_interrupted() == [other.id]


def test_mark_interrupted_other_host(store):
    report = make_report(status=RunStatus.RUNNING, pid=dead_pid(), host=HOST + "-elsewhere")
    store.create(report)

    assert store.mark_interrupted() == []
    assert store.get(report.id).status is RunStatus.RUNNING


def test_mark_interrupted_missing_pid(store):
    no_pid = make_report(status=RunStatus.RUNNING, pid=None, host=HOST)
    no_host = make_report(status=RunStatus.RUNNING, pid=dead_pid(), host=None)
    store.create(no_pid)
    store.create(no_host)

    assert sorted(store.mark_interrupted()) == sorted([no_pid.id, no_host.id])


def test_mark_interrupted_skips_finished(store):
    pid = dead_pid()
    for status in (RunStatus.COMPLETED, RunStatus.CANCELLED, RunStatus.INTERRUPTED):
        store.create(make_report(status=status, pid=pid, host=HOST))

    assert store.mark_interrupted() == []


def test_mark_interrupted_keeps_steps(store):
    report = make_report(status=RunStatus.RUNNING, pid=dead_pid(), host=HOST)
    store.create(report)
    report.steps = [make_step(0)]
    report.recount()
    store.save_steps(report)

    store.mark_interrupted()

    loaded = store.get(report.id)
    assert loaded.status is RunStatus.INTERRUPTED
    assert len(loaded.steps) == 1
    assert loaded.passed == 1


# Damaged files


def test_corrupt_index_raises_clear_error(store):
    report = make_report()
    store.create(report)
    store.index_path.write_text('{"reports": {')

    with pytest.raises(CorruptFileError) as excinfo:
        store.list()

    message = str(excinfo.value)
    assert str(store.index_path) in message
    assert "Move it aside" in message


def test_corrupt_index_never_overwritten(store):
    report = make_report()
    store.create(report)
    store.index_path.write_text('{"reports": {')

    with pytest.raises(CorruptFileError):
        store.create(make_report())
    with pytest.raises(CorruptFileError):
        store.update(report)
    with pytest.raises(CorruptFileError):
        store.mark_interrupted()

    assert store.index_path.read_text() == '{"reports": {'
    assert store.report_path(report.id).exists()


def test_corrupt_index_logged(store, caplog):
    store.index_path.write_text("not json")

    with caplog.at_level(logging.ERROR, logger="keploy_tui.store"), pytest.raises(CorruptFileError):
        store.list()

    assert str(store.index_path) in caplog.text


def test_invalid_entry_skipped_once(store, caplog):
    good = make_report()
    store.create(good)
    index = read_index(store.index_path)
    index["reports"]["bad-entry"] = {"id": "bad-entry", "status": "EXPLODED"}
    store.index_path.write_text(json.dumps(index))

    with caplog.at_level(logging.WARNING, logger="keploy_tui.store"):
        first = store.list()
        second = store.list()

    assert [report.id for report in first] == [good.id]
    assert [report.id for report in second] == [good.id]
    warnings = [record for record in caplog.records if "bad-entry" in record.getMessage()]
    assert len(warnings) == 1


def test_corrupt_report_file(store):
    broken, fine = make_report(), make_report()
    store.create(broken)
    store.create(fine)
    store.report_path(broken.id).write_text('{"suite": "S", "step": [\n{"suite": "S"}\n')

    with pytest.raises(CorruptFileError) as excinfo:
        store.get(broken.id)

    assert str(store.report_path(broken.id)) in str(excinfo.value)
    assert {report.id for report in store.list()} == {broken.id, fine.id}
    assert store.get(fine.id).id == fine.id


def test_torn_last_line_is_skipped(store):
    report = make_report()
    report.steps = [StepResult(suite="S", suite_index=0, step=f"s{index}", index=index) for index in range(2)]
    store.create(report)
    store.save_steps(report)
    with store.report_path(report.id).open("a") as handle:
        handle.write('{"suite": "S", "suite_index": 0, "st')

    assert [step.step for step in store.get(report.id).steps] == ["s0", "s1"]


def test_appended_step_replaces_earlier_line(store):
    report = make_report()
    first = StepResult(suite="S", suite_index=0, step="a", index=0)
    store.create(report)
    store.append_steps(report, [store.step_line(report.id, first)])
    store.append_steps(report, [store.step_line(report.id, StepResult(suite="S", suite_index=0, step="a again", index=0))])

    assert [step.step for step in store.get(report.id).steps] == ["a again"]


def test_missing_report_file_gives_no_steps(store, caplog):
    report = make_report()
    store.create(report)
    store.report_path(report.id).unlink()

    with caplog.at_level(logging.WARNING, logger="keploy_tui.store"):
        loaded = store.get(report.id)

    assert loaded.steps == []
    assert "missing" in caplog.text


# Files and logs


def test_store_files_mode_0600(store):
    report = make_report()
    store.create(report)
    report.steps = [make_step(0)]
    store.save_steps(report)

    assert mode_of(journal_path(store.index_path)) == 0o600
    assert mode_of(store.report_path(report.id)) == 0o600


def test_no_temp_files_after_saves(store):
    report = make_report(status=RunStatus.RUNNING)
    store.create(report)
    for index in range(10):
        report.steps.append(make_step(index))
        store.save_steps(report)
        store.update(report)

    leftovers = [path.name for path in store.data_dir.rglob("*.tmp")]
    assert leftovers == []


def test_lifecycle_logged(store, caplog):
    report = make_report(pid=dead_pid(), host=HOST)

    with caplog.at_level(logging.INFO, logger="keploy_tui.store"):
        store.create(report)
        report.status = RunStatus.RUNNING
        store.update(report)
        store.update(report)
        store.mark_interrupted()

    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith(f"Created report {report.id}") for message in messages)
    assert sum("QUEUED -> RUNNING" in message for message in messages) == 1
    assert any(f"Marked report {report.id} INTERRUPTED" in message for message in messages)


def test_own_pid_alive_without_kill(store, monkeypatch):
    def no_such_process(pid, signal):
        raise ProcessLookupError(pid)

    monkeypatch.setattr("keploy_tui.store.reports.os.kill", no_such_process)
    own = make_report(status=RunStatus.RUNNING, pid=os.getpid(), host=HOST)
    store.create(own)

    assert store.mark_interrupted() == []


def test_recorder_retries_failed_save(store, monkeypatch):
    from keploy_tui.engine.events import RunFinished, RunQueued, StepFinished
    from keploy_tui.store.recorder import ReportRecorder

    report = make_report()
    recorder = ReportRecorder(store, interval=0.0)
    recorder(RunQueued(report))
    real_append = store.append_steps
    calls = []

    def failing_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise StoreError("disk full")
        return real_append(*args)

    monkeypatch.setattr(store, "append_steps", failing_once)
    for index in range(2):
        report.steps.append(StepResult(suite="S", suite_index=0, step=f"s{index}", index=index))
        try:
            recorder(StepFinished(report, 0, report.steps[-1]))
        except StoreError:
            pass
    recorder(RunFinished(report))
    assert [step.step for step in store.get(report.id).steps] == ["s0", "s1"]


def big_body_report(size):
    report = make_report()
    body = "b" * size
    report.steps = [StepResult(suite="S", suite_index=0, step="big", index=0, attempts=[Attempt(
        started_at="t", duration_ms=1.0, passed=True, response=ResponseRecord(status=200, body=body, size=size))])]
    return report, body


def test_large_body_kept_apart_and_loaded(store):
    report, body = big_body_report(200_000)
    store.create(report)
    store.save_steps(report)
    assert store.report_path(report.id).stat().st_size < 10_000
    lazy = store.get(report.id, bodies=False)
    assert lazy.steps[0].latest.response.body == ""
    store.load_bodies(report.id, lazy.steps)
    assert lazy.steps[0].latest.response.body == body
    assert store.get(report.id).steps[0].latest.response.body == body


def test_large_body_leaves_memory_once_saved(store):
    report, body = big_body_report(200_000)
    store.create(report)
    store.save_steps(report)
    assert report.steps[0].latest.response.body == ""
    store.load_bodies(report.id, report.steps)
    assert report.steps[0].latest.response.body == body


def test_large_body_survives_resave(store):
    report, body = big_body_report(100_000)
    store.create(report)
    store.save_steps(report)
    loaded = store.get(report.id)
    store.save_steps(loaded)
    assert store.get(report.id).steps[0].latest.response.body == body
    assert store.bodies_path(report.id).stat().st_size == 100_000


def test_delete_removes_bodies_file(store):
    report, _ = big_body_report(100_000)
    store.create(report)
    store.save_steps(report)
    store.delete(report.id)
    assert not store.bodies_path(report.id).exists()
