"""The demo's journeys: a Sudan-like and a Ukraine-like operation, as plain data.

Beside the direct flights of ``evac.demo.flights``, two operations where no
plane leaves the country the people are in, as in Sudan in April 2023 and
Ukraine in February 2022:

* **Sudan**: Khartoum's airport is closed. People gather at three assembly
  points at dawn, buses take them 24 hours to Port Sudan, a ship crosses to
  Jeddah, a bus takes them from the port to the airport, and planes fly them
  home; an ambulance plane leaves from Port Sudan for stretcher patients, who
  ride the buses that carry stretchers.
* **Ukraine**: the airspace is closed. Buses from Kyiv to the Polish border
  crossing at Medyka and a train from Kyiv to Przemyśl, buses on to Rzeszów's
  airport, flights home from there.

Reaches say how far people may travel on their own to board: a few tens of
kilometres in a war zone. Port Sudan's airport (675 km from Khartoum, within
the 800 km a household may travel to an airport elsewhere) gets a reach of
50 km, so nobody is told to drive across a country at war to reach it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass
from datetime import UTC, date, datetime, time, timedelta


@dataclass(frozen=True)
class DemoPlace:
    code: str
    kind: str
    name: str
    country: str
    latitude: float | None
    longitude: float | None
    reach_km: float | None


@dataclass(frozen=True)
class DemoLeg:
    number: str
    mode: str
    origin: str
    destination: str
    departure_time: datetime
    arrival_time: datetime
    seats: int
    stretchers: int = 0


PLACES = (
    DemoPlace("KRT-1", "assembly_point", "Khartoum, Riyadh district", "SD", 15.5770, 32.5690, 25),
    DemoPlace("KRT-2", "assembly_point", "Omdurman, Al-Mulazmin", "SD", 15.6280, 32.4850, 25),
    DemoPlace("KRT-3", "assembly_point", "Khartoum Bahri", "SD", 15.6400, 32.5330, 25),
    DemoPlace("PZU-PORT", "seaport", "Port Sudan, South Quay", "SD", 19.5980, 37.2210, 30),
    DemoPlace("PZU", "airport", "Port Sudan New International", "SD", None, None, 50),
    DemoPlace("JED-PORT", "seaport", "Jeddah Islamic Port", "SA", 21.4700, 39.1700, 30),
    DemoPlace("KYIV-1", "assembly_point", "Kyiv, Maidan", "UA", 50.4501, 30.5234, 40),
    DemoPlace("LVIV-1", "assembly_point", "Lviv, Rynok Square", "UA", 49.8419, 24.0316, 30),
    DemoPlace("KYIV-RAIL", "rail_station", "Kyiv-Pasazhyrskyi", "UA", 50.4405, 30.4890, 40),
    DemoPlace("MEDYKA", "border_crossing", "Medyka–Shehyni crossing", "PL", 49.8040, 22.9370, 20),
    DemoPlace("PRZEMYSL", "rail_station", "Przemyśl Główny", "PL", 49.7838, 22.7768, 20),
)


def _at(today: date, day: int, hour: int) -> datetime:
    return datetime.combine(today + timedelta(days=day), time(hour), tzinfo=UTC)


def _sudan_legs(today: date) -> list[DemoLeg]:
    """Buses at dawn on day 1 (05:00 in Khartoum), the ship on day 2, flights on day 3."""
    legs = []
    for point, buses in (("KRT-1", 3), ("KRT-2", 2), ("KRT-3", 2)):
        for bus in range(1, buses + 1):
            legs.append(
                DemoLeg(
                    f"SDB{point[-1]}{bus:02d}",
                    "bus",
                    point,
                    "PZU-PORT",
                    _at(today, 1, 3),
                    _at(today, 2, 3),
                    50,
                )
            )
    legs += [
        DemoLeg("SDB-AMB", "bus", "KRT-1", "PZU", _at(today, 1, 3), _at(today, 2, 2), 6, 2),
        DemoLeg("SDS1", "ship", "PZU-PORT", "JED-PORT", _at(today, 2, 10), _at(today, 3, 0), 500),
        DemoLeg("SAB1", "bus", "JED-PORT", "JED", _at(today, 3, 3), _at(today, 3, 4), 250),
        DemoLeg("TK6801", "flight", "JED", "IST", _at(today, 3, 8), _at(today, 3, 12), 189),
        DemoLeg("TK6803", "flight", "JED", "IST", _at(today, 3, 9), _at(today, 3, 13), 189),
        DemoLeg(
            "TK6991", "ambulance_flight", "PZU", "IST", _at(today, 2, 6), _at(today, 2, 10), 4, 2
        ),
    ]
    return legs


def _ukraine_legs(today: date) -> list[DemoLeg]:
    """Buses from Kyiv and Lviv and a train to Poland on day 1, buses to Rzeszów, flights
    on day 2."""
    return [
        DemoLeg("UAB01", "bus", "KYIV-1", "MEDYKA", _at(today, 1, 5), _at(today, 1, 16), 50),
        DemoLeg("UAB02", "bus", "KYIV-1", "MEDYKA", _at(today, 1, 5), _at(today, 1, 16), 50),
        DemoLeg("UAB11", "bus", "LVIV-1", "MEDYKA", _at(today, 1, 8), _at(today, 1, 12), 50),
        DemoLeg("UAT1", "train", "KYIV-RAIL", "PRZEMYSL", _at(today, 1, 4), _at(today, 1, 15), 300),
        DemoLeg("PLB01", "bus", "MEDYKA", "RZE", _at(today, 1, 19), _at(today, 1, 21), 100),
        DemoLeg("PLB02", "bus", "PRZEMYSL", "RZE", _at(today, 1, 18), _at(today, 1, 20), 150),
        DemoLeg("TK6851", "flight", "RZE", "IST", _at(today, 2, 6), _at(today, 2, 9), 189),
        DemoLeg("TK6853", "flight", "RZE", "IST", _at(today, 2, 8), _at(today, 2, 11), 189),
    ]


def demo_legs(today: date) -> list[DemoLeg]:
    """Every leg of both operations, from ``today`` (the first buses leave tomorrow)."""
    return _sudan_legs(today) + _ukraine_legs(today)


# No direct flight leaves these countries in the demo: their airports are closed.
CLOSED_AIRSPACE = frozenset({"SD", "UA"})


def _csv_lines(rows: list[tuple[object, ...]]) -> list[str]:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().splitlines(keepends=True)


def places_csv() -> list[str]:
    """The places as lines of an ``evac import places`` file."""
    header = ("code", "kind", "name", "country", "latitude", "longitude", "reach_km")
    return _csv_lines([header, *(astuple(place) for place in PLACES)])


def legs_csv(today: date) -> list[str]:
    """The legs as lines of an ``evac import legs`` file."""
    header = ("number", "mode", "from", "to", "departure_time", "arrival_time", "seats")
    rows = [
        (*astuple(leg)[:4], *(t.isoformat() for t in astuple(leg)[4:6]), *astuple(leg)[6:])
        for leg in demo_legs(today)
    ]
    return _csv_lines([(*header, "stretchers"), *rows])
