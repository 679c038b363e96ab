#!/usr/bin/env python3
"""Helpers of nginx/bench: generated images, multipart bodies, seeding through the
API, the wrk results table. Standard library only (plus Debian's cjpeg for images).

    bench.py free-port
    bench.py images DIR PAIRS SIDE QUALITY        noise JPEGs (SIDE 0: a tiny 8x8 JPEG)
    bench.py body OUT DIR NAME SEX AGE_MIN AGE_MAX FIELD
                                                   a pack upload as one multipart file
    bench.py create URL DIR NAME SEX AGE_MIN AGE_MAX
                                                   upload a pack, print its p_id
    bench.py answers OUT PAIRS                     the answers of a submit (pair order)
    bench.py replies URL P_ID COUNT SEX AGE TAG THREADS
    bench.py bulk-packs DB FROM_P_ID COUNT         pack rows straight into the store
    bench.py table RESULTS.tsv                     the default mode's table + targets
    bench.py growth RESULTS.tsv                    the --large mode's table
    bench.py profile FOLDER                        perf-*.data summaries into FOLDER/profile.txt

URL is http://127.0.0.1:PORT; the admin account is nginx/dev's (admin / psyx-dev).
"""
import base64
import http.client
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

AUTH = "Basic " + base64.b64encode(b"admin:psyx-dev").decode()
PREFIX = "bench"
# A valid 8x8 greyscale JPEG (the tests' TinyImages.jpeg): 350 bytes.
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb0043000302020302020303030304030304050805050404050a0707"
    "06080c0a0c0c0b0a0b0b0d0e12100d0e110e0b0b1016101113141515150c0f171816141812141514ffc0000b08000800"
    "0801011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b51000020103030204"
    "03050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f024336272820"
    "90a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778"
    "797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5"
    "d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00f8b3f67ffd9fff00e169fd9bfd1bcef3"
    "31fc39afffd9")
NEGATIVE = bytes(range(255, -1, -1))
PERSON = {"name": "홍길동", "email": "bench@example.com", "phone": "010-1234-5678"}


def file_name(number, side):
    return f"{PREFIX}_{number:05d}_{side}.jpg"


def connection(url, timeout=600):
    parsed = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        print(sock.getsockname()[1])


def images(folder, pairs, side, quality):
    """Pairs of noise images: `inv` is the negative of `ori`, as in reverse correlation."""
    os.makedirs(folder, exist_ok=True)
    for number in range(1, pairs + 1):
        if side == 0:
            ori = inv = TINY_JPEG
        else:
            noise = os.urandom(side * side)
            header = b"P5\n%d %d\n255\n" % (side, side)
            ori, inv = (subprocess.run(["cjpeg", "-quality", str(quality), "-grayscale"], input=header + pixels,
                                       capture_output=True, check=True).stdout
                        for pixels in (noise, noise.translate(NEGATIVE)))
        for name, content in ((file_name(number, "ori"), ori), (file_name(number, "inv"), inv)):
            with open(os.path.join(folder, name), "wb") as out:
                out.write(content)


