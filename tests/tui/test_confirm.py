"""The confirmation modal at 80x24: a long preview scrolls by keyboard, the buttons stay in view, no toast covers it."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from keploy_tui.engine.accept import AssertionChange
from keploy_tui.model import Assertion, Step, Suite
from keploy_tui.tui.accept_flow import preview_text
from keploy_tui.tui.screens.confirm import SCROLL_HINT, ConfirmScreen
from tests.tui.conftest import SIZE, wait_loaded
from tests.tui.test_screens import HostApp

FAILED_ASSERTIONS = 14


def long_preview() -> str:
    """Return the preview of `A` on a step with many failed json_equal assertions."""
    before = [Assertion(type="json_equal", key=f"$.items.{index}.name", expected=f'"old {index}"')
              for index in range(FAILED_ASSERTIONS)]
    after = [Assertion(type="json_equal", key=item.key, expected=f'"new {index}"') for index, item in enumerate(before)]
    step = Step(name="List items", method="GET", url="/items", assertions=before)
    changes = [AssertionChange(index, old, new) for index, (old, new) in enumerate(zip(before, after))]
    return preview_text(Suite(name="Items", steps=[step]), step, "step", changes, "/suites/items.yaml")


def assert_buttons_in_view(screen: ConfirmScreen) -> None:
    dialog = screen.query_one("#confirm-dialog")
    for button in screen.query(Button):
        assert screen.region.contains_region(button.region), f"{button.id} at {button.region} is off screen"
        assert dialog.region.contains_region(button.region), f"{button.id} at {button.region} is clipped"


async def test_long_preview_scrolls_by_keyboard():
    app = HostApp(lambda: ConfirmScreen(long_preview(), yes="Save", no="Cancel"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        preview = screen.query_one("#confirm-preview", VerticalScroll)
        assert preview.max_scroll_y > 0
        assert str(screen.query_one("#confirm-hint", Static).content) == SCROLL_HINT
        assert_buttons_in_view(screen)
        assert app.focused is screen.query_one("#confirm-no", Button)

        await pilot.press("down")
        assert preview.scroll_y == 1
        await pilot.press("pagedown")
        assert preview.scroll_y > 1
        await pilot.press("end")
        assert preview.scroll_y == preview.max_scroll_y
        assert_buttons_in_view(screen)
        await pilot.press("home")
        assert preview.scroll_y == 0

        await pilot.press("y")
        await pilot.pause()
    assert app.results == [True]


async def test_short_question_fits_without_hint():
    app = HostApp(lambda: ConfirmScreen("Delete step 'Login'?", yes="Delete", no="Keep"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#confirm-preview", VerticalScroll).max_scroll_y == 0
        assert str(screen.query_one("#confirm-hint", Static).content) == ""
        assert screen.query_one("#confirm-dialog").region.height < 10
        assert_buttons_in_view(screen)

        await pilot.press("n")
        await pilot.pause()
    assert app.results == [False]


def toasts_over(screen: Screen, widget: Widget) -> list[Widget]:
    """Return the toasts drawn on top of any cell of `widget`."""
    region = widget.region
    found: list[Widget] = []
    for y in range(region.y, region.bottom):
        for x in range(region.x, region.right):
            top, _ = screen.get_widget_at(x, y)
            if "Toast" in (type(node).__name__ for node in top.ancestors_with_self):
                found.append(top)
    return found


def shown_toast_texts(screen: Screen) -> list[str]:
    return [toast.render().plain for toast in screen.query("Toast")]


async def test_earlier_toast_leaves_dialog_uncovered(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(pilot)
        app.notify("Saved step 'Login' to /suites/auth.yaml. Press u to undo.", title="Saved", timeout=30)
        await pilot.pause()
        assert toasts_over(app.screen, app.screen)

        app.push_screen(ConfirmScreen(long_preview(), yes="Save", no="Cancel"))
        await pilot.pause()
        await pilot.pause()
        dialog = app.screen.query_one("#confirm-dialog")
        assert toasts_over(app.screen, dialog) == []

        await pilot.press("n")
        await pilot.pause()
        assert any("Press u to undo" in text for text in shown_toast_texts(app.screen))


async def test_toast_held_until_dialog_closes(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_loaded(pilot)
        app.push_screen(ConfirmScreen("Delete step 'Login'?", yes="Delete", no="Keep"))
        await pilot.pause()
        app.notify("3 steps: 3 passed, 0 failed. Press v to open the report.", title="Run completed")
        await pilot.pause()
        assert shown_toast_texts(app.screen) == []
        assert toasts_over(app.screen, app.screen.query_one("#confirm-dialog")) == []

        await pilot.press("n")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is app.suites_screen
        assert any("Press v to open the report" in text for text in shown_toast_texts(app.screen))
        assert app.toast_texts().count("3 steps: 3 passed, 0 failed. Press v to open the report.") == 1
