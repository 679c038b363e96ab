# nginx/bench.d/cluster.sh — `nginx/dev bench --cluster`, sourced by nginx/bench (uses its
# measure, download_rows, seed, say, section, die, py and the stack's variables).
#
# One run on this machine: `nginx/dev cluster up 3` on the bench's own run directory, data
# directory and port (a PostgreSQL primary with a synchronous standby, 3 responders, one Nginx),
# seeded as --postgres is; then BENCH_ROUNDS rounds (default 3), each measuring list, start and
# submit at c16 and the JSON download of 1,000 replies with 1 responder in the upstream, with 3,
# and with 1 and the standby stopped (`nginx/dev cluster nodes K`, `cluster standby stop|start`;
# the order turns by round, the table takes each ratio within its round). Then two failures under
# a steady load of starts and submits (nginx/bench.d/failover.py, loopback, bounded by time):
# node 2 killed with SIGKILL and restarted, and the primary killed with SIGKILL and the standby
# promoted BENCH_PROMOTE_DELAY seconds later (default 1; BENCH_FAILOVER_WORKERS clients, default
# 4). The primary's failure comes last: the cluster has no standby after it.
#
# On two cores three responders share the CPU one had (with Nginx, PostgreSQL and wrk): the
# 3/1 ratio shows what the upstream and the spreading over processes cost, not a speed-up.

CLUSTER_STARTED=
LOAD_PID=
FAILOVER_WORKERS=${BENCH_FAILOVER_WORKERS:-4}
FAILOVER_BEFORE=3       # seconds of load before the failure
NODE_DOWN=4             # seconds node 2 stays dead before its restart
PROMOTE_DELAY=${BENCH_PROMOTE_DELAY:-1}

dev_cluster() {
    "$DEV" cluster "$@" >>"$WORK/cluster.log" 2>&1 ||
        { tail -n 20 "$WORK/cluster.log" >&2; die "nginx/dev cluster $* failed (log: $WORK/cluster.log)"; }
}

# cluster_pids_now — PSYX_PID (node 1: the rows' CPU and memory), and every process the cluster
# runs now for the end's check (Nginx, the nodes, both servers' postmasters).
cluster_pids_now() {
    local cdir=$RUN/cluster file
    PSYX_PID=$(<"$cdir/node1/psyx.pid")
    STARTED_PIDS=$(<"$RUN/nginx.pid")
    for file in "$cdir"/node*/psyx.pid; do
        [ -f "$file" ] && STARTED_PIDS+=" $(<"$file")"
    done
    for file in "$cdir/primary.dir" "$cdir/standby.dir"; do
        file="$(<"$file")/server/data/postmaster.pid"   # absent: stopped or killed
        if [ -f "$file" ]; then STARTED_PIDS+=" $(head -n 1 "$file")"; fi
    done
}

cluster_start() {
    section "A cluster of its own on port $PORT: PostgreSQL primary + synchronous standby, 3 responders, Nginx"
    unset PSYX_NGINX_EXTRA   # no PHP or static locations in this mode
    CLUSTER_STARTED=1
    if ! "$DEV" cluster up 3 >"$WORK/up.log" 2>&1; then
        tail -n 40 "$WORK/up.log" >&2
        die "nginx/dev cluster up failed (above: the end of its output)"
    fi
    grep -E 'Compiling|Build complete|error:' "$WORK/up.log" | tail -n 3 || true
    cluster_pids_now
    curl -fsS -o /dev/null "$URL/api/health" || die "the cluster does not answer through Nginx"
    say "psyx $(readlink "/proc/$PSYX_PID/exe"), $("$(pg_bench_bin)/postgres" --version), run directory $RUN"
}

# use_configuration one|three|nostandby — 1 or 3 responders in the upstream; nostandby: 1, and
# the standby stopped (the primary commits alone). The standby comes back for the others.
STANDBY_STOPPED=
use_configuration() {
    if [ -n "$STANDBY_STOPPED" ] && [ "$1" != nostandby ]; then
        dev_cluster standby start
        STANDBY_STOPPED=
    fi
    case $1 in
        one) dev_cluster nodes 1 ;;
        three) dev_cluster nodes 3 ;;
        nostandby) dev_cluster nodes 1; [ -n "$STANDBY_STOPPED" ] || dev_cluster standby stop; STANDBY_STOPPED=1 ;;
    esac
    cluster_pids_now
    curl -fsS -o /dev/null "$URL/api/health" || die "the cluster does not answer with configuration $1"
}

# cluster_rows CONFIG ROUND — the compared rows on the configuration in place.
cluster_rows() {
    local suffix="$1 #$2"
    BENCH_AUTH=$AUTH measure "psyx list $suffix" 16 /api/admin/list get.lua
    measure "psyx start $suffix" 16 /api/reply/start start.lua @TAG
    BENCH_ANSWERS=$WORK/answers.json measure "psyx submit $suffix" 16 /api/reply/submit submit.lua @TAG "$SUBMIT_PACK" 2 25
    download_rows "$suffix" 1000 json
}

