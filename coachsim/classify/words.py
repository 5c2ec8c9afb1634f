"""A parsed doc's tokens as plain Python objects, read out of spaCy once per doc.

spaCy decodes a string on every ``token.lower_`` and builds new Token objects on every
``token.head`` or ``token.children``; the grammar detectors read such attributes hundreds of
times per reply, which made them the classifier's largest cost. A :class:`Word` holds the
same attributes (same names, so detector code reads like spaCy code) as ordinary slots.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterator
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from spacy.tokens import Doc, MorphAnalysis, Span
    from spacy.vocab import Vocab

T = TypeVar("T")


class Word:
    """One token: text, lowercase, lemma, tags, dependency label, head and children."""

    __slots__ = (
        "children",
        "dep_",
        "head",
        "i",
        "is_punct",
        "is_space",
        "lemma_",
        "lower_",
        "pos_",
        "tag_",
        "text",
        "words",
    )

    i: int
    text: str
    lower_: str
    lemma_: str
    tag_: str
    pos_: str
    dep_: str
    is_punct: bool
    is_space: bool
    head: Word
    children: list[Word]
    words: WordList  # every word of the doc, so neighbours are ``words[i + 1]``

    @property
    def sent_start(self) -> int:
        """Where this word's sentence starts (its first token's index)."""
        starts = self.words.sentence_starts
        return starts[bisect_right(starts, self.i) - 1]

    @property
    def sent_end(self) -> int:
        starts = self.words.sentence_starts
        following = bisect_right(starts, self.i)
        return starts[following] if following < len(starts) else len(self.words)

    @property
    def is_sent_start(self) -> bool:
        return self.i == self.sent_start

    @property
    def morph(self) -> MorphAnalysis:
        return self._doc[self.i].morph

    @property
    def right_edge(self) -> Word:
        return self.words[self._doc[self.i].right_edge.i]

    @property
    def _doc(self) -> Doc:
        doc = self.words.doc
        assert doc is not None, "a released Word was read"
        return doc

    @property
    def subtree(self) -> Iterator[Word]:
        """The word and its descendants, in document order (as spaCy's ``Token.subtree``)."""
        for child in self.children:
            if child.i < self.i:
                yield from child.subtree
        yield self
        for child in self.children:
            if child.i > self.i:
                yield from child.subtree

    def __repr__(self) -> str:
        return f"Word({self.text!r}, {self.i})"


class WordList(list):
    """A doc's words in order, with the spaCy ``doc`` they were read from and the index of
    each sentence's first token."""

    __slots__ = ("doc", "sentence_starts")

    def __init__(self, doc: Doc) -> None:
        super().__init__()
        self.doc: Doc | None = doc  # None once released
        self.sentence_starts: list[int] = [0]


class ParsedWords:
    """Every :class:`Word` of a doc, the string hashes of its lowercase forms and lemmas (what
    the rule engine checks a pattern's required words against), its sentences, and a memo
    for grammar helpers that several detectors ask the same question of."""

    __slots__ = ("keys", "memo", "sentences", "words")

    def __init__(self, words: WordList, keys: frozenset[int], sentences: list[Span]) -> None:
        self.words = words
        self.keys = keys
        self.sentences = sentences
        self.memo: dict[Hashable, Any] = {}


_KEY = "coachsim.words"


def parsed_words(doc: Doc) -> ParsedWords:
    """The doc's words, built on first use and kept in ``doc.user_data`` until :func:`release`."""
    parsed = doc.user_data.get(_KEY)
    if parsed is None:
        parsed = doc.user_data[_KEY] = _build(doc)
    return parsed


def memoised(span: Region, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, run once per doc for each ``key`` (e.g. ``("clauses", start, end)``) and
    kept until :func:`release`; ``compute`` must not return None."""
    table = parsed_words(span.doc).memo
    found = table.get(key)
    if found is None:
        found = table[key] = compute()
    return found


def release(doc: Doc) -> None:
    """Drop the doc's Words and memos, unlinking the Words from each other and from the doc so
    that reference counting frees them at once (left linked, every reply's Words and doc would
    wait for the cyclic garbage collector, which then runs several times as often)."""
    parsed = doc.user_data.pop(_KEY, None)
    if parsed is None:
        return
    parsed.memo.clear()
    parsed.sentences = []
    words = parsed.words
    for word in words:
        word.children = word.head = word.words = None
    words.clear()
    words.doc = None


def words_of(doc: Doc) -> list[Word]:
    return parsed_words(doc).words


def sentences_of(doc: Doc) -> list[Span]:
    return parsed_words(doc).sentences


class Region(Protocol):
    """A run of a doc's tokens: a spaCy ``Span`` or a light clause tuple."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def doc(self) -> Doc: ...
    @property
    def root(self) -> Any: ...


def tokens_of(span: Region) -> list[Word]:
    """The span's tokens as :class:`Word` objects."""
    return parsed_words(span.doc).words[span.start : span.end]


def word_at(span: Region, index: int) -> Word:
    """The doc's token ``index`` (an absolute position) as a :class:`Word`."""
    return parsed_words(span.doc).words[index]


def root(span: Region) -> Word:
    return word_at(span, span.root.i)


#: Memoised lookups shared by every doc: string hashes are the same in every StringStore.
_NAMES: dict[int, str] = {0: ""}
_LEXEMES: dict[int, tuple[str, str, int, bool, bool]] = {}
_MEMO_LIMIT = 200_000
_SIGN = 1 << 63


def _name(vocab: Vocab, key: int) -> str:
    value = vocab.strings[key]
    if len(_NAMES) < _MEMO_LIMIT:
        _NAMES[key] = value
    return value


def _lexeme(vocab: Vocab, orth: int) -> tuple[str, str, int, bool, bool]:
    lexeme = vocab[orth]
    value = (lexeme.orth_, lexeme.lower_, lexeme.lower, lexeme.is_punct, lexeme.is_space)
    if len(_LEXEMES) < _MEMO_LIMIT:
        _LEXEMES[orth] = value
    return value


_ATTRIBUTES: list[int] = []  # ORTH, LEMMA, TAG, POS, DEP, HEAD, filled on first use


def _build(doc: Doc) -> ParsedWords:
    """Read the doc column by column (one ``to_array`` call, memoised string lookups), then
    make one Word per token."""
    if not _ATTRIBUTES:
        from spacy.attrs import DEP, HEAD, LEMMA, ORTH, POS, TAG

        _ATTRIBUTES.extend([ORTH, LEMMA, TAG, POS, DEP, HEAD])
    vocab = doc.vocab
    names, lexemes = _NAMES, _LEXEMES
    orths, lemmas, tags, poses, deps, heads = doc.to_array(list[int | str](_ATTRIBUTES)).T.tolist()
    lexes = [lexemes.get(key) or _lexeme(vocab, key) for key in orths]
    lemma_names = [names.get(key) or _name(vocab, key) for key in lemmas]
    tag_names = [names.get(key) or _name(vocab, key) for key in tags]
    pos_names = [names.get(key) or _name(vocab, key) for key in poses]
    dep_names = [names.get(key) or _name(vocab, key) for key in deps]
    words = WordList(doc)
    for i, (lex, lemma, tag, pos, dep) in enumerate(
        zip(lexes, lemma_names, tag_names, pos_names, dep_names, strict=True)
    ):
        word = Word()
        word.i = i
        word.text, word.lower_, _, word.is_punct, word.is_space = lex
        word.lemma_ = lemma
        word.tag_ = tag
        word.pos_ = pos
        word.dep_ = dep
        word.children = []
        word.words = words
        words.append(word)
    for word, offset in zip(words, heads, strict=True):
        head = word.i + offset if offset < _SIGN else word.i + offset - 2 * _SIGN  # a signed offset
        word.head = words[head]
        if head != word.i:
            words[head].children.append(word)
    sentences = list(doc.sents)
    words.sentence_starts = [sent.start for sent in sentences] or [0]
    keys = frozenset(lemmas).union([lex[2] for lex in lexes])
    return ParsedWords(words, keys, sentences)
