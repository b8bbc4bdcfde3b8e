"""Evidence: diagnostic test arithmetic (Bayes), treatment effect sizes, and why uncontrolled series mislead.

* :func:`post_test_probability` and the likelihood ratios: what a positive or negative test (or block)
  does to the probability of a diagnosis (Deeks and Altman 2004).
* :func:`number_needed_to_treat` / :func:`number_needed_to_harm`: the reciprocal of the absolute
  difference in event rates (Laupacis et al. 1988).
* :func:`block_strategy_probabilities`: single against dual (comparative) diagnostic blocks, and
  :func:`selection_funnel`: what selecting with 0, 1 or 2 blocks does to the outcome of denervation.
* :func:`post_test_probability_from_tests`: several tests (e.g. sacroiliac provocation tests) combined as
  if independent, against :func:`cluster_rule_probability`, a validated cluster's own accuracy.
* :func:`risk_difference_interval` and :func:`fragility_index`: how sure a trial's responder result is
  (Newcombe's score interval; Walsh et al.'s fragility index with Fisher's exact test).
* :func:`simulate_uncontrolled_series` and :func:`simulate_controlled_trial`: a virtual cohort with
  measurement noise, regression to the mean, a placebo response and natural recovery, showing how an
  ineffective treatment can look effective before and after, and how a control group exposes it.
* :func:`replicate_trial`: the same trial run many times at a chosen size, showing its power, how much a
  significant result exaggerates a small true effect, and what a responder analysis costs in power.
* :func:`natural_frequencies`: a two-arm result as counts out of 100 people (for icon arrays), with the
  relative and absolute ways of stating it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from numpy.typing import NDArray

from scipy import stats

from painlab.validation import require_bool, require_number

__all__ = [
    "likelihood_ratio_positive", "likelihood_ratio_negative", "post_test_probability",
    "number_needed_to_treat", "number_needed_to_harm", "CohortResult", "TrialResult",
    "simulate_uncontrolled_series", "simulate_controlled_trial", "BlockStrategyResult", "block_strategy_probabilities",
    "SelectionFunnel", "selection_funnel", "post_test_probability_from_tests", "cluster_rule_probability",
    "TrialArms", "proportion_interval", "risk_difference_interval", "fisher_exact_p", "p_values_after_flips",
    "fragility_index", "TrialSummary", "summarise_trial", "TrialReplications", "replicate_trial",
    "NaturalFrequencies", "natural_frequencies",
]


def _probability(name: str, value: object) -> float:
    return require_number(name, value, 0.0, 1.0)


def likelihood_ratio_positive(sensitivity: float, specificity: float) -> float:
    """LR+ = sensitivity / (1 - specificity); infinite for a perfectly specific test."""
    sens, spec = _probability("sensitivity", sensitivity), _probability("specificity", specificity)
    return math.inf if spec == 1.0 else sens / (1.0 - spec)


def likelihood_ratio_negative(sensitivity: float, specificity: float) -> float:
    """LR- = (1 - sensitivity) / specificity."""
    sens, spec = _probability("sensitivity", sensitivity), _probability("specificity", specificity)
    if spec == 0.0:
        raise ValueError("specificity must be above 0 for a negative likelihood ratio")
    return (1.0 - sens) / spec


def post_test_probability(pretest: float, sensitivity: float, specificity: float, positive: bool = True) -> float:
    """Probability of the condition after a positive (or negative) result, by Bayes' theorem.

    ``pretest``, ``sensitivity`` and ``specificity`` are proportions in [0, 1], not percentages.
    """
    p = _probability("pretest", pretest)
    sens, spec = _probability("sensitivity", sensitivity), _probability("specificity", specificity)
    result_positive = require_bool("positive", positive)
    if result_positive:
        true, false = sens * p, (1.0 - spec) * (1.0 - p)
    else:
        true, false = (1.0 - sens) * p, spec * (1.0 - p)
    if true + false == 0.0:
        outcome = "positive" if result_positive else "negative"
        raise ValueError(f"a {outcome} result cannot occur with these values (pretest={p}, sensitivity={sens}, "
                         f"specificity={spec})")
    return true / (true + false)


def _reciprocal_increase(control_rate: float, treatment_rate: float, when_negative: str) -> float:
    """1 / (treatment_rate - control_rate); infinite for no difference; ValueError for a decrease."""
    control = _probability("control_rate", control_rate)
    treated = _probability("treatment_rate", treatment_rate)
    difference = treated - control
    if difference < 0.0:
        raise ValueError(f"treatment_rate ({treated}) is below control_rate ({control}): {when_negative}")
    return math.inf if difference == 0.0 else 1.0 / difference


def number_needed_to_treat(control_rate: float, treatment_rate: float) -> float:
    """Patients to treat for one more good outcome: 1 / (treatment_rate - control_rate).

    Rates are proportions of patients with the *good* outcome (e.g. responders, >= 50 % relief).
    Equal rates give infinity (no benefit). A worse treatment raises ValueError: use
    :func:`number_needed_to_harm` for adverse outcomes.
    """
    return _reciprocal_increase(control_rate, treatment_rate, "there is no benefit to count; for an adverse "
                                                             "outcome use number_needed_to_harm")


def number_needed_to_harm(control_rate: float, treatment_rate: float) -> float:
    """Patients treated for one more adverse outcome: 1 / (treatment_rate - control_rate) of the adverse event."""
    return _reciprocal_increase(control_rate, treatment_rate, "the treatment does not add this harm")


# --------------------------------------------------------------------------------------------
# Why an ineffective treatment can look effective
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortResult:
    """Pain scores (0-10) of the enrolled patients before and after, with the true change decomposed."""

    baseline_nrs: NDArray[np.float64]
    follow_up_nrs: NDArray[np.float64]
    screened: int

    @property
    def enrolled(self) -> int:
        return int(self.baseline_nrs.size)

    @property
    def mean_change(self) -> float:
        """Mean follow-up minus baseline (negative = improvement)."""
        return float(np.mean(self.follow_up_nrs - self.baseline_nrs))

    def responder_rate(self, relative_improvement: float = 0.3) -> float:
        """Share of patients whose score fell by at least ``relative_improvement`` of baseline."""
        fraction = require_number("relative_improvement", relative_improvement, 0.0, 1.0, low_inclusive=False)
        improved = (self.baseline_nrs - self.follow_up_nrs) >= fraction * self.baseline_nrs
        return float(np.mean(improved))


def _measure(rng: np.random.Generator, true_pain: NDArray[np.float64], noise_sd: float) -> NDArray[np.float64]:
    """An observed 0-10 rating: the true level plus day-to-day variation and rating noise, rounded and bounded."""
    return np.clip(np.round(true_pain + rng.normal(0.0, noise_sd, true_pain.shape)), 0.0, 10.0)


def simulate_uncontrolled_series(
    *,
    patients_screened: int = 2000,
    mean_pain_nrs: float = 5.5,
    between_patient_sd_nrs: float = 1.5,
    measurement_sd_nrs: float = 1.5,
    enrolment_threshold_nrs: float = 7.0,
    placebo_response_nrs: float = 0.0,
    natural_recovery_nrs: float = 0.0,
    true_treatment_effect_nrs: float = 0.0,
    seed: int = 1,
) -> CohortResult:
    """Screen patients, enrol those who score at least the threshold today, treat, and measure again.

    Each patient has a stable true pain level; any one rating adds day-to-day variation and rating
    noise (``measurement_sd_nrs``). Enrolling only high scorers selects patients who were, on
    average, having a worse-than-usual day, so their next rating falls even if nothing is done:
    regression to the mean. The placebo response, natural recovery and the true treatment effect
    (all in NRS points, positive = improvement) are added on top.
    """
    screened = int(require_number("patients_screened", patients_screened, 10, 1_000_000))
    mean = require_number("mean_pain_nrs", mean_pain_nrs, 0.0, 10.0)
    spread = require_number("between_patient_sd_nrs", between_patient_sd_nrs, 0.0, 5.0)
    noise = require_number("measurement_sd_nrs", measurement_sd_nrs, 0.0, 5.0)
    threshold = require_number("enrolment_threshold_nrs", enrolment_threshold_nrs, 0.0, 10.0)
    improvements = sum(require_number(name, value, -5.0, 10.0) for name, value in (
        ("placebo_response_nrs", placebo_response_nrs), ("natural_recovery_nrs", natural_recovery_nrs),
        ("true_treatment_effect_nrs", true_treatment_effect_nrs)))
    rng = np.random.default_rng(int(require_number("seed", seed, 0, 2**32 - 1)))

    true_pain = np.clip(rng.normal(mean, spread, screened), 0.0, 10.0)
    baseline = _measure(rng, true_pain, noise)
    enrolled = baseline >= threshold
    if not enrolled.any():
        raise ValueError(f"no patient scored >= {threshold} at screening; lower enrolment_threshold_nrs")
    after = _measure(rng, np.clip(true_pain[enrolled] - improvements, 0.0, 10.0), noise)
    return CohortResult(baseline[enrolled], after, screened)


@dataclass(frozen=True)
class TrialResult:
    """Both arms of a randomised, placebo- or sham-controlled trial."""

    treated: CohortResult
    control: CohortResult

    @property
    def between_group_difference_nrs(self) -> float:
        """Mean change in the treated arm minus mean change in the control arm (negative favours treatment)."""
        return self.treated.mean_change - self.control.mean_change


def simulate_controlled_trial(*, true_treatment_effect_nrs: float = 0.0, placebo_response_nrs: float = 1.0,
                              natural_recovery_nrs: float = 0.5, seed: int = 1, **cohort: float) -> TrialResult:
    """The same enrolment, randomised to treatment or an identical-looking sham or placebo.

    Regression to the mean, placebo response and natural recovery act equally in both arms, so the
    difference between the arms estimates the true treatment effect.
    """
    shared = dict(placebo_response_nrs=placebo_response_nrs, natural_recovery_nrs=natural_recovery_nrs, **cohort)
    treated = simulate_uncontrolled_series(true_treatment_effect_nrs=true_treatment_effect_nrs, seed=seed, **shared)
    control = simulate_uncontrolled_series(true_treatment_effect_nrs=0.0, seed=seed + 1, **shared)
    return TrialResult(treated, control)


@dataclass(frozen=True)
class BlockStrategyResult:
    """What a diagnostic block strategy does to 100 patients referred with a suspected pain source."""

    blocks: int
    positive_predictive_value: float  # probability the source is real given the strategy is positive
    true_positives_per_100: float
    false_positives_per_100: float
    false_negatives_per_100: float
    true_negatives_per_100: float

    @property
    def positives_per_100(self) -> float:
        return self.true_positives_per_100 + self.false_positives_per_100


def block_strategy_probabilities(pretest_probability: float, false_positive_rate: float, sensitivity: float,
                                 blocks: int = 1, second_false_positive_given_first: float | None = None
                                 ) -> BlockStrategyResult:
    """Bayes for diagnostic blocks: one block, or two blocks that must both be positive.

    ``false_positive_rate`` is the chance that a single block is positive in a patient *without* the
    pain source (1 - specificity). With two blocks the model assumes, by default, that the two blocks'
    results are independent given the true state: a true source passes both with ``sensitivity²`` and
    a false one with ``false_positive_rate²``. That is optimistic: the same patient tends to respond
    to placebo twice. ``second_false_positive_given_first`` replaces the second factor by a
    conditional probability (e.g. 0.6 means 60 % of first false positives are positive again).
    """
    prior = _probability("pretest_probability", pretest_probability)
    fpr = _probability("false_positive_rate", false_positive_rate)
    sens = _probability("sensitivity", sensitivity)
    if isinstance(blocks, bool) or blocks not in (1, 2):
        raise ValueError(f"blocks must be 1 or 2, got {blocks!r}")
    if blocks == 1:
        if second_false_positive_given_first is not None:
            raise ValueError("second_false_positive_given_first applies only to a two-block strategy")
        pass_true, pass_false = sens, fpr
    else:
        repeat = fpr if second_false_positive_given_first is None else _probability(
            "second_false_positive_given_first", second_false_positive_given_first)
        pass_true, pass_false = sens * sens, fpr * repeat
    true_positive = 100.0 * prior * pass_true
    false_positive = 100.0 * (1.0 - prior) * pass_false
    if true_positive + false_positive == 0.0:
        raise ValueError("no patient can test positive with these values (pretest probability and both rates are 0)")
    return BlockStrategyResult(
        blocks=blocks, positive_predictive_value=true_positive / (true_positive + false_positive),
        true_positives_per_100=true_positive, false_positives_per_100=false_positive,
        false_negatives_per_100=100.0 * prior - true_positive,
        true_negatives_per_100=100.0 * (1.0 - prior) - false_positive)


@dataclass(frozen=True)
class SelectionFunnel:
    """Per 100 referred patients: what a selection strategy (0, 1 or 2 blocks) leads to."""

    blocks: int
    blocks_per_100: float
    denervated_per_100: float
    successes_per_100: float
    missed_sources_per_100: float  # patients whose pain does come from the target but who are screened out
    successes_without_source_per_100: float = 0.0  # non-specific 'successes' (placebo, natural history)

    @property
    def success_among_denervated(self) -> float:
        return self.successes_per_100 / self.denervated_per_100 if self.denervated_per_100 else 0.0


def selection_funnel(pretest_probability: float, false_positive_rate: float, sensitivity: float,
                     success_if_source: float, success_if_not: float, blocks: int = 2,
                     second_false_positive_given_first: float | None = None) -> SelectionFunnel:
    """Select patients for denervation with 0, 1 or 2 diagnostic blocks, then count successes per 100.

    With no block everyone is treated. With blocks, only those positive on every block are treated
    (:func:`block_strategy_probabilities`); a second block is given only to those positive on the first.
    ``success_if_source`` is the chance that denervation succeeds when the target really is the pain
    source, ``success_if_not`` when it is not (placebo response, natural history). Stricter selection
    raises the success rate *among those treated* while it may lower the successes *among all referred*.
    """
    prior = _probability("pretest_probability", pretest_probability)
    works = _probability("success_if_source", success_if_source)
    placebo = _probability("success_if_not", success_if_not)
    if isinstance(blocks, bool) or blocks not in (0, 1, 2):
        raise ValueError(f"blocks must be 0, 1 or 2, got {blocks!r}")
    if blocks == 0:
        _probability("false_positive_rate", false_positive_rate)
        _probability("sensitivity", sensitivity)
        return SelectionFunnel(0, 0.0, 100.0, 100.0 * (prior * works + (1.0 - prior) * placebo), 0.0,
                               100.0 * (1.0 - prior) * placebo)
    result = block_strategy_probabilities(prior, false_positive_rate, sensitivity, blocks,
                                          second_false_positive_given_first)
    if blocks == 2:
        first_positive = block_strategy_probabilities(prior, false_positive_rate, sensitivity, 1)
        performed = 100.0 + first_positive.positives_per_100
    else:
        performed = 100.0
    successes = result.true_positives_per_100 * works + result.false_positives_per_100 * placebo
    return SelectionFunnel(blocks, performed, result.positives_per_100, successes, result.false_negatives_per_100,
                           result.false_positives_per_100 * placebo)


# --------------------------------------------------------------------------------------------
# Several tests at once: the independence assumption against a validated cluster
# --------------------------------------------------------------------------------------------


def _odds(probability: float) -> float:
    return math.inf if probability == 1.0 else probability / (1.0 - probability)


def _probability_from_odds(odds: float) -> float:
    return 1.0 if math.isinf(odds) else odds / (1.0 + odds)


def post_test_probability_from_tests(pretest_probability: float,
                                     tests: Sequence[tuple[float, float, bool]]) -> float:
    """Probability after several test results, multiplying their likelihood ratios.

    ``tests`` holds ``(sensitivity, specificity, positive)`` for each test done. Multiplying likelihood
    ratios is exact only if the tests are *conditionally independent* (given the true state, one
    result says nothing about another). Provocation tests that stress the same joint are not: the
    product then overstates certainty, which is why a validated cluster rule
    (:func:`cluster_rule_probability`) is used instead.
    """
    prior = _probability("pretest_probability", pretest_probability)
    if isinstance(tests, (str, bytes)) or not isinstance(tests, Sequence):
        raise ValueError(f"tests must be a sequence of (sensitivity, specificity, positive) tuples, got {tests!r}")
    if prior in (0.0, 1.0):
        return prior
    odds = _odds(prior)
    for index, test in enumerate(tests):
        if not isinstance(test, tuple) or len(test) != 3:
            raise ValueError(f"tests[{index}] must be a (sensitivity, specificity, positive) tuple, got {test!r}")
        sensitivity, specificity, positive = test
        if require_bool(f"tests[{index}] positive", positive):
            ratio = likelihood_ratio_positive(sensitivity, specificity)
        else:
            ratio = likelihood_ratio_negative(sensitivity, specificity)
        if math.isinf(ratio) and odds == 0.0 or ratio == 0.0 and math.isinf(odds):
            raise ValueError(f"tests[{index}] contradicts an earlier test that was already certain")
        odds = math.inf if math.isinf(ratio) else odds * ratio
    return _probability_from_odds(odds)


def cluster_rule_probability(pretest_probability: float, positive_tests: int, tests_done: int,
                             threshold: int, sensitivity: float, specificity: float) -> float:
    """Post-test probability from a validated cluster rule ("positive if at least ``threshold`` of
    ``tests_done`` tests are positive"), using the cluster's own measured sensitivity and specificity."""
    if isinstance(tests_done, bool) or not isinstance(tests_done, int) or tests_done < 1:
        raise ValueError(f"tests_done must be a whole number of tests of at least 1, got {tests_done!r}")
    if isinstance(positive_tests, bool) or not isinstance(positive_tests, int) or not 0 <= positive_tests <= tests_done:
        raise ValueError(f"positive_tests must be a whole number from 0 to {tests_done}, got {positive_tests!r}")
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 1 <= threshold <= tests_done:
        raise ValueError(f"threshold must be a whole number from 1 to {tests_done}, got {threshold!r}")
    return post_test_probability(pretest_probability, sensitivity, specificity, positive=positive_tests >= threshold)


# --------------------------------------------------------------------------------------------
# How sure is a trial's responder result?
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialArms:
    """Responders (or events) and patients in the treatment and control arms of a two-arm trial."""

    events_treatment: int
    n_treatment: int
    events_control: int
    n_control: int

    def __post_init__(self) -> None:
        for events, n, arm in ((self.events_treatment, self.n_treatment, "treatment"),
                               (self.events_control, self.n_control, "control")):
            for name, value in ((f"n_{arm}", n), (f"events_{arm}", events)):
                if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                    raise ValueError(f"{name} must be a whole number of patients, got {value!r}")
            if n < 1:
                raise ValueError(f"n_{arm} must be at least 1 patient, got {n}")
            if not 0 <= events <= n:
                raise ValueError(f"events_{arm} must be between 0 and n_{arm} ({n}), got {events}")

    @classmethod
    def of(cls, counts: object) -> TrialArms:
        """From any record with ``events_treatment``, ``n_treatment``, ``events_control`` and ``n_control``
        (e.g. :data:`painlab.reference.evidence.DEVICE_TRIALS`)."""
        return cls(counts.events_treatment, counts.n_treatment,  # type: ignore[attr-defined]
                   counts.events_control, counts.n_control)  # type: ignore[attr-defined]

    @property
    def rate_treatment(self) -> float:
        return self.events_treatment / self.n_treatment

    @property
    def rate_control(self) -> float:
        return self.events_control / self.n_control

    @property
    def risk_difference(self) -> float:
        return self.rate_treatment - self.rate_control


def _wilson_interval(events: int, n: int, z: float) -> tuple[float, float]:
    p = events / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def _z(confidence: float) -> float:
    level = require_number("confidence", confidence, 0.5, 0.999)
    return float(stats.norm.ppf(0.5 + level / 2))


def proportion_interval(events: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of one arm's proportion (the building block of Newcombe's interval)."""
    for name, value in (("n", n), ("events", events)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{name} must be a whole number of patients, got {value!r}")
    if n < 1 or not 0 <= events <= n:
        raise ValueError(f"events must be between 0 and n, and n at least 1; got {events} of {n}")
    return _wilson_interval(events, n, _z(confidence))


def risk_difference_interval(arms: TrialArms, confidence: float = 0.95) -> tuple[float, float]:
    """Confidence interval of the difference in response rates (treatment minus control).

    Newcombe's hybrid score method (method 10 of his comparison of eleven methods), built from the
    Wilson interval of each arm: better behaved than the simple Wald interval for small trials and
    rates near 0 or 1. The NNT interval is the reciprocal of these limits (Altman 1998); when the
    interval includes 0, the NNT interval runs through infinity (benefit to harm).
    """
    z = _z(confidence)
    p1, p2 = arms.rate_treatment, arms.rate_control
    l1, u1 = _wilson_interval(arms.events_treatment, arms.n_treatment, z)
    l2, u2 = _wilson_interval(arms.events_control, arms.n_control, z)
    difference = p1 - p2
    lower = difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    upper = difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return lower, upper


def fisher_exact_p(arms: TrialArms) -> float:
    """Two-sided p-value of Fisher's exact test on the 2 x 2 table of the two arms."""
    table = [[arms.events_treatment, arms.n_treatment - arms.events_treatment],
             [arms.events_control, arms.n_control - arms.events_control]]
    return float(stats.fisher_exact(table, alternative="two-sided")[1])


def p_values_after_flips(arms: TrialArms, max_flips: int) -> list[float]:
    """Fisher's p after turning 0, 1, ... ``max_flips`` non-events into events in the arm with fewer events
    (Walsh's procedure). The list stops early once that arm runs out of patients or its rate passes the
    other arm's (beyond that the comparison has reversed)."""
    if isinstance(max_flips, bool) or not isinstance(max_flips, int) or max_flips < 0:
        raise ValueError(f"max_flips must be a whole number of at least 0, got {max_flips!r}")
    treatment_fewer = arms.events_treatment <= arms.events_control
    p_values = []
    for added in range(max_flips + 1):
        if treatment_fewer:
            events, n, other = arms.events_treatment + added, arms.n_treatment, arms.rate_control
        else:
            events, n, other = arms.events_control + added, arms.n_control, arms.rate_treatment
        if events > n or (added and events / n > other):
            break
        changed = (TrialArms(events, n, arms.events_control, arms.n_control) if treatment_fewer
                   else TrialArms(arms.events_treatment, arms.n_treatment, events, n))
        p_values.append(fisher_exact_p(changed))
    return p_values


def fragility_index(arms: TrialArms, alpha: float = 0.05) -> int:
    """Walsh et al.'s fragility index: how many patients in the arm with fewer events would need a
    different outcome (non-event to event) for a significant two-sided Fisher exact test to lose
    significance. 0 when the result is not significant to begin with. A small index (a few patients,
    often fewer than those lost to follow-up) means the result is fragile."""
    level = require_number("alpha", alpha, 0.0, 0.5, low_inclusive=False)
    fewer_n = arms.n_treatment if arms.events_treatment <= arms.events_control else arms.n_control
    p_values = p_values_after_flips(arms, fewer_n)
    for added, p_value in enumerate(p_values):
        if p_value >= level:
            return added
    return len(p_values)  # the next flip reverses the comparison


@dataclass(frozen=True)
class TrialSummary:
    """What a two-arm responder result says: effect, its uncertainty, and how fragile its significance is."""

    arms: TrialArms
    risk_difference: float
    risk_difference_interval: tuple[float, float]
    number_needed_to_treat: float  # inf when there is no difference; only for a benefit
    nnt_interval: tuple[float, float] | None  # None when the interval of the difference includes 0
    p_value: float
    fragility_index: int

    def nnt_text(self) -> str:
        if self.risk_difference <= 0:
            return "no benefit (NNT not defined)"
        ci = ("95 % CI includes no effect" if self.nnt_interval is None
              else f"95 % CI {self.nnt_interval[0]:.1f} to {self.nnt_interval[1]:.1f}")
        return f"NNT {self.number_needed_to_treat:.1f} ({ci})"


def summarise_trial(arms: TrialArms, alpha: float = 0.05) -> TrialSummary:
    """Risk difference with Newcombe's 95 % interval, NNT with Altman's inverted interval, Fisher's p and the
    fragility index, for one two-arm responder result."""
    lower, upper = risk_difference_interval(arms)
    difference = arms.risk_difference
    nnt = math.inf if difference == 0 else (1.0 / difference if difference > 0 else -1.0 / difference)
    interval = (1.0 / upper, 1.0 / lower) if lower > 0 else None
    return TrialSummary(arms, difference, (lower, upper), nnt, interval, fisher_exact_p(arms),
                        fragility_index(arms, alpha))


# --------------------------------------------------------------------------------------------
# The same trial, run many times: power, exaggeration, and the cost of a responder analysis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialReplications:
    """Many independent runs of one two-arm trial design (one row per run)."""

    true_effect_nrs: float
    patients_per_arm: int
    difference_nrs: NDArray[np.float64]  # mean change treated minus mean change control (negative favours treatment)
    p_continuous: NDArray[np.float64]  # Welch t-test on the change scores
    responders_treated: NDArray[np.int64]
    responders_control: NDArray[np.int64]
    p_responders: NDArray[np.float64]  # two-proportion z-test on the responder counts
    alpha: float

    @property
    def runs(self) -> int:
        return int(self.difference_nrs.size)

    @property
    def significant(self) -> NDArray[np.bool_]:
        """Runs whose continuous analysis favours the treatment with two-sided p below alpha."""
        return (self.p_continuous < self.alpha) & (self.difference_nrs < 0)

    @property
    def power_continuous(self) -> float:
        """Share of runs in which the mean difference was significant in favour of the treatment."""
        return float(np.mean(self.significant))

    @property
    def power_responders(self) -> float:
        """Share of runs in which the responder analysis was significant in favour of the treatment."""
        return float(np.mean((self.p_responders < self.alpha) & (self.responders_treated > self.responders_control)))

    @property
    def mean_significant_effect_nrs(self) -> float:
        """Average benefit (points, positive = better) among the significant runs; nan if there were none."""
        hits = self.significant
        return float(-np.mean(self.difference_nrs[hits])) if hits.any() else math.nan

    @property
    def exaggeration_ratio(self) -> float:
        """Average significant benefit divided by the true benefit (Gelman and Carlin's type M error)."""
        if self.true_effect_nrs <= 0:
            return math.nan
        return self.mean_significant_effect_nrs / self.true_effect_nrs

    @property
    def responder_rate_treated(self) -> float:
        return float(np.mean(self.responders_treated) / self.patients_per_arm)

    @property
    def responder_rate_control(self) -> float:
        return float(np.mean(self.responders_control) / self.patients_per_arm)


def _enrol(rng: np.random.Generator, runs: int, patients: int, mean: float, spread: float, noise: float,
           threshold: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """True and measured baseline pain of the first ``patients`` screened patients who score >= threshold,
    for each run (rows). The pool screened per run grows until every run has enough patients, within a
    memory budget of ``_MAX_SCREENED`` ratings in all; beyond it the threshold is too strict to enrol."""
    pool = 4 * patients
    while True:
        true_pain = np.clip(rng.normal(mean, spread, (runs, pool)), 0.0, 10.0)
        baseline = _measure(rng, true_pain, noise)
        eligible = baseline >= threshold
        if eligible.sum(axis=1).min() >= patients:
            order = np.argsort(~eligible, axis=1, kind="stable")[:, :patients]
            return np.take_along_axis(true_pain, order, 1), np.take_along_axis(baseline, order, 1)
        needed = int(2 * patients / max(eligible.mean(), 1.0 / (runs * pool)))  # twice the expected screening
        if runs * max(needed, 2 * pool) > _MAX_SCREENED:
            raise ValueError(f"too few patients score >= {threshold} at screening to enrol {patients} per arm "
                             f"(about {eligible.mean():.2%} do); lower enrolment_threshold_nrs")
        pool = max(needed, 2 * pool)


_MAX_SCREENED = 20_000_000
"""Largest number of screened ratings :func:`replicate_trial` draws for one arm (about 160 MB)."""


def replicate_trial(*, patients_per_arm: int = 50, true_treatment_effect_nrs: float = 1.0,
                    placebo_response_nrs: float = 1.0, natural_recovery_nrs: float = 0.5,
                    responder_improvement: float = 0.3, runs: int = 400, mean_pain_nrs: float = 5.5,
                    between_patient_sd_nrs: float = 1.5, measurement_sd_nrs: float = 1.5,
                    enrolment_threshold_nrs: float = 6.0, alpha: float = 0.05, seed: int = 1) -> TrialReplications:
    """Run one randomised, placebo- or sham-controlled trial design ``runs`` times.

    Enrolment, rating noise, regression to the mean, placebo response and natural recovery are as in
    :func:`simulate_uncontrolled_series` and act on both arms; only the treated arm gets the true
    effect. Each run is analysed twice: the mean change compared with Welch's t-test (the continuous
    analysis), and responders (an improvement of at least ``responder_improvement`` of baseline)
    compared with a two-proportion z-test. Over the runs this gives the design's power for each
    analysis, and how much the significant runs overstate the true effect.
    """
    patients = int(require_number("patients_per_arm", patients_per_arm, 5, 2000))
    repeats = int(require_number("runs", runs, 10, 5000))
    effect = require_number("true_treatment_effect_nrs", true_treatment_effect_nrs, 0.0, 10.0)
    shared = sum(require_number(name, value, -5.0, 10.0) for name, value in (
        ("placebo_response_nrs", placebo_response_nrs), ("natural_recovery_nrs", natural_recovery_nrs)))
    fraction = require_number("responder_improvement", responder_improvement, 0.0, 1.0, low_inclusive=False)
    mean = require_number("mean_pain_nrs", mean_pain_nrs, 0.0, 10.0)
    spread = require_number("between_patient_sd_nrs", between_patient_sd_nrs, 0.0, 5.0)
    noise = require_number("measurement_sd_nrs", measurement_sd_nrs, 0.0, 5.0)
    threshold = require_number("enrolment_threshold_nrs", enrolment_threshold_nrs, 0.0, 10.0)
    level = require_number("alpha", alpha, 0.0, 0.5, low_inclusive=False)
    rng = np.random.default_rng(int(require_number("seed", seed, 0, 2**32 - 1)))

    arms = []
    for improvement in (shared + effect, shared):
        true_pain, baseline = _enrol(rng, repeats, patients, mean, spread, noise, threshold)
        after = _measure(rng, np.clip(true_pain - improvement, 0.0, 10.0), noise)
        arms.append((baseline, after))
    (base_t, after_t), (base_c, after_c) = arms
    change_t, change_c = after_t - base_t, after_c - base_c
    difference = change_t.mean(axis=1) - change_c.mean(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_continuous = stats.ttest_ind(change_t, change_c, axis=1, equal_var=False).pvalue
    p_continuous = np.where(np.isnan(p_continuous), 1.0, p_continuous)  # no variation at all: no evidence
    responders_t = ((base_t - after_t) >= fraction * base_t).sum(axis=1)
    responders_c = ((base_c - after_c) >= fraction * base_c).sum(axis=1)
    pooled = (responders_t + responders_c) / (2 * patients)
    spread_z = np.sqrt(pooled * (1 - pooled) * 2 / patients)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (responders_t - responders_c) / patients / spread_z
    p_responders = np.where(spread_z > 0, 2 * stats.norm.sf(np.abs(z)), 1.0)
    return TrialReplications(effect, patients, difference, p_continuous, responders_t, responders_c, p_responders,
                             level)


# --------------------------------------------------------------------------------------------
# A result as natural frequencies (for icon arrays and shared decisions)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NaturalFrequencies:
    """A two-arm result for ``per`` people like those in the trial.

    ``better_anyway`` would have the good outcome with the control too; ``better_because_of_treatment``
    have it only with the treatment (negative if fewer do with the treatment); ``not_better`` have it
    with neither. For an adverse outcome read "better" as "has the event".
    """

    per: int
    control_rate: float
    treatment_rate: float
    better_anyway: int
    better_because_of_treatment: int
    not_better: int

    @property
    def absolute_difference(self) -> float:
        return self.treatment_rate - self.control_rate

    @property
    def relative_risk(self) -> float:
        """Treatment rate divided by control rate (infinite when no control patient had the outcome)."""
        return math.inf if self.control_rate == 0 else self.treatment_rate / self.control_rate

    @property
    def relative_increase(self) -> float:
        """The relative risk minus 1: how a "60 % more responders" headline is made."""
        return self.relative_risk - 1.0

    @property
    def number_needed_to_treat(self) -> float:
        """1 / absolute difference (infinite for none); for a treatment that does worse, the number needed to harm."""
        difference = abs(self.absolute_difference)
        return math.inf if difference == 0 else 1.0 / difference


def natural_frequencies(control_rate: float, treatment_rate: float, per: int = 100) -> NaturalFrequencies:
    """Counts out of ``per`` people: with the outcome either way, only with the treatment, with neither.

    Each arm's count is its rate times ``per``, rounded to whole people; the groups then add up to ``per``.
    """
    control = _probability("control_rate", control_rate)
    treated = _probability("treatment_rate", treatment_rate)
    if isinstance(per, bool) or not isinstance(per, (int, np.integer)) or not 10 <= per <= 10_000:
        raise ValueError(f"per must be a whole number of people from 10 to 10000, got {per!r}")
    with_control, with_treatment = round(control * per), round(treated * per)
    anyway = min(with_control, with_treatment)
    return NaturalFrequencies(int(per), control, treated, anyway, with_treatment - with_control,
                              per - max(with_control, with_treatment))
