"""Chat and transcript tidying keeps a faithful map back to the original text."""

from __future__ import annotations

from coachsim.classify.textnorm import normalise

SPELLINGS = {"u": "you", "whats": "what's", "ur": "your"}
FILLERS = frozenset({"um", "uh", "hmm"})


def test_chat_spellings_are_expanded_and_mapped_back() -> None:
    text = "whats on ur mind u ok"
    norm = normalise(text, SPELLINGS, FILLERS)
    assert norm.text == "what's on your mind you ok"
    start = norm.text.index("your")
    assert norm.original_span(start, start + 4) == (text.index("ur"), text.index("ur") + 2)


def test_fillers_and_filler_phrases_are_dropped() -> None:
    norm = normalise("Um, so, you know, what would help? I mean, it's fine, you know.", SPELLINGS, FILLERS)
    assert norm.text == "so what would help? it's fine."


def test_lowercase_i_and_curly_apostrophes_are_fixed() -> None:
    assert normalise("i don’t know", SPELLINGS, FILLERS).text == "I don't know"


def test_control_characters_become_spaces_without_moving_offsets() -> None:
    text = "send\x00it\x1bnow"
    norm = normalise(text, SPELLINGS, FILLERS)
    assert norm.text == "send it now"
    assert len(norm.origin) == len(norm.text)


def test_a_reply_of_only_fillers_is_kept() -> None:
    assert normalise("Hmm.", SPELLINGS, FILLERS).text == "Hmm."


def test_every_character_maps_inside_the_original() -> None:
    text = "um, u said ur boss, you know, was hmm unclear?"
    norm = normalise(text, SPELLINGS, FILLERS)
    assert len(norm.origin) == len(norm.text)
    assert all(0 <= i < len(text) for i in norm.origin)
    assert list(norm.origin) == sorted(norm.origin)


def test_plain_ascii_and_non_ascii_replies_are_cleaned_alike() -> None:
    """ASCII replies take a fast path; it must agree with the character-by-character one."""
    for text in ["Send it\x07 now\r\nplease", "Send it\x07 now\r\nplease \u00e9", "I did. i did. Um ok"]:
        norm = normalise(text, SPELLINGS, FILLERS)
        accented = normalise(text + " \u00e9", SPELLINGS, FILLERS)
        assert accented.text.startswith(norm.text)
        assert "\x07" not in norm.text and "\r" not in norm.text


def test_a_reply_with_nothing_to_tidy_is_unchanged() -> None:
    text = "I noticed you skipped the pricing slide. What happened?"
    assert normalise(text, SPELLINGS, FILLERS).text == text
