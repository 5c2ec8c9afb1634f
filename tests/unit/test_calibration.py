"""The confidence model: fitted weights follow the evidence, and the YAML round-trips."""

from __future__ import annotations

import yaml

from coachsim.classify.calibration import Calibration, Signals, fit, reliability


def _signals(rule: str, raw: float = 0.8, decisive: bool = True) -> Signals:
    return Signals(raw=raw, decisive=decisive, conflict=False, context=False, rules=frozenset({rule}))


def test_a_rule_that_is_usually_wrong_gets_less_confidence_than_one_usually_right() -> None:
    signals = [_signals("reliable")] * 60 + [_signals("shaky")] * 60
    correct = [True] * 57 + [False] * 3 + [True] * 30 + [False] * 30
    calibration = fit(signals, correct, ["synthetic"], uncertain_below=0.65)
    assert calibration.rule_precision["reliable"] > 0.85 > 0.6 > calibration.rule_precision["shaky"]
    reliable = calibration.confidence(_signals("reliable"))
    shaky = calibration.confidence(_signals("shaky"))
    unknown = calibration.confidence(_signals("never seen"))
    assert reliable > unknown > shaky
    assert abs(reliable - 0.95) < 0.1 and abs(shaky - 0.5) < 0.15


def test_rare_rules_are_pulled_towards_the_overall_accuracy() -> None:
    signals = [_signals("common")] * 50 + [_signals("rare")]
    correct = [True] * 25 + [False] * 25 + [True]
    calibration = fit(signals, correct, ["synthetic"], uncertain_below=0.65)
    assert calibration.rule_precision["rare"] < 0.7  # one right answer is not 100%


def test_a_fitted_model_survives_a_yaml_round_trip() -> None:
    signals = [_signals("a", raw=r / 10) for r in range(3, 10)] * 10
    correct = [r > 5 for r in range(3, 10)] * 10
    calibration = fit(signals, correct, ["synthetic"], uncertain_below=0.65)
    again = Calibration.model_validate(yaml.safe_load(yaml.safe_dump(calibration.model_dump())))
    assert again.confidence(_signals("a", raw=0.9)) == calibration.confidence(_signals("a", raw=0.9))
    assert again.confidence(_signals("a", raw=0.9)) > again.confidence(_signals("a", raw=0.3))


def test_reliability_table_and_expected_calibration_error() -> None:
    rows, ece = reliability([0.95, 0.95, 0.55, 0.55], [True, True, True, False])
    assert [(r.low, r.replies, r.accuracy) for r in rows] == [(0.5, 2, 0.5), (0.9, 2, 1.0)]
    assert ece == round((2 * 0.05 + 2 * 0.05) / 4, 4)
