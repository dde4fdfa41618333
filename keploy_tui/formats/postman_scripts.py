"""Translating Postman test and pre-request scripts into assertions, extractions and variables.

Only common, recognizable lines are translated: status checks, `pm.expect` on the
status, a header or a JSON field, `pm.response.to...` checks, legacy
`tests["..."] = expression` lines and `pm.environment.set` (or globals,
collectionVariables, variables, `postman.setEnvironmentVariable`) from a JSON field,
which becomes an extraction. Every other line is returned in `untranslated`, so the
importer can list it; none is dropped silently.

Assertions always run, so the lines inside an `if` are translated only when the
condition cannot change the verdict. That is the case when it repeats a check the
script already made (`if (is200Response)`, `if (tests["..."])`), or when it tests a
variable whose value is known at import time. Other blocks, and `else` branches, are
not translated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from keploy_tui.formats.postman_checks import boolean_check, expect_chain, response_chain
from keploy_tui.formats.postman_statements import split_semicolons, statements
from keploy_tui.formats.postman_js import (
    matching_close,
    parse_call,
    parse_chain,
    parse_literal,
    parse_path,
    split_arguments,
    string_literal,
)
from keploy_tui.model.suite import Assertion

_DECLARATION = r"(?:(?:var|let|const)\s+)?"
_NAME = r"([A-Za-z_$][\w$]*)"
_JSON_SOURCE = r"(?:pm\.response\.json\(\)|JSON\.parse\(\s*(?:responseBody|pm\.response\.text\(\))\s*\))"
_SETTER = re.compile(
    r"(pm\.(environment|globals|collectionVariables|variables)\.set"
    r"|postman\.set(?:Environment|Global)Variable)\s*\((.*)\)"
)
_VARIABLE_READ = re.compile(
    r"(?:environment|globals)\.([\w$]+)|pm\.(?:environment|globals|variables|collectionVariables)\.get\((.+)\)"
)


@dataclass
class ScriptTranslation:
    """The translation of one script: checks, values to extract and variables set to literals."""

    assertions: list[Assertion] = field(default_factory=list)
    extract: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    """Literal values the script sets for the requests after it (and, before the request, this one)."""
    local_variables: dict[str, str] = field(default_factory=dict)
    """`pm.variables.set` in a pre-request script: values for this request only."""
    untranslated: list[str] = field(default_factory=list)
    """One entry per line not translated: "line N: `text` (reason)"."""


@dataclass
class _Frame:
    translatable: bool
    reason: str = ""


def script_lines(events: object, listen: str) -> list[str]:
    """Return the source lines of the item's scripts that run on `listen` ("test" or "prerequest")."""
    lines: list[str] = []
    for event in events if isinstance(events, list) else []:
        if not isinstance(event, dict) or event.get("listen") != listen or event.get("disabled"):
            continue
        script = event.get("script")
        exec_value = script.get("exec") if isinstance(script, dict) else None
        if isinstance(exec_value, str):
            lines.extend(exec_value.splitlines())
        elif isinstance(exec_value, list):
            for item in exec_value:
                lines.extend(str(item).splitlines() or [""])
    return lines


def translate_script(lines: list[str], listen: str, lookup: Callable[[str], str | None]) -> ScriptTranslation:
    """Translate a script's `lines`; `lookup` returns a variable's value known at import time."""
    translator = _Translator(listen, lookup)
    translator.run(statements(lines))
    return translator.result


