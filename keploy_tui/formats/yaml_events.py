"""Load plain YAML data straight from libyaml's parse events, without building a node tree.

ruamel.yaml's safe loader first composes a node object for every scalar, mapping and
sequence of a document, then constructs Python values from the nodes. For a suite of
10,000 steps (1.8 MB) the node tree took about 100 MiB at its peak, and that memory
stayed with the process. This builder turns each event into a value as it arrives.

It covers what suite files use: mappings, sequences, scalars resolved by ruamel's own
YAML 1.2 resolver, and anchors with aliases. Anything else (merge keys, duplicate keys,
collection tags, unknown tags) raises Unsupported, and the caller loads the text with
ruamel.yaml as before, which also gives the usual error for invalid input.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from ruamel.yaml.nodes import ScalarNode

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_COLLECTION_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_NO_KEY = object()


class Unsupported(Exception):
    """The text uses YAML this builder leaves to ruamel.yaml's loader."""


class LineInfo:
    """Start lines of a mapping or sequence and of each of its keys or items.

    It serves the calls that formats.yaml_values makes on ruamel's `lc`, so suites,
    steps and messages built from these values still name their lines.
    """

    __slots__ = ("line", "lines")

    def __init__(self, line: int, lines: dict[Any, int] | list[int]) -> None:
        self.line = line
        self.lines = lines

    def item(self, index: int) -> tuple[int, int]:
        return self.lines[index], 0

    def key(self, key: Any) -> tuple[int, int]:
        return self.lines[key], 0


class LinedDict(dict):
    __slots__ = ("lc",)


class LinedList(list):
    __slots__ = ("lc",)


def load_all(text: str) -> list[Any]:
    """Return every document in `text` as plain Python values, None for an empty one.

    Raises ruamel.yaml's errors for invalid YAML, and Unsupported as described above.
    """
    yaml = YAML(typ="safe", pure=False)
    return _Builder(yaml).build(yaml.parse(text))


class _Builder:
    def __init__(self, yaml: YAML) -> None:
        self.resolver = yaml.resolver
        self.constructor = yaml.constructor
        self.documents: list[Any] = []
        self.anchors: dict[str, Any] = {}
        self.root: Any = None
        self.plain_tags: dict[str, str] = {}
        # The resolver keys its implicit types (numbers, booleans, null) by their first
        # character, so a plain scalar starting with any other character is a string.
        self.typed_starts = frozenset(key for key in self.resolver.versioned_resolver if key is not None)

    def build(self, events: Any) -> list[Any]:
        # One loop with the current collection in locals: a 2,000-step suite has 50,000
        # events, and a method call for each step of each event was half the load time.
        stack: list[list[Any]] = []
        frame: list[Any] | None = None
        anchors = self.anchors
        for event in events:
            kind = type(event)
            if kind is ScalarEvent:
                value = self.scalar(event)
                if event.anchor is not None:
                    anchors[event.anchor] = value
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.tag not in _COLLECTION_TAGS:
                    raise Unsupported(f"collection tag {event.tag}")
                line = event.start_mark.line
                if kind is MappingStartEvent:
                    value = LinedDict()
                    value.lc = LineInfo(line, {})
                else:
                    value = LinedList()
                    value.lc = LineInfo(line, [])
                if event.anchor is not None:
                    anchors[event.anchor] = value
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                if frame[1] is not _NO_KEY:
                    raise Unsupported("a mapping ended after a key without a value")
                stack.pop()
                frame = stack[-1] if stack else None
                continue
            elif kind is AliasEvent:
                if event.anchor not in anchors:
                    raise Unsupported(f"alias *{event.anchor} has no anchor")
                value = anchors[event.anchor]
            elif kind is DocumentStartEvent:
                if event.version is not None:
                    raise Unsupported("a %YAML directive, which can change how scalars resolve")
                anchors.clear()
                self.root = None
                continue
            elif kind is DocumentEndEvent:
                self.documents.append(self.root)
                continue
            else:
                continue
            # The value goes into its parent now, so an alias inside a collection may refer to it.
            if frame is None:
                self.root = value
            elif frame[2]:
                frame[0].append(value)
                frame[0].lc.lines.append(event.start_mark.line)
            elif frame[1] is _NO_KEY:
                if isinstance(value, (dict, list)) or value in frame[0]:
                    raise Unsupported("a collection as a key, or a duplicate key")
                frame[1] = value
                frame[0].lc.lines[value] = event.start_mark.line
            else:
                frame[0][frame[1]] = value
                frame[1] = _NO_KEY
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                # The container, the key read last in a mapping, and whether it is a list.
                frame = [value, _NO_KEY, kind is SequenceStartEvent]
                stack.append(frame)
        return self.documents

    def scalar(self, event: ScalarEvent) -> Any:
        value, tag = event.value, event.tag
        if tag is None or tag == "!":
            if not event.implicit[0] or tag == "!" or value[:1] not in self.typed_starts:
                return value
            tag = self.plain_tags.get(value)
            if tag is None:
                tag = self.plain_tags[value] = str(self.resolver.resolve(ScalarNode, value, event.implicit))
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        construct = self.constructor.yaml_constructors.get(tag)
        if construct is None or tag in ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"):
            raise Unsupported(f"scalar tag {tag}")
        return construct(self.constructor, ScalarNode(tag, value, style=event.style))
