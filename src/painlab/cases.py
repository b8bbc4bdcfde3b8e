"""Branching clinical cases: YAML data validated on load, a session that keeps the score, and a report.

A case is a patient (presentation, history, examination, imaging) and a sequence of decision points.
Each decision point is either a choice between options or a calculation done with the course library
(a dose, a volume, an important-change check). Every option carries its feedback (why right, why wrong),
the citations that support it, its score, and where it leads: a wrong choice can lead to a complication
that must then be managed. Every complete path through a case meets all seven stages of care
(:data:`STAGES`), so no learner can finish a case without, for example, the safety check or the outcome
assessment.

The files live in ``painlab/data/cases/<case id>.yml``. :func:`load_case` checks a file completely and
raises :class:`CaseError` naming the file, the decision and what is wrong. :class:`CaseSession` is the
pure state machine (no widgets) that the JupyterLab player (:mod:`painlab.widgets`) and the tests drive;
:func:`report_markdown` renders the same case as a readable case report for the book.
"""

from __future__ import annotations

import importlib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterator, Mapping

import yaml

CASE_DIRECTORY = Path(__file__).parent / "data" / "cases"
STAGES: tuple[str, ...] = ("selection", "safety", "dose", "technique", "complication", "outcome", "plan")
STAGE_TITLES: Mapping[str, str] = MappingProxyType({
    "selection": "Selection", "safety": "Pre-procedure safety", "dose": "Dose calculation",
    "technique": "Imaging and technique", "complication": "Complication or poor response",
    "outcome": "Outcome against the minimal important change", "plan": "Multidisciplinary plan"})
CASE_SETS: Mapping[str, str] = MappingProxyType({
    "lumbar": "Lumbar spine", "head_neck": "Neck, head and face",
    "sympathetic_cancer": "Sympathetic, visceral and cancer pain", "neuromodulation_joints": "Neuromodulation and joints"})
# Library functions a calculation may call: module -> functions (no file, network or grading code).
CALCULATORS: Mapping[str, frozenset[str]] = MappingProxyType({
    "pharmacology": frozenset({"max_dose_mg", "max_volume_ml", "mg_per_ml", "equivalent_steroid_dose_mg",
                               "daily_mme", "epinephrine_mcg_per_ml"}),
    "assessment": frozenset({"oswestry_percent", "is_important_improvement", "dn4_score", "dn4_positive",
                             "pcs_total"}),
    "evidence": frozenset({"number_needed_to_treat", "number_needed_to_harm", "post_test_probability"}),
    "intrathecal": frozenset({"daily_volume_ml", "concentration_for_interval", "reservoir_volume_ml"}),
    "neuromodulation": frozenset({"trial_relief_percent", "meets_trial_criterion", "charge_per_pulse_uc"}),
    "imaging": frozenset({"operator_dose_usv"}),
})
MAX_OPTION_SCORE = 3
END = "end"


class CaseError(ValueError):
    """A case file that does not describe a valid case (the message names the file and the problem)."""


@dataclass(frozen=True)
class Option:
    """One answer at a decision point."""

    id: str
    text: str
    score: int
    feedback: str
    cites: tuple[str, ...]
    next: str  # a decision id, or END


@dataclass(frozen=True)
class Calculation:
    """A decision answered by a number (or yes/no) that the course library computes."""

    call: str  # "module.function" in painlab
    args: Mapping[str, Any]
    unit: str
    rel_tol: float
    points: int
    explanation: str
    cites: tuple[str, ...]
    next: str
    answer: float | bool

    def is_correct(self, value: float | bool) -> bool:
        """Whether ``value`` matches the library's answer (within ``rel_tol`` for numbers)."""
        if isinstance(self.answer, bool):
            return isinstance(value, bool) and value is self.answer
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return False
        return abs(float(value) - self.answer) <= self.rel_tol * abs(self.answer)

    def answer_text(self) -> str:
        if isinstance(self.answer, bool):
            return "yes" if self.answer else "no"
        return f"{self.answer:.3g} {self.unit}".strip()


