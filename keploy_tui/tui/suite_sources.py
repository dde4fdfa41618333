"""Loading the suite files and folders the app shows, one source at a time.

Textual-free. A source that fails to load is reported and skipped, so one broken file
never hides the suites of the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.importers import load_any_paths
from keploy_tui.model import Suite

log = logging.getLogger(__name__)


@dataclass
class LoadResult:
    suites: list[Suite] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One line per failure, "file:line: message" where the location is known."""
    loaded: list[str] = field(default_factory=list)
    """The sources that contributed at least one suite."""
    warnings: list[str] = field(default_factory=list)
    """What an importer could not translate (Postman script lines, dropped headers), one line each."""


def load_sources(sources: Iterable[str], known_names: Iterable[str] = ()) -> LoadResult:
    """Load each source on its own and skip suites whose name is in `known_names` or loaded earlier.

    Names must be unique because reports identify a suite by its name.
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

        suites = imported.suites
        result.warnings.extend(str(warning) for warning in imported.warnings)
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
