"""Suite YAML files that stand in for edited imports, kept in `<data-dir>/suites/`.

A Postman collection or a Keploy test-set cannot take an edit in its own format. So the
first save of an imported suite writes that suite as Keploy suite YAML here, and from
then on the app loads this file in place of the import. The file name is derived from
the import's source path and the suite's name, so the same import always finds the
same file and no index has to be kept in step with the folder.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.suite_yaml import dump_suites, loads
from keploy_tui.model import Suite
from keploy_tui.store.storage import StoreLock, write_text_atomic

log = logging.getLogger(__name__)

SUITES_DIR = "suites"
"""Folder of the data directory that contains the suite files written for edited imports."""
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_LENGTH = 40
_DIGEST_LENGTH = 12


class SuiteCopyError(Exception):
    """A suite file for an import could not be written. The message gives the reason and the next step."""


class SuiteCopies:
    """The suite files written for edited imports of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.folder = self.data_dir / SUITES_DIR

    def path_for(self, origin: str, name: str) -> Path:
        """Return where the suite `name` imported from `origin` is written once edited.

        The digest keeps apart two imports that share a suite name, and the readable
        part lets a person find the file.
        """
        digest = hashlib.sha256(f"{origin}\0{name}".encode("utf-8", "surrogatepass")).hexdigest()
        slug = _NOT_SLUG.sub("-", name.lower()).strip("-")[:_SLUG_LENGTH].strip("-") or "suite"
        return self.folder / f"{slug}-{digest[:_DIGEST_LENGTH]}.yaml"

    def find(self, origin: str, name: str) -> Path | None:
        """Return the written file for an imported suite, or None when it was never edited."""
        path = self.path_for(origin, name)
        return path if path.is_file() else None

    def contains(self, path: str | Path) -> bool:
        """Tell whether `path` is a file of this folder, so a suite loaded from it is no import."""
        return Path(path).absolute().parent == self.folder.absolute()

    def create(self, suite: Suite) -> Path:
        """Write the imported `suite` as suite YAML, mode 0600, and return the file's path.

        The file starts with a comment naming the import. Raises SuiteCopyError when the
        file exists already, because it may hold edits that no longer load, or when the
        written YAML would not load back as the same suite.
        """
        if not suite.source:
            raise SuiteCopyError(f"suite '{suite.name}' has no source, so it has no file to be saved in")
        path = self.path_for(suite.source, suite.name)
        text = _header(suite) + dump_suites([suite])
        try:
            reloaded = loads(text, str(path))
        except SuiteLoadError as error:
            raise SuiteCopyError(f"suite '{suite.name}' cannot be written as suite YAML: {error}") from None
        if reloaded != [suite]:
            raise SuiteCopyError(f"suite '{suite.name}' does not load back the same from suite YAML, "
                                 f"so it was not written; export it with `keploy-tui import --into FILE`")

        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The lock keeps two app instances from both writing the file for one import.
        with StoreLock(self.data_dir):
            if path.exists():
                raise SuiteCopyError(f"{path} exists but was not loaded in place of the import: it does not "
                                     "load, or names another suite. Fix or delete it, then save again")
            # Mode 0600, because an imported step may hold a literal credential.
            write_text_atomic(path, text)
        log.info("Wrote suite '%s' imported from %s to %s", suite.name, suite.source, path)
        return path


def _header(suite: Suite) -> str:
    # A comment ends at a line break, so one in a name or path would start a YAML line.
    origin = " ".join(str(suite.source).splitlines())
    name = " ".join(suite.name.splitlines())
    return (f"# Suite '{name}', imported from {origin} and edited in keploy-tui.\n"
            "# keploy-tui loads this file in place of the import; delete it to load the import again.\n")