@dataclass(frozen=True)
class Decision:
    """A point in the case where the learner acts: options to choose from, or a calculation."""

    id: str
    stage: str
    prompt: str
    options: tuple[Option, ...] = ()
    calculation: Calculation | None = None

    @property
    def points(self) -> int:
        """The most this decision alone can score."""
        if self.calculation is not None:
            return self.calculation.points
        return max(option.score for option in self.options)

    def successors(self) -> tuple[str, ...]:
        if self.calculation is not None:
            return (self.calculation.next,)
        return tuple(dict.fromkeys(option.next for option in self.options))

    def option(self, option_id: str) -> Option:
        for option in self.options:
            if option.id == option_id:
                return option
        raise ValueError(f"decision {self.id!r} has no option {option_id!r}; options: "
                         f"{', '.join(o.id for o in self.options)}")


@dataclass(frozen=True)
class TeachingPoint:
    text: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Patient:
    age_years: int
    sex: str
    weight_kg: float

    def describe(self) -> str:
        return f"{self.age_years}-year-old {'woman' if self.sex == 'female' else 'man'}, {self.weight_kg:g} kg"


@dataclass(frozen=True, eq=False)
class Case:
    """A whole case, as loaded and checked from its YAML file (compared and hashed by identity)."""

    id: str
    title: str
    case_set: str
    patient: Patient
    presentation: str
    history: str
    examination: str
    imaging: str
    start: str
    decisions: Mapping[str, Decision]
    teaching_points: tuple[TeachingPoint, ...]
    plan: str
    order: int = 100
    source_file: str = ""

    @property
    def max_score(self) -> int:
        """The most a learner can score: the best path through the case."""
        return _best_score(self, self.start)

    def best_choices(self) -> list[tuple[str, str | None]]:
        """The path taken when every choice is a best one: (decision id, option id or None for a calculation)."""
        path: list[tuple[str, str | None]] = []
        current = self.start
        while current != END:
            decision = self.decisions[current]
            if decision.calculation is not None:
                path.append((current, None))
                current = decision.calculation.next
                continue
            option = max(decision.options, key=lambda o: o.score + _best_score(self, o.next))  # first of equals
            path.append((current, option.id))
            current = option.next
        return path

    def best_path(self) -> list[str]:
        """The decision ids met when every choice is a best one."""
        return [decision_id for decision_id, _ in self.best_choices()]

    def paths(self) -> Iterator[list[tuple[str, str | None]]]:
        """Every complete path: a list of (decision id, option id or None for a calculation)."""
        yield from _paths(self, self.start, [])

    def citation_keys(self) -> set[str]:
        keys: set[str] = set()
        for decision in self.decisions.values():
            if decision.calculation is not None:
                keys.update(decision.calculation.cites)
            for option in decision.options:
                keys.update(option.cites)
        for point in self.teaching_points:
            keys.update(point.cites)
        return keys


def _best_score(case: Case, decision_id: str) -> int:
    return _best_scores(case)[decision_id]


@lru_cache(maxsize=None)
def _best_scores(case: Case) -> Mapping[str, int]:
    best: dict[str, int] = {END: 0}

    def visit(decision_id: str) -> int:
        if decision_id not in best:
            decision = case.decisions[decision_id]
            if decision.calculation is not None:
                best[decision_id] = decision.calculation.points + visit(decision.calculation.next)
            else:
                best[decision_id] = max(o.score + visit(o.next) for o in decision.options)
        return best[decision_id]

    visit(case.start)
    return MappingProxyType(best)


def _paths(case: Case, decision_id: str, so_far: list[tuple[str, str | None]]
           ) -> Iterator[list[tuple[str, str | None]]]:
    if decision_id == END:
        yield so_far
        return
    decision = case.decisions[decision_id]
    if decision.calculation is not None:
        yield from _paths(case, decision.calculation.next, so_far + [(decision_id, None)])
        return
    for option in decision.options:
        yield from _paths(case, option.next, so_far + [(decision_id, option.id)])


def path_score(case: Case, path: list[tuple[str, str | None]], calculations_right: bool = True) -> int:
    """The score of a path (calculations counted as right unless told otherwise)."""
    total = 0
    for decision_id, option_id in path:
        decision = case.decisions[decision_id]
        if option_id is None:
            total += decision.points if calculations_right else 0
        else:
            total += decision.option(option_id).score
    return total


# --------------------------------------------------------------------------------------------
# Loading and checking
# --------------------------------------------------------------------------------------------


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise CaseError(f"{where}: {message}")


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    _require(isinstance(value, str) and bool(value.strip()), where, f"'{key}' must be non-empty text")
    return " ".join(str(value).split())


