"""Messages the app's workers post; handlers on the app and screens own every state change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from coachsim.classify.analysis import ReplyAnalysis
    from coachsim.classify.classifier import Classifier
    from coachsim.scenario.loader import Catalog


class CatalogReady(Message):
    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog


class CatalogFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ClassifierReady(Message):
    def __init__(self, classifier: Classifier) -> None:
        super().__init__()
        self.classifier = classifier


class ClassifierFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ReplyLabelled(Message):
    """A reply came back from the classifier worker."""

    def __init__(
        self, text: str, analysis: ReplyAnalysis, typed_after_s: float | None, sent_after_s: float | None
    ) -> None:
        super().__init__()
        self.text = text
        self.analysis = analysis
        self.typed_after_s = typed_after_s
        self.sent_after_s = sent_after_s


class ReplyFailed(Message):
    def __init__(self, text: str, error: str) -> None:
        super().__init__()
        self.text = text
        self.error = error


class ReviewLabelled(Message):
    """An imported conversation has been labelled and is ready to review."""

    def __init__(self, transcript) -> None:
        super().__init__()
        self.transcript = transcript
