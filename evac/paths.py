"""Where evac's own files are, whatever the working directory.

In a source checkout (an editable install) they sit beside the package; in a
wheel they are packed inside it under ``evac/_resources``.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_PACKED = PACKAGE_DIR / "_resources"
_ROOT = _PACKED if _PACKED.is_dir() else PACKAGE_DIR.parent

MIGRATIONS_DIR = _ROOT / "migrations"
TEMPLATES_DIR = _ROOT / "templates"
STATIC_DIR = _ROOT / "static"
SEED_DIR = _ROOT / "seed"
ALEMBIC_INI = _ROOT / "alembic.ini"
LOCALES_DIR = PACKAGE_DIR / "i18n" / "locales"