def _cites(raw: Mapping[str, Any], where: str, required: bool = True) -> tuple[str, ...]:
    value = raw.get("cites", [])
    _require(isinstance(value, list) and all(isinstance(k, str) and k for k in value), where,
             "'cites' must be a list of citation keys")
    _require(bool(value) or not required, where, "give at least one citation in 'cites'")
    return tuple(value)


def _reference_value(spec: Mapping[str, Any], where: str) -> float:
    """A number from the cited reference data: ``{ref: "evidence.SI_CLUSTER_LASLETT.sensitivity"}`` (an attribute
    path in ``painlab.reference.<module>``, optionally ending in ``[index]``); ``complement: true`` gives 1 - value."""
    path = spec.get("ref")
    match = re.fullmatch(r"(\w+)\.(\w+)((?:\.\w+)*)(?:\[(\d+)\])?", path) if isinstance(path, str) else None
    _require(match is not None and set(spec) <= {"ref", "complement"}, where,
             f"a reference argument must be {{ref: 'module.NAME[.attribute][[index]]'}}, got {dict(spec)}")
    module_name, name, attributes, index = match.groups()
    try:
        value: Any = getattr(importlib.import_module(f"painlab.reference.{module_name}"), name)
        for attribute in attributes.split(".")[1:]:
            value = getattr(value, attribute)
        if index is not None:
            value = value[int(index)]
    except (ImportError, AttributeError, IndexError, TypeError) as error:
        raise CaseError(f"{where}: no reference value {path!r} ({error})") from error
    value = getattr(value, "value", value)  # a Quantity or ModelParameter carries its number in .value
    _require(isinstance(value, (int, float)) and not isinstance(value, bool), where, f"{path!r} is not a number")
    return 1.0 - float(value) if spec.get("complement") else float(value)


def _compute(call: str, args: Mapping[str, Any], where: str) -> float | bool:
    module_name, _, function_name = call.partition(".")
    _require(module_name in CALCULATORS and function_name in CALCULATORS[module_name], where,
             f"'call' must be one of {', '.join(sorted(f'{m}.{f}' for m, fs in CALCULATORS.items() for f in fs))}, "
             f"not {call!r}")
    function = getattr(importlib.import_module(f"painlab.{module_name}"), function_name)
    try:
        result = function(**args)
    except (TypeError, ValueError) as error:
        raise CaseError(f"{where}: {call}(**{dict(args)}) failed: {error}") from error
    _require(isinstance(result, (bool, int, float)), where, f"{call} must return a number or yes/no")
    return result if isinstance(result, bool) else float(result)


