"""Bayes, NNT and the virtual cohorts."""

import math

import pytest
from scipy import stats
from hypothesis import given
from hypothesis import strategies as st

from painlab import evidence

proportion = st.floats(min_value=0.01, max_value=0.99)


def test_post_test_probability_by_hand():
    # pretest 30 %, sensitivity 90 %, specificity 60 %: 0.27 / (0.27 + 0.28)
    assert evidence.post_test_probability(0.3, 0.9, 0.6) == pytest.approx(0.27 / 0.55)
    assert evidence.post_test_probability(0.3, 0.9, 0.6, positive=False) == pytest.approx(0.03 / (0.03 + 0.42))


def test_likelihood_ratios():
    assert evidence.likelihood_ratio_positive(0.9, 0.6) == pytest.approx(2.25)
    assert evidence.likelihood_ratio_negative(0.9, 0.6) == pytest.approx(1 / 6)
    assert math.isinf(evidence.likelihood_ratio_positive(0.5, 1.0))


@given(proportion, proportion, proportion)
def test_post_test_odds_equal_pretest_odds_times_likelihood_ratio(pretest, sensitivity, specificity):
    post = evidence.post_test_probability(pretest, sensitivity, specificity)
    expected_odds = pretest / (1 - pretest) * evidence.likelihood_ratio_positive(sensitivity, specificity)
    assert post / (1 - post) == pytest.approx(expected_odds, rel=1e-9)


@given(proportion, proportion, proportion)
def test_a_useful_test_moves_probability_the_right_way(pretest, sensitivity, specificity):
    positive = evidence.post_test_probability(pretest, sensitivity, specificity, positive=True)
    negative = evidence.post_test_probability(pretest, sensitivity, specificity, positive=False)
    if sensitivity + specificity > 1:  # better than a coin
        assert negative <= pretest <= positive


def test_nnt_and_nnh():
    assert evidence.number_needed_to_treat(0.30, 0.50) == pytest.approx(5.0)
    assert math.isinf(evidence.number_needed_to_treat(0.4, 0.4))
    assert evidence.number_needed_to_harm(0.02, 0.07) == pytest.approx(20.0)
    with pytest.raises(ValueError, match="no benefit"):
        evidence.number_needed_to_treat(0.5, 0.3)


@pytest.mark.parametrize("args, message", [
    ((30, 0.9, 0.6), "pretest must be in \\[0, 1\\]"),
    ((0.3, "0.9", 0.6), "sensitivity must be a number"),
    ((0.3, 0.9, float("nan")), "specificity"),
])
def test_percentages_and_garbage_are_rejected(args, message):
    with pytest.raises(ValueError, match=message):
        evidence.post_test_probability(*args)


def test_impossible_result_is_rejected():
    with pytest.raises(ValueError, match="cannot occur"):
        evidence.post_test_probability(0.0, 0.9, 1.0)


def test_regression_to_the_mean_makes_nothing_look_like_something():
    cohort = evidence.simulate_uncontrolled_series(true_treatment_effect_nrs=0.0)
    assert cohort.enrolled > 100
    assert cohort.mean_change < -0.8  # patients enrolled on a bad day improve without any treatment
    no_selection = evidence.simulate_uncontrolled_series(enrolment_threshold_nrs=0.0)
    assert abs(no_selection.mean_change) < 0.15  # enrol everyone: no regression


def test_noise_free_ratings_do_not_regress():
    cohort = evidence.simulate_uncontrolled_series(measurement_sd_nrs=0.0)
    assert cohort.mean_change == pytest.approx(0.0)


def test_controlled_trial_recovers_the_true_effect():
    null = evidence.simulate_controlled_trial(true_treatment_effect_nrs=0.0, patients_screened=20000)
    assert null.treated.mean_change < -2.0  # looks impressive before and after
    assert abs(null.between_group_difference_nrs) < 0.2
    real = evidence.simulate_controlled_trial(true_treatment_effect_nrs=1.5, patients_screened=20000)
    assert real.between_group_difference_nrs == pytest.approx(-1.5, abs=0.3)


