# nginx/dev.d/standby.sh — a synchronous streaming-replication standby for a server that
# pg_start made (nginx/dev.d/postgres.sh), with PostgreSQL's own tools: pg_basebackup -R, a
# replication slot, synchronous_standby_names. Sourced by nginx/dev (uses its helpers).
#
#   pg_add_standby PRIMARY_DIR DIR NAME PORT
#                       a replication role on the primary, a base backup of it in DIR (its socket
#                       DIR/server/.s.PGSQL.PORT), started as a hot standby named NAME, then the
#                       primary made to wait for NAME's flush before any commit returns
#   pg_promote DIR      `pg_ctl promote`: the standby in DIR becomes a read-write primary
#   pg_postmaster DIR   the pid of the server in DIR, when it runs
#   pg_sql DIR PORT SQL the first column of SQL's answer, as psyx, on the server in DIR
#
# Passwords stay in pgpass files: the replication role's is in DIR/server/replication.pgpass,
# which only the server's user reads (the standby's WAL receiver connects with it), and in the
# primary's pgpass for an operator's own pg_basebackup.

# The role the standby replicates as: REPLICATION and LOGIN, nothing else.
PG_REPLICATION_ROLE=replicator

pg_sql() {
    PGPASSFILE="$1/pgpass" "$(pg_bin)/psql" --quiet --no-psqlrc --tuples-only --no-align --set=ON_ERROR_STOP=1 \
        "postgresql:///psyx?host=$1/server&port=$2&user=psyx" --command="$3"
}

pg_postmaster() {
    local pid
    [ -f "$1/server/data/postmaster.pid" ] || return 1
    pid=$(head -n 1 "$1/server/data/postmaster.pid")
    case $pid in ''|*[!0-9]*) return 1 ;; esac
    process_gone "$pid" && return 1   # a killed server's pid file stays behind
    printf '%s' "$pid"
}

pg_add_standby() {
    local primary=$1 name=$3 port=$4 bin dir server password
    bin=$(pg_bin) || die "PostgreSQL's pg_basebackup not found under /usr/lib/postgresql"
    case $name in *[!a-z0-9_]*|'') die "a standby name is lower-case letters, digits and _ (a slot name): $name" ;; esac
    dir=$(pg_place "$2") || exit 1
    server="$dir/server"

    # Only this role may replicate, and only over the local socket, with the same scram
    # scheme as every other login (initdb's sample allows any REPLICATION role from anywhere local).
    password=$(pg_random_password)
    printf "CREATE ROLE %s WITH LOGIN REPLICATION PASSWORD '%s';\n" "$PG_REPLICATION_ROLE" "$password" |
        PGPASSFILE="$primary/pgpass" "$bin/psql" --quiet --no-psqlrc --set=ON_ERROR_STOP=1 \
            "postgresql:///postgres?host=$primary/server&user=psyx" --file=- >/dev/null ||
        die "could not create the replication role on $primary"
    pg_as sed -i -e '/^[^#]*replication/d' "$primary/server/data/pg_hba.conf"
    printf 'local   replication     %s                              scram-sha-256\n' "$PG_REPLICATION_ROLE" \
        >>"$primary/server/data/pg_hba.conf"
    pg_as "$bin/pg_ctl" --pgdata="$primary/server/data" reload >/dev/null
    (umask 077; printf '*:*:*:%s:%s\n' "$PG_REPLICATION_ROLE" "$password" >>"$primary/pgpass")
    (umask 077; printf '*:*:*:%s:%s\n' "$PG_REPLICATION_ROLE" "$password" >"$server/replication.pgpass")
    [ "$(id -u)" -eq 0 ] && chown "$PG_USER:" "$server/replication.pgpass"

    # -R writes this connection (no password: it names the passfile) as primary_conninfo, and
    # the slot keeps the primary's WAL for the standby while it is away.
    pg_as "$bin/pg_basebackup" --pgdata="$server/data" --write-recovery-conf --wal-method=stream \
        --create-slot --slot="$name" --checkpoint=fast \
        --dbname="host=$primary/server user=$PG_REPLICATION_ROLE application_name=$name passfile=$server/replication.pgpass" \
        >"$server/basebackup.log" 2>&1 || { cat "$server/basebackup.log" >&2; die "pg_basebackup from $primary failed"; }
    if grep -q 'password=' "$server/data/postgresql.auto.conf"; then
        die "pg_basebackup wrote a password into $server/data/postgresql.auto.conf"
    fi
    # The copied postgresql.conf names the primary's socket directory; the last line wins.
    printf "port = %s\nunix_socket_directories = '%s'\n" "$port" "$server" >>"$server/data/postgresql.conf"
    pg_as "$bin/pg_ctl" --pgdata="$server/data" --log="$server/log" --wait --timeout=60 start >/dev/null ||
        { tail -n 20 "$server/log" >&2; die "the standby did not start in $server"; }
    cp "$primary/pgpass" "$dir/pgpass"

    # From here a commit returns only once NAME has flushed it (synchronous_commit = on).
    pg_sql "$primary" 5432 "ALTER SYSTEM SET synchronous_standby_names = '$name'" >/dev/null &&
        pg_sql "$primary" 5432 "SELECT pg_reload_conf()" >/dev/null ||
        die "could not make $name the primary's synchronous standby"
    wait_for 30 pg_standby_is_sync "$primary" "$name" ||
        die "$name is not a synchronous standby of $primary after 30 s (log: $server/log)"
    PG_DIR=$dir
}

# pg_standby_is_sync PRIMARY_DIR NAME — the primary streams to NAME and waits for it.
pg_standby_is_sync() {
    [ "$(pg_sql "$1" 5432 "SELECT sync_state FROM pg_stat_replication WHERE application_name = '$2'" 2>/dev/null)" = sync ]
}

pg_promote() {
    pg_as "$(pg_bin)/pg_ctl" --pgdata="$1/server/data" --wait --timeout=60 promote >/dev/null ||
        die "pg_ctl promote failed in $1 (log: $1/server/log)"
}
