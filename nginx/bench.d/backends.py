"""The table of `nginx/dev bench --postgres`: the same rows on SQLite and on PostgreSQL, side by
side, with issue 18's targets. Rows are named `NAME BACKEND #ROUND`; each PostgreSQL/SQLite ratio
is taken within its round (the machine's speed drifts between minutes), then the median."""
import statistics

from tables import ROUND_MARK, rate, read_rows

BACKENDS = ("sqlite", "postgresql")
# (row name, label, unit, target kind, target): "ratio" compares PostgreSQL with SQLite,
# "megabytes" asks PostgreSQL's MB/s for at least the target.
ROWS = [
    ("psyx list", "list c16", "req/s", "ratio", 0.8),
    ("psyx start", "start c16", "req/s", "ratio", 0.8),
    # A start that claims a hold (a write) per request, issue 21: shown, no target.
    ("psyx start (held)", "start held c16", "req/s", "figure", None),
    ("psyx submit", "submit c16 (durable)", "replies/s", "ratio", 0.7),
    ("download json", "download JSON", "MB/s", "megabytes", 200.0),
    ("download csv", "download CSV", "MB/s", "megabytes", 200.0),
]


def by_round(rows):
    """{round: {(name, backend): row}} from the `NAME BACKEND #ROUND` rows."""
    rounds = {}
    for r in rows:
        head, mark, number = r["name"].rpartition(ROUND_MARK)
        name, _, backend = head.rpartition(" ")
        if mark and number.isdigit() and backend in BACKENDS:
            rounds.setdefault(int(number), {})[(name, backend)] = r
    return rounds


def value(row, unit):
    if unit == "MB/s":
        return row["bytes"] / (row["duration_us"] / 1e6) / 1e6 if row["duration_us"] else 0.0
    return rate(row)


def spread(values):
    return f"({min(values):.2f}-{max(values):.2f})" if len(values) > 1 else ""


def backends(path):
    rounds = by_round(read_rows(path))
    if not rounds:
        print("no rounds measured")
        return
    print(f"PostgreSQL beside SQLite: {len(rounds)} rounds, each row {'measured'} on both backends in turn; "
          "medians of the rounds, the ratio taken within each round")
    head = (f"{'row':<22}{'SQLite':>11}{'PostgreSQL':>12}{'unit':>10}{'PG/SQLite':>11}{'(min-max)':>13}"
            f"{'p99 ms SQLite/PG':>18}{'target':>16}  verdict")
    print(head)
    print("-" * len(head))
    verdicts = []
    for name, label, unit, kind, target in ROWS:
        present = [rows for rows in rounds.values() if (name, "sqlite") in rows and (name, "postgresql") in rows]
        if not present:
            continue
        lite = [value(rows[(name, "sqlite")], unit) for rows in present]
        pg = [value(rows[(name, "postgresql")], unit) for rows in present]
        ratios = [p / s for p, s in zip(pg, lite) if s]
        ratio = statistics.median(ratios) if ratios else 0.0
        p99 = "/".join(f"{max(rows[(name, b)]['p99_us'] for rows in present) / 1000:.1f}" for b in BACKENDS)
        if kind == "figure":
            print(f"{label:<22}{statistics.median(lite):>11.1f}{statistics.median(pg):>12.1f}{unit:>10}{ratio:>10.2f}x"
                  f"{spread(ratios):>13}{p99:>18}{'-':>16}  (figure)")
            continue
        if kind == "ratio":
            met, shown = ratio >= target, f">= {target:.1f}x SQLite"
        else:
            met, shown = statistics.median(pg) >= target, f">= {target:.0f} MB/s"
            p99 = "-"
        verdicts.append((label, met))
        print(f"{label:<22}{statistics.median(lite):>11.1f}{statistics.median(pg):>12.1f}{unit:>10}{ratio:>10.2f}x"
              f"{spread(ratios):>13}{p99:>18}{shown:>16}  {'met' if met else 'NOT met'}")
    errors = {b: sum(int(r["status_errors"] + r["socket_errors"]) for rows in rounds.values()
                     for (n, bb), r in rows.items() if bb == b) for b in BACKENDS}
    print()
    print(f"errors (non-2xx + socket): SQLite {errors['sqlite']}, PostgreSQL {errors['postgresql']}")
    for backend in BACKENDS:
        after = []
        peak = 0.0
        for number in sorted(rounds):
            mine = [r for (n, b), r in rounds[number].items() if b == backend]
            if mine:
                after.append(mine[-1]["rss_kb"] / 1024)
                peak = max(peak, max(r["hwm_kb"] for r in mine) / 1024)
        flat = bool(after) and max(after) - min(after) <= max(8.0, 0.1 * after[0])
        verdicts.append((f"memory flat ({backend})", flat))
        print(f"psyx memory on {backend:<10}: RSS after each round "
              f"{', '.join(f'{a:.1f}' for a in after)} MB, peak {peak:.1f} MB: {'flat' if flat else 'NOT flat'}")
    print()
    print("list, start, submit: wrk at c16 for the row's seconds (submit: each 200 is a reply committed durably,")
    print("fresh participants, 300 answers); download: curl of 1,000 replies, median of 3, bytes / time.")
    print("Targets (issue 18): submit >= 0.7x SQLite's durable rate, start and list >= 0.8x SQLite's,")
    print("download >= 200 MB/s, responder memory flat (RSS after each round within 10 % or 8 MB).")
    missed = [label for label, met in verdicts if not met]
    print("all targets met" if not missed else "targets NOT met: " + ", ".join(missed))
