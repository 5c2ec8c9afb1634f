"""Rule files: loading, validating and locating errors as ``file:line:column: problem``.

A rule is a flat record in ``classifiers/rules/*.yaml``. It matches with exactly
one of: spaCy ``Matcher`` token patterns (``tokens``), literal ``phrases``,
``DependencyMatcher`` patterns (``dependency``) or a named grammar ``detector``
(for checks a pattern cannot express, e.g. "first verb of its clause"). When it
fires it adds ``weight`` to the move it ``supports`` and sets its ``cue``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from coachsim.classify.moves import CUES, Move
from coachsim.errors import DataFileError
from coachsim.yamlpos import read_located

#: Where a rule applies: the clause holding its match is a question of this kind, or not.
QuestionKind = Literal[
    "any", "question", "wh_question", "yesno_question", "declarative_question", "statement", "not_wh"
]


class ExampleInContext(BaseModel):
    """An example reply with the turns before it (``context``, as the classifier takes it)."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1)
    context: str | list[dict[str, str]]


Example = str | ExampleInContext


class RuleExamples(BaseModel):
    """Sentences the rule must fire on (positive) and must not (negative)."""

    model_config = ConfigDict(extra="forbid")
    positive: list[Example] = Field(min_length=1)
    negative: list[Example] = Field(default_factory=list)


class Rule(BaseModel):
    """One classifier rule; see the module docstring."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z]+(\.[a-z0-9_]+)+$")
    supports: Move | None
    cue: str | None = None
    value: str | None = None
    weight: float = Field(ge=0, le=10)
    #: A broad cue (a stock phrase, a bare sentence shape) that gives way to specific evidence
    #: for another move in the same sentence; see classifiers/RULES.md.
    generic: bool = False
    description: str = Field(min_length=5)
    when: QuestionKind = "any"
    overrides: list[str] = Field(default_factory=list)
    override_scope: Literal["overlap", "sentence"] = "overlap"
    #: Overridden anywhere in the sentence, whatever ``override_scope`` says for ``overrides``.
    overrides_in_sentence: list[str] = Field(default_factory=list)
    tokens: list[list[dict[str, Any]]] | None = None
    phrases: list[str] | None = None
    dependency: list[list[dict[str, Any]]] | None = None
    detector: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    examples: RuleExamples
    _where: str = PrivateAttr(default="")

    @property
    def where(self) -> str:
        """``file:line:column`` the rule was loaded from."""
        return self._where or self.id

    @field_validator("cue")
    @classmethod
    def _known_cue(cls, cue: str | None) -> str | None:
        if cue is not None and cue not in CUES:
            raise ValueError(f"unknown cue '{cue}'; known cues: {', '.join(CUES)}")
        return cue

    @field_validator("phrases")
    @classmethod
    def _no_repeats(cls, phrases: list[str] | None) -> list[str] | None:
        if phrases:
            seen: set[str] = set()
            for phrase in phrases:
                if phrase.lower() in seen:
                    raise ValueError(f"phrase '{phrase}' is listed twice")
                seen.add(phrase.lower())
        return phrases

    @model_validator(mode="after")
    def _one_matcher(self) -> Rule:
        kinds = [k for k in ("tokens", "phrases", "dependency", "detector") if getattr(self, k)]
        if len(kinds) != 1:
            raise ValueError(
                "a rule needs exactly one of tokens, phrases, dependency, detector"
                f" (found {', '.join(kinds) or 'none'})"
            )
        return self

    @property
    def kind(self) -> str:
        for kind in ("tokens", "phrases", "dependency", "detector"):
            if getattr(self, kind):
                return kind
        raise AssertionError("validated rule has a matcher")


def _format_validation(error: ValidationError, located: Any, base: tuple[Any, ...]) -> str:
    first = error.errors()[0]
    path = (*base, *first["loc"])
    field_path = ".".join(str(p) for p in first["loc"]) or "rule"
    return f"{located.where(path)}: {field_path}: {first['msg']}"


def load_rule_file(path: Path) -> list[tuple[Rule, str]]:
    """Rules in one file, each with its ``file:line:column``; DataFileError on the first bad one."""
    located = read_located(path)
    if located.data is None:
        return []
    if not isinstance(located.data, list):
        raise DataFileError(f"{located.where(())}: a rule file is a YAML list of rules")
    rules: list[tuple[Rule, str]] = []
    for index, record in enumerate(located.data):
        if not isinstance(record, dict):
            raise DataFileError(f"{located.where((index,))}: each rule is a mapping")
        try:
            rule = Rule.model_validate(record)
        except ValidationError as error:
            raise DataFileError(_format_validation(error, located, (index,))) from None
        rule._where = located.where((index,))
        rules.append((rule, rule._where))
    return rules


def load_rules(directory: Path) -> list[Rule]:
    """All rules under ``directory`` (``*.yaml``), checking ids are unique and overrides known."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise DataFileError(f"{directory}: no rule files (*.yaml) found; reinstall coachsim")
    seen: dict[str, str] = {}
    rules: list[Rule] = []
    for path in files:
        for rule, where in load_rule_file(path):
            if rule.id in seen:
                raise DataFileError(f"{where}: id: '{rule.id}' already defined at {seen[rule.id]}")
            seen[rule.id] = where
            rules.append(rule)
    by_id = {rule.id: rule for rule in rules}
    for rule in rules:
        for target in [*rule.overrides, *rule.overrides_in_sentence]:
            if target not in seen and target not in CUES:
                raise DataFileError(f"{seen[rule.id]}: overrides: '{target}' is neither a rule id nor a cue")
            for other in _targets(target, rules, by_id):
                theirs = [*other.overrides, *other.overrides_in_sentence]
                if other.id != rule.id and (rule.id in theirs or rule.cue in theirs):
                    raise DataFileError(
                        f"{seen[rule.id]}: overrides: '{rule.id}' and '{other.id}' override each other;"
                        " keep one direction"
                    )
    return rules


def _targets(target: str, rules: list[Rule], by_id: dict[str, Rule]) -> list[Rule]:
    """The rules an ``overrides`` entry names: one rule by id, or every rule with that cue."""
    if target in by_id:
        return [by_id[target]]
    return [rule for rule in rules if rule.cue == target]
