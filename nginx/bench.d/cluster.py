"""The table of `nginx/dev bench --cluster`: the same rows with 1 and with 3 responders behind
Nginx on a replicated PostgreSQL, and with 1 and the standby stopped. Rows are named
`NAME CONFIG #ROUND`; each ratio is taken within its round (the machine's speed drifts between
minutes), then the median. And the one-line summary of the whole run, failures included."""
import json
import os
import statistics

from tables import ROUND_MARK, rate, read_rows

CONFIGS = ("one", "three", "nostandby")
ROWS = [
    ("psyx list", "list c16", "req/s"),
    ("psyx start", "start c16", "req/s"),
    ("psyx submit", "submit c16 (durable)", "replies/s"),
    ("download json", "download JSON", "MB/s"),
]
SHORT = {"list c16": "list", "start c16": "start", "submit c16 (durable)": "submit", "download JSON": "download"}


def by_round(rows):
    """{round: {(name, config): row}} from the `NAME CONFIG #ROUND` rows."""
    rounds = {}
    for r in rows:
        head, mark, number = r["name"].rpartition(ROUND_MARK)
        name, _, config = head.rpartition(" ")
        if mark and number.isdigit() and config in CONFIGS:
            rounds.setdefault(int(number), {})[(name, config)] = r
    return rounds


def value(row, unit):
    if unit == "MB/s":
        return row["bytes"] / (row["duration_us"] / 1e6) / 1e6 if row["duration_us"] else 0.0
    return rate(row)


def ratios(rounds, name, unit, top, bottom):
    """TOP's value over BOTTOM's within each round where both ran."""
    return [value(rows[(name, top)], unit) / value(rows[(name, bottom)], unit) for rows in rounds.values()
            if (name, top) in rows and (name, bottom) in rows and value(rows[(name, bottom)], unit)]


def median_of(rounds, name, config, unit):
    values = [value(rows[(name, config)], unit) for rows in rounds.values() if (name, config) in rows]
    return statistics.median(values) if values else None


def cell(number, width, digits=1):
    return f"{'-':>{width}}" if number is None else f"{number:>{width}.{digits}f}"


def spread(values):
    return f"({min(values):.2f}-{max(values):.2f})" if len(values) > 1 else ""


def p99(rounds, name, config):
    """The median of the rounds' p99 (one round's stall on a shared machine would decide a maximum)."""
    values = [rows[(name, config)]["p99_us"] / 1000 for rows in rounds.values() if (name, config) in rows]
    return f"{statistics.median(values):.1f}" if values else "-"


def cluster(path, out):
    rounds = by_round(read_rows(path))
    if not rounds:
        print("no rounds measured")
        return
    print(f"1 and 3 responders behind one Nginx, PostgreSQL primary + synchronous standby: {len(rounds)} rounds, "
          "medians of the rounds, each ratio taken within its round")
    head = (f"{'row':<22}{'1 resp.':>10}{'3 resp.':>10}{'unit':>10}{'3/1':>7}{'(min-max)':>13}"
            f"{'1, no standby':>15}{'sync/none':>10}{'(min-max)':>13}{'p99 ms 1/3/none':>20}")
    print(head)
    print("-" * len(head))
    summary = {"three_over_one": {}, "sync_over_none": {}, "values": {}}
    for name, label, unit in ROWS:
        three = ratios(rounds, name, unit, "three", "one")
        sync = ratios(rounds, name, unit, "one", "nostandby")
        medians = [median_of(rounds, name, c, unit) for c in CONFIGS]
        if medians[0] is None:
            continue
        three_median = statistics.median(three) if three else None
        sync_median = statistics.median(sync) if sync else None
        summary["three_over_one"][SHORT[label]] = three_median
        summary["sync_over_none"][SHORT[label]] = sync_median
        summary["values"][SHORT[label]] = medians
        times = "-" if unit == "MB/s" else "/".join(p99(rounds, name, c) for c in CONFIGS)
        print(f"{label:<22}{cell(medians[0], 10)}{cell(medians[1], 10)}{unit:>10}{cell(three_median, 6, 2)}x"
              f"{spread(three):>13}{cell(medians[2], 15)}{cell(sync_median, 9, 2)}x{spread(sync):>13}{times:>20}")
    errors = {c: sum(int(r["status_errors"] + r["socket_errors"]) for rows in rounds.values()
                     for (n, cc), r in rows.items() if cc == c) for c in CONFIGS}
    summary["errors"] = errors
    print()
    print(f"errors (non-2xx + socket): 1 responder {errors['one']}, 3 responders {errors['three']}, "
          f"1 without the standby {errors['nostandby']}")
    print()
    print("On two cores the three responders share the CPU one had, with Nginx, PostgreSQL (both servers) and")
    print("wrk: 3/1 shows what the upstream and the spreading over processes cost, not a speed-up (on machines")
    print("of their own, each responder brings its own CPU). sync/none: with the synchronous standby over the")
    print("primary committing alone (standby stopped) - what the second copy of every commit costs.")
    print("list, start, submit: wrk at c16 for the row's seconds (submit: each 200 a reply committed on both")
    print("servers, fresh participants, 300 answers); download: curl of 1,000 replies, median of 3, bytes / time.")
    print("p99: the median of the rounds' p99 latencies.")
    with open(out, "w") as file:
        json.dump(summary, file)


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path) as file:
        return json.load(file)


def pairs(mapping):
    return ", ".join(f"{key} {value:.2f}x" for key, value in mapping.items() if value is not None)


def summary(work, cores, load):
    """One line fit to paste: the ratios and both failures."""
    rows, node, primary = (load_json(f"{work}/{name}") for name in ("cluster-rows.json", "node.json", "primary.json"))
    parts = [f"bench --cluster ({cores} cores, load {load})"]
    if rows:
        parts.append(f"3 responders / 1: {pairs(rows['three_over_one'])} (cost of the upstream on 2 cores, not a speed-up)")
        parts.append(f"sync standby / none: {pairs(rows['sync_over_none'])}")
    if node:
        parts.append(f"node kill -9: {node['failed']} of {node['requests']} requests failed, longest gap "
                     f"{node['longest_gap_s']:.2f} s, {node['lost']} of {node['acknowledged']} acknowledged lost, "
                     f"back {fmt(node['served_again_after_restart_s'])} s after restart")
    if primary:
        parts.append(f"primary kill -9 + promote after {primary['promote_after_kill_s']:.1f} s: {primary['failed']} of "
                     f"{primary['requests']} requests failed, no acknowledged submit for "
                     f"{primary['longest_submit_gap_s']:.2f} s, {primary['lost']} of {primary['acknowledged']} "
                     "acknowledged lost")
    print("; ".join(parts))


def fmt(value):
    return "-" if value is None else f"{value:.1f}"
