import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from werkregie.core.bsn import mask_bsn, normalise_bsn, passes_eleven_test, validate_bsn


def _with_check_digit(first_eight: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(first_eight, range(9, 1, -1), strict=True))
    check = total % 11
    return None if check == 10 else first_eight + str(check)


def test_accepts_known_valid_numbers() -> None:
    assert passes_eleven_test("111222333")
    assert passes_eleven_test("123456782")


def test_rejects_number_failing_eleven_test_with_dutch_message() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_bsn("123456789")
    assert "elfproef" in exc.value.messages[0]
    assert "123456789" not in exc.value.messages[0]


def test_rejects_all_zeros_and_wrong_length() -> None:
    assert not passes_eleven_test("000000000")
    with pytest.raises(ValidationError):
        validate_bsn("12345")


def test_restores_leading_zero_dropped_by_excel() -> None:
    assert normalise_bsn("12345672") == "012345672"


def test_masks_all_but_last_three_digits() -> None:
    assert mask_bsn("111222333") == "******333"


EIGHT_DIGITS = st.text(alphabet="0123456789", min_size=8, max_size=8)
# Numbers that pass by construction (a check digit of 10 has no digit; all zeros is refused).
VALID = EIGHT_DIGITS.map(_with_check_digit).filter(lambda b: b not in (None, "000000000"))


@given(EIGHT_DIGITS)
def test_exactly_the_computed_check_digit_passes(first_eight: str) -> None:
    """Of the ten ways to end eight digits, the 11-proef accepts exactly the computed check
    digit (none when it would be 10; never the number 000000000)."""
    expected = _with_check_digit(first_eight)
    passing = [first_eight + c for c in "0123456789" if passes_eleven_test(first_eight + c)]
    assert passing == ([] if expected in (None, "000000000") else [expected])


@given(VALID, st.integers(min_value=0, max_value=7), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_breaks_the_check(bsn: str, position: int, delta: int) -> None:
    digits = list(bsn)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert passes_eleven_test(bsn) and not passes_eleven_test("".join(digits))
