"""The tables of nginx/bench: its results file (one measurement a line) read back and printed
with the ratios and the issue's targets. Used by bench.py's `table` and `growth` commands."""
import statistics

# ---------------------------------------------------------------- the table

# One row per measurement, tab-separated, written by nginx/bench; `replies`: replies in the
# downloaded pack (growth mode), else 0; `rss_before_kb`: VmRSS when the peak was reset.
COLUMNS = ["name", "conc", "requests", "duration_us", "bytes", "p50_us", "p99_us", "status_errors",
           "socket_errors", "cpu_s", "hwm_kb", "rss_kb", "load", "replies", "rss_before_kb"]


def read_rows(path):
    rows = []
    with open(path) as file:
        for line in file:
            values = line.rstrip("\n").split("\t")
            row = dict(zip(COLUMNS, values))
            for key in COLUMNS[1:]:
                row[key] = float(row.get(key, 0))
            rows.append(row)
    return rows


def rate(row):
    return row["requests"] / (row["duration_us"] / 1e6) if row["duration_us"] else 0.0


def fmt_ratio(value):
    return "-" if value is None else f"{value:.2f}x"


def table(path):
    rows, rounds = split_rounds(read_rows(path))
    static = {r["conc"]: rate(r) for r in rows if r["name"] == "nginx static json"}
    php = {r["conc"]: rate(r) for r in rows if r["name"] == "php-fpm hello"}
    head = (f"{'name':<24}{'conc':>5}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'x static':>10}"
            f"{'x php':>8}{'MB/s':>9}{'psyx cpu s':>11}{'us/req':>8}{'peak MB':>8}{'RSS MB':>8}{'load':>6}")
    print(head)
    print("-" * len(head))
    uploads = {}
    for r in rows:
        upload = r["name"].startswith("upload")
        per_second = rate(r)
        if upload:
            uploads[r["name"]] = r
        x_static = None if upload else (per_second / static[r["conc"]] if static.get(r["conc"]) else None)
        x_php = None if upload else (per_second / php[r["conc"]] if php.get(r["conc"]) else None)
        megabytes = r["bytes"] / (r["duration_us"] / 1e6) / 1e6 if r["duration_us"] else 0
        psyx_cpu = r["cpu_s"]
        us_per_request = psyx_cpu / r["requests"] * 1e6 if r["requests"] else 0
        if not r["requests"]:
            print(f"{r['name']:<24}{int(r['conc']):>5}{'   none completed in the run (each takes longer)':<63}"
                  f"{psyx_cpu:>11.2f}{'-':>8}{r['hwm_kb'] / 1024:>8.1f}{r['rss_kb'] / 1024:>8.1f}{r['load']:>6.2f}")
            continue
        print(f"{r['name']:<24}{int(r['conc']):>5}{per_second:>10.1f}{r['p50_us'] / 1000:>9.2f}{r['p99_us'] / 1000:>9.2f}"
              f"{int(r['status_errors'] + r['socket_errors']):>8}{fmt_ratio(x_static):>10}{fmt_ratio(x_php):>8}"
              f"{megabytes:>9.1f}{psyx_cpu:>11.2f}{us_per_request:>8.0f}{r['hwm_kb'] / 1024:>8.1f}"
              f"{r['rss_kb'] / 1024:>8.1f}{r['load']:>6.2f}")
    print()
    print("req/s, p50, p99, errors: wrk (errors = non-2xx answers + socket errors). x static / x php: req/s over")
    print("Nginx's static JSON / PHP-FPM's hello at the same concurrency. MB/s: bytes received / time.")
    print("psyx cpu s: the responder's user+system CPU seconds during the measured run; us/req: that per request.")
    print("peak/RSS MB: the responder's VmHWM during the row (reset before it) and its VmRSS after it.")
    print("upload rows: the runs alternate Psyx and PHP, each on a synced, idle disk; req/s = runs / total time, p50 = median time, p99 = slowest.")
    medians = rounds_block(rounds)
    file_medians = file_rounds_block(rounds)
    targets(rows, static, php, medians, file_medians)
    figures(rows, static, php, medians)


