# nginx/dev.d/cluster.sh — `nginx/dev cluster`: several responders behind one Nginx on a
# PostgreSQL primary with a synchronous standby (issue 19), all on this machine, each piece in
# a directory of its own as separate machines would have it. Sourced by nginx/dev (uses its
# helpers, postgres.sh and standby.sh).
#
# Layout: $RUN/cluster/ holds state (what `restart` needs, written by `up`), pgpass (the
# clients' passwords), database (the connection string for the tools), pg-primary/ and
# pg-standby/ (pg_start's layout), and nodeN/ with node N's psyx.pid, psyx.out and socket;
# $DATA/nodeN/ is node N's data directory. Nginx serves /packs/ (falling back to any node, which
# copies the pack from the database) and /contents/ from node 1's,
# as if it ran on node 1's machine.

CLUSTER_PRIMARY_PORT=5432   # pg_start's servers listen on the default port
CLUSTER_STANDBY_PORT=5433
CLUSTER_STANDBY_NAME=standby1

cluster_dir() { printf '%s/cluster' "$(absolute "$RUN")"; }

# cluster_url NAME — the multi-host connection string a client NAME (application_name) uses:
# libpq tries the servers in order and keeps the first that takes writes, so after a promotion
# the nodes reconnect to the new primary by themselves.
cluster_url() {
    printf 'postgresql:///psyx?host=%s/server,%s/server&port=%s,%s&user=psyx&target_session_attrs=read-write&application_name=%s' \
        "$CLUSTER_PRIMARY" "$CLUSTER_STANDBY" "$CLUSTER_PRIMARY_PORT" "$CLUSTER_STANDBY_PORT" "$1"
}

cluster_load_state() {
    local state
    state="$(cluster_dir)/state"
    [ -f "$state" ] || die "no cluster in $(absolute "$RUN") (start one with: nginx/dev cluster up)"
    # shellcheck source=/dev/null
    . "$state"
}

cluster_node_socket() { socket_path "$(cluster_dir)/node$1"; }

# cluster_start_node N — psyx for node N on its own data directory and socket, in its own session.
cluster_start_node() {
    local n=$1 dir data socket pid
    dir="$(cluster_dir)/node$n"
    data="$CLUSTER_DATA/node$n"
    socket=$(cluster_node_socket "$n")
    mkdir -p "$dir" "$data"
    rm -f "$socket"
    PSYX_DATABASE=$(cluster_url "psyx-node$n") PGPASSFILE="$(cluster_dir)/pgpass" PSYX_RELOCATION_KEY_FILE=$CLUSTER_KEY \
        setsid "$CLUSTER_BIN" serve --data "$data" --listen "unix:$socket" >>"$dir/psyx.out" 2>&1 </dev/null &
    pid=$!
    printf '%s\n' "$pid" >"$dir/psyx.pid"
    if ! wait_for 20 psyx_listening "$pid" "$socket"; then
        tail -n 20 "$dir/psyx.out" >&2 || true
        die "node $n did not open $socket (output: $dir/psyx.out)"
    fi
}

# cluster_nginx_config K — Nginx's configuration (written into the run directory, its path
# printed) with nodes 1..K in the upstream; /packs/ and /contents/ from node 1's data directory.
cluster_nginx_config() {
    local n sockets=()
    for n in $(seq "$1"); do sockets+=("$(cluster_node_socket "$n")"); done
    NGINX_WORKERS=${CLUSTER_WORKERS:-$NGINX_WORKERS} NGINX_EXTRA=${CLUSTER_EXTRA-$NGINX_EXTRA} \
        cmd_stack_config "$(absolute "$RUN")" "${CLUSTER_PORT:-$PORT}" "$CLUSTER_DATA/node1" "${sockets[0]}" \
        "${CLUSTER_HTPASSWD:-$HTPASSWD}" "${sockets[@]:1}"
}

# Everything a cluster in this run directory runs: Nginx first, then the nodes, then both servers.
cluster_teardown() {
    local cdir run node server
    cdir=$(cluster_dir); run=$(absolute "$RUN")
    [ -d "$cdir" ] || return 0
    stop "$run/nginx.pid" nginx
    for node in "$cdir"/node*/; do
        [ -d "$node" ] && stop "$node/psyx.pid" psyx
    done
    for server in "$cdir/primary.dir" "$cdir/standby.dir"; do
        [ -f "$server" ] || continue
        if pg_postmaster "$(<"$server")" >/dev/null; then
            pg_stop "$(<"$server")"
            say "Stopped PostgreSQL in $(<"$server")."
        else
            rm -rf "$(<"$server")"   # killed (a test's failover): nothing left to stop
        fi
    done
    rm -rf "$cdir"
}

