"""Passenger lists for border authorities as UN/EDIFACT PAXLST (D:05B, IATA).

One PAXLST message per flight, in one interchange declared ``UNOA``: the
border system reads nothing but the characters of :data:`UNOA`. pydifact
writes the envelope (UNB/UNH/UNT/UNZ) and escapes the separators. Names are
the passport names (``evac.registration.passport_names``) as the MRZ reads
them: apostrophes dropped, hyphens as spaces (``O'BRIEN`` → ``OBRIEN``,
``JEAN-LUC`` → ``JEAN LUC``); countries are ISO 3166 alpha-3. A passenger whose
values would need any other character (a missing passport name, an Arabic
one) is not guessed at: the whole export is refused with the cases to fix.

Segments, in the order of the D:05B message (IATA/WCO PAXLST guide)::

    UNB UNH BGM NAD+MS TDT+20 LOC+125 DTM+189 LOC+87 [DTM+232]

TDT names the leg's mode of transport (4 air, 1 sea): PAXLST is written for
flights and ships; a road or rail leg is refused (it has a convoy list).

    per passenger: NAD+FL ATT+2 DTM+329 LOC+178 LOC+179 NAT+2 DOC [DTM+36] LOC+91
    CNT+42 UNT UNZ
"""

from __future__ import annotations

import string
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pycountry
from pydifact.segmentcollection import Interchange, Message
from pydifact.segments import Segment

from evac.errors import Conflict
from evac.i18n import N_
from evac.registration.normalize import document_key
from evac.registration.passport_names import mrz_words

PAXLST = ("PAXLST", "D", "05B", "UN", "IATA")
# ISO 9735 syntax level A (UNOA): capital letters, digits, space, the signs
# . , - ( ) / = ! " % & * ; < > and the service characters ' + : ? (which
# pydifact escapes inside values).
UNOA = frozenset(string.ascii_uppercase + string.digits + " .,-()/=!\"%&*;<>'+:?")


class PaxlstRefused(Conflict):
    """Some passengers cannot be written in UNOA: nothing is exported."""

    def __init__(self, references: Sequence[str]) -> None:
        super().__init__(
            N_(
                "The border file (PAXLST) was not written: record the passport name, in "
                "Latin letters, and the travel document of the people in these cases "
                "first: %(references)s"
            ),
            references=", ".join(references),
        )
        self.references = list(references)


class PaxlstNotForThisLeg(Conflict):
    """A road or rail leg: border authorities take a convoy list for it, not PAXLST."""

    def __init__(self, number: str) -> None:
        super().__init__(
            N_(
                "%(number)s goes by road or rail: border files (PAXLST) are for flights and "
                "ships. Print its convoy list instead."
            ),
            number=number,
        )


# TDT's mode of transport (UN/ECE Recommendation 19): 4 air, 1 maritime.
TRANSPORT_MODE_CODES = {"flight": "4", "ambulance_flight": "4", "ship": "1"}


@dataclass(frozen=True)
class PaxFlight:
    """The leg a PAXLST message declares: a flight or a ship."""

    flight_number: str
    departure_airport: str
    destination_airport: str
    departure_time: datetime
    arrival_time: datetime | None = None
    mode: str = "flight"

    def __post_init__(self) -> None:
        if self.mode not in TRANSPORT_MODE_CODES:
            raise PaxlstNotForThisLeg(self.flight_number)

    @property
    def carrier(self) -> str:
        """The airline designator: two characters (TK, U2, 4U) or three letters (THY)."""
        number = self.flight_number.upper()
        return number[:2] if number[2:].isdigit() else number[:3]


@dataclass(frozen=True)
class PaxPassenger:
    reference: str
    surname: str | None
    given_names: str | None
    sex: str
    date_of_birth: date
    nationality: str
    document_type: str
    document_number: str
    document_country: str
    document_expiry: date | None


# DOC's document name code in the WCO/IATA/ICAO PAXLST guide: P passport, I identity
# card, F an approved non-standard travel document (an emergency travel document).
DOCUMENT_CODES = {"P": "P", "I": "I", "E": "F"}


def alpha3(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha2.upper())
    return country.alpha_3 if country else alpha2.upper()


