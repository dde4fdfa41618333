"""Classifying a failed exchange as refused, DNS, TLS, timeout or dropped, for the report."""

from __future__ import annotations

import ssl

import httpx


def failure_kind(error: Exception) -> str:
    """Return one of timeout, tls, dns, refused, dropped, url or transport."""
    text = _chain_text(error).lower()
    if isinstance(error, httpx.TimeoutException):
        return "timeout"
    if isinstance(error, (httpx.UnsupportedProtocol, httpx.InvalidURL)) or _caused_by(error, OverflowError):
        return "url"
    if _caused_by(error, ssl.SSLError) or "ssl" in text or "certificate" in text:
        return "tls"
    if isinstance(error, httpx.ConnectError):
        dns_markers = ("name or service not known", "nodename nor servname", "getaddrinfo",
                       "temporary failure in name resolution", "no address associated")
        return "dns" if any(marker in text for marker in dns_markers) else "refused"
    if isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return "dropped"
    return "transport"


DEFAULT_PORTS = {"http": 80, "https": 443}


def describe(error: Exception) -> str:
    """Return a one-line message for `error`, falling back to its type when it has no text.

    A failed connection also names the host and port, which httpx 0.29 leaves out of its message.
    """
    if isinstance(error, BaseExceptionGroup) and error.exceptions:
        return describe(error.exceptions[0])
    text = str(error).strip() or _chain_text(error).strip()
    line = text.splitlines()[0] if text else type(error).__name__
    address = _address(error)
    if address is not None and failure_kind(error) in ("refused", "dns"):
        return f"failed to connect to {address} ({line})"
    return line


def failed_request(error: Exception) -> httpx.Request | None:
    """Return the request that `error` failed on, or None when httpx did not attach one."""
    try:
        return error.request  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):
        # httpx.RequestError.request raises RuntimeError when no request was attached.
        return None


def _address(error: Exception) -> str | None:
    """Return `host:port` of the request that failed, or None when httpx did not attach the request."""
    request = failed_request(error)
    if request is None:
        return None
    url = request.url
    host = f"[{url.host}]" if ":" in url.host else url.host
    port = url.port or DEFAULT_PORTS.get(url.scheme)
    return f"{host}:{port}" if port else host


def _chain_text(error: BaseException) -> str:
    parts = []
    current: BaseException | None = error
    while current is not None and len(parts) < 10:
        parts.append(f"{type(current).__name__}: {current}")
        current = current.__cause__ or current.__context__
    return " | ".join(parts)


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    current: BaseException | None = error
    while current is not None:
        if isinstance(current, kind):
            return True
        if isinstance(current, BaseExceptionGroup):
            return any(_caused_by(inner, kind) for inner in current.exceptions)
        current = current.__cause__ or current.__context__
    return False
