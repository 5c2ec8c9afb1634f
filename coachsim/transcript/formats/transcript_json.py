"""A ``coachsim.transcript/1`` file: already labelled, so it gives the transcript as well as who spoke."""

from __future__ import annotations

import json

from coachsim.errors import DataFileError
from coachsim.transcript.formats.base import Format, Utterance
from coachsim.transcript.model import Transcript


def detect(text: str) -> bool:
    return text.lstrip().startswith("{")


def transcript(text: str, source: str) -> Transcript:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:  # located like load_transcript, without reading it again
        raise DataFileError(
            f"{source}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); the file may be truncated"
        ) from None
    except RecursionError:
        raise DataFileError(f"{source}: JSON nested too deeply to be a transcript") from None
    return Transcript.from_dict(data, source=source)


def utterances_of(labelled: Transcript) -> list[Utterance]:
    return [Utterance(t.name or t.speaker, t.text, t.at, t.start_s, t.end_s) for t in labelled.turns]


def parse(text: str, source: str) -> list[Utterance]:
    return utterances_of(transcript(text, source))


FORMAT = Format("transcript", "a coachsim transcript", detect, parse, transcript)
