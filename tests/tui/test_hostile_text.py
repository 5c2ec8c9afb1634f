"""User text on screen is text: markup in titles and transcripts shows literally, escape
sequences are shown as visible escapes, and nothing crashes a screen."""

from __future__ import annotations

from pathlib import Path

from coachsim import locations
from coachsim.tui.screens.home import HomeScreen
from coachsim.tui.screens.review import ReviewScreen, SpeakerPicker

from .conftest import ready, screen_text, wait_until

MINI = Path(__file__).resolve().parent.parent / "data" / "scenarios" / "mini-check-in.yaml"


async def test_a_scenario_title_with_markup_and_escapes_shows_literally(make_app) -> None:
    folder = locations.user_scenarios_dir()
    folder.mkdir(parents=True, exist_ok=True)
    text = MINI.read_text(encoding="utf-8").replace(
        "title: Mini check-in", 'title: "Oops [/bold] [link=https://x.example]t[/link] \\e]0;PWNED\\a"'
    )
    (folder / "mini-check-in.yaml").write_text(text, encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "the home screen")
        await wait_until(pilot, lambda: "Oops" in screen_text(app), "the title listed")
        shown = screen_text(app)
        assert "Oops [/bold] [link=https://x.example]t[/link] \\x1b]0;PWNED\\x07" in shown
    assert app.return_code in (0, None)


async def test_a_transcript_with_markup_and_escapes_is_reviewed_as_text(make_app, tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text(
        "Alex: Close [/bold] [link=x]a[/link]\nSam: \x1b]0;PWNED\x07 fine\nAlex: What's on your mind?\n",
        encoding="utf-8",
    )
    app = make_app(start="review", review_source=source)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, SpeakerPicker), "the speaker picker")
        await pilot.press("enter")  # Alex
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        await wait_until(pilot, lambda: "Close" in screen_text(app), "the turns listed")
        shown = screen_text(app)
        assert "Close [/bold] [link=x]a[/link]" in shown
        assert "\\x1b]0;PWNED\\x07 fine" in shown
        assert "\x1b" not in app.export_screenshot()
