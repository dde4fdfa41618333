"""The Response pane: status line, headers in received order, body, size and time."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from keploy_tui.model import StepResult
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.body_text import body_renderable, format_size, headers_text
from keploy_tui.tui.widgets.step_pane import StepPane


def status_style(status: int) -> str:
    if status < 300:
        return "bold green"
    if status < 400:
        return "bold cyan"
    return "bold red"


class ResponsePane(StepPane):
    """Shows the latest attempt's response, or why none arrived."""

    def render_step(self, step: StepResult) -> RenderableType:
        attempt = step.latest
        if attempt is None:
            return Text("The step did not run.", style="dim")
        response = attempt.response
        if response is None:
            kind = attempt.error_kind or "error"
            return Group(
                Text(f"No response ({kind}) after {attempt.duration_ms:.0f} ms", style="bold red"),
                literal_text(attempt.error or ""),
            )
        status_line = Text.assemble(
            (f"{response.http_version} ", "bold"),
            (str(response.status), status_style(response.status)),
            " ", literal_text(response.reason, "bold"),
            (f"   {format_size(response.size)} · {attempt.duration_ms:.0f} ms", "dim"),
        )
        return Group(status_line, Text(""), headers_text(response.headers),
                     body_renderable(response.body, base64=response.base64, truncated=response.truncated,
                                     size=response.size))
