"""Timing and talk metrics, checked against figures worked out by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from coachsim.labelling import label_conversation
from coachsim.scenario.loader import load_catalog
from coachsim.scenario.session import Session
from coachsim.talk import load_fillers, sentence_kind, talk_metrics
from coachsim.transcript.importers import read_conversation
from coachsim.transcript.model import Transcript, TranscriptTurn

TIMING_VTT = Path(__file__).resolve().parent.parent / "data" / "imports" / "timing.vtt"
KEYS = {
    "talk_seconds",
    "manager_talk_share",
    "longest_monologue_s",
    "median_response_pause_s",
    "interruptions",
    "questions",
    "reflections",
    "reflection_to_question",
    "fillers_per_100_words",
}
TIMING_KEYS = ("talk_seconds", "manager_talk_share", "longest_monologue_s", "median_response_pause_s")


@pytest.fixture(scope="module")
def timing_vtt(classifier) -> dict:
    conversation = read_conversation(TIMING_VTT)
    return talk_metrics(label_conversation(conversation, "Sam Lee", classifier)).to_dict()


def test_talk_seconds_share_and_monologues_of_the_hand_worked_vtt(timing_vtt: dict) -> None:
    # Turns after merging (Jo's cues 2 and 3 are one turn, 5 → 20):
    #   Sam 0 → 4, Jo 5 → 20, Sam 23 → 26, Jo 26.5 → 30, Sam 29 → 33, Jo 34 → 38, Sam 38.5 → 41
    # Sam: 4 + 3 + 4 + 2.5 = 13.5 s; Jo: 15 + 3.5 + 4 = 22.5 s; share 13.5 / 36 = 0.375
    assert timing_vtt["talk_seconds"] == {"Sam Lee": 13.5, "Jo Park": 22.5}
    assert timing_vtt["manager_talk_share"] == 0.375
    # Longest single run: Sam 4 s (0 → 4 and 29 → 33), Jo 15 s (the merged 5 → 20)
    assert timing_vtt["longest_monologue_s"] == {"Sam Lee": 4.0, "Jo Park": 15.0}


def test_pauses_interruptions_and_pace_of_the_hand_worked_vtt(timing_vtt: dict) -> None:
    # Sam starts after Jo: 23 - 20 = 3, 29 - 30 = -1 (talks over Jo), 38.5 - 38 = 0.5; median 0.5
    assert timing_vtt["response_pauses_s"] == [3.0, -1.0, 0.5]
    assert timing_vtt["median_response_pause_s"] == 0.5
    # Only Sam's 29 s start falls inside Jo's 26.5 → 30 turn
    assert timing_vtt["interruptions"] == 1
    assert timing_vtt["interruptions_by"] == {"Sam Lee": 1, "Jo Park": 0}
    # Sam's words 7 + 7 + 9 + 7 = 30 in 13.5 s → 133.3 wpm; Jo's 17 + 6 + 12 = 35 in 22.5 s → 93.3
    assert timing_vtt["words_per_minute"] == {"Sam Lee": 133.3, "Jo Park": 93.3}


def test_questions_reflections_and_fillers_of_the_hand_worked_vtt(timing_vtt: dict) -> None:
    # Open: "what's on your mind?", "So, like, who set it?"; closed: "Is the deadline fixed?",
    # "did you tell her?". Reflections: "So you feel stuck with the migration." and the echo
    # question "Broken how?". Ratio 2 / 4 = 0.5.
    assert timing_vtt["questions"] == {"open": 2, "closed": 2}
    assert timing_vtt["reflections"] == 2
    assert timing_vtt["reflection_to_question"] == 0.5
    # Sam's fillers: "Um," "like," "Uh," (not "So," nor Jo's "you know,") → 3 per 30 words = 10.0
    assert timing_vtt["fillers_per_100_words"] == 10.0
    assert set(timing_vtt) >= KEYS


def test_a_transcript_without_timing_has_null_timing_and_still_counts_questions() -> None:
    transcript = Transcript(scenario=None, seed=None, started_at="")
    transcript.turns = [
        TranscriptTurn(speaker="report", text="The release is slipping.", at="", name="Jo"),
        TranscriptTurn(speaker="manager", text="What else? Is it late?", at="", name="Sam"),
    ]
    data = talk_metrics(transcript).to_dict()
    for key in (*TIMING_KEYS, "interruptions", "response_pauses_s", "words_per_minute"):
        assert data[key] is None, key
    # Unlabelled: questions by the first-word fallback, reflections cannot be known
    assert data["questions"] == {"open": 1, "closed": 1}
    assert data["reflections"] is None and data["reflection_to_question"] is None


def test_start_only_stamps_give_no_talk_time_and_no_pause() -> None:
    transcript = Transcript(scenario=None, seed=None, started_at="")
    transcript.turns = [
        TranscriptTurn(speaker="report", text="Hi.", at="", name="Jo", start_s=0.0),
        TranscriptTurn(speaker="manager", text="Hello.", at="", name="Sam", start_s=5.0),
    ]
    data = talk_metrics(transcript).to_dict()
    assert data["talk_seconds"] is None and data["longest_monologue_s"] is None
    assert data["manager_talk_share"] is None
    assert data["median_response_pause_s"] is None and data["interruptions"] is None


def test_one_untimed_turn_makes_only_that_speakers_figures_null() -> None:
    transcript = Transcript(scenario=None, seed=None, started_at="")
    transcript.turns = [
        TranscriptTurn(speaker="report", text="One two three.", at="", name="Jo", start_s=0.0, end_s=2.0),
        TranscriptTurn(speaker="manager", text="Four.", at="", name="Sam", start_s=2.5, end_s=3.0),
        TranscriptTurn(speaker="manager", text="Five.", at="", name="Sam"),
    ]
    data = talk_metrics(transcript).to_dict()
    assert data["talk_seconds"] == {"Jo": 2.0, "Sam": None}
    assert data["words_per_minute"] == {"Jo": 90.0, "Sam": None}  # 3 words in 2 s
    assert data["manager_talk_share"] is None
    assert data["response_pauses_s"] == [0.5]  # the untimed turn follows Sam, not Jo


def test_a_practice_transcript_has_null_timing_and_labelled_counts(classifier) -> None:
    scenario = load_catalog().get("just-tell-me").scenario
    session = Session(scenario, classifier, seed=1)
    session.opening()
    session.reply("What's on your mind?")
    session.reply("So you feel stuck. Is the deadline fixed?")
    data = talk_metrics(session.transcript()).to_dict()
    for key in TIMING_KEYS:
        assert data[key] is None, key
    assert data["questions"]["open"] >= 1 and data["questions"]["closed"] >= 1
    assert data["reflections"] is not None and data["reflections"] >= 1
    questions = data["questions"]["open"] + data["questions"]["closed"]
    assert data["reflection_to_question"] == round(data["reflections"] / questions, 2)


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        (
            {
                "text": "Stuck how?",
                "move": "coaching",
                "evidence": [{"rule": "coaching.context.echo_question", "cue": "reflection"}],
            },
            "reflection",
        ),
        (
            {
                "text": "So you feel stuck?",
                "move": "coaching",
                "evidence": [{"rule": "coaching.reflection.so_summary", "cue": "reflection"}],
            },
            "closed",
        ),
        (
            {
                "text": "You should ask her.",
                "move": "telling",
                "evidence": [{"rule": "coaching.you_statement", "cue": "reflection"}],
            },
            None,
        ),
        (
            {
                "text": "what made that hard",
                "move": "coaching",
                "evidence": [{"rule": "coaching.open_question", "cue": "open_question"}],
            },
            "open",
        ),
        ({"text": "And how did it go?"}, "open"),
        ({"text": "You sent it?"}, "closed"),
        ({"text": "Send it today."}, None),
    ],
)
def test_sentence_kind_prefers_the_evidence_then_the_first_word(sentence: dict, kind: str | None) -> None:
    assert sentence_kind(sentence) == kind


@pytest.mark.parametrize(
    ("text", "fillers"),
    [
        ("Um, what happened, uh, next?", 2),
        ("I like it and you know the answer.", 0),
        ("It was, like, huge, you know.", 2),
        ("Like, what now?", 1),
        ("So what now? Right. Kind of late.", 0),
        ("It was, kind of, a mess. I mean, really.", 2),
        ("Unlikely, umbrella, utter.", 0),
    ],
)
def test_fillers_count_only_where_they_carry_no_meaning(text: str, fillers: int) -> None:
    from coachsim.talk import default_fillers

    assert default_fillers().count(text) == fillers


def test_a_malformed_fillers_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "fillers.yaml"
    path.write_text("always: um\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"fillers.yaml: always: a list") as error:
        load_fillers(path)
    assert "\n" not in str(error.value)
