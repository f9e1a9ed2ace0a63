"""The city suggestions the registration form asks for while a person types."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from evac.errors import error_responses
from evac.registration.places import CACHE_CONTROL, MAX_SUGGESTIONS, CityOut, city_suggestions

router = APIRouter(prefix="/api/v1/places", tags=["places"], responses=error_responses(422, 503))


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
