# nginx/dev.d/cluster-control.sh — changing a running `nginx/dev cluster`: how many responders
# serve, a failure made on purpose, the standby taken away and given back. Sourced by nginx/dev
# after cluster.sh (uses its state and helpers). `nginx/dev bench --cluster` drives these.
#
#   cluster nodes K         nodes 1..K run and are in Nginx's upstream (started when down), the
#                           ones above K are taken out of it, then stopped (SIGTERM) — the
#                           order Cluster.md gives for adding and removing a node
#   cluster kill N|primary  SIGKILL to node N, or to the primary's postmaster and every process
#                           of it at once (its machine is gone); returns once they are gone
#   cluster standby stop|start
#                           stop: the primary no longer waits for the standby (an empty
#                           synchronous_standby_names), then the standby stops; start: it starts,
#                           catches up through its slot and is made synchronous again

# cluster_reload_nginx K — Nginx's configuration rewritten for nodes 1..K and reloaded; returns
# once the old workers are gone (they finish their requests first), 15 s at most.
cluster_reload_nginx() {
    local run conf nginx master old pid out
    run=$(absolute "$RUN")
    master=$(pid_alive "$run/nginx.pid" nginx) || die "Nginx of the cluster is not running"
    old=$(pgrep -P "$master" | paste -sd' ') || true
    conf=$(cluster_nginx_config "$1")
    nginx=$(find_nginx)
    "$nginx" -q -t -p "$run" -c "$conf" || die "the generated Nginx config is refused (see above)"
    out=$("$nginx" -p "$run" -c "$conf" -s reload 2>&1) || die "Nginx did not reload: $out (log: $run/logs/error.log)"
    for pid in $old; do
        wait_for 15 process_gone "$pid" || say "Nginx worker $pid still finishing after 15 s"
    done
}

# cluster_set_state NAME VALUE — one line of the state file replaced.
cluster_set_state() {
    local state
    state="$(cluster_dir)/state"
    sed -i "/^$1=/d" "$state"
    printf '%s=%q\n' "$1" "$2" >>"$state"
}

cmd_cluster_nodes() {
    local k=${1:-} n last
    case $k in [1-9]|[1-3][0-9]) ;; *) die "usage: nginx/dev cluster nodes K (1-39)" ;; esac
    cluster_load_state
    for n in $(seq "$k"); do
        pid_alive "$(cluster_dir)/node$n/psyx.pid" psyx >/dev/null || cluster_start_node "$n"
    done
    cluster_reload_nginx "$k"
    last=$CLUSTER_NODES
    for n in $(seq $((k + 1)) "$last"); do
        stop "$(cluster_dir)/node$n/psyx.pid" psyx
    done
    cluster_set_state CLUSTER_NODES "$k"
    say "Nginx's upstream: node$([ "$k" -gt 1 ] && echo "s 1-")$k."
}

# cluster_kill_pids WHAT PID... — SIGKILL to all of them at once, then wait until they are gone;
# says when the signal went out, in seconds since the epoch (what `bench --cluster` measures from).
cluster_kill_pids() {
    local what=$1 pid at
    shift
    at=$EPOCHREALTIME
    kill -KILL "$@" 2>/dev/null || true
    for pid in "$@"; do
        wait_for 15 process_gone "$pid" || die "$what ($pid) still alive 15 s after SIGKILL"
    done
    say "Killed $what ($*) at $at."
}

cmd_cluster_kill() {
    local what=${1:-} pid
    cluster_load_state
    case $what in
        primary)
            pid=$(pg_postmaster "$CLUSTER_PRIMARY") || die "the primary in $CLUSTER_PRIMARY is not running"
            # shellcheck disable=SC2046
            cluster_kill_pids "the PostgreSQL primary" "$pid" $(pgrep -P "$pid")
            ;;
        ''|*[!0-9]*) die "usage: nginx/dev cluster kill N|primary" ;;
        *)
            pid=$(pid_alive "$(cluster_dir)/node$what/psyx.pid" psyx) || die "node $what is not running"
            cluster_kill_pids "node $what" "$pid"
            ;;
    esac
}

# What the standby costs: without it a commit waits for the primary's own disk only.
cmd_cluster_standby() {
    local bin
    cluster_load_state
    bin=$(pg_bin) || die "PostgreSQL not found under /usr/lib/postgresql"
    pg_postmaster "$CLUSTER_PRIMARY" >/dev/null || die "the primary in $CLUSTER_PRIMARY is not running"
    case ${1:-} in
        stop)
            cluster_synchronous_names ''
            pg_as "$bin/pg_ctl" --pgdata="$CLUSTER_STANDBY/server/data" --mode=fast --wait --timeout=60 stop >/dev/null ||
                die "the standby in $CLUSTER_STANDBY did not stop (log: $CLUSTER_STANDBY/server/log)"
            say "The standby is stopped; the primary commits alone."
            ;;
        start)
            pg_as "$bin/pg_ctl" --pgdata="$CLUSTER_STANDBY/server/data" --log="$CLUSTER_STANDBY/server/log" \
                --wait --timeout=60 start >/dev/null ||
                die "the standby did not start (log: $CLUSTER_STANDBY/server/log)"
            cluster_synchronous_names "$CLUSTER_STANDBY_NAME"
            wait_for 60 pg_standby_is_sync "$CLUSTER_PRIMARY" "$CLUSTER_STANDBY_NAME" ||
                die "$CLUSTER_STANDBY_NAME is not synchronous after 60 s (log: $CLUSTER_STANDBY/server/log)"
            say "The standby runs and is synchronous again."
            ;;
        *) die "usage: nginx/dev cluster standby stop|start" ;;
    esac
}

# cluster_synchronous_names VALUE — the primary's synchronous_standby_names, reloaded.
cluster_synchronous_names() {
    if ! pg_sql "$CLUSTER_PRIMARY" "$CLUSTER_PRIMARY_PORT" "ALTER SYSTEM SET synchronous_standby_names = '$1'" >/dev/null ||
        ! pg_sql "$CLUSTER_PRIMARY" "$CLUSTER_PRIMARY_PORT" "SELECT pg_reload_conf()" >/dev/null; then
        die "could not set synchronous_standby_names on the primary"
    fi
}
