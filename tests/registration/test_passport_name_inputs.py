"""Every way in takes a passport name, suggests it where it can and asks for it
where it cannot: the JSON API, the CSV import and the form (without script)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from mrz.generator.td3 import TD3CodeGenerator
from sqlmodel import Session, select

from evac.i18n import get_translations
from evac.registration.models import Person, Registration
from evac.registration.passport_rules import NEEDS_SURNAME
from tests.factories import sign_in
from tests.planning_db.test_plan_pages import _staff
from tests.registration import household, member
from tests.registration.test_form import HTML, form_data, person, register
from tests.registration.test_import import csv_text, imported, row, run_import

URL = "/api/v1/registrations"


def _people(session: Session, reference: str) -> list[Person]:
    case = session.exec(select(Registration).where(Registration.reference == reference)).one()
    return list(case.members)


def test_api_suggests_latin_passport_names_and_keeps_typed_ones(
    client: TestClient, session: Session
) -> None:
    body = household(
        member(given_name="Gökhan", family_name="Şahin"),
        member(
            given_name="Jean-Luc",
            family_name="O'Brien",
            document={"number": "IE123456"},
            passport_surname="o’brien",
        ),
    )
    created = client.post(URL, json=body)
    assert created.status_code == 201, created.text
    people = _people(session, created.json()["reference"])
    assert [(p.passport_surname, p.passport_given_names) for p in people] == [
        ("SAHIN", "GOEKHAN"),
        ("O'BRIEN", "JEAN-LUC"),
    ]
    token = created.json()["access_token"]
    read = client.get(
        f"{URL}/{created.json()['reference']}", headers={"Authorization": f"Bearer {token}"}
    )
    assert read.json()["members"][0]["passport_surname"] == "SAHIN"


def test_api_refuses_an_arabic_name_without_its_passport_name_naming_the_member(
    client: TestClient,
) -> None:
    body = household(
        member(), member(given_name="محمد", family_name="علي", document={"number": "A1"})
    )
    response = client.post(URL, json=body, headers={"Accept-Language": "fr"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [error["loc"] for error in detail] == [
        ["body", "members", 1, "passport_surname"],
        ["body", "members", 1, "passport_given_names"],
    ]
    french = get_translations("fr").gettext(NEEDS_SURNAME) % {"name": "علي"}
    assert french != NEEDS_SURNAME % {"name": "علي"}
    assert detail[0]["msg"] == french


def test_api_registers_chinese_names_with_their_typed_passport_names(
    client: TestClient, session: Session
) -> None:
    body = household(
        member(
            given_name="芳",
            family_name="王",
            nationality="CN",
            passport_surname="WANG",
            passport_given_names="FANG",
        )
    )
    created = client.post(URL, json=body)
    assert created.status_code == 201, created.text
    [wang] = _people(session, created.json()["reference"])
    assert (wang.family_name, wang.passport_surname, wang.passport_given_names) == (
        "王",
        "WANG",
        "FANG",
    )


def _mrz(surname: str) -> str:
    return str(
        TD3CodeGenerator(
            "P", "TUR", surname, "AYSE", "U1234567", "TUR", "840512", "F", "310131", ""
        )
    )


def test_api_checks_a_typed_mrz_against_the_member(client: TestClient) -> None:
    agreeing = household(member(document={"number": "U1234567"}, mrz=_mrz("YILMAZ")))
    assert client.post(URL, json=agreeing).status_code == 201
    other = household(member(document={"number": "U1234567"}, mrz=_mrz("KAYA")))
    response = client.post(URL, json=other)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "members", 0, "mrz"]
    lines = _mrz("YILMAZ").splitlines()
    broken = f"{lines[0]}\n{lines[1][:19]}{(int(lines[1][19]) + 1) % 10}{lines[1][20:]}"
    response = client.post(URL, json=household(member(document={"number": "U1234567"}, mrz=broken)))
    assert response.status_code == 422
    assert "check digits" in response.json()["detail"][0]["msg"]


def test_import_without_passport_columns_suggests_them(session: Session) -> None:
    report = run_import(session, csv_text(row(household_ref="OLD", family_name="Müller")))
    assert report.households_imported == 1
    [person_] = imported(session, "OLD").members  # type: ignore[union-attr]
    assert (person_.passport_surname, person_.passport_given_names) == ("MUELLER", "AYSE")


def test_import_takes_passport_columns_and_requires_them_for_arabic_names(
    session: Session,
) -> None:
    header = (*row().keys(), "passport_surname", "passport_given_names")
    text = csv_text(
        row(household_ref="AR1", given_name="محمد", family_name="علي", document_number="E1")
        | {"passport_surname": "ALI", "passport_given_names": "MOHAMED"},
        row(household_ref="AR2", given_name="فاطمة", family_name="حسن", document_number="E2"),
        header=header,
    )
    report = run_import(session, text)
    assert (report.households_imported, report.households_rejected) == (1, 1)
    [ali] = imported(session, "AR1").members  # type: ignore[union-attr]
    assert (ali.passport_surname, ali.passport_given_names) == ("ALI", "MOHAMED")
    reasons = [(e.household_ref, e.reason.split(":")[0]) for e in report.errors]
    assert reasons == [("AR2", "passport_surname"), ("AR2", "passport_given_names")]


def test_form_without_script_stores_the_suggestion_when_left_empty(
    client: TestClient, session: Session
) -> None:
    data = form_data(person(given_name="Éloïse", family_name="Cœur"))
    assert register(client, data).status_code == 303
    [eloise] = session.exec(select(Registration)).one().members
    assert (eloise.passport_surname, eloise.passport_given_names) == ("COEUR", "ELOISE")


def test_form_asks_for_an_arabic_passport_name_in_the_readers_language(
    client: TestClient, session: Session
) -> None:
    arabic = person(given_name="محمد", family_name="علي", nationality="EG")
    page = client.post("/register?lang=ar", data=form_data(arabic), headers=HTML)
    assert page.status_code == 422
    message = get_translations("ar").gettext(NEEDS_SURNAME) % {"name": "علي"}
    assert message in page.text
    assert re.search(r'id="members-0-passport_surname"[^>]*aria-invalid="true"', page.text)
    typed = arabic | {
        "members-0-passport_surname": "Ali",
        "members-0-passport_given_names": "Mohamed",
    }
    assert register(client, form_data(typed)).status_code == 303
    [ali] = session.exec(select(Registration)).one().members
    assert (ali.passport_surname, ali.passport_given_names) == ("ALI", "MOHAMED")


def test_registrant_and_officer_see_the_passport_name(client: TestClient, session: Session) -> None:
    response = register(client, form_data(person(given_name="Åse", family_name="Øster")))
    case_page = client.get(response.headers["location"])
    assert "OESTER, AASE" in case_page.text
    _staff(session)
    reference = session.exec(select(Registration)).one().reference
    sign_in(client, "berlin")
    assert "OESTER, AASE" in client.get(f"/staff/cases/{reference}").text
