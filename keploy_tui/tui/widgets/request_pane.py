"""The Request pane: method, full URL, headers and body of the highlighted step's latest attempt."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from keploy_tui.model import StepResult
from keploy_tui.tui.validation import literal_text
from keploy_tui.tui.widgets.body_text import body_renderable, headers_text
from keploy_tui.tui.widgets.step_pane import StepPane


class RequestPane(StepPane):
    """Shows the request as sent. Secrets were replaced before the report was stored."""

    def render_step(self, step: StepResult) -> RenderableType:
        attempt = step.latest
        request = attempt.request if attempt is not None else None
        if request is None:
            reason = attempt.error if attempt is not None and attempt.error else "the step was not sent"
            return Group(
                Text.assemble(literal_text(step.method or "?", "bold"), " ", literal_text(step.url)),
                Text.assemble(Text("No request recorded: ", style="dim"), literal_text(reason)),
            )
        line = Text.assemble(literal_text(request.method, "bold"), " ", literal_text(request.url))
        return Group(line, Text(""), headers_text(request.headers),
                     body_renderable(request.body) if request.body else Text("(no body)", style="dim"))