def test_cohort_input_is_checked():
    with pytest.raises(ValueError, match="no patient scored"):
        evidence.simulate_uncontrolled_series(enrolment_threshold_nrs=10.0, mean_pain_nrs=1.0, measurement_sd_nrs=0.0)
    with pytest.raises(ValueError, match="measurement_sd_nrs"):
        evidence.simulate_uncontrolled_series(measurement_sd_nrs=-1.0)


def test_single_block_strategy_is_bayes_by_hand():
    # 15 % prevalence, 38 % false positives, 90 % sensitivity, per 100 patients:
    result = evidence.block_strategy_probabilities(0.15, 0.38, 0.9, blocks=1)
    assert result.true_positives_per_100 == pytest.approx(13.5)
    assert result.false_positives_per_100 == pytest.approx(32.3)
    assert result.positive_predictive_value == pytest.approx(13.5 / 45.8)
    assert result.false_negatives_per_100 + result.true_positives_per_100 == pytest.approx(15.0)
    assert result.positive_predictive_value == pytest.approx(evidence.post_test_probability(0.15, 0.9, 1 - 0.38))


def test_two_blocks_raise_the_predictive_value_less_when_false_positives_recur():
    independent = evidence.block_strategy_probabilities(0.15, 0.38, 0.9, blocks=2)
    assert independent.true_positives_per_100 == pytest.approx(100 * 0.15 * 0.81)
    assert independent.false_positives_per_100 == pytest.approx(100 * 0.85 * 0.38 ** 2)
    assert independent.positive_predictive_value == pytest.approx(12.15 / (12.15 + 12.274))
    correlated = evidence.block_strategy_probabilities(0.15, 0.38, 0.9, blocks=2, second_false_positive_given_first=0.6)
    assert correlated.false_positives_per_100 == pytest.approx(100 * 0.85 * 0.38 * 0.6)
    single = evidence.block_strategy_probabilities(0.15, 0.38, 0.9)
    assert single.positive_predictive_value < correlated.positive_predictive_value < independent.positive_predictive_value


@pytest.mark.parametrize("kwargs, message", [
    ({"blocks": 3}, "blocks must be 1 or 2"),
    ({"blocks": True}, "blocks must be 1 or 2"),
    ({"pretest_probability": 15}, r"pretest_probability must be in \[0, 1\]"),
    ({"blocks": 1, "second_false_positive_given_first": 0.5}, "applies only to a two-block strategy"),
])
def test_block_strategy_refuses_bad_input(kwargs, message):
    arguments = {"pretest_probability": 0.15, "false_positive_rate": 0.38, "sensitivity": 0.9, **kwargs}
    with pytest.raises(ValueError, match=message):
        evidence.block_strategy_probabilities(**arguments)


def test_selection_funnel_by_hand():
    # 15 % prevalence, FPR 0.38, sensitivity 0.9; denervation works in 80 % of true sources, 25 % otherwise.
    none = evidence.selection_funnel(0.15, 0.38, 0.9, 0.8, 0.25, blocks=0)
    assert (none.denervated_per_100, none.blocks_per_100, none.missed_sources_per_100) == (100.0, 0.0, 0.0)
    assert none.successes_per_100 == pytest.approx(100 * (0.15 * 0.8 + 0.85 * 0.25))
    one = evidence.selection_funnel(0.15, 0.38, 0.9, 0.8, 0.25, blocks=1)
    assert one.denervated_per_100 == pytest.approx(13.5 + 32.3)
    assert one.successes_per_100 == pytest.approx(13.5 * 0.8 + 32.3 * 0.25)
    assert one.missed_sources_per_100 == pytest.approx(1.5)
    two = evidence.selection_funnel(0.15, 0.38, 0.9, 0.8, 0.25, blocks=2)
    assert two.blocks_per_100 == pytest.approx(100 + 45.8)  # the second block only for first-block positives
    assert two.successes_per_100 == pytest.approx(12.15 * 0.8 + 100 * 0.85 * 0.38 ** 2 * 0.25)
    # Stricter selection: better among those treated, fewer successes among all referred.
    assert none.success_among_denervated < one.success_among_denervated < two.success_among_denervated
    assert none.successes_per_100 > one.successes_per_100 > two.successes_per_100


