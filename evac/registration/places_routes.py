"""The city suggestions the registration form asks for while a person types."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from evac.errors import NotFound, error_responses
from evac.i18n import N_
from evac.registration.places import (
    CACHE_CONTROL,
    MAX_SUGGESTIONS,
    CityOut,
    PlaceOut,
    city_suggestions,
    nearest_place,
)

router = APIRouter(
    prefix="/api/v1/places", tags=["places"], responses=error_responses(404, 422, 503)
)


@router.get(
    "/cities",
    summary="City suggestions while typing",
    response_model=list[CityOut],
)
def cities(
    response: Response,
    q: Annotated[str, Query(max_length=100, description="What the person typed")] = "",
    country: Annotated[
        str | None, Query(pattern="^[A-Za-z]{2}$", description="ISO alpha-2 country of presence")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_SUGGESTIONS)] = 10,
) -> list[CityOut]:
    """Cities whose name or a word of it starts with ``q`` (any case, accents or
    script), exact names first, then the most populous; empty under two letters."""
    response.headers["cache-control"] = CACHE_CONTROL
    return city_suggestions(q, country, limit)


@router.get("/nearest", summary="The country and city of a position", response_model=PlaceOut)
def nearest(
    response: Response,
    latitude: Annotated[float, Query(ge=-90, le=90)],
    longitude: Annotated[float, Query(ge=-180, le=180)],
) -> PlaceOut:
    """Where the form's "use my location" button puts a person: the country of the
    nearest city the offline gazetteer knows, and that city if it is within 50 km.
    Nothing leaves the server; the answer is not stored by any cache."""
    response.headers["cache-control"] = "no-store"
    place = nearest_place(latitude, longitude)
    if place is None:
        raise NotFound(N_("No place is known near this position."))
    return place
