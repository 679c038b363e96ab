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
    bench.py cluster RESULTS.tsv OUT.json          the --cluster mode's table (cluster.py)
    bench.py cluster-summary WORK CORES LOAD       its one-line summary, failures included
    bench.py profile FOLDER                        perf-*.data summaries into FOLDER/profile.txt

URL is http://127.0.0.1:PORT; the admin account is nginx/dev's (admin / psyx-dev).
"""
import base64
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

import backends
import cluster
import tables

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
    range (200-200) is one no participant can have, so `start` never chooses them; they are
    closed: the database refuses open packs of one sex whose ages overlap."""
    db = sqlite3.connect(database, timeout=60)
    with db:
        for index in range(count):
            cursor = db.execute("INSERT INTO packs (pack_name, sex, age_min, age_max, date, open) "
                                "VALUES (?, ?, 200, 200, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0)",
                                (f"bulk{index:05d}", 1 + index % 2))
            db.execute("INSERT INTO pack_pairs (p_id, number, ori, inv) "
                       "SELECT ?, number, ori, inv FROM pack_pairs WHERE p_id = ?", (cursor.lastrowid, from_p_id))
    db.close()


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
        tables.table(args[0])
    elif command == "backends":
        backends.backends(args[0])
    elif command == "cluster":
        cluster.cluster(args[0], args[1])
    elif command == "cluster-summary":
        cluster.summary(args[0], args[1], args[2])
    elif command == "growth":
        tables.growth(args[0])
    elif command == "profile":
        profile(args[0])
    else:
        sys.exit(f"bench.py: unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