def _decision(raw: Any, where: str) -> Decision:
    _require(isinstance(raw, dict), where, "a decision must be a mapping")
    decision_id = raw.get("id")
    _require(isinstance(decision_id, str) and decision_id.isidentifier(), where,
             "each decision needs an 'id' (letters, digits, underscores)")
    where = f"{where} '{decision_id}'"
    stage = raw.get("stage")
    _require(stage in STAGES, where, f"'stage' must be one of {', '.join(STAGES)}, not {stage!r}")
    prompt = _text(raw, "prompt", where)
    has_options, has_calculation = "options" in raw, "calculation" in raw
    _require(has_options != has_calculation, where, "give either 'options' or a 'calculation', not both or neither")
    if has_calculation:
        calc = raw["calculation"]
        _require(isinstance(calc, dict), where, "'calculation' must be a mapping")
        args = calc.get("args", {})
        _require(isinstance(args, dict), where, "'calculation.args' must be a mapping")
        args = {name: _reference_value(value, where) if isinstance(value, dict) else value
                for name, value in args.items()}
        rel_tol = calc.get("rel_tol", 0.05)
        _require(isinstance(rel_tol, (int, float)) and 0 <= rel_tol <= 0.2, where, "'rel_tol' must be in [0, 0.2]")
        points = calc.get("points")
        _require(isinstance(points, int) and 1 <= points <= MAX_OPTION_SCORE, where,
                 f"'calculation.points' must be an integer from 1 to {MAX_OPTION_SCORE}")
        _require(isinstance(calc.get("next"), str), where, "'calculation.next' must name a decision or 'end'")
        answer = _compute(str(calc.get("call")), args, where)
        calculation = Calculation(call=str(calc["call"]), args=MappingProxyType(dict(args)),
                                  unit=str(calc.get("unit", "")), rel_tol=float(rel_tol), points=points,
                                  explanation=_text(calc, "explanation", where), cites=_cites(calc, where),
                                  next=calc["next"], answer=answer)
        return Decision(decision_id, stage, prompt, calculation=calculation)
    options_raw = raw["options"]
    _require(isinstance(options_raw, list) and len(options_raw) >= 2, where, "give at least two options")
    options = []
    for number, option in enumerate(options_raw, 1):
        spot = f"{where}, option {number}"
        _require(isinstance(option, dict), spot, "an option must be a mapping")
        option_id = option.get("id")
        _require(isinstance(option_id, str) and bool(option_id), spot, "each option needs an 'id'")
        score = option.get("score")
        _require(isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= MAX_OPTION_SCORE, spot,
                 f"'score' must be an integer from 0 to {MAX_OPTION_SCORE}")
        _require(isinstance(option.get("next"), str), spot, "'next' must name a decision or 'end'")
        options.append(Option(option_id, _text(option, "text", spot), score, _text(option, "feedback", spot),
                              _cites(option, spot), option["next"]))
    ids = [o.id for o in options]
    _require(len(set(ids)) == len(ids), where, f"option ids must be unique, got {ids}")
    _require(max(o.score for o in options) > 0, where, "at least one option must score points")
    return Decision(decision_id, stage, prompt, options=tuple(options))


def parse_case(raw: Any, where: str = "case") -> Case:
    """Build and check a :class:`Case` from parsed YAML (``where`` names the file in error messages)."""
    _require(isinstance(raw, dict), where, "a case file must be a mapping")
    case_id = raw.get("id")
    _require(isinstance(case_id, str) and case_id.isidentifier(), where, "'id' must be an identifier")
    case_set = raw.get("case_set")
    _require(case_set in CASE_SETS, where, f"'case_set' must be one of {', '.join(CASE_SETS)}, not {case_set!r}")
    patient_raw = raw.get("patient")
    _require(isinstance(patient_raw, dict), where, "'patient' must give age_years, sex and weight_kg")
    age, sex, weight = patient_raw.get("age_years"), patient_raw.get("sex"), patient_raw.get("weight_kg")
    _require(isinstance(age, int) and 16 <= age <= 100, where, "'patient.age_years' must be an integer 16-100")
    _require(sex in ("female", "male"), where, "'patient.sex' must be 'female' or 'male'")
    _require(isinstance(weight, (int, float)) and 35 <= weight <= 200, where, "'patient.weight_kg' must be 35-200")
    decisions_raw = raw.get("decisions")
    _require(isinstance(decisions_raw, list) and decisions_raw, where, "'decisions' must be a non-empty list")
    decisions: dict[str, Decision] = {}
    for number, item in enumerate(decisions_raw, 1):
        decision = _decision(item, f"{where}, decision {number}")
        _require(decision.id not in decisions and decision.id != END, where, f"duplicate decision id {decision.id!r}")
        decisions[decision.id] = decision
    start = raw.get("start", decisions_raw[0].get("id") if isinstance(decisions_raw[0], dict) else None)
    _require(start in decisions, where, f"'start' must name a decision, not {start!r}")
    for decision in decisions.values():
        for target in decision.successors():
            _require(target == END or target in decisions, where,
                     f"decision {decision.id!r} leads to {target!r}, which is not a decision (or 'end')")
    _check_graph(decisions, start, where)
    points_raw = raw.get("teaching_points")
    _require(isinstance(points_raw, list) and points_raw, where, "'teaching_points' must be a non-empty list")
    teaching = tuple(TeachingPoint(_text(p, "text", f"{where}, teaching point {i}"),
                                   _cites(p, f"{where}, teaching point {i}"))
                     for i, p in enumerate(points_raw, 1) if isinstance(p, dict))
    _require(len(teaching) == len(points_raw), where, "each teaching point needs 'text' and 'cites'")
    case = Case(id=case_id, title=_text(raw, "title", where), case_set=case_set,
                patient=Patient(age, sex, float(weight)), presentation=_text(raw, "presentation", where),
                history=_text(raw, "history", where), examination=_text(raw, "examination", where),
                imaging=_text(raw, "imaging", where), start=start, decisions=MappingProxyType(decisions),
                teaching_points=teaching, plan=_text(raw, "plan", where),
                order=int(raw.get("order", 100)),
                source_file=where)
    for path in case.paths():
        met = {case.decisions[d].stage for d, _ in path}
        missing = [s for s in STAGES if s not in met]
        _require(not missing, where, f"the path {' -> '.join(d for d, _ in path)} never meets: {', '.join(missing)}")
    return case


