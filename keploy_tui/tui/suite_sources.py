"""Loading the suite files and folders the app shows, one source at a time.

Textual-free. A source that fails to load is reported and skipped, so one broken file
never hides the suites of the others. An imported suite that was edited in the app is
loaded from its suite file in the data directory instead of from the import.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.import_common import ImportWarning
from keploy_tui.formats.importers import load_any_paths
from keploy_tui.formats.suite_yaml import load_file
from keploy_tui.model import Suite
from keploy_tui.store.suite_copies import SuiteCopies

log = logging.getLogger(__name__)


@dataclass
class LoadResult:
    suites: list[Suite] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One line per failure, "file:line: message" where the location is known."""
    loaded: list[str] = field(default_factory=list)
    """The sources that contributed at least one suite."""
    warnings: list[ImportWarning] = field(default_factory=list)
    """Importer warnings about parts not carried over (Postman script lines, dropped headers), each with its file."""
    native_sources: set[str] = field(default_factory=set)
    """Suite YAML files among the sources, which take edits in place."""
    import_keys: dict[str, str] = field(default_factory=dict)
    """Suite.key of each suite loaded from its edited copy, mapped to the key of its import."""


def load_sources(sources: Iterable[str], known_names: Iterable[str] = (),
                 copies: SuiteCopies | None = None) -> LoadResult:
    """Load each source on its own and skip suites whose name is in `known_names` or loaded earlier.

    Names must be unique because reports identify a suite by its name. An imported suite
    with a file in `copies` is loaded from that file.
    """
    result = LoadResult()
    names = set(known_names)
    for source in sources:
        # Keploy suite YAML, Keploy test-set folders and Postman collections all load here,
        # so the import key accepts whatever `keploy-tui import` does.
        try:
            imported = load_any_paths([source])
        except SuiteLoadError as error:
            log.warning("Could not load suites from %s: %s", source, error)
            result.errors.append(str(error))
            continue

        result.native_sources |= imported.native_sources
        suites = imported.suites
        if copies is not None:
            suites = [_edited_or_imported(suite, copies, result) for suite in suites]
        result.warnings.extend(imported.warnings)
        added = 0
        for suite in suites:
            if suite.name in names:
                location = f"{suite.source}:{suite.line}" if suite.line else str(suite.source)
                message = (f"{location}: suite '{suite.name}' skipped: a loaded suite already has "
                           "this name; rename one, because reports identify a suite by its name")
                log.warning("%s", message)
                result.errors.append(message)
                continue
            names.add(suite.name)
            result.suites.append(suite)
            added += 1
        if added:
            result.loaded.append(source)
        log.info("Loaded %d suites from %s", added, source)
    return result


def _edited_or_imported(suite: Suite, copies: SuiteCopies, result: LoadResult) -> Suite:
    """Return the suite from its edited copy when the import has one, else `suite` itself."""
    if suite.source is None or suite.source in result.native_sources:
        return suite
    path = copies.find(suite.source, suite.name)
    if path is None:
        return suite
    try:
        edited = next((item for item in load_file(path) if item.name == suite.name), None)
    except SuiteLoadError as error:
        log.warning("Could not load the edited copy of suite %s: %s", suite.name, error)
        result.errors.append(f"{error}; loaded suite '{suite.name}' from the import {suite.source} instead")
        return suite
    if edited is None:
        message = (f"{path}: has no suite named '{suite.name}', so the import {suite.source} was loaded "
                   "instead; rename the suite in that file back, or delete the file")
        log.warning("%s", message)
        result.errors.append(message)
        return suite
    result.native_sources.add(str(path))
    result.import_keys[edited.key] = suite.key
    log.info("Loaded suite %s from its edited copy %s in place of %s", suite.name, path, suite.source)
    return edited
