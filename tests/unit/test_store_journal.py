"""The report index's snapshot-plus-journal storage: appends, compaction, other writers, damage."""

import json
import subprocess
import sys

import pytest

from keploy_tui.store import journal
from keploy_tui.store.journal import JournalStorage, journal_path, read_index
from keploy_tui.store.storage import CorruptFileError, open_db, put_document


@pytest.fixture()
def index(tmp_path):
    return tmp_path / "index.json"


def put(path, key, value, table="reports"):
    with open_db(path, storage=JournalStorage) as db:
        put_document(db.table(table), key, value)


def remove(path, key, table="reports"):
    with open_db(path, storage=JournalStorage) as db:
        db.table(table).remove(doc_ids=[key])


def journal_lines(path):
    return journal_path(path).read_text(encoding="utf-8").splitlines()


def test_journal_appends_changed_document(index):
    put(index, "a", {"n": 1})
    put(index, "b", {"n": 2})
    put(index, "a", {"n": 3})

    assert not index.exists()
    assert [json.loads(line) for line in journal_lines(index)] == [
        {"table": "reports", "id": "a", "doc": {"n": 1}},
        {"table": "reports", "id": "b", "doc": {"n": 2}},
        {"table": "reports", "id": "a", "doc": {"n": 3}},
    ]
    assert read_index(index) == {"reports": {"a": {"n": 3}, "b": {"n": 2}}}


def test_journal_skips_unchanged_document(index):
    put(index, "a", {"n": 1})
    put(index, "a", {"n": 1})

    assert len(journal_lines(index)) == 1


def test_journal_records_removal(index):
    put(index, "a", {"n": 1})
    put(index, "b", {"n": 2})
    remove(index, "a")

    assert json.loads(journal_lines(index)[-1]) == {"table": "reports", "id": "a", "deleted": True}
    assert read_index(index) == {"reports": {"b": {"n": 2}}}


def test_compaction_folds_journal_into_snapshot(index, monkeypatch):
    monkeypatch.setattr(journal, "MIN_COMPACT_LINES", 5)
    for number in range(7):
        put(index, f"k{number}", {"n": number})

    # The fifth line triggered compaction, so the journal contains the two writes after it.
    assert json.loads(index.read_text(encoding="utf-8"))["reports"] == {f"k{n}": {"n": n} for n in range(5)}
    assert len(journal_lines(index)) == 2
    assert read_index(index)["reports"] == {f"k{n}": {"n": n} for n in range(7)}


def test_journal_replay_is_idempotent(index, monkeypatch):
    put(index, "a", {"n": 1})
    put(index, "a", {"n": 2})
    put(index, "b", {"n": 3})
    old_journal = journal_path(index).read_bytes()
    monkeypatch.setattr(journal, "MIN_COMPACT_LINES", 1)
    put(index, "c", {"n": 4})

    # A crash between writing the snapshot and emptying the journal leaves both.
    journal_path(index).write_bytes(old_journal)

    assert read_index(index)["reports"] == {"a": {"n": 2}, "b": {"n": 3}, "c": {"n": 4}}


def test_journal_shows_other_process_writes(index):
    put(index, "a", {"n": 1})
    read_index(index)
    script = (
        "import sys; from keploy_tui.store.journal import JournalStorage;"
        "from keploy_tui.store.storage import open_db, put_document;"
        "db_path = sys.argv[1];"
        "exec('with open_db(db_path, storage=JournalStorage) as db: put_document(db.table(\"reports\"), \"b\", {\"n\": 2})')"
    )
    subprocess.run([sys.executable, "-c", script, str(index)], check=True)

    with open_db(index, storage=JournalStorage) as db:
        assert db.table("reports").get(doc_id="b") == {"n": 2}


def test_journal_torn_line_skipped_then_cut(index):
    put(index, "a", {"n": 1})
    with journal_path(index).open("ab") as handle:
        handle.write(b'{"table":"reports","id":"b","do')

    assert read_index(index) == {"reports": {"a": {"n": 1}}}

    put(index, "c", {"n": 3})
    assert read_index(index) == {"reports": {"a": {"n": 1}, "c": {"n": 3}}}
    assert len(journal_lines(index)) == 2


def test_journal_damaged_line_named(index):
    put(index, "a", {"n": 1})
    with journal_path(index).open("a", encoding="utf-8") as handle:
        handle.write("garbage\n")
        handle.write(json.dumps({"table": "reports", "id": "b", "doc": {"n": 2}}) + "\n")

    with pytest.raises(CorruptFileError, match=r"journal\.jsonl is corrupt \(line 2 is not a valid entry"):
        read_index(index)


def test_journal_records_update_in_place(index):
    put(index, "a", {"n": 1, "status": "RUNNING"})
    with open_db(index, storage=JournalStorage) as db:
        db.table("reports").update(lambda document: document.update(status="DONE"), doc_ids=["a"])
    with open_db(index, storage=JournalStorage) as db:
        db.table("reports").update({"n": 2}, doc_ids=["a", "missing"])

    assert read_index(index)["reports"]["a"] == {"n": 2, "status": "DONE"}
    with open_db(index, storage=JournalStorage) as db:
        assert db.table("reports").get(doc_id="a") == {"n": 2, "status": "DONE"}
    assert len(journal_lines(index)) == 3
