"""Prints the row count of each experiment table of a Psyx database, read-only:
`packs=1 pack_pairs=300 replies=1`. The end-to-end tests use it to show that a
refused request stored nothing and that a removed pack left no rows behind."""
import sqlite3
import sys

TABLES = ("packs", "pack_pairs", "replies")

connection = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
try:
    counts = [f"{table}={connection.execute(f'SELECT count(*) FROM {table}').fetchone()[0]}" for table in TABLES]
finally:
    connection.close()
print(" ".join(counts))
