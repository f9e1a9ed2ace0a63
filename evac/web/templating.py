"""Jinja2 templates with per-request translations.

The gettext functions read the translations from the template context, not
from process or thread state, so concurrent requests in different languages
never see each other's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.support import NullTranslations
from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.responses import HTMLResponse

from evac.i18n import (
    formats,
    get_translations,
    labels,
    language_name,
    language_name_in,
    text_direction,
)
from evac.paths import TEMPLATES_DIR
from evac.settings import Mode, get_settings

_NULL = NullTranslations()


def _translations(ctx: Context) -> NullTranslations:
    return ctx.get("translations") or _NULL


def _finish(ctx: Context, text: str, variables: dict[str, Any]) -> str:
    if ctx.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  (our own catalogs; variables are escaped by %)
    return text % variables if variables else text


@pass_context
def _gettext(ctx: Context, message: str, **variables: Any) -> str:
    return _finish(ctx, _translations(ctx).gettext(message), variables)


@pass_context
def _ngettext(ctx: Context, singular: str, plural: str, n: int, **variables: Any) -> str:
    variables.setdefault("num", n)
    return _finish(ctx, _translations(ctx).ngettext(singular, plural, n), variables)


def request_gettext(request: Request) -> Callable[[str], str]:
    """gettext in the language chosen for this request."""
    return get_translations(request.state.language).gettext


def static_url(path: str) -> str:
    """A root-relative URL, right behind any proxy or scheme."""
    return f"/static/{path}"


def add_language_filter(name: str, words: Callable[..., str], *, arguments: bool = False) -> None:
    """A filter ``value | name`` (or ``value | name(language)``) that puts a value
    in words in the reader's language, e.g. a country code or a case status.

    With ``arguments``, the filter's arguments follow the language instead:
    ``value | label("flight_status")`` calls ``words(value, language, "flight_status")``.

    The web layer knows no domain: the words come from the domain that owns
    them, and the app registers them when it is composed (``evac/app.py``).
    """

    @pass_context
    def in_language(ctx: Context, value: Any, *args: Any) -> str:
        if arguments:
            return words(value, ctx.get("lang", "en"), *args)
        return words(value, args[0] if args else ctx.get("lang", "en"))

    templates.env.filters[name] = in_language


def language_context(request: Request) -> dict[str, Any]:
    language = request.state.language
    settings = get_settings()
    return {
        "lang": language,
        "dir": text_direction(language),
        # "from → to" reads from the right in Arabic: the arrow points the way it is read.
        "arrow": "←" if text_direction(language) == "rtl" else "→",
        "translations": get_translations(language),
        "languages": [(code, language_name(code)) for code in settings.languages],
    }


def _build_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR), context_processors=[language_context])
    env = templates.env
    env.add_extension("jinja2.ext.i18n")
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext, static_url=static_url)
    env.trim_blocks = True
    env.lstrip_blocks = True
    # Checking every template file's mtime on each render costs a stat per
    # include; templates change only with a deploy, except while developing.
    env.auto_reload = get_settings().mode is Mode.development
    return templates


templates = _build_templates()

# Coded values and numbers, days and times in the reader's language
# (``evac/i18n/labels.py``, ``evac/i18n/formats.py``).
add_language_filter("label", labels.label, arguments=True)
add_language_filter("actor", labels.actor)
add_language_filter("language_name", language_name_in)
add_language_filter("number", formats.number)
add_language_filter("day", formats.day)
add_language_filter("utc_time", formats.utc_time)
add_language_filter("zoned_time", formats.zoned_time)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context or {}, status_code=status_code)
    if getattr(request.state, "clear_flash", False):
        response.delete_cookie("evac_flash", path="/")
    return response
