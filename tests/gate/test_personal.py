"""ID numbers and mobile numbers: only real-looking ones, however they are written, masked in
the message and quoted as written."""

import pytest

from portal.gate import Content, Level, personal
from portal.gate.personal import is_id_number

VALID_ID = "440304200002291236"
VALID_ID_X = "11010519491231002X"


def found(text):
    return [(f.kind, f.matched) for f in personal.check(Content(texts={"正文": text}))]


# --- ID numbers ------------------------------------------------------------------------------


def test_a_valid_id_number_asks_for_confirmation_with_the_middle_masked():
    [finding] = personal.check(Content(texts={"摘要": f"学生身份证号{VALID_ID}，请核对。"}))
    assert (finding.kind, finding.level, finding.field) == ("id_number", Level.CONFIRM, "摘要")
    assert finding.matched == VALID_ID
    assert "440304********1236" in finding.message
    assert VALID_ID not in finding.message
    assert finding.context == f"学生身份证号{VALID_ID}，请核对。"


def test_the_same_digits_with_a_wrong_check_digit_do_not_fire():
    assert found("身份证号440304200002291237") == []
    assert not is_id_number("440304200002291237")


@pytest.mark.parametrize(
    "number",
    [
        "202311250000012345",  # an order number: region code 2023… but no such birth date
        "912345199001011234",  # region code starting with 9
        "440304190002291236",  # 1900-02-29 did not exist
        "440304180001011236",  # born before 1900
        "440304209901011236",  # born in the future
    ],
)
def test_eighteen_digit_numbers_that_cannot_be_id_numbers_do_not_fire(number):
    assert found(f"订单编号{number}") == []


def test_an_id_number_inside_a_longer_run_of_digits_does_not_fire():
    assert found(f"流水号9{VALID_ID}") == []
    assert found(f"流水号{VALID_ID}7") == []


def test_a_lower_case_x_and_full_width_digits_count():
    assert found("身份证：11010519491231002x") == [("id_number", "11010519491231002x")]
    full_width = "１１０１０５１９４９１２３１００２Ｘ"
    assert found(f"身份证：{full_width}") == [("id_number", full_width)]
    [finding] = personal.check(Content(texts={"正文": "11010519491231002x"}))
    assert "110105********002X" in finding.message


def test_an_id_number_grouped_with_spaces_or_with_zero_width_characters_fires():
    assert found("440304 20000229 1236") == [("id_number", "440304 20000229 1236")]
    hidden = "4403042000\u200b02291236"
    assert found(hidden) == [("id_number", hidden)]


# --- mobile numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "8613812345678",
        "+86-13812345678",
        "１３８１２３４５６７８",
    ],
)
def test_mobile_numbers_in_their_usual_forms_fire(written):
    [finding] = personal.check(Content(texts={"正文": f"联系电话：{written}。"}))
    assert (finding.kind, finding.level, finding.matched) == ("mobile", Level.CONFIRM, written)
    assert "138****5678" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "编号 213812345678",  # inside a longer number
        "编号 138123456789",
        "12812345678",  # no mobile network starts 12
        "0755-8888-1234",
        "138 1234-5678",  # mixed separators are not one number
        "电话 1381234567",  # ten digits
    ],
)
def test_what_is_not_a_mobile_number_does_not_fire(text):
    assert found(text) == []


@pytest.mark.parametrize("number", ["13018119900307777X", "861381 19900307 1231"])
def test_no_mobile_number_is_read_inside_an_id_number(number):
    # 13018119900… and 86 1381 19900307 would be mobile numbers if the ID were cut.
    assert is_id_number(number.replace(" ", "").lower())
    assert [kind for kind, _matched in found(f"证件号 {number}")] == ["id_number"]


def test_the_same_number_twice_in_a_field_is_reported_once():
    assert found("13812345678 或 13812345678 或 13912345678") == [
        ("mobile", "13812345678"),
        ("mobile", "13912345678"),
    ]


def test_rich_text_and_captions_are_read():
    html = "<p>联系人：张老师</p><figure><figcaption>电话13812345678</figcaption></figure>"
    [finding] = personal.check(Content(html={"正文": html}))
    assert (finding.field, finding.matched) == ("正文", "13812345678")