CONFIG_NAMES=([0]="1 responder" [1]="3 responders" [2]="1 responder, standby stopped")
cluster_mode() {
    local rounds=${BENCH_ROUNDS:-3} round i k configs=(one three nostandby)
    [ "$rounds" -gt 0 ] || rounds=1
    case $PROMOTE_DELAY in [0-9]|[1-9][0-9]) ;; *) die "BENCH_PROMOTE_DELAY is whole seconds (0-99), not '$PROMOTE_DELAY'" ;; esac
    case $FAILOVER_WORKERS in [1-9]|[1-9][0-9]) ;; *) die "BENCH_FAILOVER_WORKERS is 1-99, not '$FAILOVER_WORKERS'" ;; esac
    cluster_start
    seed 64
    section "Seeding: 900 more replies on pack $REPLIES_PACK (the downloaded one: 1,000 replies)"
    py replies "$URL" "$REPLIES_PACK" 900 1 25 more 8

    section "Measuring: ${SECS} s per row after a ${WARMUP} s warm-up, c16; $rounds rounds, the configurations in turn"
    for round in $(seq "$rounds"); do
        for i in 0 1 2; do
            k=$(((i + round - 1) % 3))
            say "round $round: ${CONFIG_NAMES[$k]}"
            use_configuration "${configs[$k]}"
            cluster_rows "${configs[$k]}" "$round"
        done
    done
    use_configuration three
    section "Results (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
    py cluster "$RESULTS" "$WORK/cluster-rows.json"

    failover_node
    failover_primary
    section "Summary (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
    py cluster-summary "$WORK" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
}

# ---------------------------------------------------------------- failures

event() { printf '%s %s\n' "$1" "${2:-$EPOCHREALTIME}" >>"$EVENTS"; }

# kill_now WHAT — `nginx/dev cluster kill WHAT`; the event `kill` at the moment it says the
# SIGKILL went out (its waiting for the processes to be reaped comes after).
kill_now() {
    dev_cluster kill "$1"
    event kill "$(sed -n 's/^Killed .* at \([0-9.]*\)\.$/\1/p' "$WORK/cluster.log" | tail -n 1)"
}

# failover_load NAME SECONDS — the load driver in the background (LOAD_PID), its log WORK/NAME.tsv.
failover_load() {
    python3 "$HERE/failover.py" load "$URL" "$SUBMIT_PACK" "$2" "$FAILOVER_WORKERS" "fo$1" \
        "$WORK/answers.json" "$WORK/$1.tsv" &
    LOAD_PID=$!
}

failover_wait() {
    wait "$LOAD_PID" || die "the load driver failed"
    LOAD_PID=
}

# stored_ids NAME — the failover's submission ids stored in the database (on whichever server
# takes writes now), into WORK/NAME.stored.
stored_ids() {
    "$DEV" cluster psql -At -v ON_ERROR_STOP=1 -c "SELECT submission_id FROM replies WHERE submission_id LIKE 'fo$1w%'" \
        >"$WORK/$1.stored" 2>>"$WORK/cluster.log" || die "could not read the stored submission ids (log: $WORK/cluster.log)"
}

# node_serving N — node N's log has a request after its latest start line; a health probe
# through Nginx each time (the load may be over).
node_serving() {
    curl -fsS -o /dev/null --max-time 2 "$URL/api/health" 2>/dev/null || true
    awk -F'\t' '/\tpsyx serving on / { served = 0; next } $4 ~ /^(GET|POST)$/ { served = 1 } END { exit !served }' \
        "$DATA/node$1/logs/api.log"
}

# after_kill SECONDS — sleeps until SECONDS after the event `kill`, whatever `cluster kill` spent
# after the signal (waiting until the processes are gone).
after_kill() {
    local kill
    kill=$(awk '$1 == "kill" { print $2 }' "$EVENTS")
    sleep "$(awk -v k="$kill" -v now="$EPOCHREALTIME" -v d="$1" 'BEGIN { s = k + d - now; printf "%.3f", (s > 0 ? s : 0) }')"
}

failover_node() {
    local seconds=$((FAILOVER_BEFORE + NODE_DOWN + 10)) i
    section "Failure 1: node 2 killed (SIGKILL) after ${FAILOVER_BEFORE} s of load, restarted ${NODE_DOWN} s later; load for $seconds s"
    EVENTS=$WORK/node.events
    : >"$EVENTS"
    failover_load node "$seconds"
    sleep "$FAILOVER_BEFORE"
    kill_now 2
    after_kill "$NODE_DOWN"
    event restart
    dev_cluster restart 2
    for i in $(seq 300); do node_serving 2 && break; sleep 0.1; done
    failover_wait
    cluster_pids_now
    stored_ids node
    python3 "$HERE/failover.py" report node "$WORK" "$DATA/node2/logs/api.log"
}

failover_primary() {
    local seconds=$((FAILOVER_BEFORE + PROMOTE_DELAY + 8))
    section "Failure 2: the primary killed (SIGKILL) after ${FAILOVER_BEFORE} s of load, the standby promoted ${PROMOTE_DELAY} s later; load for $seconds s"
    EVENTS=$WORK/primary.events
    : >"$EVENTS"
    failover_load primary "$seconds"
    sleep "$FAILOVER_BEFORE"
    kill_now primary
    after_kill "$PROMOTE_DELAY"
    event promote
    dev_cluster promote
    event promoted
    failover_wait
    stored_ids primary
    python3 "$HERE/failover.py" report primary "$WORK" -
}

# For the bench's cleanup: the load driver and the cluster go with everything else.
cluster_cleanup() {
    [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null && wait "$LOAD_PID" 2>/dev/null
    [ -n "$CLUSTER_STARTED" ] || return 0
    "$DEV" cluster down >/dev/null 2>&1 && say "Stopped the cluster (nginx/dev cluster down)."
}
