"""Decoding response bodies for assertions and for the stored record."""

import httpx
import pytest

from keploy_tui.engine.capture import body_text, record_response, text_encoding
from keploy_tui.engine.redact import Redactor


@pytest.mark.parametrize(("content_type", "expected"), [
    ("text/plain; charset=ISO-8859-1", "iso-8859-1"),
    ('text/html; Charset="windows-1252"', "windows-1252"),
    ("application/json", "utf-8"),
    ("text/plain; charset=no-such-charset", "utf-8"),
    ("", "utf-8"),
])
def test_text_encoding_known_charsets_only(content_type, expected):
    assert text_encoding(content_type) == expected


def test_body_text_declared_charset():
    response = httpx.Response(200, content="café".encode("latin-1"),
                              headers={"Content-Type": "text/plain; charset=latin-1"})
    assert body_text(response) == "café"
    assert body_text(response) == response.text


def test_body_text_invalid_utf8():
    response = httpx.Response(200, content=b'{"a": "\xff"}', headers={"Content-Type": "application/json"})
    assert body_text(response) == response.text == '{"a": "\ufffd"}'


def test_binary_body_latin1_and_base64():
    content = bytes(range(256))
    response = httpx.Response(200, content=content, headers={"Content-Type": "application/octet-stream"})
    assert body_text(response).encode("latin-1") == content
    record = record_response(response, 1 << 20, Redactor())
    assert record.base64 and record.size == 256


def test_truncated_body_declared_charset():
    response = httpx.Response(200, content="é".encode("latin-1") * 10,
                              headers={"Content-Type": "text/plain; charset=latin-1"})
    record = record_response(response, 4, Redactor())
    assert record.truncated
    assert record.body == "éééé"
