"""The Run Tests modal and its input checks, driven with the keyboard inside a small host app."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, RadioButton, RadioSet, Static, TabbedContent

from keploy_tui.model import Auth
from keploy_tui.tui.screens.run_modal import AUTH_TAB, ENDPOINT_TAB, RunRequest, RunTestsModal
from keploy_tui.tui.validation import (
    FieldError, SecretEntry, base_url_error, build_auth, form_values, parse_variables, variables_text,
)
from keploy_tui.tui.widgets.auth_form import AuthForm

URL = "http://127.0.0.1:8000"
SIZE = (80, 24)


class HostApp(App[None]):
    """An empty app that pushes one screen and records what it dismisses with."""

    def __init__(self, make_screen: Callable[[], Screen]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), callback=self.results.append)


def modal_app(suite_names=("Posts CRUD",), base_url=URL, auth=None, variables=None) -> HostApp:
    return HostApp(lambda: RunTestsModal(list(suite_names), base_url, auth, variables))


def set_value(pilot: Pilot, field_id: str, value: str) -> None:
    pilot.app.screen.query_one(f"#{field_id}", Input).value = value


async def choose_kind(pilot: Pilot, kind: str) -> None:
    pilot.app.screen.query_one(f"#kind-{kind}", RadioButton).value = True
    await pilot.pause()


def error_text(pilot: Pilot, static_id: str) -> str:
    return str(pilot.app.screen.query_one(f"#{static_id}", Static).render())


def active_tab(pilot: Pilot) -> str:
    return pilot.app.screen.query_one(TabbedContent).active


# Input checks, without Textual


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("localhost:8000", "use http:// or https://"),
        ("ftp://example.com", "use http:// or https://"),
        ("htp:/x", "Unsupported scheme htp"),
        ("localhost:8000", "Missing scheme"),
        ("http://", "Missing host"),
        ("http://:8000/api", "Missing host"),
        ("http://exa mple.com", "URL contains spaces"),
        ("", "Missing URL"),
        ("http://example.com:99999", "Invalid port"),
        ("http://example.com/api?debug=1", "?query"),
        ("http://[::1", "Invalid IPv6 URL"),
    ],
)
def test_base_url_error_names_problem(url: str, expected: str) -> None:
    message = base_url_error(url)
    assert message is not None
    assert expected in message


@pytest.mark.parametrize("url", [URL, "  https://api.example.com/v1/  ", "http://[::1]:8080", "HTTP://HOST"])
def test_base_url_error_accepts_valid(url: str) -> None:
    assert base_url_error(url) is None


def test_build_auth_env_name_must_be_set() -> None:
    secrets = {"token": SecretEntry(env_name="ORDERS_TOKEN")}
    result = build_auth("bearer", {}, secrets, environ={})
    assert result == FieldError("token_env", "ORDERS_TOKEN is not set: export it, then restart keploy-tui")


def test_build_auth_rejects_literal_and_env() -> None:
    secrets = {"password": SecretEntry(literal="pw", env_name="PW")}
    result = build_auth("basic", {"username": "ci"}, secrets, environ={"PW": "x"})
    assert isinstance(result, FieldError)
    assert result.field == "password_env"
    assert "not both" in result.message


def test_build_auth_rejects_invalid_env_name() -> None:
    result = build_auth("api_key", {"name": "X-Key"}, {"value": SecretEntry(env_name="MY KEY")}, environ={})
    assert isinstance(result, FieldError)
    assert result.field == "value_env"
    assert "not a valid environment variable name" in result.message


def test_form_values_prefers_literal() -> None:
    plain, secrets = form_values(Auth(kind="bearer", token="t", token_env="T"))
    assert secrets["token"] == SecretEntry(literal="t")
    assert plain == {"username": "", "name": ""}


# The modal


async def test_submit_without_auth() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
    assert app.results == [RunRequest(base_url=URL, auth=Auth())]


async def test_enter_in_url_submits_stripped_url() -> None:
    app = modal_app(base_url="")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"  http://127.0.0.1:9000/api ", "enter")
        await pilot.pause()
    assert app.results == [RunRequest(base_url="http://127.0.0.1:9000/api", auth=Auth())]


async def test_run_button_submits() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#run")
        await pilot.pause()
    assert app.results == [RunRequest(base_url=URL, auth=Auth())]


async def test_bearer_token_by_keyboard() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        # ctrl+t focuses the kind choice, right moves from None to Bearer, and tab reaches the token.
        await pilot.press("ctrl+t", "right", "tab", *"s3cret", "ctrl+s")
        await pilot.pause()
    assert app.results == [RunRequest(base_url=URL, auth=Auth(kind="bearer", token="s3cret"))]


async def test_bearer_token_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERS_TOKEN", "from-env")
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "bearer")
        set_value(pilot, "auth-token-env", "ORDERS_TOKEN")
        await pilot.press("ctrl+r")
        await pilot.pause()
    assert app.results == [RunRequest(base_url=URL, auth=Auth(kind="bearer", token_env="ORDERS_TOKEN"))]


async def test_basic_literal_password() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "basic")
        set_value(pilot, "auth-username", "ci")
        set_value(pilot, "auth-password", "pa ss")
        await pilot.press("ctrl+r")
        await pilot.pause()
    assert app.results == [RunRequest(base_url=URL, auth=Auth(kind="basic", username="ci", password="pa ss"))]


async def test_basic_password_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI_PASSWORD", "x")
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "basic")
        set_value(pilot, "auth-username", "ci")
        set_value(pilot, "auth-password-env", "CI_PASSWORD")
        await pilot.press("ctrl+r")
        await pilot.pause()
    expected = Auth(kind="basic", username="ci", password_env="CI_PASSWORD")
    assert app.results == [RunRequest(base_url=URL, auth=expected)]


async def test_api_key_in_header() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "api_key")
        set_value(pilot, "auth-name", "X-Api-Key")
        set_value(pilot, "auth-value", "demo-key")
        await pilot.press("ctrl+r")
        await pilot.pause()
    expected = Auth(kind="api_key", name="X-Api-Key", value="demo-key", location="header")
    assert app.results == [RunRequest(base_url=URL, auth=expected)]


async def test_api_key_in_query_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_KEY", "demo-key")
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "api_key")
        set_value(pilot, "auth-name", "api_key")
        set_value(pilot, "auth-value-env", "DEMO_KEY")
        pilot.app.screen.query_one("#location-query", RadioButton).value = True
        await pilot.press("ctrl+r")
        await pilot.pause()
    expected = Auth(kind="api_key", name="api_key", value_env="DEMO_KEY", location="query")
    assert app.results == [RunRequest(base_url=URL, auth=expected)]


async def test_api_key_location_fits_row() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await choose_kind(pilot, "api_key")
        location = app.screen.query_one("#auth-location", RadioSet)
        value = app.screen.query_one("#auth-value-env", Input)
        assert location.region.width > 0
        # The box ends where the inputs above it end, so its right border is drawn.
        assert location.region.right == value.region.right
        assert location.region.right <= app.screen.query_one(AuthForm).content_region.right


@pytest.mark.parametrize(
    ("url", "expected"),
    [("localhost:8000", "use http:// or https://"), ("http://", "Missing host"), ("http://a b", "URL contains spaces")],
)
async def test_invalid_url_keeps_modal_open(url: str, expected: str) -> None:
    app = modal_app(base_url=url)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t", "ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, RunTestsModal)
        assert expected in error_text(pilot, "url-error")
        assert active_tab(pilot) == ENDPOINT_TAB
        assert app.focused is app.screen.query_one("#base-url")
        assert app.screen.query_one("#base-url").has_class("-invalid")
    assert app.results == []


async def test_url_error_clears_when_fixed() -> None:
    app = modal_app(base_url="localhost:8000")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await pilot.press("home", *"http://")
        await pilot.pause()
        assert error_text(pilot, "url-error") == ""


async def test_missing_token_keeps_modal_open() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "bearer")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, RunTestsModal)
        assert "Token is missing" in error_text(pilot, "auth-error")
        assert active_tab(pilot) == AUTH_TAB
        assert app.focused is app.screen.query_one("#auth-token")
    assert app.results == []


async def test_missing_username_named_first() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "basic")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "Username is missing" in error_text(pilot, "auth-error")
        assert app.focused is app.screen.query_one("#auth-username")


async def test_unset_env_var_keeps_modal_open(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEPLOY_TUI_TEST_UNSET", raising=False)
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "bearer")
        set_value(pilot, "auth-token-env", "KEPLOY_TUI_TEST_UNSET")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "KEPLOY_TUI_TEST_UNSET is not set" in error_text(pilot, "auth-error")
        assert app.focused is app.screen.query_one("#auth-token-env")
    assert app.results == []


async def test_auth_error_clears_when_fixed() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "bearer")
        await pilot.press("ctrl+r", "x")
        await pilot.pause()
        assert error_text(pilot, "auth-error") == ""


async def test_unused_kind_fields_ignored() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await choose_kind(pilot, "bearer")
        set_value(pilot, "auth-token", "typed-then-abandoned")
        await choose_kind(pilot, "none")
        await pilot.press("ctrl+r")
        await pilot.pause()
    assert app.results == [RunRequest(base_url=URL, auth=Auth())]


async def test_escape_returns_none() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, RunTestsModal)
    assert app.results == [None]


async def test_secret_inputs_are_masked() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for field_id in ("auth-token", "auth-password", "auth-value"):
            assert screen.query_one(f"#{field_id}", Input).password, field_id
        for field_id in ("auth-token-env", "auth-password-env", "auth-value-env", "auth-username", "auth-name"):
            assert not screen.query_one(f"#{field_id}", Input).password, field_id


async def test_prefill_from_auth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI_PASSWORD", "x")
    stored_auth = Auth(kind="basic", username="ci", password_env="CI_PASSWORD")
    app = modal_app(auth=stored_auth)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.query_one("#kind-basic", RadioButton).value
        assert screen.query_one("#auth-username", Input).value == "ci"
        assert screen.query_one("#auth-password", Input).value == ""
        assert screen.query_one("#auth-password-env", Input).value == "CI_PASSWORD"
        assert screen.query_one("#fields-basic").display
        assert not screen.query_one("#fields-bearer").display
        await pilot.press("ctrl+r")
        await pilot.pause()
    assert app.results == [RunRequest(base_url=URL, auth=stored_auth)]


async def test_prefill_api_key_location() -> None:
    stored_auth = Auth(kind="api_key", name="api_key", value="k", location="query")
    app = modal_app(auth=stored_auth)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one("#location-query", RadioButton).value
        await pilot.press("ctrl+r")
        await pilot.pause()
    assert app.results == [RunRequest(base_url=URL, auth=stored_auth)]


async def test_next_tab_moves_focus() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        assert active_tab(pilot) == AUTH_TAB
        assert app.focused is app.screen.query_one("#auth-kind")
        await pilot.press("ctrl+t")
        assert active_tab(pilot) == ENDPOINT_TAB
        assert app.focused is app.screen.query_one("#base-url")


async def test_suite_names_shown_literally() -> None:
    app = modal_app(suite_names=["[bold]x", "Escape \x1b[31m here"])
    async with app.run_test(size=SIZE):
        names = str(app.screen.query_one("#suite-names Static", Static).render())
    assert "• [bold]x" in names
    assert "• Escape \\x1b[31m here" in names


async def test_footer_shows_keys() -> None:
    app = modal_app()
    async with app.run_test(size=SIZE):
        shown_ids = {binding.id for _, binding, enabled, _ in app.screen.active_bindings.values() if binding.show}
    assert {"run_modal.submit", "run_modal.cancel", "run_modal.next_tab"} <= shown_ids


# Snapshots


def stop_cursor_blink(pilot: Pilot) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


def test_snapshot_endpoint_tab(snap_compare) -> None:
    app = modal_app(suite_names=["JSONPlaceholder posts CRUD", "Demo API authentication", "[bold]literal"])
    assert snap_compare(app, terminal_size=SIZE, run_before=stop_cursor_blink)


def test_snapshot_auth_tab_bearer(snap_compare) -> None:
    app = modal_app(auth=Auth(kind="bearer", token="demo-token"))

    async def show_auth_tab(pilot: Pilot) -> None:
        stop_cursor_blink(pilot)
        await pilot.press("ctrl+t")

    assert snap_compare(app, terminal_size=SIZE, run_before=show_auth_tab)


def test_build_auth_allows_empty_basic_password() -> None:
    result = build_auth("basic", {"username": "ci"}, {"password": SecretEntry()}, environ={})
    assert result == Auth(kind="basic", username="ci", password="")


@pytest.mark.parametrize(("text", "expected"), [
    ("", {}),
    ("EMAIL=me@example.com", {"EMAIL": "me@example.com"}),
    ("A='two words' B=", {"A": "two words", "B": ""}),
    ('JSON=\'{"a": 1}\'', {"JSON": '{"a": 1}'}),
])
def test_variables_parse(text, expected):
    assert parse_variables(text) == expected
    assert parse_variables(variables_text(expected)) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("EMAIL", "Variables: 'EMAIL' is not NAME=VALUE; quote a value that has spaces"),
    ("=x", "Variables: '=x' is not NAME=VALUE; quote a value that has spaces"),
    ("A='open", "Variables: no closing quotation; close the quote or remove it"),
])
def test_variables_errors(text, message):
    assert parse_variables(text) == message


async def test_remembered_credential_variable_masked():
    app = modal_app(variables={"post": "1", "PASSWORD": "hunter22"})
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#variables", Input)
        assert field.password
        assert error_text(pilot, "variables-error") == "Hidden while PASSWORD holds a credential"
        await pilot.press("ctrl+r")
    assert app.results[0].variables == {"post": "1", "PASSWORD": "hunter22"}


async def test_typed_variables_masked_once_credential():
    app = modal_app()
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#variables", Input)
        set_value(pilot, "variables", "post=1")
        await pilot.pause()
        assert not field.password
        set_value(pilot, "variables", "post=1 apiKey=k-123")
        await pilot.pause()
        assert field.password