def _check_graph(decisions: Mapping[str, Decision], start: str, where: str) -> None:
    """Every decision reachable from the start, no cycles (so every path ends)."""
    state: dict[str, str] = {}

    def visit(decision_id: str, trail: tuple[str, ...]) -> None:
        if decision_id == END:
            return
        if state.get(decision_id) == "open":
            raise CaseError(f"{where}: the decisions form a loop: {' -> '.join(trail + (decision_id,))}")
        if state.get(decision_id) == "done":
            return
        state[decision_id] = "open"
        for target in decisions[decision_id].successors():
            visit(target, trail + (decision_id,))
        state[decision_id] = "done"

    visit(start, ())
    unreachable = [d for d in decisions if d not in state]
    _require(not unreachable, where, f"no path reaches: {', '.join(unreachable)}")


def load_case(case_id: str) -> Case:
    """Load and check ``painlab/data/cases/<case_id>.yml``."""
    path = CASE_DIRECTORY / f"{case_id}.yml"
    if not path.is_file():
        raise ValueError(f"no case {case_id!r}; known cases: {', '.join(case_ids())}")
    return load_case_file(path)


def load_case_file(path: Path) -> Case:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CaseError(f"{path.name}: not valid YAML: {error}") from error
    case = parse_case(raw, path.name)
    _require(case.id == path.stem, path.name, f"the file name must be the case id ({case.id}.yml)")
    return case


def case_ids() -> list[str]:
    return sorted(p.stem for p in CASE_DIRECTORY.glob("*.yml"))


def cases_in_set(case_set: str) -> list[Case]:
    """The cases of one case set, in the order of their ``order`` numbers (then ids)."""
    if case_set not in CASE_SETS:
        raise ValueError(f"unknown case set {case_set!r}; known: {', '.join(CASE_SETS)}")
    found = [load_case(i) for i in case_ids()]
    return sorted((c for c in found if c.case_set == case_set), key=lambda c: (c.order, c.id))


# --------------------------------------------------------------------------------------------
# Playing a case
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """What happened at one decision: the answer given, the points, and the feedback to show."""

    decision: Decision
    answer: str
    points: int
    correct: bool
    feedback: str
    cites: tuple[str, ...]


@dataclass
class CaseSession:
    """One learner working through one case: no widgets, so it can be tested and graded."""

    case: Case
    current_id: str = ""
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.current_id = self.current_id or self.case.start

    @property
    def finished(self) -> bool:
        return self.current_id == END

    @property
    def current(self) -> Decision:
        if self.finished:
            raise ValueError(f"the case {self.case.id!r} is finished")
        return self.case.decisions[self.current_id]

    @property
    def score(self) -> int:
        return sum(step.points for step in self.steps)

    @property
    def max_score(self) -> int:
        return self.case.max_score

    def choose(self, option_id: str) -> Step:
        """Answer the current decision with one of its options."""
        decision = self.current
        if decision.calculation is not None:
            raise ValueError(f"decision {decision.id!r} asks for a calculation: use answer()")
        option = decision.option(option_id)
        step = Step(decision, option.text, option.score, option.score == decision.points, option.feedback,
                    option.cites)
        self.steps.append(step)
        self.current_id = option.next
        return step

    def answer(self, value: float | bool) -> Step:
        """Answer the current calculation with a number (or True/False)."""
        decision = self.current
        calculation = decision.calculation
        if calculation is None:
            raise ValueError(f"decision {decision.id!r} has options: use choose()")
        correct = calculation.is_correct(value)
        shown = ("yes" if value else "no") if isinstance(value, bool) else f"{value:g} {calculation.unit}".strip()
        verdict = "Right" if correct else f"The library gives {calculation.answer_text()}"
        step = Step(decision, shown, calculation.points if correct else 0, correct,
                    f"{verdict}. {calculation.explanation}", calculation.cites)
        self.steps.append(step)
        self.current_id = calculation.next
        return step


