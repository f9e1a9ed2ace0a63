"""The offline city gazetteer behind the city box of the registration form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evac.geo.gazetteer import City, Gazetteer, find_city, fold, name_keys, suggest_cities


def places(cities: list[City]) -> list[tuple[str, str]]:
    return [(city.name, city.country) for city in cities]


@pytest.mark.parametrize("typed", ["Köln", "koln", "KÖLN", "Koeln", "Cologne", "cologne", "Colog"])
def test_cologne_is_suggested_whatever_spelling_a_person_types(typed: str) -> None:
    assert places(suggest_cities(typed))[0] == ("Köln", "DE")


@pytest.mark.parametrize("typed", ["istanbul", "İstanbul", "ISTANBUL", "İSTANBUL", "ıstanbul"])
def test_istanbul_is_found_with_dotted_or_dotless_i(typed: str) -> None:
    assert places(suggest_cities(typed, "TR"))[0] == ("Istanbul", "TR")


@pytest.mark.parametrize("typed", ["Sanliurfa", "şanlıurfa", "ŞANLIURFA", "Şanlı"])
def test_turkish_letters_may_be_typed_without_their_marks(typed: str) -> None:
    assert places(suggest_cities(typed))[0] == ("Şanlıurfa", "TR")


@pytest.mark.parametrize("typed", ["القاهرة", "القاهِرَة", "القاه"])
def test_a_city_can_be_found_by_its_arabic_name(typed: str) -> None:
    assert places(suggest_cities(typed))[0] == ("Cairo", "EG")


def test_a_later_word_of_a_city_name_finds_it() -> None:
    assert places(suggest_cities("am Main", "DE"))[0] == ("Frankfurt am Main", "DE")


def test_names_starting_with_the_text_come_before_names_with_a_later_word_starting_with_it() -> (
    None
):
    assert places(suggest_cities("main", "DE"))[0] == ("Mainz", "DE")


def test_suggestions_stay_in_the_chosen_country() -> None:
    suggestions = suggest_cities("Paris", "US")

    assert suggestions
    assert {city.country for city in suggestions} == {"US"}


def test_an_exact_name_comes_before_a_bigger_city_that_only_starts_with_it() -> None:
    # Istanbul is far bigger than Van, and has no name that is exactly "van".
    assert places(suggest_cities("Van", "TR"))[0] == ("Van", "TR")


def test_larger_cities_come_first_among_equal_matches() -> None:
    suggestions = suggest_cities("san", "US", limit=10)
    populations = [city.population for city in suggestions]

    assert populations == sorted(populations, reverse=True)


def test_each_city_is_suggested_once_however_many_names_match() -> None:
    suggestions = suggest_cities("k", limit=50)

    assert len(suggestions) == 50
    assert len({city.geonameid for city in suggestions}) == 50


def test_an_airport_code_finds_its_city_but_not_before_real_names() -> None:
    assert ("Köln", "DE") in places(suggest_cities("CGN"))
    assert places(suggest_cities("san", "US"))[0] == ("San Antonio", "US")
    assert find_city("CGN", "DE") is None


@pytest.mark.parametrize("typed", ["", "   ", "-", "zzqxw"])
def test_nothing_is_suggested_for_empty_or_unknown_text(typed: str) -> None:
    assert suggest_cities(typed) == []


def test_find_city_knows_the_name_in_other_languages() -> None:
    city = find_city("Cologne", "DE")

    assert city is not None
    assert (city.name, round(city.latitude), round(city.longitude)) == ("Köln", 51, 7)


def test_find_city_picks_the_city_of_the_requested_country() -> None:
    french, texan = find_city("Paris", "FR"), find_city("paris", "us")

    assert french is not None and texan is not None
    assert (french.country, texan.country) == ("FR", "US")


def test_find_city_does_not_guess_from_a_partial_name() -> None:
    assert find_city("Colog", "DE") is None
    assert find_city("Köln", "FR") is None


def test_a_small_gazetteer_ranks_and_filters_like_the_full_one() -> None:
    town = City(1, "Springfield", "US", 39.8, -89.6, 114_000)
    village = City(2, "Springfield", "NZ", -43.3, 171.9, 500)
    cities = [town, village, City(3, "Spring Hill", "US", 28.5, -82.5, 98_000)]
    gazetteer = Gazetteer([(city, name_keys(city.name)) for city in cities])

    assert gazetteer.suggest("spring") == [town, cities[2], village]
    assert gazetteer.suggest("SPRINGFIELD", "NZ") == [village]
    assert gazetteer.find("springfield") == town
    assert gazetteer.nearest(-43.0, 172.0)[0][0] == village


@given(st.text())
def test_folding_twice_changes_nothing(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(st.characters(min_codepoint=0x41, max_codepoint=0x24F, categories=("Lu", "Ll"))))
def test_latin_names_fold_alike_in_upper_and_lower_case(text: str) -> None:
    assert fold(text.upper()) == fold(text.lower())


@pytest.mark.parametrize("typed", ["الخرطوم", "الخرطوم ", "خرطوم", "الخرط", "Khartoum", "Hartum"])
def test_khartoum_is_found_with_or_without_the_arabic_article(typed: str) -> None:
    assert places(suggest_cities(typed))[0] == ("Khartoum", "SD")


def test_find_city_knows_khartoum_by_its_arabic_name_with_the_article() -> None:
    found = find_city("الخرطوم", "SD")
    assert found is not None and found.name == "Khartoum"


def test_the_article_is_ignored_in_every_word_of_a_name() -> None:
    city = City(1, "Kuwait City", "KW", 29.37, 47.98, 60_000)
    gazetteer = Gazetteer([(city, name_keys(city.name, ["مدينة الكويت"]))])
    assert places(gazetteer.suggest("الكويت")) == [("Kuwait City", "KW")]
    assert places(gazetteer.suggest("مدينة الكو")) == [("Kuwait City", "KW")]