class _Translator:
    def __init__(self, listen: str, lookup: Callable[[str], str | None]) -> None:
        self.listen = listen
        self.lookup = lookup
        self.result = ScriptTranslation()
        self.aliases: dict[str, str] = {}
        self.status_variables: dict[str, int] = {}
        self.asserted_statuses: set[str] = set()
        self.translated_tests: set[str] = set()
        self.stack: list[_Frame] = []

    def run(self, statements: list[tuple[int, str]]) -> None:
        for number, text in statements:
            if re.fullmatch(r"\}\s*\)*\s*;?", text):
                if self.stack:
                    self.stack.pop()
                continue
            if re.match(r"\}\s*else\b", text):
                if self.stack:
                    self.stack.pop()
                self._open(number, text, _Frame(False, "in an else branch"))
                continue
            if text.endswith("{"):
                self._open(number, text, self._opener(text))
                continue
            blocked = self._blocking_frame()
            if blocked is not None:
                self._report(number, text, blocked.reason)
            else:
                self._statement(number, text)

    def _blocking_frame(self) -> _Frame | None:
        return next((frame for frame in reversed(self.stack) if not frame.translatable), None)

    def _open(self, number: int, text: str, frame: _Frame) -> None:
        blocked = self._blocking_frame()
        if blocked is not None:
            frame = _Frame(False, blocked.reason)
        if not frame.translatable:
            self._report(number, text, frame.reason)
        self.stack.append(frame)

    def _opener(self, text: str) -> _Frame:
        if text.startswith("pm.test.skip("):
            return _Frame(False, "pm.test.skip: a skipped test is not imported")
        if text.startswith("pm.test("):
            return _Frame(True)
        condition = re.fullmatch(r"if\s*\((.*)\)\s*\{", text)
        if condition:
            return self._condition(condition.group(1))
        return _Frame(False, "in a code block that is not translated")

    def _condition(self, text: str) -> _Frame:
        negated = False
        text = _strip_parens(text.strip())
        while text.startswith("!"):
            negated = not negated
            text = _strip_parens(text[1:].strip())
        guard = re.fullmatch(r"tests\s*\[(.+)\]", text)
        if not negated and text in self.status_variables and str(self.status_variables[text]) in self.asserted_statuses:
            return _Frame(True)
        if not negated and guard and _literal_or_none(guard.group(1)) in self.translated_tests:
            return _Frame(True)
        read = _VARIABLE_READ.fullmatch(text)
        if read:
            name = read.group(1) or _literal_or_none(read.group(2))
            value = self.lookup(name) if isinstance(name, str) else None
            if bool(value) != negated:
                return _Frame(True)
            return _Frame(False, "in a condition that is false for the imported variables")
        return _Frame(False, "in a condition that cannot be translated")

    def _report(self, number: int, text: str, reason: str) -> None:
        self.result.untranslated.append(f"line {number}: `{text}` ({reason})")

    def _statement(self, number: int, text: str) -> None:
        try:
            handled = self._setter(text) if self.listen == "prerequest" else self._test_statement(text)
        except ValueError as error:
            self._report(number, text, str(error))
            return
        if not handled:
            reason = "pre-request scripts are not run" if self.listen == "prerequest" else "not recognized"
            self._report(number, text, reason)

    def _test_statement(self, text: str) -> bool:
        if self._declaration(text):
            return True
        legacy = re.fullmatch(r"tests\s*\[(.+?)\]\s*=\s*(.+)", text)
        if legacy:
            name = string_literal(legacy.group(1))
            self._add(boolean_check(legacy.group(2), self.aliases, self.status_variables))
            self.translated_tests.add(name)
            return True
        if text.startswith("pm.expect("):
            arguments, rest = parse_call(text, "pm.expect")
            self._add(expect_chain(arguments[0], parse_chain(rest), self.aliases))
            return True
        if text.startswith("pm.response.to."):
            self._add(response_chain(parse_chain(text[len("pm.response"):])))
            return True
        if text.startswith("pm.test("):
            return self._one_line_test(text)
        if self._setter(text):
            return True
        path_alias = re.fullmatch(_DECLARATION + _NAME + r"\s*=\s*(.+?)(?:\s*\|\|\s*\{\s*\})?", text)
        if path_alias:
            self.aliases[path_alias.group(1)] = parse_path(path_alias.group(2), self.aliases)
            return True
        return False

    def _declaration(self, text: str) -> bool:
        """Record a variable that contains the parsed body or the result of a status check."""
        alias = re.fullmatch(_DECLARATION + _NAME + r"\s*=\s*" + _JSON_SOURCE, text)
        if alias:
            self.aliases[alias.group(1)] = "$"
            return True
        destructured = re.fullmatch(r"(?:var|let|const)\s*\{([\w$\s,]+)\}\s*=\s*" + _JSON_SOURCE, text)
        if destructured:
            for name in (part.strip() for part in destructured.group(1).split(",")):
                self.aliases[name] = f"$.{name}"
            return True
        status = re.fullmatch(
            _DECLARATION + _NAME + r"\s*=\s*(?:responseCode\.code|pm\.response\.code)\s*===?\s*(\d{3})", text
        )
        if status:
            self.status_variables[status.group(1)] = int(status.group(2))
            return True
        return False

    def _add(self, assertions: list[Assertion]) -> None:
        for assertion in assertions:
            if assertion.type == "status_code" and assertion.expected:
                self.asserted_statuses.add(assertion.expected)
            if assertion not in self.result.assertions:
                self.result.assertions.append(assertion)

    def _one_line_test(self, text: str) -> bool:
        arguments, rest = parse_call(text, "pm.test")
        if rest or len(arguments) != 2:
            return False
        function = arguments[1]
        if "{" in function:
            start = function.index("{")
            body = function[start + 1:matching_close(function, start)]
        elif "=>" in function:
            body = function.split("=>", 1)[1]
        else:
            return False
        pieces = split_semicolons(body)
        for piece in pieces:
            if not self._test_statement(piece):
                raise ValueError(f"`{piece}` is not recognized")
        return bool(pieces)

    def _setter(self, text: str) -> bool:
        match = _SETTER.fullmatch(text)
        if match is None:
            return False
        arguments = split_arguments(match.group(3))
        if len(arguments) != 2:
            raise ValueError("expected a variable name and a value")
        name = string_literal(arguments[0])
        try:
            value = parse_literal(arguments[1])
        except ValueError:
            if self.listen == "prerequest":
                raise ValueError("the value is computed in a pre-request script") from None
            self.result.extract[name] = parse_path(arguments[1], self.aliases)
            return True
        text_value = value if isinstance(value, str) else _json_or_text(value)
        if self.listen == "prerequest" and match.group(2) == "variables":
            self.result.local_variables[name] = text_value
        else:
            self.result.variables[name] = text_value
        return True


def _json_or_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _literal_or_none(text: str) -> object:
    try:
        return parse_literal(text)
    except ValueError:
        return None


def _strip_parens(text: str) -> str:
    while text.startswith("(") and _closes_at_end(text):
        text = text[1:-1].strip()
    return text


def _closes_at_end(text: str) -> bool:
    try:
        return matching_close(text, 0) == len(text) - 1
    except ValueError:
        return False