# --------------------------------------------------------------------------------------------
# Citations outside the book (JupyterLab shows "Author et al. year", the book resolves {cite:p})
# --------------------------------------------------------------------------------------------

BIBLIOGRAPHY = Path(__file__).resolve().parents[2] / "book" / "references.bib"


@lru_cache(maxsize=1)
def _bibliography() -> Any:
    if not BIBLIOGRAPHY.is_file():
        return None
    import pybtex.database

    return pybtex.database.parse_file(str(BIBLIOGRAPHY))


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[{}\\`']", "", text).split())


@lru_cache(maxsize=None)
def citation_label(key: str) -> str:
    """A short label for a citation key: "Pinto et al. 2012" (the key itself when the bibliography is absent)."""
    bibliography = _bibliography()
    if bibliography is None or key not in bibliography.entries:
        return key
    entry = bibliography.entries[key]
    people = [_plain(" ".join(person.last_names)) for person in entry.persons.get("author", [])]
    if people:
        who = people[0] + (f" and {people[1]}" if len(people) == 2 else " et al." if len(people) > 2 else "")
    else:
        fields = entry.fields
        who = _plain(fields.get("organization") or fields.get("publisher") or fields.get("title") or key)
        who = who if len(who) <= 60 else who[:57].rsplit(" ", 1)[0] + "..."
    year = entry.fields.get("year")
    return f"{who} {year}" if year else who


# --------------------------------------------------------------------------------------------
# The case as a report (the book)
# --------------------------------------------------------------------------------------------


def _cite(keys: tuple[str, ...]) -> str:
    return f" {{cite:p}}`{','.join(keys)}`" if keys else ""


def _argument_text(value: Any) -> str:
    """A calculation argument as the report shows it: 3 significant figures for a long float (13/43 -> 0.302)."""
    if isinstance(value, float) and value != round(value, 3):
        return f"{value:.3g}"
    return repr(value)


def _decision_markdown(decision: Decision, number: int | str, best: str | None) -> list[str]:
    lines = [f"**Decision {number} ({STAGE_TITLES[decision.stage]}).** {decision.prompt}", ""]
    if decision.calculation is not None:
        calc = decision.calculation
        args = ", ".join(f"{k}={_argument_text(v)}" for k, v in calc.args.items())
        lines += [f"- *Calculation with the library:* `{calc.call}({args})` gives **{calc.answer_text()}**. "
                  f"{calc.explanation}{_cite(calc.cites)}", ""]
        return lines
    for letter, option in zip("ABCDEFGH", decision.options):
        mark = " **(best choice)**" if option.id == best else ""
        lines.append(f"- **{letter}.** {option.text}{mark} *{option.feedback}*{_cite(option.cites)}")
    lines.append("")
    return lines


def report_markdown(case: Case) -> str:
    """The case as a readable case report (MyST Markdown with citations): the book's view of a case."""
    lines = [f"### {case.title}", "",
             f"**Patient.** {case.patient.describe()}. {case.presentation}", "",
             f"**History.** {case.history}", "", f"**Examination.** {case.examination}", "",
             f"**Imaging.** {case.imaging}", "", "#### Decisions along the best path", ""]
    choices = case.best_choices()
    best_path = [decision_id for decision_id, _ in choices]
    for number, (decision_id, option_id) in enumerate(choices, 1):
        lines += _decision_markdown(case.decisions[decision_id], number, option_id)
    branches = [d for d in case.decisions if d not in best_path]
    if branches:
        lines += ["#### Where other choices lead", ""]
        for decision_id in branches:
            decision = case.decisions[decision_id]
            best = max(decision.options, key=lambda o: o.score).id if decision.options else None
            lines += _decision_markdown(decision, f"'{decision_id.replace('_', ' ')}'", best)
    lines += ["#### Teaching points", ""]
    lines += [f"- {point.text}{_cite(point.cites)}" for point in case.teaching_points]
    lines += ["", f"**Multidisciplinary plan.** {case.plan}", "",
              f"*Maximum score: {case.max_score} points.*", ""]
    return "\n".join(lines)
