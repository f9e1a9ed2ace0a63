"""Keep the gettext catalogs in step with the code.

python scripts/i18n.py update            # extract messages, merge into every catalog
python scripts/i18n.py fill FILE.json    # set translations: {"tr": {"msgid": "msgstr"}, ...}
python scripts/i18n.py check             # list messages that are not translated yet
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "evac" / "i18n" / "locales"
TEMPLATE = ROOT / "evac" / "i18n" / "messages.pot"
LANGUAGES = ("tr", "fr", "ar")


def _po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


def update() -> None:
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    extract = [pybabel, "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_", "-k", "gettext"]
    extract += [
        "-k",
        "ngettext:1,2",
        "--no-location",
        "--sort-output",
        "--project",
        "evac",
        "-w",
        "100",
    ]
    subprocess.run([*extract, "-o", str(TEMPLATE), "."], cwd=ROOT, check=True)
    subprocess.run(
        [
            pybabel,
            "update",
            "-i",
            str(TEMPLATE),
            "-d",
            str(LOCALES),
            "--no-fuzzy-matching",
            "--ignore-obsolete",
            "-w",
            "100",
        ],
        cwd=ROOT,
        check=True,
    )


def fill(path: Path) -> None:
    translations = json.loads(path.read_text(encoding="utf-8"))
    for language, messages in translations.items():
        po_path = _po_path(language)
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for msgid, msgstr in messages.items():
            message = catalog.get(msgid)
            if message is None:
                print(f"{language}: not in catalog: {msgid!r}")
                continue
            message.string = tuple(msgstr) if isinstance(msgstr, list) else msgstr
            message.flags.discard("fuzzy")
        with po_path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, omit_header=False, width=100)


def check() -> int:
    missing = 0
    for language in LANGUAGES:
        with _po_path(language).open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and not all(strings):
                missing += 1
                print(f"{language}: {message.id!r}")
    return missing


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    if action == "update":
        update()
    elif action == "fill":
        fill(Path(sys.argv[2]))
    else:
        sys.exit(1 if check() else 0)