def is_unoa(text: str) -> bool:
    return set(text) <= UNOA


def _values(segment: Segment) -> Iterator[str]:
    for element in segment.elements:
        if isinstance(element, list):
            yield from element
        else:
            yield element


def _passenger_segments(p: PaxPassenger, flight: PaxFlight) -> list[Segment]:
    names = [mrz_words(p.surname or ""), mrz_words(p.given_names or "")]
    segments = [
        Segment("NAD", "FL", "", "", names),
        Segment("ATT", "2", "", p.sex),
        Segment("DTM", ["329", p.date_of_birth.strftime("%y%m%d")]),
        Segment("LOC", "178", flight.departure_airport.upper()),
        Segment("LOC", "179", flight.destination_airport.upper()),
        Segment("NAT", "2", alpha3(p.nationality)),
        Segment(
            "DOC",
            [DOCUMENT_CODES.get(p.document_type, ""), "110", "111"],
            document_key(p.document_number),
        ),
    ]
    if p.document_expiry:
        segments.append(Segment("DTM", ["36", p.document_expiry.strftime("%y%m%d")]))
    segments.append(Segment("LOC", "91", alpha3(p.document_country)))
    return segments


def _flight_segments(flight: PaxFlight) -> list[Segment]:
    segments = [
        Segment("BGM", "745"),
        Segment("NAD", "MS", "", "", "EVAC COORDINATION CENTRE"),
        Segment(
            "TDT",
            "20",
            flight.flight_number.upper(),
            TRANSPORT_MODE_CODES[flight.mode],
            "",
            flight.carrier,
        ),
        Segment("LOC", "125", flight.departure_airport.upper()),
        Segment("DTM", ["189", flight.departure_time.strftime("%y%m%d%H%M"), "201"]),
        Segment("LOC", "87", flight.destination_airport.upper()),
    ]
    if flight.arrival_time is not None:
        segments.append(Segment("DTM", ["232", flight.arrival_time.strftime("%y%m%d%H%M"), "201"]))
    return segments


def _message(reference: str, flight: PaxFlight, passengers: Sequence[PaxPassenger]) -> Message:
    message = Message(reference, PAXLST)
    message.add_segments(_flight_segments(flight))
    for passenger in passengers:
        message.add_segments(_passenger_segments(passenger, flight))
    message.add_segment(Segment("CNT", ["42", str(len(passengers))]))
    return message


def unfit_references(flights: Sequence[tuple[PaxFlight, Sequence[PaxPassenger]]]) -> list[str]:
    """The cases (or flights) with a value that UNOA cannot carry, in order, once each."""
    unfit: dict[str, None] = {}
    for flight, passengers in flights:
        if not all(is_unoa(v) for s in _flight_segments(flight) for v in _values(s)):
            unfit[flight.flight_number] = None
        for p in passengers:
            values = [v for s in _passenger_segments(p, flight) for v in _values(s)]
            named = p.surname and p.given_names
            documented = p.document_type in DOCUMENT_CODES and p.document_number
            if not (named and documented) or not all(is_unoa(v) for v in values):
                unfit[p.reference] = None
    return list(unfit)


def paxlst_interchange(
    flights: Sequence[tuple[PaxFlight, Sequence[PaxPassenger]]],
    *,
    sender: str,
    recipient: str,
    control_reference: str,
    generated_at: datetime,
) -> str:
    """One interchange holding one PAXLST message per flight (times in UTC).

    Raises PaxlstRefused, naming the cases to fix, if any value is not UNOA.
    """
    unfit = unfit_references(flights)
    if unfit:
        raise PaxlstRefused(unfit)
    interchange = Interchange(
        sender=sender,
        recipient=recipient,
        control_reference=control_reference,
        syntax_identifier=("UNOA", 4),
        timestamp=generated_at,
    )
    for index, (flight, passengers) in enumerate(flights, start=1):
        interchange.add_message(_message(f"{control_reference}{index:03d}", flight, passengers))
    with warnings.catch_warnings():
        # pydifact has no segment definitions for syntax version 4; nothing is lost.
        warnings.simplefilter("ignore")
        return interchange.serialize()
