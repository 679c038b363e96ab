# nginx/dev.d/postgres.sh — throw-away PostgreSQL servers for tests, sourced by nginx/dev
# (uses its ensure/say/die). Never touches the system's own cluster or service: each server
# lives in a directory of its own, listens only on a unix socket there, and is stopped by pid.
#
#   pg_start DIR [SETTING...]   initdb + start a server in DIR; SETTINGs are extra
#                               postgresql.conf lines (issue 19's standby adds its own)
#   pg_stop DIR                 stop it (fast shutdown) and remove DIR
#   pg_url DIR                  the connection string of DIR's server (database psyx, role psyx)
#
# Layout of DIR: server/ (data/, the socket .s.PGSQL.5432, log) owned by the server's user,
# pgpass (0600, the caller's) with the psyx role's random password: clients find it through
# PGPASSFILE, so no password is ever on a command line or in a connection string.

# The system user the server runs as when nginx/dev runs as root (PostgreSQL refuses root).
PG_USER=${PSYX_PG_USER:-psyx-pg}

# The newest installed server's bin directory (Debian: /usr/lib/postgresql/N/bin).
pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && printf '%s' "$dir"
}

# pg_as COMMAND... — runs COMMAND as the server's user: $PG_USER when root, else oneself.
pg_as() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

# The server's user exists (a system user without a home or a login shell).
pg_ensure_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    id -u "$PG_USER" >/dev/null 2>&1 && return 0
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$PG_USER" || die "could not create the system user $PG_USER"
}

pg_url() {
    printf 'postgresql:///psyx?host=%s&user=psyx' "$1/server"
}

# pg_place DIR — prints the directory a server goes in: DIR, or a short one under /tmp when DIR
# is too long for a unix socket path (108 bytes) or the server's user cannot reach it. A server
# still running there is stopped, and DIR/server is made anew (0700, the server's user's).
pg_place() {
    local dir
    dir=$(absolute "$1")
    case $dir in *[[:space:]\'\"\\\&\?\#%,]*) die "PostgreSQL test directory has unusable characters: $dir" ;; esac
    if [ ${#dir} -gt 80 ] || ! { mkdir -p "$dir" && chmod 755 "$dir" && pg_as test -x "$dir"; }; then
        rmdir "$dir" 2>/dev/null || true
        dir=$(mktemp -d /tmp/psyx-pg.XXXXXX)
        chmod 755 "$dir"
    fi
    [ -e "$dir/server/data/postmaster.pid" ] && pg_stop "$dir" >&2
    rm -rf "$dir/server" "$dir/pgpass"
    mkdir -p "$dir/server"
    chmod 700 "$dir/server"
    [ "$(id -u)" -eq 0 ] && chown "$PG_USER:" "$dir/server"
    printf '%s' "$dir"
}

# A random password (letters and digits) for a role.
pg_random_password() { head -c 24 /dev/urandom | base64 | tr -d '/+='; }

pg_start() {
    local dir bin server password
    ensure pg-server:postgresql
    bin=$(pg_bin) || die "PostgreSQL's initdb not found under /usr/lib/postgresql"
    pg_ensure_user
    dir=$(pg_place "$1") || exit 1
    shift
    server="$dir/server"

    # The role's password: random, handed to initdb in a file only the server's user reads,
    # then kept for clients in pgpass (0600) only.
    password=$(pg_random_password)
    (umask 077; printf '%s\n' "$password" >"$server/pwfile")
    [ "$(id -u)" -eq 0 ] && chown "$PG_USER:" "$server/pwfile"
    (umask 077; printf '*:*:*:psyx:%s\n' "$password" >"$dir/pgpass")
    pg_as "$bin/initdb" --pgdata="$server/data" --username=psyx --pwfile="$server/pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$server/initdb.log" 2>&1 ||
        { cat "$server/initdb.log" >&2; die "initdb failed in $server"; }
    rm -f "$server/pwfile"
    {
        printf "listen_addresses = ''\n"
        printf "unix_socket_directories = '%s'\n" "$server"
        printf "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n"
        printf "max_connections = 200\nshared_buffers = 32MB\n"
        printf '%s\n' "$@"
    } >>"$server/data/postgresql.conf"
    pg_as "$bin/pg_ctl" --pgdata="$server/data" --log="$server/log" --wait --timeout=60 start >/dev/null ||
        { tail -n 20 "$server/log" >&2; die "PostgreSQL did not start in $server"; }
    PGPASSFILE="$dir/pgpass" "$bin/psql" --quiet --no-psqlrc --set=ON_ERROR_STOP=1 \
        "postgresql:///postgres?host=$server&user=psyx" -c 'CREATE DATABASE psyx' >/dev/null ||
        { pg_stop "$dir"; die "could not create the database psyx in $server"; }
    PG_DIR=$dir
}

pg_stop() {
    local dir=$1 bin
    [ -d "$dir" ] || return 0
    if [ -e "$dir/server/data/postmaster.pid" ] && bin=$(pg_bin); then
        pg_as "$bin/pg_ctl" --pgdata="$dir/server/data" --mode=fast --wait --timeout=60 stop >/dev/null 2>&1 ||
            say "PostgreSQL in $dir/server did not stop cleanly (log: $dir/server/log)"
    fi
    rm -rf "$dir"
}