def test_selection_funnel_refuses_bad_input():
    with pytest.raises(ValueError, match="blocks must be 0, 1 or 2"):
        evidence.selection_funnel(0.15, 0.38, 0.9, 0.8, 0.25, blocks=3)
    with pytest.raises(ValueError, match=r"success_if_source must be in \[0, 1\]"):
        evidence.selection_funnel(0.15, 0.38, 0.9, 80, 0.25)
    with pytest.raises(ValueError, match=r"sensitivity must be in \[0, 1\]"):
        evidence.selection_funnel(0.15, 0.38, 9, 0.8, 0.25, blocks=0)


# --- several tests, cluster rules, trial robustness -------------------------------------------------


def test_independent_tests_multiply_likelihood_ratios_by_hand():
    # pretest 0.3 -> odds 3/7; two positive tests with LR+ 0.6/0.2 = 3 each -> odds 27/7 -> 27/34
    assert evidence.post_test_probability_from_tests(0.3, [(0.6, 0.8, True), (0.6, 0.8, True)]) == pytest.approx(27 / 34)
    # a positive and a negative (LR- 0.4/0.8 = 0.5) -> odds 3/7 * 3 * 0.5 = 9/14 -> 9/23
    assert evidence.post_test_probability_from_tests(0.3, [(0.6, 0.8, True), (0.6, 0.8, False)]) == pytest.approx(9 / 23)
    assert evidence.post_test_probability_from_tests(0.3, []) == pytest.approx(0.3)


def test_one_test_agrees_with_bayes():
    assert evidence.post_test_probability_from_tests(0.25, [(0.7, 0.9, True)]) == pytest.approx(
        evidence.post_test_probability(0.25, 0.7, 0.9, positive=True))


def test_cluster_rule_uses_the_cluster_accuracy():
    positive = evidence.cluster_rule_probability(0.3, positive_tests=3, tests_done=5, threshold=3,
                                                 sensitivity=0.9, specificity=0.8)
    negative = evidence.cluster_rule_probability(0.3, positive_tests=2, tests_done=5, threshold=3,
                                                 sensitivity=0.9, specificity=0.8)
    assert positive == pytest.approx(0.27 / (0.27 + 0.14))
    assert negative == pytest.approx(0.03 / (0.03 + 0.56))


@pytest.mark.parametrize("kwargs, message", [
    (dict(positive_tests=6, tests_done=5, threshold=3), "positive_tests must be a whole number from 0 to 5"),
    (dict(positive_tests=2, tests_done=5, threshold=0), "threshold must be a whole number from 1 to 5"),
    (dict(positive_tests=2.0, tests_done=5, threshold=3), "positive_tests must be a whole number"),
])
def test_cluster_rule_refuses_bad_counts(kwargs, message):
    with pytest.raises(ValueError, match=message):
        evidence.cluster_rule_probability(0.3, sensitivity=0.9, specificity=0.8, **kwargs)


def test_tests_must_be_triples():
    with pytest.raises(ValueError, match=r"tests\[0\] must be a \(sensitivity, specificity, positive\) tuple"):
        evidence.post_test_probability_from_tests(0.3, [(0.6, 0.8)])
    with pytest.raises(ValueError, match=r"tests\[1\] positive must be True or False"):
        evidence.post_test_probability_from_tests(0.3, [(0.6, 0.8, True), (0.6, 0.8, 1)])


def test_newcombe_interval_reproduces_the_paper():
    # Newcombe 1998, method 10, example 56/70 against 48/80: 0.0524 to 0.3339
    lower, upper = evidence.risk_difference_interval(evidence.TrialArms(56, 70, 48, 80))
    assert (round(lower, 4), round(upper, 4)) == (0.0524, 0.3339)


