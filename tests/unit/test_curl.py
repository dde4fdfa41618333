"""curl commands from stored requests, checked by letting a POSIX shell split them into arguments."""

import shutil
import subprocess

import pytest

from keploy_tui.formats.curl import to_curl
from keploy_tui.model import Auth, RequestRecord

SHELL = shutil.which("sh")
pytestmark = pytest.mark.skipif(SHELL is None, reason="needs a POSIX sh")

SECRET_ENV = {"TOKEN": "env-token", "API_KEY": "env-key", "PASSWORD": "env-pass", "AUTHORIZATION": "Bearer env",
              "SECRET": "env-secret", "USERNAME": "env-user"}


def shell_arguments(command: str) -> list[str]:
    """Return the arguments sh passes to curl, with the placeholder variables set."""
    assert command.startswith("curl ")
    # printf prints each argument followed by NUL, so arguments holding newlines survive.
    script = "printf '%s\\0' " + command[len("curl "):]
    output = subprocess.run([SHELL, "-c", script], capture_output=True, text=True, check=True,
                            env={"PATH": "/usr/bin:/bin", **SECRET_ENV}).stdout
    return output.split("\0")[:-1]


def test_plain_request_arguments():
    request = RequestRecord("GET", "http://127.0.0.1:8000/posts?userId=1&q=a b", [["Accept", "application/json"]])
    assert shell_arguments(to_curl(request)) == [
        "-X", "GET", "http://127.0.0.1:8000/posts?userId=1&q=a b", "-H", "Accept: application/json",
    ]


def test_single_quotes_inside_values():
    request = RequestRecord("POST", "http://h/it's", [["X-Note", "it's 'quoted'"]], body="{\"name\": \"O'Brien\"}")
    arguments = shell_arguments(to_curl(request))
    assert arguments[2] == "http://h/it's"
    assert arguments[4] == "X-Note: it's 'quoted'"
    assert arguments[5:] == ["--data-raw", "{\"name\": \"O'Brien\"}"]


def test_body_with_newlines_and_shell_characters():
    body = "line one\nline $HOME `whoami` \"two\"\n\n\\end"
    arguments = shell_arguments(to_curl(RequestRecord("PUT", "http://h/x", [], body=body)))
    assert arguments[-2:] == ["--data-raw", body]


def test_empty_body_kept():
    arguments = shell_arguments(to_curl(RequestRecord("POST", "http://h/x", [], body="")))
    assert arguments[-2:] == ["--data-raw", ""]


def test_head_uses_head_option():
    assert shell_arguments(to_curl(RequestRecord("HEAD", "http://h/x")))[0] == "--head"


def test_brackets_in_url_turn_off_globbing():
    arguments = shell_arguments(to_curl(RequestRecord("GET", "http://h/x?ids[]=1")))
    assert "--globoff" in arguments


def test_redacted_values_become_placeholders():
    request = RequestRecord(
        "POST", "http://user:<redacted>@h/x?api_key=<redacted>&page=2",
        [["Authorization", "<redacted>"], ["X-Api-Key", "<redacted>"], ["X-Auth-Token", "<redacted>"]],
        body='{"token": "<redacted>"}',
    )
    command = to_curl(request)
    assert "<redacted>" not in command
    assert '"$AUTHORIZATION"' in command
    assert shell_arguments(command) == [
        "-X", "POST", "http://user:env-pass@h/x?api_key=env-key&page=2",
        "-H", "Authorization: Bearer env", "-H", "X-Api-Key: env-key", "-H", "X-Auth-Token: env-token",
        "--data-raw", '{"token": "env-secret"}',
    ]


def test_bearer_kind_token_placeholder():
    request = RequestRecord("GET", "http://h/x", [["Authorization", "<redacted>"]])
    command = to_curl(request, Auth(kind="bearer"))
    assert '"$TOKEN"' in command
    assert shell_arguments(command)[-2:] == ["-H", "Authorization: Bearer env-token"]


def test_basic_kind_user_option():
    request = RequestRecord("GET", "http://h/x", [["Authorization", "<redacted>"]])
    assert shell_arguments(to_curl(request, Auth(kind="basic", username="ci")))[-2:] == ["-u", "ci:env-pass"]
    assert shell_arguments(to_curl(request, Auth(kind="basic")))[-2:] == ["-u", "env-user:env-pass"]


def test_bearer_secret_restored():
    request = RequestRecord("GET", "http://h/x", [["Authorization", "<redacted>"]])
    arguments = shell_arguments(to_curl(request, Auth(kind="bearer", token="tok 'with' quote")))
    assert arguments[-2:] == ["-H", "Authorization: Bearer tok 'with' quote"]


def test_basic_secret_restored():
    request = RequestRecord("GET", "http://h/x", [["Authorization", "<redacted>"]])
    arguments = shell_arguments(to_curl(request, Auth(kind="basic", username="ci", password="pw")))
    assert arguments[-2:] == ["-H", "Authorization: Basic Y2k6cHc="]


def test_api_key_header_restored():
    request = RequestRecord("GET", "http://h/x", [["X-Api-Key", "<redacted>"], ["X-Other-Token", "<redacted>"]])
    command = to_curl(request, Auth(kind="api_key", name="x-api-key", value="k3y", location="header"))
    assert shell_arguments(command)[-4:] == ["-H", "X-Api-Key: k3y", "-H", "X-Other-Token: env-token"]


def test_api_key_query_restored_and_encoded():
    request = RequestRecord("GET", "http://h/x?key=<redacted>&page=1")
    command = to_curl(request, Auth(kind="api_key", name="key", value="a&b c", location="query"))
    assert shell_arguments(command)[2] == "http://h/x?key=a%26b%20c&page=1"


def test_body_secret_stays_placeholder():
    request = RequestRecord("POST", "http://h/x", [["Authorization", "<redacted>"]], body="pw=<redacted>")
    command = to_curl(request, Auth(kind="bearer", token="tok"))
    assert "<redacted>" not in command
    assert shell_arguments(command)[-2:] == ["--data-raw", "pw=env-secret"]
