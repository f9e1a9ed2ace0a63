"""A broadcast is written per language; each registrant gets their own language's
text or, told so, the home language's or the English one; the preview gives each
language's SMS length and parts (issue #16, 7)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.notifications.models import Channel
from tests.factories import sign_in
from tests.notifications.test_broadcasts import case_in, draft, outbox, preview
from tests.notifications.test_broadcasts import staff as staff


def _send(client: TestClient, form: dict[str, str]) -> str:
    text, fingerprint = preview(client, form)
    sent = client.post("/staff/broadcasts", data=form | {"fingerprint": fingerprint})
    assert sent.status_code == 200
    return text


def test_a_registrant_without_their_language_is_told_which_language_they_read(
    client: TestClient, session: Session
) -> None:
    french = case_in(session, "DE", "fr")
    arabic = case_in(session, "DE", "ar")
    sign_in(client, "center")
    text = _send(client, draft(client))
    assert "No text in this language: these registrants get the English text" in text

    messages = {m.registration_id: m for m in outbox(session)}
    assert "(Ce texte n’existe qu’en anglais.)" in messages[french.id].body
    assert "Use the northern road to the airport." in messages[french.id].body
    assert "(" not in messages[arabic.id].body.split("\n")[0]  # Arabic was written
    assert "استخدم الطريق الشمالي" in messages[arabic.id].body


def test_the_home_language_text_comes_before_english_for_a_language_left_empty(
    client: TestClient, session: Session
) -> None:
    french = case_in(session, "DE", "fr")
    english = case_in(session, "DE", "en")
    sign_in(client, "center")
    form = draft(client, subject_tr="Havalimanı yolu kapalı", body_tr="Kuzey yolunu kullanın.")
    _send(client, form)
    messages = {m.registration_id: m for m in outbox(session)}
    assert "(Ce texte n’existe qu’en turc.)" in messages[french.id].body
    assert "Kuzey yolunu kullanın." in messages[french.id].body
    assert "Use the northern road" in messages[english.id].body
    assert "only available" not in messages[english.id].body


def test_the_preview_gives_each_languages_sms_length_alphabet_and_parts(
    client: TestClient, session: Session
) -> None:
    case_in(session, "DE")
    sign_in(client, "center")
    form = draft(
        client,
        channel_sms="1",
        subject_tr="Havalimanı yolu kapalı",
        body_tr="Kuzey yolunu kullanın.",
    )
    text, _ = preview(client, form)
    assert "GSM-7, 1 part" in text  # English
    assert "UCS-2, 1 part" in text  # Turkish ı, Arabic
    assert 'data-sms-count="sms-count-tr"' in text


def test_an_sms_longer_than_five_parts_in_its_alphabet_is_refused(
    client: TestClient, session: Session
) -> None:
    case_in(session, "DE")
    sign_in(client, "center")
    form = draft(client, channel_sms="1", subject_tr="Duyuru", body_tr="ş" * 340)
    page = client.post("/staff/broadcasts/preview", data=form)
    assert page.status_code == 422
    assert "Too long for an SMS in this alphabet: at most 335 characters (5 parts)." in page.text
    assert outbox(session) == [] and Channel.sms == "sms"
