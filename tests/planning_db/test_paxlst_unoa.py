"""A PAXLST a border accepts: UNOA characters only, passport names, D:05B order."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydifact.segmentcollection import Interchange
from sqlmodel import Session

from evac import migrations
from evac.db import create_db_engine
from evac.flights.paxlst import (
    UNOA,
    PaxFlight,
    PaxlstNotForThisLeg,
    PaxPassenger,
    paxlst_interchange,
)
from evac.planning.service import commit_plan
from tests.factories import make_case, member, sign_in
from tests.foundation.test_cli import run_evac
from tests.planning_db.test_plan_commit import make_flight
from tests.planning_db.test_plan_pages import _staff

# The segments of a PAXLST D:05B interchange, in order (IATA/WCO PAXLST guide):
# header, flight (TDT, departure and arrival LOC/DTM), per passenger (NAD+FL, ATT,
# DTM+329, LOC+178/179, NAT, DOC with its DTM and LOC), then the trailers.
D05B_ORDER = re.compile(
    r"^(UNA )?UNB (UNG )?"
    r"(UNH BGM NAD (COM )?TDT (LOC (DTM )?)+"
    r"(NAD ATT DTM LOC LOC NAT DOC (DTM )?LOC )*"
    r"CNT UNT )+(UNE )?UNZ $"
)


def _tags(text: str) -> list[str]:
    return [segment[:3] for segment in re.split(r"(?<!\?)'", text.strip()) if segment]


def _messages(text: str):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(Interchange.from_str(text).get_messages())


def _in_d05b_order(text: str) -> bool:
    return bool(D05B_ORDER.match(" ".join(_tags(text)) + " "))


def _world_household() -> list[dict[str, object]]:
    return [
        member(
            "محمد", "عبد الله", nationality="EG",
            passport_surname="ABDELLA", passport_given_names="MOHAMED",
        ),
        member("Çağlar", "Şahin", nationality="TR"),
        member(
            "芳", "王", nationality="CN", passport_surname="WANG", passport_given_names="FANG"
        ),
        member("Éloïse", "Cœur-d'Alène", nationality="FR"),
    ]  # fmt: skip


def test_cli_paxlst_for_arabic_turkish_chinese_and_french_names_is_unoa_with_passport_names(
    fresh_database: str, tmp_path: Path
) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    with Session(engine) as session:
        _staff(session)
        make_case(session, "DE", _world_household())
        make_flight(session, "TK1800", 10)
        commit_plan(session, actor="planner", country="DE")
    engine.dispose()
    result = run_evac(
        "export", "manifests", "--format", "paxlst", database_url=fresh_database, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.rstrip("\n")
    assert set(text) <= UNOA, sorted(set(text) - UNOA)
    [message] = _messages(text)
    names = sorted(
        s.elements[3] for s in message.segments if s.tag == "NAD" and s.elements[0] == "FL"
    )
    assert names == [
        ["ABDELLA", "MOHAMED"],
        ["COEUR DALENE", "ELOISE"],
        ["SAHIN", "CAGLAR"],
        ["WANG", "FANG"],
    ]
    assert _in_d05b_order(text)


def test_paxlst_names_each_passengers_ports_and_the_carrier(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    make_case(session, "DE", [member("Jean-Luc", "O'Brien", nationality="IE")])
    flight = make_flight(session, "TK1801", 10)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    text = client.get(f"/staff/manifests/{flight.id}/paxlst").text
    assert _in_d05b_order(text)
    [message] = _messages(text)
    segments = [(s.tag, s.elements) for s in message.segments]
    assert ("TDT", ["20", "TK1801", "4", "", "TK"]) in segments  # 4: by air
    assert ("LOC", ["178", "BER"]) in segments and ("LOC", ["179", "IST"]) in segments
    assert ("NAD", ["FL", "", "", ["OBRIEN", "JEAN LUC"]]) in segments


def test_paxlst_refuses_cases_without_a_passport_name_and_lists_them(
    client: TestClient, session: Session, fresh_database: str, tmp_path: Path
) -> None:
    _staff(session)
    case = make_case(session, "DE", [member("Ayşe", "Kaya")])
    flight = make_flight(session, "TK1802", 10)
    commit_plan(session, actor="planner", country="DE")
    case.members[0].passport_surname = None  # as for people registered before it was asked
    session.commit()
    sign_in(client, "berlin")
    response = client.get(
        f"/staff/manifests/{flight.id}/paxlst", headers={"accept": "application/json"}
    )
    assert response.status_code == 409
    assert case.reference in response.text and "PAXLST" in response.text


def test_cli_refuses_with_a_one_line_reason(fresh_database: str, tmp_path: Path) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    with Session(engine) as session:
        _staff(session)
        case = make_case(session, "DE", [member("Ayşe", "Kaya")])
        make_flight(session, "TK1803", 10)
        commit_plan(session, actor="planner", country="DE")
        case.members[0].passport_given_names = None
        session.commit()
        reference = case.reference
    engine.dispose()
    out = tmp_path / "border.edi"
    result = run_evac(
        "export", "manifests", "--format", "paxlst", "--out", str(out),
        database_url=fresh_database, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: The border file (PAXLST) was not written") and reference in line
    assert not out.exists()


def _passenger(reference: str, surname: str | None, given: str | None) -> PaxPassenger:
    return PaxPassenger(
        reference, surname, given, "F", date(1984, 5, 12), "TR", "P", "u 123-456", "TR", None
    )


def test_arrival_time_is_sent_when_known_and_values_outside_unoa_refuse() -> None:
    flight = PaxFlight(
        "U21234", "BER", "IST", datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        arrival_time=datetime(2026, 12, 1, 11, 5, tzinfo=UTC),
    )  # fmt: skip
    stamp = {"sender": "EVAC", "recipient": "BORDER", "control_reference": "1"}
    now = datetime(2026, 11, 30, tzinfo=UTC)
    text = paxlst_interchange(
        [(flight, [_passenger("AAAA-1111", "KAYA", "AYSE")])], **stamp, generated_at=now
    )  # type: ignore[arg-type]
    assert "DTM+232:2612011105:201'" in text and "TDT+20+U21234+4++U2'" in text
    assert "DOC+P:110:111+U123456'" in text and _in_d05b_order(text)
    unfit = [
        _passenger("BBBB-2222", "MÜLLER", "HANS"),
        _passenger("CCCC-3333", None, "FANG"),
        _passenger("AAAA-1111", "KAYA", "AYSE"),
    ]
    try:
        paxlst_interchange([(flight, unfit)], **stamp, generated_at=now)  # type: ignore[arg-type]
    except Exception as refused:
        assert type(refused).__name__ == "PaxlstRefused"
        assert refused.references == ["BBBB-2222", "CCCC-3333"]  # type: ignore[attr-defined]
        assert refused.status_code == 409  # type: ignore[attr-defined]
    else:
        raise AssertionError("an export with non-UNOA names was written")


def test_a_ships_border_file_declares_transport_by_sea() -> None:
    ship = PaxFlight(
        "SDS1", "PZU-PORT", "JED-PORT", datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
        arrival_time=datetime(2026, 12, 4, 0, 0, tzinfo=UTC), mode="ship",
    )  # fmt: skip
    stamp = {"sender": "EVAC", "recipient": "BORDER", "control_reference": "1"}
    text = paxlst_interchange(
        [(ship, [_passenger("AAAA-1111", "KAYA", "AYSE")])],
        **stamp,
        generated_at=datetime(2026, 12, 1, tzinfo=UTC),
    )  # type: ignore[arg-type]
    assert "TDT+20+SDS1+1++SDS'" in text  # 1: maritime
    assert "LOC+125+PZU-PORT'" in text and "LOC+87+JED-PORT'" in text


@pytest.mark.parametrize("mode", ["bus", "train"])
def test_no_border_file_is_written_for_a_road_or_rail_leg(mode: str) -> None:
    with pytest.raises(PaxlstNotForThisLeg) as refused:
        PaxFlight("UAB01", "KYIV-1", "MEDYKA", datetime(2026, 12, 2, 5, tzinfo=UTC), mode=mode)
    assert "convoy list" in refused.value.render(str)
