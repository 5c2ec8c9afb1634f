"""Property tests on what any user text can reach: the classifier API and the transcript
importers. Whatever the input, the answer is a label or one CoachsimError/ValueError, never
a crash, and labels point back into the text they came from."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from coachsim.classify.classifier import Classifier
from coachsim.classify.moves import MOVES
from coachsim.errors import CoachsimError
from coachsim.transcript.importers import read_conversation

#: Text a person or a transcript can produce: any characters, with speech noise mixed in.
noise = st.sampled_from(["um ", "uh, ", "[inaudible] ", "- ", "\n", "  ", "?", ".", "\u200b", "[/bold]"])
replies = st.lists(st.one_of(st.text(max_size=40), noise), max_size=12).map("".join)
context_turn = st.fixed_dictionaries(
    {"speaker": st.sampled_from(["report", "manager", "Sam", ""]), "text": st.text(max_size=60)}
)


@given(text=replies, context=st.one_of(st.none(), st.text(max_size=60), st.lists(context_turn, max_size=4)))
@example(text="lone \ud800 surrogate", context="\udfff")
@example(text="\u200b\ufeff\u200d", context=None)
@example(text="[" * 5000, context=[{"speaker": "report", "text": "]" * 5000}])
@example(text="Close [/bold] now \x1b]0;PWNED\x07", context=None)
def test_any_reply_gets_a_label_or_one_clear_error(classifier: Classifier, text: str, context) -> None:
    try:
        analysis = classifier.classify(text, context=context)
    except (CoachsimError, ValueError) as error:
        assert str(error) and "\n" not in str(error)
        return
    assert analysis.move in MOVES and 0 <= analysis.confidence <= 1
    for sentence in analysis.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        for evidence in sentence.evidence:
            assert text[evidence.start : evidence.end] == evidence.text


@given(st.lists(replies, max_size=6))
def test_a_batch_labels_each_reply_in_order_or_refuses_it(classifier: Classifier, texts: list[str]) -> None:
    try:
        batch = classifier.classify_many(texts)
    except (CoachsimError, ValueError):
        return
    assert [a.text for a in batch] == texts


line = st.tuples(st.sampled_from(["Alex", "Sam", "Dr. Lee", "", "Alex Morgan"]), st.text(max_size=50))
header = st.sampled_from(["", "WEBVTT\n\n", "\ufeff", "1\n00:00:01,000 --> 00:00:02,000\n"])


@given(head=header, lines=st.lists(line, max_size=8), raw=st.binary(max_size=40))
@example(head="\ufeff", lines=[("Alex", "\x00\x1b[31m red")], raw=b"\xff\xfe\x00W\x00E")
def test_any_file_imports_or_gives_one_clear_line(tmp_path_factory, head, lines, raw: bytes) -> None:
    folder: Path = tmp_path_factory.mktemp("imports")
    body = head + "".join(f"{name}: {text}\n" if name else f"{text}\n" for name, text in lines)
    for suffix, data in ((".txt", body.encode("utf-8", "surrogatepass")), (".vtt", raw), (".srt", raw)):
        path = folder / f"meeting{suffix}"
        path.write_bytes(data)
        try:
            conversation = read_conversation(path)
        except CoachsimError as error:
            assert error.message and "\n" not in error.message
            continue
        for utterance in conversation.utterances:
            assert isinstance(utterance.text, str)