def pick(rows, name, conc):
    for r in rows:
        if r["name"] == name and r["conc"] == conc:
            return r
    return None


ROUND_MARK = " #"
ROUND_ROWS = ("psyx health", "psyx list", "psyx start", "psyx start (held)")
# Psyx rows and Nginx serving the same answer as a static file (`nginx/bench` saves the answer
# and measures both): the targets of start and of the 1,000-pack list (issue 22 settled them so;
# the answer's size, fixed by the API, is then what both sides pay).
FILE_PAIRS = (("psyx start", "nginx static start copy"), ("psyx list 1000 packs", "nginx static list copy"))
# Shown beside them, no target: a start that claims a hold (a write) per request (issue 21).
FILE_FIGURES = (("psyx start (held)", "nginx static start copy"),)


def split_rounds(rows):
    """The single-pass rows, and the rounds' rows by round: {round: {name: row}} (`NAME #ROUND`)."""
    single, rounds = [], {}
    for r in rows:
        name, mark, number = r["name"].rpartition(ROUND_MARK)
        if mark and number.isdigit():
            rounds.setdefault(int(number), {})[name] = r
        else:
            single.append(r)
    return single, rounds


def rounds_block(rounds):
    """Prints each Psyx row's ratios to static and to PHP within every round and their medians;
    answers {name: (median x static, median x php)}."""
    complete = [rows for _, rows in sorted(rounds.items())
                if rows.get("nginx static json") and rows.get("php-fpm hello")]
    if not complete:
        return {}
    print()
    print(f"Rounds at c64: the compared rows in turn, {len(complete)} rounds; each ratio is taken within its round "
          "(the machine's speed drifts between minutes), then the median of the rounds:")
    print(f"{'name':<24}{'median req/s':>14}{'x static':>10}{'(min-max)':>14}{'x php':>8}{'(min-max)':>14}"
          f"{'p99 ms max':>12}")
    medians = {}
    for name in ("nginx static json", "php-fpm hello") + ROUND_ROWS + ("nginx static start copy",):
        present = [rows for rows in complete if rows.get(name) and rate(rows[name])]
        if not present:
            continue
        x_static = [rate(rows[name]) / rate(rows["nginx static json"]) for rows in present]
        x_php = [rate(rows[name]) / rate(rows["php-fpm hello"]) for rows in present]
        medians[name] = (statistics.median(x_static), statistics.median(x_php))
        print(f"{name:<24}{statistics.median(rate(rows[name]) for rows in present):>14.1f}"
              f"{medians[name][0]:>9.2f}x{spread(x_static):>14}{medians[name][1]:>7.2f}x{spread(x_php):>14}"
              f"{max(rows[name]['p99_us'] for rows in present) / 1000:>12.2f}")
    return medians


def spread(values):
    return f"({min(values):.2f}-{max(values):.2f})"


def file_rounds_block(rounds):
    """Prints each FILE_PAIRS row's rate over its file's within every round where both ran, and
    the median; answers {name: median x file}."""
    pairs = [(mine, file, [rows for _, rows in sorted(rounds.items())
                           if rows.get(mine) and rows.get(file) and rate(rows[mine]) and rate(rows[file])])
             for mine, file in FILE_PAIRS + FILE_FIGURES]
    pairs = [(mine, file, present) for mine, file, present in pairs if present]
    if not pairs:
        return {}
    print()
    print("Against the same answer served by Nginx as a file (c64; each ratio within its round, then the median):")
    print(f"{'name':<24}{'answer KB':>10}{'median req/s':>14}{'file req/s':>12}{'x file':>8}{'(min-max)':>14}"
          f"{'p99 ms max':>12}")
    medians = {}
    for mine, file, present in pairs:
        x_file = [rate(rows[mine]) / rate(rows[file]) for rows in present]
        medians[mine] = statistics.median(x_file)
        print(f"{mine:<24}{answer_kb(present[0][mine]):>10.1f}{statistics.median(rate(rows[mine]) for rows in present):>14.1f}"
              f"{statistics.median(rate(rows[file]) for rows in present):>12.1f}{medians[mine]:>7.2f}x"
              f"{spread(x_file):>14}{max(rows[mine]['p99_us'] for rows in present) / 1000:>12.2f}")
    return medians


