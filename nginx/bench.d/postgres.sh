# nginx/bench.d/postgres.sh — `nginx/dev bench --postgres`, sourced by nginx/bench (uses its
# measure, download_rows, seed, say, section, die, py and the stack's variables).
#
# The same rows on SQLite and on PostgreSQL in one run: a throw-away PostgreSQL server on this
# machine (nginx/dev postgres start, as the tests' one: a unix socket in the bench's run folder,
# fsync and synchronous_commit on), the seeded SQLite database moved into it with
# `psyx database copy`, then BENCH_ROUNDS rounds (default 3), each measuring list, start and submit
# at c16 and the JSON and CSV download of 1,000 replies on each backend in turn (psyx restarted on
# the other database between them; the order alternates by round). The table takes each
# PostgreSQL/SQLite ratio within its round and the median of the rounds.

PG_URL=
PG_STARTED=

# use_backend sqlite|postgresql — psyx (and Nginx) restarted on that database.
use_backend() {
    "$DEV" down >/dev/null 2>&1 || true
    if [ "$1" = postgresql ]; then export PSYX_DATABASE=$PG_URL; else unset PSYX_DATABASE; fi
    "$DEV" up >"$WORK/up.log" 2>&1 || { tail -n 40 "$WORK/up.log" >&2; die "nginx/dev up failed on $1"; }
    PSYX_PID=$(<"$RUN/psyx.pid")
    STARTED_PIDS="$PSYX_PID $(<"$RUN/nginx.pid") $(<"$RUN/php-fpm.pid")"
    curl -fsS -o /dev/null "$URL/api/health" || die "psyx on $1 does not answer"
}

# backend_rows BACKEND ROUND — the compared rows on the running psyx.
backend_rows() {
    local suffix="$1 #$2"
    BENCH_AUTH=$AUTH measure "psyx list $suffix" 16 /api/admin/list get.lua
    measure "psyx start $suffix" 16 /api/reply/start start.lua @TAG
    measure "psyx start (held) $suffix" 16 /api/reply/start start-held.lua @TAG
    BENCH_ANSWERS=$WORK/answers.json measure "psyx submit $suffix" 16 /api/reply/submit submit.lua @TAG "$SUBMIT_PACK" 2 25
    download_rows "$suffix" 1000
}

postgres_mode() {
    local rounds=${BENCH_ROUNDS:-3} round backend bin
    [ "$rounds" -gt 0 ] || rounds=1
    seed 256
    section "Seeding: 900 more replies on pack $REPLIES_PACK (the downloaded one: 1,000 replies)"
    py replies "$URL" "$REPLIES_PACK" 900 1 25 more 8
    bin=$(readlink "/proc/$PSYX_PID/exe")

    section "PostgreSQL: a throw-away server on this machine, the SQLite database copied into it"
    eval "$("$DEV" postgres start)"
    PG_STARTED=1
    PG_URL=$PSYX_TEST_POSTGRES
    say "PostgreSQL $("$(pg_bench_bin)/postgres" --version | awk '{ print $3 }') at $PG_URL (password in $PGPASSFILE)"
    "$DEV" down >/dev/null 2>&1 || true   # a quiet database to copy
    PSYX_DATABASE= "$bin" database copy --data "$DATA" --to "$PG_URL" | sed 's/^/  /'

    section "Measuring: ${SECS} s per row after a ${WARMUP} s warm-up, c16; $rounds rounds, the backends in turn"
    for round in $(seq "$rounds"); do
        for backend in sqlite postgresql; do
            [ $((round % 2)) -eq 0 ] && backend=$([ "$backend" = sqlite ] && echo postgresql || echo sqlite)
            say "round $round: $backend"
            use_backend "$backend"
            backend_rows "$backend" "$round"
        done
    done
    section "Results (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
    py backends "$RESULTS"
}

# The server's bin directory, as nginx/dev.d/postgres.sh finds it.
pg_bench_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# For the bench's cleanup: the server goes with everything else.
postgres_cleanup() {
    [ -n "$PG_STARTED" ] || return 0
    "$DEV" postgres stop >/dev/null 2>&1 && say "Stopped the PostgreSQL server."
}
