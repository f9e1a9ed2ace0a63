"""The words a person reads for each coded value evac stores.

A status, a kind, a reason or an audit action is kept in the database as a
code (``no_capacity``, ``registration.create``, ``P``); a page shows it through
``label(kind, value, language)``, in templates ``value | label("kind")``.

The tables hold plain strings, not the domains' enums: ``evac/web`` uses this
package, and the web layer imports no domain. ``tests/language`` checks that
every value of every enum shown to people has its words here.
"""

from __future__ import annotations

from evac.i18n import N_, get_translations

LABELS: dict[str, dict[str, str]] = {
    # registration.models.CaseStatus
    "case_status": {
        "registered": N_("Registered"),
        "verified": N_("Verified"),
        "assigned": N_("Seats held on a flight"),
        "confirmed": N_("Flight confirmed"),
        "checked_in": N_("Checked in"),
        "boarded": N_("Boarded"),
        "arrived": N_("Arrived"),
        "withdrawn": N_("Withdrawn"),
        "duplicate": N_("Duplicate"),
        "deferred": N_("Deferred"),
        "no_show": N_("Did not come"),
    },
    # planning.data.UnassignedReason
    "unassigned_reason": {
        "no_flight_in_reach": N_("No flight within reach"),
        "no_capacity": N_("No free seat on the flights within reach"),
        "household_too_large_for_ambulance": N_("Household too large for the ambulance plane"),
        "household_too_large_for_flight": N_("Household too large for any flight within reach"),
        "no_members": N_("Nobody registered in this case"),
    },
    # planning.journey_data.JourneyReason
    "journey_reason": {
        "no_route_in_reach": N_("No route home within reach"),
        "no_capacity": N_("No room on the routes within reach"),
        "household_too_large": N_("Household too large for every route within reach"),
        "no_members": N_("Nobody registered in this case"),
    },
    # flights.models.FlightKind, planning.data.FlightKind
    "flight_kind": {
        "regular": N_("Regular flight"),
        "ambulance": N_("Ambulance plane"),
    },
    # flights.models.LegMode (planning.journey_data.LegMode)
    "leg_mode": {
        "flight": N_("Flight"),
        "ambulance_flight": N_("Ambulance flight"),
        "bus": N_("Bus"),
        "ship": N_("Ship"),
        "train": N_("Train"),
    },
    # places.models.PlaceKind (planning.journey_data.PlaceKind)
    "place_kind": {
        "airport": N_("Airport"),
        "assembly_point": N_("Assembly point"),
        "seaport": N_("Seaport"),
        "border_crossing": N_("Border crossing"),
        "rail_station": N_("Railway station"),
    },
    # flights.models.FlightStatus
    "flight_status": {
        "planned": N_("Planned"),
        "open": N_("Open for seating"),
        "closed": N_("Closed"),
        "departed": N_("Departed"),
        "arrived": N_("Arrived"),
        "cancelled": N_("Cancelled"),
    },
    # flights.models.AssignmentStatus
    "seat_status": {
        "assigned": N_("Seat held"),
        "confirmed": N_("Confirmed"),
        "checked_in": N_("Checked in"),
        "boarded": N_("Boarded"),
        "no_show": N_("Did not come"),
        "offloaded": N_("Offloaded"),
    },
    # registration.models.MedicalUrgency, planning.data.MedicalUrgency
    "medical_urgency": {
        "none": N_("No medical need"),
        "stable": N_("Stable, needs care"),
        "urgent": N_("Urgent"),
        "critical": N_("Critical"),
    },
    # registration.models.Sex
    "sex": {
        "F": N_("Female"),
        "M": N_("Male"),
        "X": N_("Unspecified (X)"),
    },
    # registration.models.DocumentType
    "document_type": {
        "P": N_("Passport"),
        "I": N_("National identity card"),
        "E": N_("Emergency travel document (ETD)"),
        "N": N_("No travel document"),
    },
    # registration.models.DocumentMissingReason
    "document_missing_reason": {
        "on_parent_passport": N_("A newborn or child on a parent's passport"),
        "held_by_authority": N_("Passport held by another authority or embassy"),
        "lost_or_stolen": N_("Lost or stolen"),
        "expired": N_("Expired"),
        "other": N_("Other (say why)"),
    },
    # staff.roles.Role
    "role": {
        "officer": N_("Consular officer"),
        "coordinator": N_("Coordinator"),
        "admin": N_("Administrator"),
    },
    # notifications.models.OutboxStatus
    "outbox_status": {
        "pending": N_("Waiting to be sent"),
        "sent": N_("Sent"),
        "dead": N_("Failed, not sent"),
    },
    # notifications.models.Channel
    "channel": {
        "email": N_("Email"),
        "sms": N_("SMS"),
    },
    # notifications.models.Audience
    "audience": {
        "country": N_("Everyone in a country"),
        "flight": N_("Everyone on a flight"),
    },
    # jobs.models.JobStatus
    "job_status": {
        "queued": N_("Waiting to start"),
        "running": N_("Running"),
        "done": N_("Finished"),
        "failed": N_("Failed"),
    },
    # missions.models.MissionKind
    "mission_kind": {
        "embassy": N_("Embassy"),
        "consulate": N_("Consulate"),
    },
    # planning.data.TcnPolicy
    "tcn_policy": {
        "space_available": N_("After every household with a citizen"),
        "equal": N_("Like citizens without special needs"),
    },
    # The actions of the audit trail (audit.models.AuditEvent.action).
    "audit_action": {
        "registration.create": N_("Registered"),
        "registration.contact_update": N_("Contact details changed by the registrant"),
        "registration.location_update": N_("Location changed by the registrant"),
        "registration.member_add": N_("Person added by the registrant"),
        "registration.member_remove": N_("Person removed by the registrant"),
        "registration.member_update": N_("Person's details changed"),
        "registration.link_reissue": N_("New private link sent"),
        "registration.link_activate": N_("Private link opened"),
        "registration.link_resend": N_("New private link sent by an officer"),
        "case.verify": N_("Verified"),
        "case.unverify": N_("Verification undone"),
        "case.defer": N_("Deferred"),
        "case.withdraw": N_("Withdrawn"),
        "case.mark_duplicate": N_("Marked as a duplicate"),
        "case.reopen": N_("Reopened"),
        "case.seat": N_("Seats held on a flight"),
        "case.unseat": N_("Seats released"),
        "case.move": N_("Moved to another flight"),
        "case.offload": N_("Offloaded"),
        "case.confirm": N_("Flight confirmed"),
        "case.check_in": N_("Checked in"),
        "case.board": N_("Boarded"),
        "case.no_show": N_("Did not come"),
        "case.restore": N_("Restored"),
        "case.arrive": N_("Arrived"),
        "case.update": N_("Case details changed"),
        "case.note": N_("Note added"),
        "case.not_duplicate": N_("Confirmed not a duplicate"),
        "case.split": N_("Household split"),
        "case.merge": N_("Cases merged"),
        "case.merge_undone": N_("Merge undone"),
        "case.decline": N_("Declined the flight offered"),
        "case.reroute": N_("Onward travel arranged"),
        "flight.create": N_("Flight created"),
        "flight.update": N_("Flight changed"),
        "flight.close": N_("Flight closed"),
        "flight.reopen": N_("Flight reopened"),
        "flight.depart": N_("Flight departed"),
        "flight.arrive": N_("Flight arrived"),
        "flight.cancel": N_("Flight cancelled"),
        "flight.meeting": N_("Meeting point changed"),
        "place.create": N_("Place recorded"),
        "place.update": N_("Place changed"),
        "place.delete": N_("Place deleted"),
        "staff.create": N_("Account created"),
        "staff.activate": N_("Account activated"),
        "staff.deactivate": N_("Account deactivated"),
        "staff.sign_in": N_("Signed in"),
        "staff.password_change": N_("Password changed"),
        "staff.password_reset": N_("Password reset"),
        "staff.update": N_("Role or missions changed"),
        "api_token.create": N_("API token created"),
        "api_token.revoke": N_("API token revoked"),
        "mission.create": N_("Mission created"),
        "mission.coverage": N_("Mission's countries changed"),
        "outbox.resend": N_("Message sent again"),
        "broadcast.send": N_("Broadcast sent"),
        "retention.purge": N_("Personal data deleted"),
        "retention.housekeeping": N_("Old records cleaned up"),
        "demo.seed": N_("Demo data loaded"),
    },
    # The messages of the outbox (notifications.templates, templates/notifications/messages).
    "message_template": {
        "broadcast": N_("Broadcast"),
        "broadcast_sms": N_("Broadcast"),
        "confirmation": N_("Registration confirmed"),
        "document_reused": N_("Document used in another registration"),
        "document_reused_sms": N_("Document used in another registration"),
        "flight_cancelled": N_("Flight cancelled"),
        "flight_cancelled_sms": N_("Flight cancelled"),
        "flight_changed": N_("Flight changed"),
        "flight_changed_sms": N_("Flight changed"),
        "lost_link": N_("New private link"),
        "lost_link_sms": N_("New private link"),
        "confirmation_sms": N_("Registration confirmed"),
        "reminder": N_("Reminder"),
        "reminder_sms": N_("Reminder"),
        "seat_assigned": N_("Seats held on a flight"),
        "seat_assigned_sms": N_("Seats held on a flight"),
        "seat_released": N_("Seats released"),
        "seat_released_sms": N_("Seats released"),
    },
    # Who did something, in the audit trail (audit.service's actors).
    "actor": {
        "system": N_("the system"),
        "registrant": N_("the registrant"),
        "import": N_("an import"),
        "planner": N_("the planner"),
    },
}


class UnknownLabel(KeyError):
    """A value without words: a new enum value that ``LABELS`` does not know yet."""


# The language tests turn this on, so a value without words fails them instead of
# showing its code; a running service shows the code rather than fail a page.
STRICT = False


def label_words(kind: str, value: object) -> str:
    """The untranslated words for ``value`` (an enum member or its value)."""
    key = getattr(value, "value", value)
    try:
        return LABELS[kind][str(key)]
    except KeyError:
        raise UnknownLabel(f"no words for {kind} {key!r}") from None


def label(value: object, language: str, kind: str) -> str:
    """``value`` of ``kind`` in the reader's language.

    An unknown value is shown as it is (a page must still render); the tests
    make sure that never happens for a value evac writes.
    """
    if value is None or value == "":
        return ""
    try:
        words = label_words(kind, value)
    except UnknownLabel:
        if STRICT:
            raise
        return str(getattr(value, "value", value))
    return get_translations(language).gettext(words)


def actor(value: str, language: str) -> str:
    """Who did something: ``staff:ayse`` → ``ayse``, ``system`` → "the system"."""
    if not value:
        return ""
    if value.startswith("staff:"):
        return value.removeprefix("staff:")
    return label(value, language, "actor")