def test_fisher_exact_p_by_hand():
    # [[3, 0], [0, 3]]: the observed table and its mirror each have probability 1/20
    assert evidence.fisher_exact_p(evidence.TrialArms(3, 3, 0, 3)) == pytest.approx(0.1)


def test_fragility_index_is_the_smallest_flip_that_loses_significance():
    arms = evidence.TrialArms(20, 100, 5, 100)
    index = evidence.fragility_index(arms)
    assert index == 5
    # flip control non-events (the arm with fewer events) to events, checked with scipy directly
    def p(control_events):
        return stats.fisher_exact([[20, 80], [control_events, 100 - control_events]])[1]
    assert p(5 + index - 1) < 0.05 <= p(5 + index)


def test_fragility_index_is_zero_when_not_significant():
    assert evidence.fragility_index(evidence.TrialArms(12, 50, 10, 50)) == 0


@pytest.mark.parametrize("args, message", [
    ((5, 4, 1, 10), r"events_treatment must be between 0 and n_treatment \(4\), got 5"),
    ((1, 0, 1, 10), "n_treatment must be at least 1 patient"),
    ((1.5, 10, 1, 10), "events_treatment must be a whole number of patients"),
])
def test_trial_arms_refuse_impossible_counts(args, message):
    with pytest.raises(ValueError, match=message):
        evidence.TrialArms(*args)


def test_trial_summary_of_the_pns_trial():
    summary = evidence.summarise_trial(evidence.TrialArms(7, 12, 2, 14))
    assert summary.number_needed_to_treat == pytest.approx(1 / (7 / 12 - 2 / 14))
    assert summary.p_value == pytest.approx(0.0375, abs=1e-4)  # published p = 0.037
    assert summary.fragility_index == 1
    lower, upper = summary.nnt_interval
    assert (lower, upper) == pytest.approx((1 / summary.risk_difference_interval[1], 1 / summary.risk_difference_interval[0]))


def test_nnt_interval_is_none_when_the_difference_may_be_zero():
    summary = evidence.summarise_trial(evidence.TrialArms(12, 50, 10, 50))
    assert summary.nnt_interval is None and "includes no effect" in summary.nnt_text()


def test_device_trial_counts_reproduce_published_percentages():
    from painlab.reference import evidence as ref

    evoke = ref.device_trial("EVOKE 36 months")
    assert round(100 * evoke.events_treatment / evoke.n_treatment, 1) == 77.6
    assert round(100 * evoke.events_control / evoke.n_control, 1) == 49.3
    intracept = ref.device_trial("INTRACEPT 3 months, ODI ≥ 15")
    assert round(100 * intracept.events_treatment / intracept.n_treatment, 1) == 69.2
    assert round(100 * intracept.events_control / intracept.n_control, 1) == 20.8


def test_p_values_after_flips_follow_walsh_and_stop_when_the_rates_cross():
    arms = evidence.TrialArms(7, 12, 2, 14)  # control has fewer events: flip control patients
    p_values = evidence.p_values_after_flips(arms, 20)
    expected = [stats.fisher_exact([[7, 5], [2 + k, 12 - k]])[1] for k in range(len(p_values))]
    assert p_values == pytest.approx(expected)
    assert len(p_values) == 7  # 2/14 .. 8/14; 9/14 would exceed 7/12
    assert p_values[0] < 0.05 <= p_values[1]


def test_proportion_interval_is_wilsons():
    # Wilson 95 % interval for 7/12, by the formula
    p, n, z = 7 / 12, 12, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert evidence.proportion_interval(7, 12) == pytest.approx((centre - half, centre + half))
    with pytest.raises(ValueError, match="events must be between 0 and n"):
        evidence.proportion_interval(13, 12)


