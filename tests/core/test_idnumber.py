from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from window_desk import idnumber
from window_desk.errors import UserError

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("raw", "normalised", "birth", "sex"),
    [
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "女"),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), "女"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", date(1949, 12, 31), "女"),
        (" 110105 1949 1231 002X ", "11010519491231002X", date(1949, 12, 31), "女"),
        ("110105-19491231-002X", "11010519491231002X", date(1949, 12, 31), "女"),
        ("130503670401001", "130503196704010016", date(1967, 4, 1), "男"),
    ],
)
def test_valid_numbers_and_normalisation(raw: str, normalised: str, birth: date, sex: str) -> None:
    result = idnumber.check(raw, today=TODAY)
    assert result.valid, result.error
    assert result.id_number == normalised
    assert result.birth_date == birth
    assert result.sex == sex
    assert result.region_code == normalised[:6]
    assert result.error is None


def test_region_names_current_and_historical() -> None:
    assert idnumber.check("11010519491231002X", today=TODAY).region == "北京市朝阳区"
    # 130503 is a code that changed name over the years; it is still found.
    assert idnumber.check("130503670401001", today=TODAY).region is not None


def test_unknown_county_is_a_warning_not_a_rejection() -> None:
    # python-stdnum raises KeyError on this one; we must not.
    result = idnumber.check("34052419800101001X", today=TODAY)
    assert result.valid
    assert result.region is None
    assert result.warning and "340524" in result.warning


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "为空"),
        ("1101051949123100", "18位"),
        ("11010519491231002Y", "末位"),
        ("11010519491231002A", "末位"),
        ("1101051949123100X2", "前17位"),
        ("110105194912310021", "校验码"),
        ("99010519491231002X", "省级代码"),
        ("110105190002290011", "不是真实的日期"),  # 1900 was not a leap year
        ("110105189912310011", "早于1900"),
        ("11010520991231001X", "晚于今天"),
        ("13050367040100A", "15位"),
    ],
)
def test_invalid_numbers_say_why(raw: str, words: str) -> None:
    result = idnumber.check(raw, today=TODAY)
    assert not result.valid
    assert result.id_number is None
    assert result.error and words in result.error


def test_leap_day_birth_is_real_in_leap_years() -> None:
    body = "110105" + "20000229" + "001"
    number = body + idnumber.check_char(body)
    assert idnumber.check(number, today=TODAY).birth_date == date(2000, 2, 29)


def test_require_names_the_field() -> None:
    with pytest.raises(UserError) as err:
        idnumber.require("123", field="members[1].id_number")
    assert err.value.field == "members[1].id_number"
    assert "members[1].id_number" in str(err.value)


def test_mask() -> None:
    assert idnumber.mask("220103199001011234") == "220103********1234"
    assert idnumber.mask("") == ""
    assert idnumber.mask(None) == ""


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1966, 11, 24), date(2026, 11, 24), 60),
        (date(1966, 11, 25), date(2026, 11, 24), 59),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert idnumber.age_on(birth, on) == age


def test_upgrade15_example_from_spec() -> None:
    assert idnumber.upgrade15("130503670401001") == "130503196704010016"


# --- properties -------------------------------------------------------------

provinces = st.sampled_from(sorted(idnumber.PROVINCE_CODES))


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    province = draw(provinces)
    rest = draw(st.text(alphabet=string.digits, min_size=4, max_size=4))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.text(alphabet=string.digits, min_size=3, max_size=3))
    body = f"{province:02d}{rest}{birth:%Y%m%d}{seq}"
    return body + idnumber.check_char(body)


@given(valid_numbers())
def test_every_valid_number_round_trips(number: str) -> None:
    result = idnumber.check(number, today=TODAY)
    assert result.valid, result.error
    assert result.id_number == number
    assert idnumber.check(result.id_number, today=TODAY) == result
    assert idnumber.check(number.lower(), today=TODAY).id_number == number
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert idnumber.check(fullwidth, today=TODAY).id_number == number
    spaced = f"{number[:6]} {number[6:14]}-{number[14:]}"
    assert idnumber.check(spaced, today=TODAY).id_number == number
    assert result.sex == ("男" if int(number[16]) % 2 else "女")


@given(valid_numbers(), st.integers(min_value=0, max_value=17), st.sampled_from(list("0123456789X")))
def test_every_single_character_change_is_rejected(number: str, pos: int, char: str) -> None:
    assume(number[pos] != char)
    changed = number[:pos] + char + number[pos + 1 :]
    assert not idnumber.check(changed, today=TODAY).valid


@given(st.text())
def test_check_never_raises_on_any_text(text: str) -> None:
    result = idnumber.check(text, today=TODAY)
    assert isinstance(result.valid, bool)
    assert result.valid == (result.error is None)


@given(st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.integers()), st.floats()))
def test_check_never_raises_on_any_object(value: object) -> None:
    result = idnumber.check(value, today=TODAY)
    assert isinstance(result.valid, bool)


@given(valid_numbers(), st.integers(min_value=1, max_value=400))
def test_future_birth_dates_rejected(number: str, days: int) -> None:
    birth = idnumber.birth_date_of(number)
    assert not idnumber.check(number, today=birth - timedelta(days=days)).valid


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_char_fast_path_equals_the_weighted_sum(body: str) -> None:
    expected = idnumber.CHECK_CHARS[sum(int(d) * w for d, w in zip(body, idnumber.WEIGHTS, strict=True)) % 11]
    assert idnumber.check_char(body) == expected
    # Full-width digits take the plain path and give the same character.
    assert idnumber.check_char(body.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == expected
