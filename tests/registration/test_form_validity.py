"""/register is valid HTML where the Nu Html Checker found errors: a required select
must start with an empty choice (a select with no empty choice is never "required")."""

from __future__ import annotations

from html.parser import HTMLParser

from fastapi.testclient import TestClient


class _Selects(HTMLParser):
    """Each select's name, whether it is required, and its first option's value."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: list[dict[str, object]] = []
        self._open: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "select":
            self._open = {"name": values.get("name"), "required": "required" in values}
            self.selects.append(self._open)
        elif tag == "option" and self._open is not None and "first" not in self._open:
            self._open["first"] = values.get("value")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._open = None


def selects_of(html: str) -> list[dict[str, object]]:
    parser = _Selects()
    parser.feed(html)
    return parser.selects


def test_every_required_select_on_register_starts_with_an_empty_choice(
    client: TestClient,
) -> None:
    selects = selects_of(client.get("/register").text)
    assert selects
    wrong = [s["name"] for s in selects if s["required"] and s.get("first") != ""]
    assert wrong == []
    # The two the checker named still offer their choices, preselected.
    names = {s["name"]: s for s in selects}
    assert names["language"]["required"] is False
    assert names["members-0-medical_urgency"]["first"] == "none"
