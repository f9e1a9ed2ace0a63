"""Passenger lists for border authorities as UN/EDIFACT PAXLST (D:05B, IATA).

One PAXLST message per flight, in one interchange. pydifact writes the
envelope (UNB/UNH/UNT/UNZ) and escapes the separators. Names are written as in
a passport's machine-readable zone (upper-case Latin, "ŞAHİN" as "SAHIN") and
countries as ISO 3166 alpha-3, as border systems expect.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pycountry
from pydifact.segmentcollection import Interchange, Message
from pydifact.segments import Segment
from unidecode import unidecode

PAXLST = ("PAXLST", "D", "05B", "UN", "IATA")


@dataclass(frozen=True)
class PaxFlight:
    flight_number: str
    departure_airport: str
    destination_airport: str
    departure_time: datetime


@dataclass(frozen=True)
class PaxPassenger:
    family_name: str
    given_name: str
    sex: str
    date_of_birth: date
    nationality: str
    document_type: str
    document_number: str
    document_country: str
    document_expiry: date | None


def mrz_name(name: str) -> str:
    return " ".join(unidecode(name).upper().replace("-", " ").split())


def alpha3(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha2.upper())
    return country.alpha_3 if country else alpha2.upper()


def _passenger_segments(p: PaxPassenger) -> list[Segment]:
    segments = [
        Segment("NAD", "FL", "", "", [mrz_name(p.family_name), mrz_name(p.given_name)]),
        Segment("ATT", "2", "", p.sex),
        Segment("DTM", ["329", p.date_of_birth.strftime("%y%m%d")]),
        Segment("NAT", "2", alpha3(p.nationality)),
        Segment("DOC", [p.document_type, "110", "111"], p.document_number.replace(" ", "")),
    ]
    if p.document_expiry:
        segments.append(Segment("DTM", ["36", p.document_expiry.strftime("%y%m%d")]))
    segments.append(Segment("LOC", "91", alpha3(p.document_country)))
    return segments


def _message(reference: str, flight: PaxFlight, passengers: Sequence[PaxPassenger]) -> Message:
    message = Message(reference, PAXLST)
    message.add_segments(
        [
            Segment("BGM", "745"),
            Segment("NAD", "MS", "", "", "EVAC COORDINATION CENTRE"),
            Segment("TDT", "20", flight.flight_number),
            Segment("LOC", "125", flight.departure_airport),
            Segment("DTM", ["189", flight.departure_time.strftime("%y%m%d%H%M"), "201"]),
            Segment("LOC", "87", flight.destination_airport),
        ]
    )
    for passenger in passengers:
        message.add_segments(_passenger_segments(passenger))
    message.add_segment(Segment("CNT", ["42", str(len(passengers))]))
    return message


def paxlst_interchange(
    flights: Sequence[tuple[PaxFlight, Sequence[PaxPassenger]]],
    *,
    sender: str,
    recipient: str,
    control_reference: str,
    generated_at: datetime,
) -> str:
    """One interchange holding one PAXLST message per flight (times in UTC)."""
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