def answer_kb(row):
    return row["bytes"] / row["requests"] / 1024 if row["requests"] else 0.0


def versus(rows, name, reference, medians, index=None):
    """NAME's c64 rate over REFERENCE's (a {conc: rate}), and how it was taken: the rounds' median
    when there is one (it decides; the single pass is shown beside it), else the single pass."""
    r = pick(rows, name, 64)
    if r is None or not reference.get(64):
        return None, ""
    single = rate(r) / reference[64]
    if name in medians:
        median = medians[name] if index is None else medians[name][index]
        return median, f"median of the rounds; single pass {single:.2f}x"
    return single, "single pass"


def targets(rows, static, php, medians, file_medians):
    print()
    print("Targets (issue 8, with start's and the list's as issue 22 settled them; concurrency 64 unless said):")
    lines = []

    def check(label, ok, detail):
        lines.append(f"  {'met ' if ok else 'MISS'}  {label:<54} {detail}")

    for mine, file in FILE_PAIRS:
        r, f = pick(rows, mine, 64), pick(rows, file, 64)
        if r is None or f is None or not rate(f):
            continue
        value, how = versus(rows, mine, {64: rate(f)}, file_medians)
        check(f"{mine}: >= 0.5x {file}", value >= 0.5, f"{value:.2f}x ({how}; {answer_kb(r):.1f} KB)")
    for name in ("psyx health", "psyx list"):
        value, how = versus(rows, name, static, medians, 0)
        if value is not None:
            check(f"{name}: >= 0.5x nginx static", value >= 0.5, f"{value:.2f}x ({how})")
    for name in ("psyx start", "psyx list"):
        r = pick(rows, name, 64)
        if r is not None:
            check(f"{name}: p99 < 10 ms", r["p99_us"] < 10_000, f"{r['p99_us'] / 1000:.2f} ms")
    r = pick(rows, "psyx submit", 16)
    if r is not None:
        errors = r["status_errors"] + r["socket_errors"]
        check("psyx submit c16: >= 2000 replies/s, no errors", rate(r) >= 2000 and errors == 0,
              f"{rate(r):.0f}/s, {int(errors)} errors")
    r = pick(rows, "psyx download json", 64)
    if r is not None:
        megabytes = r["bytes"] / (r["duration_us"] / 1e6) / 1e6
        check("psyx download json: >= 200 MB/s", megabytes >= 200, f"{megabytes:.0f} MB/s")
        one = pick(rows, "psyx download json", 1)
        if one is not None:
            check("psyx download json: memory flat (c64 peak < 64 MB)", r["hwm_kb"] < 64 * 1024,
                  f"peak {one['hwm_kb'] / 1024:.0f} MB at c1, {r['hwm_kb'] / 1024:.0f} MB at c64")
    psyx, php_upload = pick(rows, "upload 30MB psyx", 1), pick(rows, "upload 30MB php", 1)
    if psyx is not None and php_upload is not None and psyx["requests"] and php_upload["requests"]:
        # Medians: a disk stall now and then (writeback, another process) lands on one run.
        mine, theirs = psyx["p50_us"], php_upload["p50_us"]
        check("upload: psyx time <= 1.25x php's (medians)", mine <= 1.25 * theirs, f"{mine / theirs:.2f}x "
              f"({mine / 1e6:.2f} s vs {theirs / 1e6:.2f} s)")
        check("upload: responder peak memory < 64 MB", psyx["hwm_kb"] < 64 * 1024,
              f"VmHWM {psyx['hwm_kb'] / 1024:.1f} MB during the uploads")
    print("\n".join(lines))
    if any(pick(rows, file, 64) for _, file in FILE_PAIRS):
        print("  (start copy, list copy: the answer psyx gave, saved and served by Nginx as a static file)")


