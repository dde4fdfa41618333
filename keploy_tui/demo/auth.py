"""Credentials the demo API accepts: a bearer token, Basic credentials or an API key."""

from __future__ import annotations

import base64
import binascii
import hmac

from keploy_tui.demo.data import Record
from keploy_tui.demo.messages import ClientError, Request, first_query_value

DEMO_TOKEN = "demo-token"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-pass"
DEMO_API_KEY = "demo-key"
API_KEY_HEADER = "X-Api-Key"
API_KEY_PARAM = "api_key"
AUTH_CHALLENGES = (
    ("WWW-Authenticate", 'Bearer realm="keploy-tui demo"'),
    ("WWW-Authenticate", 'Basic realm="keploy-tui demo"'),
)


def _unauthorized(message: str) -> ClientError:
    return ClientError(401, message, AUTH_CHALLENGES)


def _same_secret(received: str, expected: str) -> bool:
    return hmac.compare_digest(received.encode("utf-8"), expected.encode("utf-8"))


def _check_authorization(value: str) -> Record:
    scheme, _, credentials = value.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        if _same_secret(credentials, DEMO_TOKEN):
            return {"method": "bearer"}
        raise _unauthorized("invalid bearer token")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise _unauthorized("malformed basic credentials: expected base64 of username:password") from None
        username, _, password = decoded.partition(":")
        if _same_secret(username, DEMO_USERNAME) and _same_secret(password, DEMO_PASSWORD):
            return {"method": "basic"}
        raise _unauthorized("invalid username or password")
    raise _unauthorized(f"unsupported Authorization scheme {scheme!r}: use Bearer or Basic")


def authenticate(request: Request) -> Record:
    """Return the identity behind the request's credentials, or raise a 401 ClientError.

    The first credential present decides: the Authorization header, then the API-key
    header, then the API-key query parameter. A wrong credential is rejected even when
    a later one would be valid.
    """
    authorization = request.headers.get("Authorization")
    if authorization:
        identity = _check_authorization(authorization)
    elif request.headers.get(API_KEY_HEADER) is not None:
        identity = _check_api_key(request.headers[API_KEY_HEADER], "header")
    elif any(name == API_KEY_PARAM for name, _ in request.query):
        identity = _check_api_key(first_query_value(request, API_KEY_PARAM) or "", "query")
    else:
        raise _unauthorized("missing credentials: send a bearer token, basic credentials or an API key")
    return {"authenticated": True, **identity, "user": DEMO_USERNAME}


def _check_api_key(value: str, location: str) -> Record:
    if _same_secret(value, DEMO_API_KEY):
        return {"method": "api_key", "in": location}
    raise _unauthorized(f"invalid API key in {location}")
