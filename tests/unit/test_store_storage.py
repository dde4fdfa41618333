"""Atomic JSON writes, the TinyDB storage on top of them, and the store lock."""

import json
import os
import stat
import subprocess
import sys
import threading

import pytest

from keploy_tui.store import storage
from keploy_tui.store.storage import (
    CorruptFileError,
    StoreError,
    StoreLock,
    open_db,
    put_document,
    read_json,
    write_json_atomic,
)


def mode_of(path):
    return stat.S_IMODE(path.stat().st_mode)


def temp_files(directory):
    return sorted(path.name for path in directory.iterdir() if path.name.endswith(".tmp"))


def test_atomic_write_round_trip(tmp_path):
    target = tmp_path / "data.json"

    write_json_atomic(target, {"name": "Ünïcode", "values": [1, 2]})

    assert json.loads(target.read_text(encoding="utf-8")) == {"name": "Ünïcode", "values": [1, 2]}
    assert read_json(target) == {"name": "Ünïcode", "values": [1, 2]}


def test_atomic_write_mode_0600_under_open_umask(tmp_path):
    target = tmp_path / "data.json"
    previous = os.umask(0)
    try:
        write_json_atomic(target, {})
    finally:
        os.umask(previous)

    assert mode_of(target) == 0o600


def test_atomic_write_tightens_existing_mode(tmp_path):
    target = tmp_path / "data.json"
    target.write_text("{}")
    target.chmod(0o644)

    write_json_atomic(target, {"a": 1})

    assert mode_of(target) == 0o600


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "data.json"

    for number in range(20):
        write_json_atomic(target, {"n": number})

    assert temp_files(tmp_path) == []
    assert read_json(target) == {"n": 19}


def test_failed_fsync_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "data.json"
    write_json_atomic(target, {"version": "old"})

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        write_json_atomic(target, {"version": "new"})

    assert read_json(target) == {"version": "old"}
    assert temp_files(tmp_path) == []


def test_failed_replace_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "data.json"
    write_json_atomic(target, {"version": "old"})

    def failing_replace(source, destination):
        raise KeyboardInterrupt

    monkeypatch.setattr(storage.os, "replace", failing_replace)
    with pytest.raises(KeyboardInterrupt):
        write_json_atomic(target, {"version": "new"})

    assert read_json(target) == {"version": "old"}
    assert temp_files(tmp_path) == []


def test_unserializable_data_keeps_old_file(tmp_path):
    target = tmp_path / "data.json"
    write_json_atomic(target, {"version": "old"})

    with pytest.raises(TypeError):
        write_json_atomic(target, {"version": object()})

    assert read_json(target) == {"version": "old"}
    assert temp_files(tmp_path) == []


def test_read_json_missing_or_empty_is_none(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("  \n")

    assert read_json(tmp_path / "missing.json") is None
    assert read_json(empty) is None


def test_read_json_corrupt_names_file(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"reports": {"a": ')

    with pytest.raises(CorruptFileError) as excinfo:
        read_json(broken, "Move it aside.")

    message = str(excinfo.value)
    assert str(broken) in message
    assert "invalid JSON" in message
    assert "Move it aside." in message
    assert excinfo.value.path == broken


def test_storage_rejects_non_object(tmp_path):
    path = tmp_path / "db.json"
    path.write_text("[1, 2]")

    with open_db(path) as db, pytest.raises(CorruptFileError, match="not a JSON object"):
        db.table("t").all()


def test_open_db_sees_other_writers(tmp_path):
    path = tmp_path / "db.json"
    with open_db(path) as db:
        put_document(db.table("t"), "a", {"v": 1})

    with open_db(path) as reader:
        assert reader.table("t").get(doc_id="a") == {"v": 1}
        with open_db(path) as writer:
            put_document(writer.table("t"), "b", {"v": 2})

    with open_db(path) as reader:
        assert reader.table("t").get(doc_id="b") == {"v": 2}


def test_put_document_replaces_whole(tmp_path):
    path = tmp_path / "db.json"
    with open_db(path) as db:
        table = db.table("t")
        first = put_document(table, "key", {"old": 1, "shared": "a"})
        second = put_document(table, "key", {"shared": "b"})

    assert first is None
    assert dict(second) == {"old": 1, "shared": "a"}
    assert read_json(path) == {"t": {"key": {"shared": "b"}}}


def test_put_document_skips_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "db.json"
    writes = []
    real_write = storage.write_json_atomic
    monkeypatch.setattr(storage, "write_json_atomic", lambda p, d: (writes.append(p), real_write(p, d)))

    with open_db(path) as db:
        put_document(db.table("t"), "new", {"v": 1})
        put_document(db.table("t"), "new", {"v": 2})
        put_document(db.table("t"), "new", {"v": 2})

    assert len(writes) == 2
    assert read_json(path) == {"t": {"new": {"v": 2}}}


def test_db_file_mode_0600(tmp_path):
    path = tmp_path / "db.json"
    with open_db(path) as db:
        put_document(db.table("t"), "a", {})

    assert mode_of(path) == 0o600


def test_lock_file_mode_0600(tmp_path):
    with StoreLock(tmp_path):
        pass

    assert mode_of(tmp_path / ".lock") == 0o600


def test_lock_reentrant_in_one_thread(tmp_path):
    lock = StoreLock(tmp_path)
    with lock:
        with lock:
            pass
        with pytest.raises(StoreError), StoreLock(tmp_path, timeout=0.05):
            pass
    with StoreLock(tmp_path, timeout=0.05):
        pass


def test_lock_excludes_other_process(tmp_path):
    code = ("import sys, time; from pathlib import Path; from keploy_tui.store.storage import StoreLock\n"
            "with StoreLock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(30)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreError), StoreLock(tmp_path, timeout=0.2):
            pass
    finally:
        holder.kill()
        holder.wait()
    with StoreLock(tmp_path, timeout=1.0):
        pass


def test_lock_excludes_other_thread(tmp_path):
    holder_ready = threading.Event()
    release = threading.Event()

    def hold():
        with StoreLock(tmp_path):
            holder_ready.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holder_ready.wait(10)
        with pytest.raises(StoreError) as excinfo, StoreLock(tmp_path, timeout=0.2):
            pass
    finally:
        release.set()
        thread.join(10)

    assert str(tmp_path / ".lock") in str(excinfo.value)
    assert "Timed out" in str(excinfo.value)


def test_lone_surrogate_round_trips(tmp_path):
    from keploy_tui.store.storage import read_json, write_json_atomic

    path = tmp_path / "s.json"
    write_json_atomic(path, {"s": "\ud800"})
    assert read_json(path) == {"s": "\ud800"}
