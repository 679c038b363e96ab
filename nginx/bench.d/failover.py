#!/usr/bin/env python3
"""The failures of `nginx/dev bench --cluster`: a steady load of participants (start, then
submit with a submission_id) while nginx/bench.d/cluster.sh kills a node or the primary, and
the figures afterwards. Standard library only; loopback only; every loop ends by time.

    failover.py load URL P_ID SECONDS WORKERS TAG ANSWERS OUT
        WORKERS threads for SECONDS: each a new participant (sex 2, age 25) starts, then submits
        to P_ID with `no` and submission_id TAGw<worker>n<i>, then pauses 10 ms; every request a line of
        OUT (sent, done, kind, status or -1, submission_id, error)
    failover.py report NAME WORK NODE_LOG
        NAME's figures from WORK/NAME.tsv, WORK/NAME.events (`EVENT EPOCH` lines: kill, restart,
        promote, promoted), WORK/NAME.stored (the ids in the database) and, for a node, its
        api.log (when it served again); printed, and kept in WORK/NAME.json for the summary
"""
import datetime
import http.client
import json
import sys
import threading
import time

PAUSE = 0.010
PERSON = {"name": "홍길동", "email": "bench@example.com", "phone": "010-1234-5678"}


def post(conn, path, payload):
    """(status, error): -1 and the exception's name when no HTTP answer came."""
    try:
        conn.request("POST", path, body=payload, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status, ""
    except (OSError, http.client.HTTPException) as error:
        conn.close()
        return -1, type(error).__name__


def worker(url, p_id, until, tag, answers, rows, lock):
    host, port = url.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    index = 0
    while time.time() < until:
        index += 1
        no = f"{tag}n{index}"   # a participant number: 1-19 ASCII letters and digits
        details = {**PERSON, "no": no, "sex": 2, "age": 25}
        start = json.dumps(details, ensure_ascii=False).encode()
        submission = no
        submit = json.dumps({"p_id": p_id, **details, "submission_id": submission,
                             "layout": "key,rt,left,right", "answers": "@"}, ensure_ascii=False)
        submit = submit.replace('"@"', answers).encode()
        for kind, path, payload in (("start", "/api/reply/start", start), ("submit", "/api/reply/submit", submit)):
            sent = time.time()
            status, error = post(conn, path, payload)
            with lock:
                rows.append((sent, time.time(), kind, status, submission if kind == "submit" else "", error))
        time.sleep(PAUSE)


def load(url, p_id, seconds, workers, tag, answers_file, out):
    with open(answers_file) as file:
        answers = file.read()
    rows, lock = [], threading.Lock()
    until = time.time() + seconds
    threads = [threading.Thread(target=worker, args=(url, p_id, until, f"{tag}w{n}", answers, rows, lock))
               for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(out, "w") as file:
        for row in sorted(rows):
            file.write("\t".join(str(value) for value in row) + "\n")


# ---------------------------------------------------------------- the figures

def read_log(path):
    rows = []
    with open(path) as file:
        for line in file:
            sent, done, kind, status, submission, error = line.rstrip("\n").split("\t")
            rows.append({"sent": float(sent), "done": float(done), "kind": kind, "status": int(status),
                         "id": submission, "error": error})
    return rows


def read_events(path):
    with open(path) as file:
        return {name: float(epoch) for name, epoch in (line.split() for line in file if line.strip())}


def longest_gap(rows, kinds):
    """The longest time between two successive 200 answers of KINDS, and when it began."""
    done = sorted(r["done"] for r in rows if r["status"] == 200 and r["kind"] in kinds)
    gaps = [(b - a, a) for a, b in zip(done, done[1:])]
    return max(gaps) if gaps else (0.0, None)


def failures(rows):
    """{'start 502': n, 'submit connection error': n, ...} for every answer not 200."""
    counts = {}
    for r in rows:
        if r["status"] != 200:
            key = f"{r['kind']} {r['status'] if r['status'] > 0 else 'no answer (' + r['error'] + ')'}"
            counts[key] = counts.get(key, 0) + 1
    return counts


def served_again(node_log, restart):
    """Seconds from the restart to the first request node's new psyx answered (its api.log)."""
    started = False
    with open(node_log) as file:
        for line in file:
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 5:
                continue
            stamp = datetime.datetime.fromisoformat(fields[0]).timestamp()
            if stamp < restart:
                continue
            if "psyx serving on" in line:
                started = True
            elif started and fields[3] in ("GET", "POST"):
                return stamp - restart
    return None


def report(name, work, node_log):
    rows = read_log(f"{work}/{name}.tsv")
    events = read_events(f"{work}/{name}.events")
    with open(f"{work}/{name}.stored") as file:
        stored = {line.strip() for line in file if line.strip()}
    kill = events["kill"]
    acked = {r["id"] for r in rows if r["kind"] == "submit" and r["status"] == 200}
    failed_ids = {r["id"] for r in rows if r["kind"] == "submit" and r["status"] != 200}
    gap, gap_from = longest_gap(rows, ("start", "submit"))
    submit_gap, submit_from = longest_gap(rows, ("submit",))
    after = [r["done"] for r in rows if r["kind"] == "submit" and r["status"] == 200 and r["sent"] >= kill]
    figures = {
        "requests": len(rows), "seconds": round(rows[-1]["done"] - rows[0]["sent"], 1) if rows else 0,
        "failed": sum(1 for r in rows if r["status"] != 200), "failures": failures(rows),
        "longest_gap_s": round(gap, 3), "gap_from_kill_s": None if gap_from is None else round(gap_from - kill, 3),
        "longest_submit_gap_s": round(submit_gap, 3),
        "first_submit_after_kill_s": round(min(after) - kill, 3) if after else None,
        "acknowledged": len(acked), "lost": len(acked - stored),
        "unacknowledged_but_stored": len(failed_ids & stored),
    }
    if name == "node":
        again = served_again(node_log, events["restart"])
        figures["down_s"] = round(events["restart"] - kill, 2)
        figures["served_again_after_restart_s"] = None if again is None else round(again, 2)
    else:
        figures["promote_after_kill_s"] = round(events["promote"] - kill, 2)
        figures["promote_took_s"] = round(events["promoted"] - events["promote"], 2)
        promoted = [r["done"] for r in rows if r["kind"] == "submit" and r["status"] == 200 and r["sent"] >= events["promote"]]
        figures["first_submit_after_promote_s"] = round(min(promoted) - events["promote"], 3) if promoted else None
    with open(f"{work}/{name}.json", "w") as file:
        json.dump(figures, file)
    print_figures(name, figures)


def print_figures(name, f):
    print(f"  requests: {f['requests']} in {f['seconds']} s (starts and submits, {f['failed']} not answered 200)")
    for key, count in sorted(f["failures"].items()):
        print(f"    {key}: {count}")
    print(f"  longest time without a 200 (any request): {f['longest_gap_s']:.3f} s, "
          f"beginning {fmt(f['gap_from_kill_s'], '+.3f')} s from the kill")
    print(f"  longest time without an acknowledged submit: {f['longest_submit_gap_s']:.3f} s; first submit "
          f"acknowledged after the kill: {fmt(f['first_submit_after_kill_s'])} s after it")
    if name == "node":
        print(f"  node 2 dead for {f['down_s']} s; after its restart it answered its first request "
              f"{fmt(f['served_again_after_restart_s'])} s later (Nginx's fail_timeout is 5 s)")
    else:
        print(f"  pg_ctl promote began {f['promote_after_kill_s']} s after the kill and took {f['promote_took_s']} s; "
              f"first submit acknowledged {fmt(f['first_submit_after_promote_s'])} s after it began")
    print(f"  acknowledged submits: {f['acknowledged']}; missing from the database afterwards: {f['lost']}; "
          f"not acknowledged but stored: {f['unacknowledged_but_stored']}")


def fmt(value, form=".2f"):
    return "-" if value is None else format(value, form)


def main(argv):
    if argv[1] == "load":
        url, p_id, seconds, workers, tag, answers, out = argv[2:9]
        load(url, int(p_id), float(seconds), int(workers), tag, answers, out)
    elif argv[1] == "report":
        report(argv[2], argv[3], argv[4])
    else:
        sys.exit(f"failover.py: unknown command {argv[1]}")


if __name__ == "__main__":
    main(sys.argv)
