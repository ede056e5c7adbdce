import pytest
from django.core.exceptions import ValidationError

from enterprises import identifiers
from enterprises.models import validate_uscc

VALID = ["91440300708461136T", "91110102MAD55U9H0F", "91110102MACQD9K640"]


@pytest.mark.parametrize("code", VALID)
def test_it_accepts_published_codes(code):
    assert identifiers.uscc_is_valid(code)
    assert identifiers.uscc_check_character(code[:17]) == code[17]


@pytest.mark.parametrize("code", VALID)
def test_it_rejects_a_wrong_check_character(code):
    wrong = "0" if code[17] != "0" else "1"
    assert not identifiers.uscc_is_valid(code[:17] + wrong)


@pytest.mark.parametrize(
    "code",
    ["", "9111010MAD55U9H0F", "91110102MAD55U9H0F0", "91110102-AD55U9H0", "9111A102MAD55U9H0F"],
)
def test_it_rejects_malformed_codes(code):
    assert not identifiers.uscc_is_valid(code)


def test_lowercase_input_is_normalized():
    assert identifiers.normalize_uscc(" 91110102mad55u9h0f ") == "91110102MAD55U9H0F"
    validate_uscc("91110102mad55u9h0f")  # no error


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_it_rejects_letters_outside_the_alphabet(letter):
    # Put the forbidden letter in the body, then give it the best-looking check
    # character; the format check must still refuse it.
    code = "91110102MA" + letter + "55U9H0F"
    assert not identifiers.uscc_is_valid(code)
    with pytest.raises(ValidationError):
        validate_uscc(code)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_it_rejects_forbidden_letters_as_check_character(letter):
    assert not identifiers.uscc_is_valid("91110102MAD55U9H0" + letter)


def test_region_code_comes_from_characters_3_to_8():
    assert identifiers.uscc_region_code("91110102MAD55U9H0F") == "110102"


def test_uscc_complete_builds_valid_codes():
    assert identifiers.uscc_complete("91110102MAD55U9H0") == "91110102MAD55U9H0F"


def test_provider_code_embeds_the_uscc():
    assert identifiers.provider_code_embedded_uscc("0011" + VALID[1] + "12345") == VALID[1]
    assert identifiers.provider_code_embedded_uscc("0012" + VALID[1] + "12345") is None
    assert identifiers.provider_code_embedded_uscc("0011" + VALID[1]) is None