def figures(rows, static, php, medians):
    """The ratios that issue 8 had as targets and issue 22 keeps as figures: against PHP-FPM's
    hello for every Psyx row, and start against the 15-byte static JSON."""
    lines = []
    for name in ROUND_ROWS + ("nginx static start copy",):
        value, how = versus(rows, name, php, medians, 1)
        if value is not None:
            lines.append(f"  {name + ':':<30} {value:.2f}x php-fpm hello ({how})")
    value, how = versus(rows, "psyx start", static, medians, 0)
    if value is not None:
        lines.append(f"  {'psyx start:':<30} {value:.2f}x nginx static json ({how})")
    if lines:
        print()
        print("Figures, not targets (concurrency 64):")
        print("\n".join(lines))


def growth(path):
    rows = read_rows(path)
    by_name = {}
    for r in rows:
        by_name[(r["name"], r["conc"])] = r
    print(f"{'measure':<34}{'small':>14}{'large':>14}{'large/small':>13}  target")
    print("-" * 90)

    def line(label, small, large, target, unit=""):
        if small is None or large is None:
            return
        ratio = large / small if small else float("nan")
        print(f"{label:<34}{small:>13.2f}{unit:1}{large:>13.2f}{unit:1}{ratio:>12.2f}x  {target}")

    for name in ("psyx list", "psyx start"):
        small, large = by_name.get((name + " small", 64)), by_name.get((name + " large", 64))
        if small and large:
            # The list's growth is a figure: its target is the large list against its own bytes as a file.
            line(f"{name} c64 req/s", rate(small), rate(large), ">= 0.5x (within 2x)" if name == "psyx start" else "")
            line(f"{name} c64 p99 ms", small["p99_us"] / 1000, large["p99_us"] / 1000, "< 10 ms")
            line(f"{name} c64 us cpu/req", small["cpu_s"] / small["requests"] * 1e6,
                 large["cpu_s"] / large["requests"] * 1e6, "")
    for case in ("small", "large"):
        mine, file = by_name.get((f"psyx list {case}", 64)), by_name.get((f"nginx static list {case}", 64))
        if mine and file and mine["requests"] and rate(file):
            x_file = rate(mine) / rate(file)
            verdict = f"; target >= 0.5x: {'met' if x_file >= 0.5 else 'MISS'}" if case == "large" else ""
            print(f"psyx list {case}: {rate(mine):.0f} req/s; Nginx serving the same "
                  f"{answer_kb(mine):.1f} KB answer as a file: {rate(file):.0f} req/s "
                  f"({x_file:.2f}x of it{verdict})")
    for kind in ("json", "csv"):
        small, large = by_name.get((f"download {kind} small", 1)), by_name.get((f"download {kind} large", 1))
        if small and large:
            line(f"download {kind} seconds", small["duration_us"] / 1e6, large["duration_us"] / 1e6,
                 f"~ replies ratio ({large['replies'] / small['replies']:.0f}x: "
                 f"{large['replies']:.0f} / {small['replies']:.0f} replies)")
            line(f"download {kind} MB/s", small["bytes"] / small["duration_us"],
                 large["bytes"] / large["duration_us"], ">= 200" if kind == "json" else "")
            line(f"download {kind} us per reply", small["duration_us"] / small["replies"],
                 large["duration_us"] / large["replies"], "flat")
            line(f"peak memory, download {kind} MB", small["hwm_kb"] / 1024, large["hwm_kb"] / 1024,
                 f"flat (RSS before: {small['rss_before_kb'] / 1024:.1f} / {large['rss_before_kb'] / 1024:.1f} MB)")
    for size in ("30MB", "300MB"):
        r = by_name.get((f"upload {size} psyx", 1))
        p = by_name.get((f"upload {size} php", 1))
        if r and p:
            print(f"upload {size}: psyx {r['duration_us'] / 1e6:.2f} s, php {p['duration_us'] / 1e6:.2f} s "
                  f"({r['duration_us'] / p['duration_us']:.2f}x, target <= 1.25x); responder VmHWM during it "
                  f"{r['hwm_kb'] / 1024:.1f} MB, RSS before {r['rss_before_kb'] / 1024:.1f} MB (target < 64 MB)")
    print()
    print("download rows: one request with curl (median of 3); 'replies' = replies in the pack.")
    print("peak memory: the responder's VmHWM during the row (reset before each row).")
