"""The HTTP client that runs and re-runs send their steps with."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

import httpx

from keploy_tui.model import RunConfig


def run_client(config: RunConfig, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """Return the client for a run with `config`; `transport` replaces the network, as tests do."""
    limits = httpx.Limits(max_connections=max(10, config.concurrency * 2))
    return RunClient(
        follow_redirects=False, timeout=config.timeout,
        transport=transport or SchemeTransport(verify=config.verify_tls, limits=limits),
    )


class RunClient(httpx.AsyncClient):
    """An AsyncClient with a cookie jar for each suite, which reads only responses that set a cookie.

    Cookies that a response sets are sent by the later steps of the same suite, as a
    browser would send them. A suite's task calls `suite_cookies()` first, so two
    suites that log in as different users keep their sessions apart. Other callers
    share the client's own jar. httpx hands every response to the jar, and the standard
    library's cookie parser took about 12 us a response even without a Set-Cookie
    header: about 2% of a whole request to an API on the same machine.
    """

    def __init__(self, *, cookies: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.cookies = cookies

    @property
    def cookies(self) -> httpx.Cookies:
        jar = _TASK_JAR.get()
        return self._shared_cookies if jar is None else jar

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._shared_cookies = SetCookieJar(cookies)


def suite_cookies(jar: httpx.Cookies | None = None) -> httpx.Cookies:
    """Give the calling asyncio task, and the tasks it starts, `jar` or a new empty jar, and return it."""
    jar = SetCookieJar() if jar is None else jar
    _TASK_JAR.set(jar)
    return jar


class SetCookieJar(httpx.Cookies):
    """Cookies that skip parsing a response without a Set-Cookie header."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


_TASK_JAR: ContextVar[httpx.Cookies | None] = ContextVar("keploy_tui_suite_cookies", default=None)


class SchemeTransport(httpx.AsyncBaseTransport):
    """Sends http:// requests over a plain transport and sets up TLS on the first https:// one.

    A TLS transport loads the CA bundle when it is made, about 40 ms, which was a tenth
    of `keploy-tui run`'s start-up, and a run against a plain-HTTP API never needs it.
    Proxies from the environment still apply: the client mounts them in front of this.
    """

    def __init__(self, verify: bool, limits: httpx.Limits) -> None:
        self.verify = verify
        self.limits = limits
        # verify=False skips loading the CA bundle; no http:// connection does TLS.
        self.plain = httpx.AsyncHTTPTransport(verify=False, limits=limits)
        self.tls: httpx.AsyncHTTPTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.scheme != "https":
            return await self.plain.handle_async_request(request)
        if self.tls is None:
            self.tls = httpx.AsyncHTTPTransport(verify=self.verify, limits=self.limits)
        return await self.tls.handle_async_request(request)

    async def aclose(self) -> None:
        await self.plain.aclose()
        if self.tls is not None:
            await self.tls.aclose()
