"""The endpoint and auth that the app offers in the Run modal, and the ones that `R` re-runs reuse.

Both come from the settings remembered per suite. A demo session's API listens on a new
port each time, so an endpoint remembered from an earlier demo session is replaced by this
session's URL, here and in re-runs of a report's steps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from keploy_tui.model import Auth, Suite

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

log = logging.getLogger(__name__)

DEMO_URLS_SETTING = "demo_urls"
"""Named setting: the demo API's URLs of earlier `keploy-tui demo` sessions, newest first."""
MAX_DEMO_URLS = 20


class Endpoints:
    """Remembered endpoints and auth per suite, with earlier demo sessions' URLs replaced by this session's."""

    def __init__(self, app: KeployApp) -> None:
        self.app = app
        self._old_demo_urls: set[str] = set()

    def remember_demo_url(self, url: str) -> None:
        # Each demo session listens on a new port, so an endpoint remembered from an
        # earlier session points at nothing. Such endpoints are replaced by this session's URL.
        try:
            earlier = [item for item in self.app.settings.get(DEMO_URLS_SETTING, []) if item != url]
            self.app.settings.set(DEMO_URLS_SETTING, [url, *earlier][:MAX_DEMO_URLS])
        except Exception:
            log.exception("Could not update the demo API URLs of earlier sessions")
            return
        self._old_demo_urls = set(earlier)

    def endpoint_for(self, suites: list[Suite]) -> tuple[str, Auth | None, dict[str, str]]:
        """Return the endpoint, auth and variables to offer for `suites`.

        In order: the first suite's remembered endpoint, auth and variables, the demo API
        in a demo session, the origin an importer found in a suite, the last endpoint of any run.
        """
        for suite in suites:
            stored = self.stored_settings(suite)
            if stored is not None:
                return (self.live_url(str(stored.get("base_url") or "")), Auth.from_dict(stored.get("auth")),
                        stored_variables(stored))
        if self.app.demo_url:
            return self.app.demo_url, None, {}
        origin = next((suite.default_base_url for suite in suites if suite.default_base_url), None)
        if origin:
            return origin, None, {}
        try:
            last = self.app.settings.last_base_url()
        except Exception:
            log.exception("Could not read the last endpoint")
            last = None
        return last or "", None, {}

    def live_url(self, url: str) -> str:
        """Return `url`, or this demo session's URL when `url` is the demo API of an earlier session."""
        demo_url = self.app.demo_url
        return demo_url if demo_url and url in self._old_demo_urls else url

    def stored_settings(self, suite: Suite) -> dict | None:
        """Return the endpoint and auth remembered for `suite`, or for the import that it was edited from."""
        for key in (suite.key, self.app.import_keys.get(suite.key)):
            if key is None:
                continue
            try:
                stored = self.app.settings.get_suite(key)
            except Exception:
                log.exception("Could not read the remembered settings of suite %s", key)
                return None
            if stored is not None:
                return stored
        return None

    def rerun_groups(self, suites: list[Suite]) -> tuple[list[RerunGroup], list[Suite]]:
        """Group `suites` by the endpoint, auth and variables each last ran with.

        Returns the groups, and the suites with no remembered endpoint.
        """
        groups: dict[tuple[str, str, str], RerunGroup] = {}
        unknown: list[Suite] = []
        for suite in suites:
            stored = self.stored_settings(suite)
            if stored is None or not stored.get("base_url"):
                unknown.append(suite)
                continue
            base_url = self.live_url(str(stored["base_url"]))
            auth = Auth.from_dict(stored.get("auth"))
            variables = stored_variables(stored)
            group_key = (base_url, repr(sorted(auth.to_dict().items())), repr(sorted(variables.items())))
            groups.setdefault(group_key, RerunGroup(base_url, auth, variables)).suites.append(suite)
        return list(groups.values()), unknown


@dataclass
class RerunGroup:
    """Suites that `R` runs again together, because they last ran with the same settings."""

    base_url: str
    auth: Auth
    variables: dict[str, str]
    suites: list[Suite] = field(default_factory=list)


def stored_variables(stored: dict) -> dict[str, str]:
    """Return the variables of a suite's remembered settings; older settings have none."""
    variables = stored.get("variables")
    return {str(name): str(value) for name, value in variables.items()} if isinstance(variables, dict) else {}