cmd_cluster_up() {
    local nodes=${1:-3} n run cdir conf nginx
    case $nodes in [1-9]|[1-3][0-9]) ;; *) die "NODES must be 1-39, not '$nodes'" ;; esac
    ensure_stack_tools
    ensure pg-server:postgresql
    CLUSTER_BIN=${PSYX_BIN:-}
    if [ -z "$CLUSTER_BIN" ]; then
        section "Building psyx ($BUILD_CONFIG)"
        build_psyx
        CLUSTER_BIN="$("${BUILD[@]}" --show-bin-path)/psyx"
    fi
    [ -x "$CLUSTER_BIN" ] || die "psyx not found at $CLUSTER_BIN"

    stop_stack       # a single-responder `up` here has the same port and Nginx
    cluster_teardown
    run=$(absolute "$RUN"); cdir=$(cluster_dir)
    CLUSTER_DATA=$(absolute "$DATA")
    mkdir -p "$cdir" "$CLUSTER_DATA"
    trap 'status=$?; if [ "$status" -ne 0 ]; then cluster_teardown; fi' EXIT

    section "PostgreSQL: a primary and a synchronous standby"
    pg_start "$cdir/pg-primary"
    CLUSTER_PRIMARY=$PG_DIR
    printf '%s\n' "$PG_DIR" >"$cdir/primary.dir"
    pg_add_standby "$CLUSTER_PRIMARY" "$cdir/pg-standby" "$CLUSTER_STANDBY_NAME" "$CLUSTER_STANDBY_PORT"
    CLUSTER_STANDBY=$PG_DIR
    printf '%s\n' "$PG_DIR" >"$cdir/standby.dir"
    cp "$CLUSTER_PRIMARY/pgpass" "$cdir/pgpass"

    CLUSTER_KEY=${PSYX_RELOCATION_KEY_FILE:-$run/relocation.key}
    if [ ! -s "$CLUSTER_KEY" ]; then
        (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$CLUSTER_KEY")
    fi
    # What later commands need (restart, nodes K): the binary, the servers, and Nginx's settings.
    CLUSTER_HTPASSWD=$(absolute "$HTPASSWD"); CLUSTER_WORKERS=$NGINX_WORKERS; CLUSTER_EXTRA=$NGINX_EXTRA
    {
        for name in CLUSTER_BIN CLUSTER_DATA CLUSTER_PRIMARY CLUSTER_STANDBY CLUSTER_KEY \
            CLUSTER_HTPASSWD CLUSTER_WORKERS CLUSTER_EXTRA; do
            printf '%s=%q\n' "$name" "${!name}"
        done
        printf 'CLUSTER_NODES=%s\nCLUSTER_PORT=%s\n' "$nodes" "$PORT"
    } >"$cdir/state"
    cluster_url psyx-tools >"$cdir/database"   # for `psyx levels`, `contents` (and the tests)

    section "Responders"
    for n in $(seq "$nodes"); do
        cluster_start_node "$n"
    done

    section "Nginx"
    conf=$(cluster_nginx_config "$nodes")
    nginx=$(find_nginx)
    "$nginx" -q -t -p "$run" -c "$conf" || die "the generated Nginx config is refused (see above)"
    "$nginx" -p "$run" -c "$conf" || die "Nginx did not start (log: $run/logs/error.log)"
    if ! wait_for 20 health_ok; then
        tail -n 20 "$run/logs/error.log" >&2 || true
        die "http://127.0.0.1:$PORT/api/health does not answer"
    fi
    trap - EXIT

    cat <<EOF

Psyx is running on $nodes responders and a replicated PostgreSQL.
  participant page  http://127.0.0.1:$PORT/
  admin page        http://127.0.0.1:$PORT/admin/
  health            http://127.0.0.1:$PORT/api/health
  admin account     $DEV_USER / $DEV_PASSWORD   (password file: $HTPASSWD)
  database          $(cluster_url psyx-nodeN)
                    (passwords in PGPASSFILE=$cdir/pgpass)
  relocation key    $CLUSTER_KEY
EOF
    cmd_cluster_status
    say "Stop with: nginx/dev cluster down; a node: nginx/dev cluster restart N; failover: nginx/dev cluster promote"
}

