from keploy_tui.engine.redact import REDACTED, Redactor


def test_redactor_replaces_secret_in_text():
    assert Redactor(["s3cret"]).text("token=s3cret&x=1") == f"token={REDACTED}&x=1"


def test_redactor_hides_sensitive_headers_by_name():
    headers = Redactor().headers([("Authorization", "Bearer abc"), ("Accept", "*/*"), ("Set-Cookie", "sid=1")])
    assert headers == [["Authorization", REDACTED], ["Accept", "*/*"], ["Set-Cookie", REDACTED]]


def test_redactor_hides_custom_api_key_header():
    headers = Redactor(header_names=["X-Custom"]).headers([("x-custom", "v")])
    assert headers == [["x-custom", REDACTED]]


def test_redactor_walks_nested_values():
    assert Redactor(["pass"]).value({"a": ["pass", 1], "b": "xpassx"}) == {"a": [REDACTED, 1], "b": f"x{REDACTED}x"}
