"""The pregnancy box is for a woman of an age to be pregnant: the form says so clearly
when it is ticked for anyone else, and register.js offers it only where it applies."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from evac.registration.models import Sex
from evac.registration.rules import pregnancy_possible
from tests.registration import household, member
from tests.registration.test_form import form_data, person, register

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("sex", "born", "possible"),
    [
        (Sex.female, date(1990, 1, 1), True),
        (Sex.unspecified, date(1990, 1, 1), True),
        (Sex.male, date(1990, 1, 1), False),
        (Sex.female, date(2020, 1, 1), False),  # a child
        (Sex.female, date(1950, 1, 1), False),
        (Sex.female, date(2014, 12, 1), True),  # 12 today
        (Sex.female, date(2014, 12, 2), False),  # 12 tomorrow
    ],
)
def test_pregnancy_applies_to_women_of_12_to_60(sex: Sex, born: date, possible: bool) -> None:
    assert pregnancy_possible(sex, born, TODAY) is possible


def test_registrant_is_told_when_pregnancy_is_ticked_for_a_child(client: TestClient) -> None:
    data = form_data(person(date_of_birth="2020-03-01", pregnant="1"))
    page = register(client, data)
    assert page.status_code == 422
    assert "Pregnancy can be recorded for a woman aged 12 to 60 only" in page.text
    assert 'id="members-0-pregnant" name="members-0-pregnant" value="1" checked' in page.text


def test_registrant_is_told_when_pregnancy_is_ticked_for_a_man(client: TestClient) -> None:
    page = register(client, form_data(person(sex="M", pregnant="1")))
    assert page.status_code == 422
    assert "check the sex, the date of birth or the pregnancy box" in page.text


def test_api_refuses_pregnancy_that_cannot_apply(client: TestClient) -> None:
    body = household(member(sex="M", pregnant=True))
    response = client.post("/api/v1/registrations", json=body)
    assert response.status_code == 422
    assert "pregnant" in response.text


def test_a_pregnant_woman_registers(client: TestClient) -> None:
    page = register(client, form_data(person(pregnant="1")))
    assert page.status_code == 303


def test_the_form_tells_the_script_who_may_be_pregnant(client: TestClient) -> None:
    page = client.get("/register")
    assert 'data-pregnancy-sexes="F X" data-pregnancy-ages="12 60"' in page.text
