"""The load benchmark's participant reads the screen as a browser shows it: which chip is beside
which reply."""

from __future__ import annotations

from coachsim.workshop.probe import ProbeParticipant


def probe_showing(*rows: str) -> ProbeParticipant:
    probe = ProbeParticipant(session=None, websocket=None, width=80, height=len(rows))  # type: ignore[arg-type]
    probe.screen.feed("".join(f"\x1b[{number};1H{row}" for number, row in enumerate(rows, start=1)))
    return probe


def test_the_chip_is_read_beside_the_reply_itself() -> None:
    reply = "What's the real challenge here for you?"
    probe = probe_showing(
        "Priya: I just need an answer.",
        f"    You: {reply}  COACHING 0.93",
        "Priya: Fine. The real challenge is Marcus.",
        "Try: What's the real challenge here for you?",  # an alert's suggestion, lower on screen
    )
    assert probe.chip_beside(reply) == "COACHING"


def test_no_chip_while_the_reply_is_labelled_or_not_yet_shown() -> None:
    reply = "What's the real challenge here for you?"
    assert probe_showing(f"    You: {reply}  labelling…", "Try: " + reply).chip_beside(reply) is None
    assert probe_showing("Try: " + reply + "  TELLING").chip_beside(reply) is None


def test_a_wrapped_reply_has_its_chip_on_the_next_row_and_the_newest_counts() -> None:
    reply = "Send the brief to Northbank today and copy Marcus in on it as well."
    probe = probe_showing(
        "    You: Send the brief to Northbank today and copy Marcus  TELLING 0.90",  # older: other ending
        "    You: Send the brief to Northbank today and copy Marcus in on",
        "    it as well.",
        "    MENTORING 0.61",
    )
    assert probe.chip_beside(reply) == "MENTORING"
