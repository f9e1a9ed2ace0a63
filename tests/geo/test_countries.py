"""Country codes and names in Turkish, English, French and Arabic."""

from __future__ import annotations

import pytest

from evac.geo.countries import collation_key, country_choices, country_name, is_country_code


@pytest.mark.parametrize(
    ("locale", "name"),
    [("tr", "Almanya"), ("en", "Germany"), ("fr", "Allemagne"), ("ar", "ألمانيا")],
)
def test_germany_is_named_in_each_language_evac_speaks(locale: str, name: str) -> None:
    assert country_name("DE", locale) == name


def test_a_regional_locale_uses_its_language() -> None:
    assert country_name("EG", "fr_FR") == "Égypte"
    assert country_name("EG", "ar-EG") == "مصر"


@pytest.mark.parametrize("code", ["DE", "TR", "EG", "XK"])
def test_country_codes_are_recognised(code: str) -> None:
    assert is_country_code(code)


@pytest.mark.parametrize("code", ["de", "DEU", "XX", "", None, 49])
def test_anything_but_an_upper_case_alpha_2_code_is_not_a_country(code: object) -> None:
    assert not is_country_code(code)


def test_asking_the_name_of_a_non_country_is_an_error() -> None:
    with pytest.raises(KeyError):
        country_name("XX", "en")


@pytest.mark.parametrize("locale", ["tr", "en", "fr", "ar"])
def test_every_country_can_be_chosen_once(locale: str) -> None:
    codes = [code for code, _ in country_choices(locale)]

    assert len(codes) == len(set(codes)) > 240
    assert {"TR", "DE", "XK"} <= set(codes)


def names_in_order(locale: str, *codes: str) -> list[str]:
    """The names of ``codes`` in the order ``country_choices`` lists them."""
    return [name for code, name in country_choices(locale) if code in codes]


def test_turkish_list_follows_the_turkish_alphabet() -> None:
    # C < Ç < D, I (dotless) < İ, S < Ş < T, U < Ü < V
    assert names_in_order("tr", "DZ", "TD", "DK", "IQ", "IR", "SY", "CL", "TJ") == [
        "Cezayir",
        "Çad",
        "Danimarka",
        "Irak",
        "İran",
        "Suriye",
        "Şili",
        "Tacikistan",
    ]


def test_french_list_sorts_accented_names_with_their_letter() -> None:
    assert names_in_order("fr", "EG", "EC", "ES", "DK", "FR") == [
        "Danemark",
        "Égypte",
        "Équateur",
        "Espagne",
        "France",
    ]


def test_arabic_list_follows_the_arabic_alphabet() -> None:
    # Hamza on the alef does not count: إسبانيا (Spain) and ألمانيا (Germany)
    # sort by their second letter among the other alefs.
    names = names_in_order("ar", "ES", "BR", "TN", "DE")

    assert names == ["إسبانيا", "البرازيل", "ألمانيا", "تونس"]


def test_the_country_list_cannot_be_spoiled_by_a_caller() -> None:
    choices = country_choices("en")
    choices.clear()

    assert country_choices("en")


def test_sort_keys_ignore_case_and_accents() -> None:
    assert collation_key("émirats", "fr")[0] == collation_key("Emirats", "fr")[0]