cmd_cluster_status() {
    local n pid cdir run
    cluster_load_state
    cdir=$(cluster_dir); run=$(absolute "$RUN")
    say ""
    for n in $(seq "$CLUSTER_NODES"); do
        pid=$(pid_alive "$cdir/node$n/psyx.pid" psyx) || pid=down
        printf '  node%-6s pid %-8s socket %s\n                 data %s, output %s\n' "$n" "$pid" \
            "$(cluster_node_socket "$n")" "$CLUSTER_DATA/node$n" "$cdir/node$n/psyx.out"
    done
    cluster_server_status pg-primary "$CLUSTER_PRIMARY" "$CLUSTER_PRIMARY_PORT"
    cluster_server_status pg-standby "$CLUSTER_STANDBY" "$CLUSTER_STANDBY_PORT"
    pid=$(pid_alive "$run/nginx.pid" nginx) || pid=down
    printf '  nginx      pid %-8s http://127.0.0.1:%s/, logs %s/logs/\n' "$pid" "$CLUSTER_PORT" "$run"
}

# cluster_server_status NAME DIR PORT — a PostgreSQL server's pid and what it is now (a
# promoted standby says primary).
cluster_server_status() {
    local pid role=down
    if pid=$(pg_postmaster "$2"); then
        role=$(pg_sql "$2" "$3" "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby (synchronous, $CLUSTER_STANDBY_NAME)' ELSE 'primary' END" 2>/dev/null) ||
            role='not answering'
    else
        pid=down
    fi
    printf '  %-10s pid %-8s PostgreSQL %s, socket %s/server/.s.PGSQL.%s\n' "$1" "$pid" "$role" "$2" "$3"
}

# One step of a rolling restart: SIGTERM (psyx finishes what it serves), then start again.
cmd_cluster_restart() {
    local n=${1:-}
    cluster_load_state
    case $n in ''|*[!0-9]*) die "usage: nginx/dev cluster restart N (1-$CLUSTER_NODES)" ;; esac
    [ "$n" -ge 1 ] && [ "$n" -le "$CLUSTER_NODES" ] || die "no node $n (1-$CLUSTER_NODES)"
    stop "$(cluster_dir)/node$n/psyx.pid" psyx
    cluster_start_node "$n"
    say "node$n pid $(<"$(cluster_dir)/node$n/psyx.pid")"
}

cmd_cluster_promote() {
    cluster_load_state
    pg_promote "$CLUSTER_STANDBY"
    say "The standby in $CLUSTER_STANDBY is now a primary (it has no standby of its own)."
}

# psql as psyx: on whichever server takes writes now, or on the one named.
cmd_cluster_psql() {
    local url
    cluster_load_state
    case ${1:-} in
        primary) url="postgresql:///psyx?host=$CLUSTER_PRIMARY/server&port=$CLUSTER_PRIMARY_PORT&user=psyx"; shift ;;
        standby) url="postgresql:///psyx?host=$CLUSTER_STANDBY/server&port=$CLUSTER_STANDBY_PORT&user=psyx"; shift ;;
        *) url=$(cluster_url psql) ;;
    esac
    PGPASSFILE="$(cluster_dir)/pgpass" exec "$(pg_bin)/psql" --no-psqlrc "$url" "$@"
}

# The servers and responders started here must not hold descriptors this script inherited
# beyond 0-2: a caller waiting for EOF on one of them (Foundation's Process does) would wait
# until `cluster down`. Bash's own 255 is close-on-exec.
close_inherited_fds() {
    local fd
    for fd in $(ls /proc/$$/fd); do
        case $fd in 0|1|2|255) ;; *) eval "exec $fd>&-" ;; esac
    done
}

cmd_cluster() {
    local command=${1:-}
    [ $# -gt 0 ] && shift
    close_inherited_fds
    case $command in
        up) cmd_cluster_up "$@" ;;
        down)
            if [ -d "$(cluster_dir)" ]; then cluster_teardown; else say "No cluster here (run directory: $(absolute "$RUN"))."; fi ;;
        status) cmd_cluster_status ;;
        restart) cmd_cluster_restart "$@" ;;
        promote) cmd_cluster_promote ;;
        psql) cmd_cluster_psql "$@" ;;
        nodes) cmd_cluster_nodes "$@" ;;
        kill) cmd_cluster_kill "$@" ;;
        standby) cmd_cluster_standby "$@" ;;
        *) die "usage: nginx/dev cluster up [NODES]|down|status|restart N|promote|psql [primary|standby] [ARGS]|nodes K|kill N|primary|standby stop|start" ;;
    esac
}
