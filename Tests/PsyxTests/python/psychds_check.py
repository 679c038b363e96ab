"""Checks a Psych-DS zip as a reader would: Python's zipfile opens it (CRCs checked),
dataset_description.json is schema.org Dataset JSON-LD with name, description and
variableMeasured, the data file sits in data/ and is named by Psych-DS's rule, its
header names only columns listed in variableMeasured, and every row has the header's
length. Prints a JSON report; exits non-zero with the reason on the first failure.

usage: psychds_check.py ZIP [EXPECTED_CSV]   (EXPECTED_CSV: the bytes data/ must hold)"""

import csv
import io
import json
import re
import sys
import zipfile

DATAFILE = re.compile(r"data/([a-z]+-[a-zA-Z0-9]+)(_[a-z]+-[a-zA-Z0-9]+)*_data\.csv")


def fail(reason):
    print(reason, file=sys.stderr)
    sys.exit(1)


with zipfile.ZipFile(sys.argv[1]) as archive:
    bad = archive.testzip()
    if bad is not None:
        fail(f"corrupt entry {bad}")
    names = archive.namelist()
    if "dataset_description.json" not in names:
        fail(f"no dataset_description.json in {names}")
    description = json.loads(archive.read("dataset_description.json").decode("utf-8"))
    data_files = [n for n in names if n.startswith("data/")]
    if len(data_files) != 1 or not DATAFILE.fullmatch(data_files[0]):
        fail(f"data files not named by the Psych-DS rule: {data_files}")
    data = archive.read(data_files[0])

if description.get("@context") not in ("https://schema.org/", "http://schema.org/"):
    fail(f"@context is {description.get('@context')!r}")
if description.get("@type") != "Dataset":
    fail(f"@type is {description.get('@type')!r}")
for key in ("name", "description"):
    if not isinstance(description.get(key), str) or not description[key]:
        fail(f"{key} missing or empty")
measured = description.get("variableMeasured")
if not isinstance(measured, list) or not measured:
    fail("variableMeasured missing or empty")
variables = [v["name"] if isinstance(v, dict) else v for v in measured]
if any(isinstance(v, dict) and v.get("@type") != "PropertyValue" for v in measured):
    fail("a variableMeasured entry is not a PropertyValue")

rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
if not rows:
    fail("the data file is empty")
header = rows[0]
if len(set(header)) != len(header):
    fail(f"repeated columns in {header}")
missing = [c for c in header if c not in variables]
if missing:
    fail(f"columns not in variableMeasured: {missing}")
if any(len(r) != len(header) for r in rows[1:]):
    fail("a row's length differs from the header's")
if len(sys.argv) > 2 and data != open(sys.argv[2], "rb").read():
    fail("the data file differs from the CSV download")

print(json.dumps({"entries": names, "data_file": data_files[0], "columns": header, "rows": len(rows) - 1,
                  "name": description["name"]}))
