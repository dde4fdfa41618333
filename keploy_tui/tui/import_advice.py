"""Import warnings and load errors reworded for the app, whose runs have no command-line options.

The importers write their advice for `keploy-tui run` and `keploy-tui import`: give
`--var`, `--base-url`, `--basic`, `--insecure` or `-e`. The app's Run dialog takes only an
endpoint, auth and variables, so each such piece of advice is replaced by what works in the app,
keeping the command-line option as the other way. Textual-free, so it is unit tested.
"""

from __future__ import annotations

import re

from keploy_tui.formats.import_common import ImportWarning

# Each pair replaces the advice part of one importer message, matched word for word. When
# an importer's wording changes, its message no longer matches, so `advice_for_app` appends
# a note that the options it names belong to the command line.
APP_ADVICE = [
    # From postman_collection.py, for a protocolProfileBehavior such as strictSSL.
    ("; --insecure skips TLS checks for a whole run",
     "; the app always checks TLS certificates, and keploy-tui run --insecure skips the checks"),
    # From postman_collection.py, for variables that nothing defines.
    (" for the run to fill (give --var NAME=VALUE)",
     " for the run to fill: give them values in the Variables field of the Run dialog, as NAME=VALUE"),
    ("these variable names cannot be given with --var and are sent as written",
     "these variable names cannot be set at run time and are sent as written"),
    # From postman_collection.py, for variables that a script sets, used before the extraction.
    ("(steps before the extraction need --var)",
     "(steps before the extraction need them in the Variables field of the Run dialog)"),
    # From postman_collection.py, for a URL origin that is a variable without a value.
    ("so give --base-url when running",
     "so enter the API Endpoint URL when you run the suite"),
    # From postman_auth.py, for Basic auth built from variables.
    ("(give --basic)",
     "(give Basic auth on the Authentication tab when you run the suite, or as the step's own auth)"),
    # From importers.py, for a Postman environment given where a collection was expected.
    ("; pass it with -e/--environment",
     "; the app cannot read environments, so run keploy-tui import COLLECTION -e ENVIRONMENT "
     "--into FILE and import FILE"),
]

CLI_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def advice_for_app(text: str) -> str:
    """Return `text` with its command-line advice replaced by what the app offers.

    Text that names a command-line option without a known replacement gets a note that the
    option belongs to the command line.
    """
    replaced = text
    for cli_advice, app_advice in APP_ADVICE:
        replaced = replaced.replace(cli_advice, app_advice)
    if replaced != text:
        return replaced
    options = list(dict.fromkeys(CLI_OPTION.findall(text)))
    if not options:
        return text
    kind = "an option" if len(options) == 1 else "options"
    return f"{text} ({', '.join(options)}: {kind} of the keploy-tui command line, not of the app)"


def warning_for_app(warning: ImportWarning) -> ImportWarning:
    """Return `warning` with its message reworded by `advice_for_app`."""
    return ImportWarning(warning.source, advice_for_app(warning.message))
