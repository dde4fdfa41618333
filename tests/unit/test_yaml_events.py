"""The event-based YAML loader gives the same values as ruamel.yaml's safe loader, or steps aside."""

import datetime

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from keploy_tui.formats import yaml_events
from keploy_tui.formats.suite_yaml import _parse_documents
from tests.conftest import CORPUS_DIR, SAMPLES_DIR

SAME_AS_RUAMEL = {
    "scalars": "a: 1\nb: 1.5\nc: ~\nd: true\ne: yes\nf: '1'\ng: \"x\\ty\"\nh: 0x1f\ni: .inf\nj:\n",
    "nested": "steps:\n  - name: s\n    assert:\n      - {type: status_code, expected_string: '200'}\n",
    "anchors": "base: &b {k: v}\nsame: *b\nlist: &l [1, 2]\nagain: *l\n",
    "documents": "a: 1\n---\n---\n- x\n",
    "explicit tags": "a: !!str 12\nb: !!int '7'\nc: !!float 2\nd: !!binary aGk=\n",
    "timestamp": "when: 2001-12-14\n",
    "block text": "body: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
    "empty": "",
    "unicode": "name: 漢字 ✓\n",
    "typed or not": ("[-1, +2, .5, -.inf, .NaN, 1e3, 0o17, True, FALSE, Null, NULL, ~, ~x, nope, Yes, off,"
                     " tru, 12ab, -x, .x, =x, 2001-12-14]\n"),
}


def ruamel_load(text):
    return list(YAML(typ="safe", pure=False).load_all(text))


@pytest.mark.parametrize("text", SAME_AS_RUAMEL.values(), ids=SAME_AS_RUAMEL.keys())
def test_events_match_ruamel(text):
    assert yaml_events.load_all(text) == ruamel_load(text)


def test_events_keep_alias_identity():
    documents = yaml_events.load_all("a: &x [1]\nb: *x\n")

    assert documents[0]["a"] is documents[0]["b"]
    assert yaml_events.load_all("when: 2001-12-14\n")[0]["when"] == datetime.date(2001, 12, 14)


@pytest.mark.parametrize("text", [
    "base: &b {k: v}\nmerged:\n  <<: *b\n  own: 1\n",
    "a: 1\na: 2\n",
    "%YAML 1.1\n---\na: yes\n",
    "a: !custom x\n",
    "a: !!set {x, y}\n",
    "? [1, 2]\n: v\n",
])
def test_events_step_aside_for_other_yaml(text):
    with pytest.raises(yaml_events.Unsupported):
        yaml_events.load_all(text)


def test_invalid_yaml_raises_ruamel_error():
    with pytest.raises(YAMLError):
        yaml_events.load_all("a: [1, 2\n")


def test_fast_parse_falls_back_to_ruamel():
    text = "base: &b {k: v}\nmerged:\n  <<: *b\n  own: 1\n"

    assert _parse_documents(text, "merge.yaml", fast=True) == ruamel_load(text)


def test_sample_suites_match_ruamel():
    files = sorted(SAMPLES_DIR.glob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml_events.load_all(text) == ruamel_load(text), path


@pytest.mark.corpus
def test_corpus_yaml_matches_ruamel():
    files = sorted([*CORPUS_DIR.rglob("*.yaml"), *CORPUS_DIR.rglob("*.yml")])
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            expected = ruamel_load(text)
        except YAMLError:
            continue
        try:
            assert yaml_events.load_all(text) == expected, path
        except yaml_events.Unsupported:
            pass
