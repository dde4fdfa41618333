"""Suite files written for edited imports: where they go, what they contain, and what they refuse."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from keploy_tui.formats.suite_yaml import load_file
from keploy_tui.model import Assertion, Auth, Step, Suite
from keploy_tui.store.suite_copies import SuiteCopies, SuiteCopyError

ORIGIN = "/work/collections/orders.postman_collection.json"


def imported_suite() -> Suite:
    step = Step(name="Login / Get token", method="POST", url="/login", headers={"Content-Type": "application/json"},
                body='{"user": "a",\n "pass": "b"}', extract={"token": "$.token"},
                assertions=[Assertion(type="status_code", expected="200")],
                auth=Auth(kind="bearer", token="literal-secret"))
    return Suite(name="Orders API", steps=[step], source=ORIGIN, default_base_url="http://127.0.0.1:9")


@pytest.fixture
def copies(tmp_path: Path) -> SuiteCopies:
    return SuiteCopies(tmp_path / "data")


def test_create_writes_same_suite(copies):
    path = copies.create(imported_suite())

    loaded = load_file(path)
    assert loaded == [imported_suite()]
    assert loaded[0].source == str(path)
    assert copies.find(ORIGIN, "Orders API") == path
    assert copies.contains(path)


def test_file_names_import_and_is_private(copies):
    path = copies.create(imported_suite())

    assert path.parent == copies.folder
    assert path.name.startswith("orders-api-")
    assert path.read_text().startswith(f"# Suite 'Orders API', imported from {ORIGIN}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_path_differs_per_origin_and_name(copies):
    first = copies.path_for(ORIGIN, "Orders API")

    assert copies.path_for(ORIGIN, "Orders API") == first
    assert copies.path_for("/other/orders.json", "Orders API") != first
    assert copies.path_for(ORIGIN, "Orders API 2") != first


def test_find_without_file_is_none(copies):
    assert copies.find(ORIGIN, "Orders API") is None


def test_existing_file_not_overwritten(copies):
    path = copies.create(imported_suite())
    path.write_text("name: [broken\n")

    with pytest.raises(SuiteCopyError, match="exists but was not loaded"):
        copies.create(imported_suite())
    assert path.read_text() == "name: [broken\n"


def test_suite_without_source_rejected(copies):
    suite = imported_suite()
    suite.source = None

    with pytest.raises(SuiteCopyError, match="has no source"):
        copies.create(suite)


def test_line_break_in_name_stays_in_comment(copies):
    suite = imported_suite()
    suite.name = "Orders\nname: injected"

    path = copies.create(suite)

    assert [item.name for item in load_file(path)] == ["Orders\nname: injected"]