def multipart_chunks(folder, fields, field_name, boundary):
    for name, value in fields:
        yield (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as image:
            content = image.read()
        yield (f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; '
               f'filename="faces/{name}"\r\nContent-Type: image/jpeg\r\n\r\n').encode() + content + b"\r\n"
    yield f"--{boundary}--\r\n".encode()


def pack_fields(name, sex, age_min, age_max):
    return [("pack_name", name), ("sex", sex), ("age_min", age_min), ("age_max", age_max)]


BOUNDARY = "----psyxbench7MA4YWxkTrZu0gW"


def body(out, folder, name, sex, age_min, age_max, field_name):
    with open(out, "wb") as file:
        for chunk in multipart_chunks(folder, pack_fields(name, sex, age_min, age_max), field_name, BOUNDARY):
            file.write(chunk)
    print(f"multipart/form-data; boundary={BOUNDARY}")


def create(url, folder, name, sex, age_min, age_max):
    payload = b"".join(multipart_chunks(folder, pack_fields(name, sex, age_min, age_max), "file", BOUNDARY))
    conn = connection(url)
    conn.request("POST", "/api/admin/create", body=payload,
                 headers={"Authorization": AUTH, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"})
    response = conn.getresponse()
    text = response.read().decode(errors="replace")
    if response.status != 200 or not text.startswith("Pack "):
        sys.exit(f"create {name}: {response.status} {text[:200]}")
    print(text.split()[1])


def answers_json(pairs):
    trials = [["F" if n % 3 else "J", round(0.4 + (n % 17) * 0.05, 3), file_name(n, "ori"), file_name(n, "inv")]
              for n in range(1, pairs + 1)]
    return json.dumps(trials, separators=(",", ":"))


def answers(out, pairs):
    with open(out, "w") as file:
        file.write(answers_json(pairs))


def replies(url, p_id, count, sex, age, tag, threads):
    """COUNT submits with distinct participant numbers, from THREADS keep-alive connections."""
    trials = answers_json(300)
    failures = []
    lock = threading.Lock()

    def worker(first):
        conn = connection(url)
        for index in range(first, count, threads):
            no = f"{tag}{index}"
            payload = json.dumps({"p_id": p_id, **PERSON, "no": no, "sex": sex, "age": age,
                                  "submission_id": f"seed-{no}", "answers": "@"}, ensure_ascii=False)
            payload = payload.replace('"@"', trials).encode()
            conn.request("POST", "/api/reply/submit", body=payload, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            text = response.read()
            if response.status != 200:
                with lock:
                    failures.append(f"{no}: {response.status} {text[:120]!r}")
                return

    workers = [threading.Thread(target=worker, args=(first,)) for first in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    if failures:
        sys.exit("submit failed: " + "; ".join(failures[:3]))


def bulk_packs(database, from_p_id, count):
    """Pack rows (and their 300 pairs) written into the store directly: the API's overlap rule
    admits at most 2 x 121 packs, so the rest of a 1,000-pack list comes this way. Their age
    range (200-200) is one no participant can have, so `start` never chooses them."""
    db = sqlite3.connect(database, timeout=60)
    with db:
        for index in range(count):
            cursor = db.execute("INSERT INTO packs (pack_name, sex, age_min, age_max, date) "
                                "VALUES (?, ?, 200, 200, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                (f"bulk{index:05d}", 1 + index % 2))
            db.execute("INSERT INTO pack_pairs (p_id, number, ori, inv) "
                       "SELECT ?, number, ori, inv FROM pack_pairs WHERE p_id = ?", (cursor.lastrowid, from_p_id))
    db.close()


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
    rows = read_rows(path)
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
    targets(rows, static, php)


def pick(rows, name, conc):
    for r in rows:
        if r["name"] == name and r["conc"] == conc:
            return r
    return None


def targets(rows, static, php):
    print()
    print("Targets (issue 8; concurrency 64 unless said):")
    lines = []

    def check(label, ok, detail):
        lines.append(f"  {'met ' if ok else 'MISS'}  {label:<52} {detail}")

    for name in ("psyx health", "psyx list", "psyx start"):
        r = pick(rows, name, 64)
        if r is None or not php.get(64) or not static.get(64):
            continue
        value = rate(r)
        check(f"{name}: >= 2x php-fpm hello", value >= 2 * php[64], f"{value / php[64]:.2f}x")
        check(f"{name}: >= 0.5x nginx static", value >= 0.5 * static[64], f"{value / static[64]:.2f}x")
    start, copy = pick(rows, "psyx start", 64), pick(rows, "nginx static start copy", 64)
    if start is not None and copy is not None and php.get(64):
        lines.append(f"  (info) psyx start: {rate(start) / rate(copy):.2f}x of Nginx serving the same "
                     f"{start['bytes'] / start['requests'] / 1024:.1f} KB answer as a file; that file alone "
                     f"is {rate(copy) / php[64]:.2f}x php-fpm hello")
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
            line(f"{name} c64 req/s", rate(small), rate(large), ">= 0.5x (within 2x)")
            line(f"{name} c64 p99 ms", small["p99_us"] / 1000, large["p99_us"] / 1000, "< 10 ms")
            line(f"{name} c64 us cpu/req", small["cpu_s"] / small["requests"] * 1e6,
                 large["cpu_s"] / large["requests"] * 1e6, "")
    for case in ("small", "large"):
        mine, file = by_name.get((f"psyx list {case}", 64)), by_name.get((f"nginx static list {case}", 64))
        if mine and file and mine["requests"]:
            print(f"psyx list {case}: {rate(mine):.0f} req/s; Nginx serving the same "
                  f"{mine['bytes'] / mine['requests'] / 1024:.1f} KB answer as a file: {rate(file):.0f} req/s "
                  f"({rate(mine) / rate(file):.2f}x of it)")
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


# ---------------------------------------------------------------- profiles

def perf_lines(data, children):
    mode = "--children" if children else "--no-children"
    report = subprocess.run(["perf", "report", "-i", data, mode, "--sort", "symbol", "-g", "none", "--stdio"],
                            capture_output=True, text=True).stdout
    return [line for line in report.splitlines() if line.strip() and not line.startswith("#")]


def demangle(lines):
    if not lines:
        return lines
    result = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(lines),
                            capture_output=True, text=True)
    return result.stdout.splitlines() if result.returncode == 0 else lines


def profile(folder):
    """Each perf-NAME.data in FOLDER: top functions by own time, and the Psyx/FastCGI functions by
    time including their callees; everything into FOLDER/profile.txt."""
    out = []
    for name in sorted(os.listdir(folder)):
        if not (name.startswith("perf-") and name.endswith(".data")):
            continue
        data = os.path.join(folder, name)
        own = demangle(perf_lines(data, False)[:20])
        mine = demangle([line for line in perf_lines(data, True) if "s4Psyx" in line or "s7FastCGI" in line][:30])
        out.append(f"######## {name[5:-5]}")
        out.append("-- own time (top 20):")
        out.extend(line.rstrip()[:200].rstrip() for line in own)
        out.append("-- Psyx and FastCGI functions, time including callees (top 30):")
        out.extend(line.rstrip()[:200].rstrip() for line in mine)
        out.append("")
    with open(os.path.join(folder, "profile.txt"), "w") as file:
        file.write("\n".join(out) + "\n")


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "free-port":
        free_port()
    elif command == "images":
        images(args[0], int(args[1]), int(args[2]), int(args[3]))
    elif command == "body":
        body(*args[:7])
    elif command == "create":
        create(*args[:6])
    elif command == "answers":
        answers(args[0], int(args[1]))
    elif command == "replies":
        replies(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4]), args[5], int(args[6]))
    elif command == "bulk-packs":
        bulk_packs(args[0], int(args[1]), int(args[2]))
    elif command == "table":
        table(args[0])
    elif command == "growth":
        growth(args[0])
    elif command == "profile":
        profile(args[0])
    else:
        sys.exit(f"bench.py: unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
