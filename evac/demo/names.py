"""Curated given and family names for demo people, read from ``seed/names/*.json``.

Each file holds one naming tradition (Turkish, Arabic, German, ...): the
nationalities that use it, female and male given names, family names (with a
parallel list of female forms where the language inflects them, as Russian
``Ivanov``/``Ivanova``), and how often a spouse takes the partner's family name.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from evac.paths import SEED_DIR

FALLBACK_GROUP = "en"


@dataclass(frozen=True, slots=True)
class NameGroup:
    code: str
    description: str
    nationalities: tuple[str, ...]
    spouse_takes_family_name: float
    female: tuple[str, ...]
    male: tuple[str, ...]
    family: tuple[str, ...]
    family_female: tuple[str, ...]

    def given_name(self, rng: random.Random, sex: str) -> str:
        """A given name for ``sex`` ('F', 'M'; 'X' draws from both lists)."""
        if sex == "X":
            names = self.female if rng.random() < 0.5 else self.male
        else:
            names = self.female if sex == "F" else self.male
        return names[int(rng.random() * len(names))]

    def family_index(self, rng: random.Random) -> int:
        return int(rng.random() * len(self.family))

    def family_name(self, index: int, sex: str) -> str:
        """The family name at ``index`` in the form used for ``sex``."""
        if sex == "F" and self.family_female:
            return self.family_female[index]
        return self.family[index]


def _read_group(path: Path) -> NameGroup:
    data = json.loads(path.read_text(encoding="utf-8"))
    family = tuple(data["family"])
    family_female = tuple(data.get("family_female", ()))
    if family_female and len(family_female) != len(family):
        raise ValueError(f"{path.name}: family_female must pair with family one to one")
    return NameGroup(
        code=data["group"],
        description=data["description"],
        nationalities=tuple(data["nationalities"]),
        spouse_takes_family_name=float(data["spouse_takes_family_name"]),
        female=tuple(data["female"]),
        male=tuple(data["male"]),
        family=family,
        family_female=family_female,
    )


@cache
def load_name_groups(directory: Path | None = None) -> dict[str, NameGroup]:
    """All name groups in ``directory`` (``seed/names`` by default), by code."""
    folder = directory or SEED_DIR / "names"
    groups = [_read_group(path) for path in sorted(folder.glob("*.json"))]
    if not groups:
        raise FileNotFoundError(f"no name lists in {folder}")
    return {group.code: group for group in groups}


@cache
def groups_by_nationality(directory: Path | None = None) -> dict[str, NameGroup]:
    """The name group of each nationality that has one (alpha-2 code to group)."""
    table: dict[str, NameGroup] = {}
    for group in load_name_groups(directory).values():
        for nationality in group.nationalities:
            if nationality in table:
                raise ValueError(f"{nationality} is in two name groups")
            table[nationality] = group
    return table


def group_for(nationality: str, directory: Path | None = None) -> NameGroup:
    """The names a person of ``nationality`` would carry; English ones if unknown."""
    table = groups_by_nationality(directory)
    return table.get(nationality) or load_name_groups(directory)[FALLBACK_GROUP]
