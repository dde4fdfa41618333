"""Copying text for the user: OSC 52 through the terminal, and the local clipboard where pyperclip finds one."""

from __future__ import annotations

import logging

import pyperclip
from textual.app import App

log = logging.getLogger(__name__)


def copy_text(app: App, text: str, what: str) -> None:
    """Copy `text` and say so in a toast; `what` names it there, such as "the response body".

    OSC 52 reaches the clipboard of the user's own machine over SSH when the terminal
    supports it. pyperclip covers terminals without OSC 52 on a desktop session, and
    raises PyperclipException on a headless box, which is expected there.
    """
    app.copy_to_clipboard(text)
    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException as error:
        log.debug("No local clipboard for pyperclip: %s", error)
    app.notify(f"Copied {what} ({len(text)} characters).", markup=False)
