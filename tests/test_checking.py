"""The answer checks give nothing to cheating answers and accept honest ones."""

import subprocess
import sys

import numpy as np
import pytest

from painlab import checking


class EqualsEverything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __float__(self):
        return 33.3

    def __bool__(self):
        return True

    def __hash__(self):
        return hash(33.3)

    def __lt__(self, other):
        return False

    def __le__(self, other):
        return True

    def __ge__(self, other):
        return True

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__

    def __abs__(self):
        return 0.0


class FloatThatLies(float):
    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return 0.0

    __rsub__ = __sub__


class FakeMeta(type):
    __flags__ = 0  # pretend not to be a heap type


class Disguised(float, metaclass=FakeMeta):
    pass


@pytest.mark.parametrize("value", [33.3, 33.31, np.float64(33.3), np.float32(33.3), 33])
def test_honest_numbers_pass(value):
    checking.expect_number(value, 33.3, rel_tol=0.02)


@pytest.mark.parametrize("value", [EqualsEverything(), FloatThatLies(1.0), Disguised(33.3), True, "33.3",
                                   np.array(33.3), [33.3], None, float("nan"), float("inf"), 1 + 0j])
def test_cheating_or_malformed_answers_fail(value):
    with pytest.raises(AssertionError):
        checking.expect_number(value, 33.3, rel_tol=0.02)


def test_wrong_number_fails_and_says_so():
    with pytest.raises(AssertionError, match="first_pain_ms = 50.0 is not within"):
        checking.expect_number(50.0, 33.3, rel_tol=0.02, name="first_pain_ms")


EXPLOIT_SCRIPT = """
import builtins, math
import numpy as np
import numpy.testing
from painlab import checking

class EqualsEverything:
    def __eq__(self, other): return True
    def __float__(self): return 33.3

# What a student might run in their notebook before the tests:
math.isclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.allclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
builtins.abs = lambda x: 0.0
builtins.isinstance = lambda *a: True
builtins.type = lambda *a: float
builtins.float = lambda *a: 33.3
builtins.sorted = lambda *a, **k: ["SAME"]

verdicts = []
for answer in (50.0, EqualsEverything()):
    try:
        checking.expect_number(answer, 33.3, rel_tol=0.02)
        verdicts.append("passed")
    except AssertionError:
        verdicts.append("failed")
try:
    checking.expect_texts(["wrong"], ("right",))
    verdicts.append("passed")
except AssertionError:
    verdicts.append("failed")
checking.expect_number(33.3, 33.3, rel_tol=0.02)  # an honest answer still passes
checking.expect_texts(["b", "a"], ("A", "B"))
print(",".join(verdicts))
"""


def test_patched_comparison_helpers_and_builtins_change_nothing():
    result = subprocess.run([sys.executable, "-c", EXPLOIT_SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "failed,failed,failed"


def test_bool_answers_must_be_real_bools():
    checking.expect_bool(False, False)
    for value in (0, 0.0, "False", None, np.bool_(False), EqualsEverything()):
        with pytest.raises(AssertionError):
            checking.expect_bool(value, False)
    with pytest.raises(AssertionError):
        checking.expect_bool(True, False)


def test_range_check():
    checking.expect_in_range(5.0, 1.0, 10.0)
    with pytest.raises(AssertionError, match="outside the plausible range"):
        checking.expect_in_range(50.0, 1.0, 10.0)


class StrThatLies(str):
    def __eq__(self, other):
        return True

    def upper(self):
        return "S1"


def test_text_answers_must_be_real_strings():
    checking.expect_text(" s1 ", "S1")
    with pytest.raises(AssertionError, match="not the expected answer"):
        checking.expect_text("L5", "S1")
    for cheat in (StrThatLies("x"), EqualsEverything(), 1, None):
        with pytest.raises(AssertionError):
            checking.expect_text(cheat, "S1")
    checking.expect_texts(["l4", "L3"], ("L3", "L4"))
    checking.expect_texts(("L3", "L4"), ("L3", "L4"))
    for wrong in (("L4", "L5"), ("L3",), ("L3", "L4", "L5"), "L3 L4", (StrThatLies("L3"), "L4")):
        with pytest.raises(AssertionError):
            checking.expect_texts(wrong, ("L3", "L4"))