def test_natural_frequencies_of_evoke_add_up_to_100_people():
    frequencies = evidence.natural_frequencies(33 / 67, 52 / 67)
    assert (frequencies.better_anyway, frequencies.better_because_of_treatment, frequencies.not_better) == (49, 29, 22)
    assert frequencies.relative_risk == pytest.approx(52 / 33)
    assert frequencies.relative_increase == pytest.approx(19 / 33)
    assert frequencies.number_needed_to_treat == pytest.approx(67 / 19)
    worse = evidence.natural_frequencies(0.4, 0.25)
    assert (worse.better_anyway, worse.better_because_of_treatment, worse.not_better) == (25, -15, 60)
    assert evidence.natural_frequencies(0.0, 0.3).relative_risk == math.inf
    assert evidence.natural_frequencies(0.3, 0.3).number_needed_to_treat == math.inf
    thousand = evidence.natural_frequencies(0.123, 0.456, per=1000)
    assert (thousand.better_anyway, thousand.better_because_of_treatment, thousand.not_better) == (123, 333, 544)


@pytest.mark.parametrize("kwargs, message", [({"control_rate": 1.2, "treatment_rate": 0.5}, "control_rate"),
                                             ({"control_rate": 0.2, "treatment_rate": -0.1}, "treatment_rate"),
                                             ({"control_rate": 0.2, "treatment_rate": 0.5, "per": 5}, "per"),
                                             ({"control_rate": 0.2, "treatment_rate": 0.5, "per": 100.0}, "per")])
def test_natural_frequencies_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        evidence.natural_frequencies(**kwargs)


def test_replicated_trials_show_power_rising_with_size_and_small_trials_exaggerating():
    small = evidence.replicate_trial(patients_per_arm=20, true_treatment_effect_nrs=1.0, runs=1000, seed=3)
    large = evidence.replicate_trial(patients_per_arm=150, true_treatment_effect_nrs=1.0, runs=1000, seed=3)
    assert small.runs == 1000 and small.difference_nrs.shape == (1000,)
    # Unbiased on average at any size: the mean estimate is the true effect.
    assert -small.difference_nrs.mean() == pytest.approx(1.0, abs=0.08)
    assert -large.difference_nrs.mean() == pytest.approx(1.0, abs=0.03)
    assert small.power_continuous < 0.55 < 0.95 < large.power_continuous
    # Type M error: the significant small trials overstate the effect; large trials do not.
    assert small.exaggeration_ratio > 1.3
    assert large.exaggeration_ratio == pytest.approx(1.0, abs=0.05)
    # Dichotomising costs power (Altman and Royston).
    assert small.power_responders < small.power_continuous
    assert large.power_responders < large.power_continuous


def test_replicated_trials_of_an_ineffective_treatment_are_significant_at_about_alpha():
    null = evidence.replicate_trial(patients_per_arm=60, true_treatment_effect_nrs=0.0, runs=2000, seed=5)
    # Two-sided 5 %: about 2.5 % significant in favour of the treatment.
    assert 0.01 < null.power_continuous < 0.045
    assert math.isnan(null.exaggeration_ratio)
    # Regression to the mean, placebo and recovery make both arms improve alike.
    assert null.responder_rate_control == pytest.approx(null.responder_rate_treated, abs=0.02)
    assert null.responder_rate_control > 0.3


def test_replicate_trial_enrols_exactly_the_asked_number_and_rejects_bad_input():
    runs = evidence.replicate_trial(patients_per_arm=30, runs=50, enrolment_threshold_nrs=8.0)
    assert runs.responders_treated.max() <= 30 and runs.patients_per_arm == 30
    for kwargs, message in (({"patients_per_arm": 2}, "patients_per_arm"), ({"runs": 1}, "runs"),
                            ({"responder_improvement": 0.0}, "responder_improvement"),
                            ({"true_treatment_effect_nrs": -1.0}, "true_treatment_effect_nrs")):
        with pytest.raises(ValueError, match=message):
            evidence.replicate_trial(**kwargs)
    with pytest.raises(ValueError, match="too few patients"):
        evidence.replicate_trial(enrolment_threshold_nrs=10.0, mean_pain_nrs=2.0, between_patient_sd_nrs=0.1,
                                 measurement_sd_nrs=0.1, runs=10)
