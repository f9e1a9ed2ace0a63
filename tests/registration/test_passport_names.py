"""Passport names are spelled as ICAO Doc 9303 tells passport offices, and a typed
MRZ is checked with its check digits and against what was typed beside it."""

from __future__ import annotations

from datetime import date

import pytest
from mrz.generator.dictionaries.latin_based import transliteration as mrz_library_table
from mrz.generator.td1 import TD1CodeGenerator
from mrz.generator.td3 import TD3CodeGenerator

from evac.registration.mrz_check import (
    BAD_CHECK_DIGITS,
    BAD_SHAPE,
    MrzError,
    MrzTyped,
    disagreements,
    read_mrz,
)
from evac.registration.passport_names import (
    DOC9303_LATIN,
    is_passport_name,
    mrz_words,
    normalize_passport_name,
    suggest_passport_name,
)
from evac.registration.rules import check_registration
from evac.registration.schemas import RegistrationIn
from tests.factories import TODAY
from tests.registration import household, member


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Şahin", "SAHIN"),
        ("İğdır", "IGDIR"),
        ("Çağlar", "CAGLAR"),
        ("Gökhan Öztürk", "GOEKHAN OEZTUERK"),
        ("ılgaz", "ILGAZ"),
        ("Müller", "MUELLER"),
        ("Strauß", "STRAUSS"),
        ("Øster", "OESTER"),
        ("Åse", "AASE"),
        ("Ærø", "AEROE"),
        ("Éloïse", "ELOISE"),
        ("Cœur", "COEUR"),
        ("François-Xavier", "FRANCOIS-XAVIER"),
        ("O'Brien", "O'BRIEN"),
        ("O’Brien", "O'BRIEN"),
        ("Jean-Luc", "JEAN-LUC"),
        ("  Ana   María ", "ANA MARIA"),
        ("e\u0301lise", "ELISE"),  # a decomposed accent
        ("Nguyễn", "NGUYEN"),
        ("Əliyev", "ALIYEV"),
        ("Þórunn", "THORUNN"),
    ],
)
def test_latin_names_get_the_doc_9303_spelling(typed: str, suggested: str) -> None:
    assert suggest_passport_name(typed) == suggested


@pytest.mark.parametrize("typed", ["محمد", "王芳", "Иван", "Γιώργος", "Ayşe2", "-", ""])
def test_names_without_a_latin_spelling_get_no_suggestion(typed: str) -> None:
    assert suggest_passport_name(typed) is None


def test_table_agrees_with_the_mrz_librarys_doc_9303_table() -> None:
    """An independent reading of the same ICAO table spells every capital alike."""
    capitals = {k: v for k, v in mrz_library_table.items() if k.isupper()}
    assert capitals, "the mrz library's table was not found"
    for letter, spelled in capitals.items():
        assert DOC9303_LATIN.get(letter, letter) == spelled, letter


def test_typed_passport_names_are_stored_in_capitals_with_their_punctuation() -> None:
    assert normalize_passport_name("  o’brien ") == "O'BRIEN"
    assert normalize_passport_name("ANNA<MARIA") == "ANNA MARIA"
    assert normalize_passport_name("  ") is None
    assert is_passport_name("JEAN-LUC") and is_passport_name("D'ARTAGNAN")
    assert not is_passport_name("MÜLLER") and not is_passport_name("محمد")
    assert not is_passport_name("-") and not is_passport_name("ANNA2")
    assert mrz_words("O'BRIEN-SMITH") == "OBRIEN SMITH"


def _problems(*members: dict) -> list[tuple[tuple, str]]:
    data = RegistrationIn.model_validate(household(*members))
    return [(p.loc, p.render(str)) for p in check_registration(data, today=TODAY)]


def test_an_arabic_name_needs_its_passport_name_typed() -> None:
    problems = _problems(member(given_name="محمد", family_name="علي", nationality="EG"))
    assert [loc for loc, _ in problems] == [
        ("members", 0, "passport_surname"),
        ("members", 0, "passport_given_names"),
    ]
    assert "علي" in problems[0][1] and "محمد" in problems[1][1]
    typed = member(
        given_name="محمد",
        family_name="علي",
        passport_surname="ALI",
        passport_given_names="MOHAMED",
    )
    assert _problems(typed) == []


def test_a_chinese_name_needs_its_passport_name_typed() -> None:
    problems = _problems(member(given_name="芳", family_name="王", nationality="CN"))
    assert {loc[-1] for loc, _ in problems} == {"passport_surname", "passport_given_names"}


def test_a_passport_name_in_another_script_is_refused() -> None:
    problems = _problems(member(passport_surname="Müller"))
    assert [loc for loc, _ in problems] == [("members", 0, "passport_surname")]


def _td3(surname: str = "YILMAZ", given: str = "AYSE", number: str = "U1234567") -> str:
    return str(
        TD3CodeGenerator("P", "TUR", surname, given, number, "TUR", "840512", "F", "310131", "")
    )


def test_a_valid_mrz_is_read() -> None:
    fields = read_mrz(_td3("O'BRIEN", "SEAN PATRICK"))
    assert (fields.surname, fields.given_names) == ("OBRIEN", "SEAN PATRICK")
    assert (fields.document_number, fields.birth_date) == ("U1234567", "840512")
    card = str(
        TD1CodeGenerator(
            "I", "FRA", "X4RTBPFW4", "840512", "M", "310131", "FRA", "DUPONT", "JEAN LUC"
        )
    )
    assert read_mrz(card).given_names == "JEAN LUC"


def test_an_mrz_with_a_wrong_check_digit_is_refused() -> None:
    lines = _td3().splitlines()
    wrong = lines[1][:9] + str((int(lines[1][9]) + 1) % 10) + lines[1][10:]
    with pytest.raises(MrzError) as refused:
        read_mrz(f"{lines[0]}\n{wrong}")
    assert refused.value.message == BAD_CHECK_DIGITS


@pytest.mark.parametrize("text", ["P<TURYILMAZ", "one line\ntwo\nthree\nfour", ""])
def test_a_text_that_is_no_mrz_is_refused(text: str) -> None:
    with pytest.raises(MrzError) as refused:
        read_mrz(text)
    assert refused.value.message == BAD_SHAPE


def test_an_mrz_must_agree_with_the_typed_names_number_and_birth_date() -> None:
    fields = read_mrz(_td3("JEAN-BAPTISTE", "ANNE"))
    typed = MrzTyped("JEAN-BAPTISTE", "ANNE", "u1234567", date(1984, 5, 12))
    assert disagreements(fields, typed) == []
    other = MrzTyped("JEAN", "ANNA", "U7654321", date(1984, 5, 13))
    assert disagreements(fields, other) == [
        "surname",
        "given_names",
        "document_number",
        "date_of_birth",
    ]


def test_a_registration_with_a_disagreeing_mrz_is_refused_on_its_mrz() -> None:
    good = member(document={"number": "U1234567"}, mrz=_td3())
    assert _problems(good) == []
    bad = member(document={"number": "U1234567"}, mrz=_td3(surname="KAYA"))
    problems = _problems(bad)
    assert [loc for loc, _ in problems] == [("members", 0, "mrz")]
    assert "surname" in problems[0][1]
