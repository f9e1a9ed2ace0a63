"""The staff outbox: what was sent to registrants, what is waiting, what failed."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session, col, select

from evac.cases.scope import readable_cases, require_case_access
from evac.db import ReadSessionDep, SessionDep
from evac.errors import NotFound
from evac.i18n import N_
from evac.notifications.delivery import delivery
from evac.notifications.models import OutboxMessage, OutboxStatus
from evac.notifications.service import resend
from evac.registration.models import Registration
from evac.staff.auth import StaffContext
from evac.staff.deps import StaffDep, verify_csrf
from evac.validation import DbId
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/outbox", include_in_schema=False)
PAGE_SIZE = 200


def outbox_reader(staff: StaffDep) -> StaffContext:
    require_case_access(staff)
    return staff


OutboxReader = Annotated[StaffContext, Depends(outbox_reader)]


def readable_messages(staff: StaffContext) -> sa.Select:
    """Messages with their case's reference, scoped like the cases themselves."""
    cases = readable_cases(staff).with_only_columns(col(Registration.id))
    return (
        select(OutboxMessage, Registration.reference)
        .join(Registration, col(Registration.id) == col(OutboxMessage.registration_id))
        .where(col(OutboxMessage.registration_id).in_(cases))
    )


def _readable_message(session: Session, staff: StaffContext, message_id: int) -> OutboxMessage:
    row = session.exec(readable_messages(staff).where(OutboxMessage.id == message_id)).first()
    if row is None:
        raise NotFound(N_("No message with this number in your missions."))
    return row[0]


@router.get("", response_class=HTMLResponse)
def outbox_page(
    request: Request,
    session: ReadSessionDep,
    staff: OutboxReader,
    status: Annotated[str | None, Query(max_length=8)] = None,
) -> HTMLResponse:
    chosen = status if status in set(OutboxStatus) else None
    statement = readable_messages(staff)
    if chosen:
        statement = statement.where(OutboxMessage.status == chosen)
    rows = session.exec(statement.order_by(col(OutboxMessage.id).desc()).limit(PAGE_SIZE)).all()
    context = {
        "staff": staff,
        "rows": rows,
        "status": chosen,
        "statuses": list(OutboxStatus),
        "flashes": pop_flashes(request),
        "delivery": delivery(),
    }
    return render(request, "notifications/outbox.html", context)


@router.post("/{message_id}/resend", dependencies=[Depends(verify_csrf)])
def resend_message(
    request: Request, session: SessionDep, staff: OutboxReader, message_id: DbId
) -> RedirectResponse:
    message = _readable_message(session, staff, message_id)
    resend(session, message, actor=staff.actor)
    response = RedirectResponse("/staff/outbox", status_code=303)
    gettext = request_gettext(request)
    flash(response, gettext("The message will be sent again."))
    return response
