"""Each import format reads its own files (fixtures in tests/data/imports/), is detected from its
content, keeps start times and never invents an end; a broken file is one located DataFileError."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachsim.errors import DataFileError
from coachsim.transcript.formats import otter, text, zoom_chat
from coachsim.transcript.importers import FORMATS, REGISTRY, detect_format, read_conversation

DATA = Path(__file__).parent.parent / "data" / "imports"


def said(path: Path, format_in: str | None = None) -> list[tuple[str, str, float | None, float | None]]:
    conversation = read_conversation(path, format_in)
    return [(u.speaker, u.text, u.start_s, u.end_s) for u in conversation.utterances]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("meeting.vtt", "vtt"),
        ("call.srt", "srt"),
        ("notes.txt", "text"),
        ("stamped.txt", "text"),
        ("otter.txt", "otter"),
        ("zoom_chat_old.txt", "zoom-chat"),
        ("zoom_chat_new.txt", "zoom-chat"),
        ("zoom_chat_oneline.txt", "zoom-chat"),
    ],
)
def test_each_fixture_is_detected_as_its_format(name: str, kind: str) -> None:
    path = DATA / name
    assert detect_format(path.read_text(encoding="utf-8")) == kind
    assert read_conversation(path).format == kind


def test_the_format_names_come_from_the_registry() -> None:
    assert tuple(f.name for f in REGISTRY) == FORMATS
    assert {"transcript", "text", "vtt", "srt", "otter", "zoom-chat"} == set(FORMATS)


def test_an_otter_export_keeps_each_start_and_no_end() -> None:
    assert said(DATA / "otter.txt") == [
        ("Alex Morgan", "Hi Priya. What's on your mind?", 3.0, None),
        ("Priya Shah", "Honestly the launch. I have three versions and I can't pick one.", 7.0, None),
        ("Alex Morgan", "What else?", 3725.0, None),
        ("Priya Shah", "Marcus will pull it apart.", 3729.0, None),
    ]


def test_stamped_text_lines_give_start_times_and_continuations_join() -> None:
    assert said(DATA / "stamped.txt") == [
        ("Alex", "What's on your mind?", 3.0, None),
        ("Sam", "The release. The tests are flaky and I keep rerunning them.", 7.0, None),
        ("Alex", "Have you tried quarantining them?", 62.0, None),
        ("Sam", "No, not yet.", 69.0, None),
    ]


def test_plain_notes_still_have_no_times() -> None:
    assert [start for _, _, start, _ in said(DATA / "notes.txt")] == [None, None, None, None]


def test_the_old_zoom_chat_merges_a_speakers_lines_and_keeps_colons_in_the_text() -> None:
    assert said(DATA / "zoom_chat_old.txt") == [
        ("Alex Morgan", "Hi Priya, what is on your mind?", 83.0, None),
        ("Priya Shah", "The launch: three versions. I cannot pick one.", 100.0, None),
        ("Alex Morgan", "Just go with B.", 130.0, None),
    ]


def test_the_new_zoom_chat_reads_indented_text_and_drops_reactions() -> None:
    conversation = read_conversation(DATA / "zoom_chat_new.txt")
    assert [(u.speaker, u.text, u.at) for u in conversation.utterances] == [
        ("Alex Morgan", "What is on your mind?", "10:02:13"),
        ("Priya Shah", "The launch: three versions and I cannot pick one.", "10:02:30"),
        ("Alex Morgan", "What would help you decide?", "10:02:55"),
    ]
    assert all(u.end_s is None for u in conversation.utterances)


def test_the_one_line_zoom_chat_and_the_recording_chat() -> None:
    assert said(DATA / "zoom_chat_oneline.txt") == [
        ("Alex Morgan", "What is on your mind?", 36133.0, None),
        ("Priya Shah", "The launch.", 36150.0, None),
    ]
    recording = zoom_chat.parse("00:58:04\tAlex:\tDepends on your style.\n00:58:20\tSam:\tFair.\n", "c.txt")
    assert [(u.speaker, u.text, u.start_s) for u in recording] == [
        ("Alex", "Depends on your style.", 3484.0),
        ("Sam", "Fair.", 3500.0),
    ]


def test_vtt_and_srt_keep_both_ends() -> None:
    assert said(DATA / "call.srt")[0] == ("Alex", "How can I help?", 1.0, 3.0)
    assert said(DATA / "meeting.vtt")[1][2:] == (4.5, 9.0)  # two cues of Priya's, merged


@pytest.mark.parametrize(
    ("parse", "content", "message"),
    [
        (otter.parse, "Just some words\nAlex  0:03\nHi\n", "o.txt:1: expected 'Speaker Name  0:00'"),
        (otter.parse, "Alex  0:03\n\nSam  0:05\n", "o.txt: no speaker said anything"),
        (zoom_chat.parse, "hello\n10:02:13 From A to Everyone: hi\n", "o.txt:1: expected '10:02:13 From"),
        (zoom_chat.parse, '10:02:13 From A to Everyone: Reacted to "x" with 👍\n', "o.txt: no chat messages"),
        (text.parse, "no name here\nAlex: hi\n", "o.txt:1: expected 'Name: what they said'"),
    ],
)
def test_a_broken_file_is_one_located_line(parse, content: str, message: str) -> None:
    with pytest.raises(DataFileError) as caught:
        parse(content, "o.txt")
    assert caught.value.message.startswith(message) and "\n" not in caught.value.message


def test_a_forced_format_is_used_and_an_unknown_one_refused(tmp_path: Path) -> None:
    assert read_conversation(DATA / "otter.txt", "otter").format == "otter"
    with pytest.raises(DataFileError) as unknown:
        read_conversation(DATA / "otter.txt", "doc")
    assert unknown.value.message == f"unknown --format-in 'doc'; one of {', '.join(FORMATS)}"
    odd = tmp_path / "odd.txt"
    odd.write_text("nothing that looks like a conversation\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"unknown format; expected .*an Otter text export.*--format-in"):
        read_conversation(odd)


def test_a_newer_transcript_version_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text('{"schema": "coachsim.transcript/9", "turns": []}', encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_conversation(path)
    assert caught.value.message == (
        f"{path}: schema 'coachsim.transcript/9' is not supported; this coachsim reads coachsim.transcript/1"
    )


def test_webvtt_character_references_are_read_as_the_characters(tmp_path: Path) -> None:
    cues = (
        "00:00:01.000 --> 00:00:02.000\n<v Alex>Is A &lt; B &amp; C?\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Sam>Yes &gt; no\n"
    )
    path = tmp_path / "entities.vtt"
    path.write_text("WEBVTT\n\n" + cues, encoding="utf-8")
    assert [u.text for u in read_conversation(path).utterances] == ["Is A < B & C?", "Yes > no"]
