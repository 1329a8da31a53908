#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite.
#
# Usage: scripts/pg-test-server.sh start|stop|url
#
#   start  initdb a new cluster in a temporary folder, start it on 127.0.0.1 on a
#          free port (trust auth, fsync off), create the database
#          youthvoice_test, and print its SQLAlchemy URL:
#            postgresql+psycopg://postgres@127.0.0.1:PORT/youthvoice_test
#          If the server is already running, just print the URL.
#   url    print the URL of the running server (exit 1 if none is running)
#   stop   stop the server and delete its folder (no-op if none is running)
#
# The state (folder, port, URL) is kept in $PG_TEST_STATE, by default
# .pg-test/state under the repository root (with a lock file beside it).
#
# initdb refuses to run as root, so as root the cluster is owned by and run as
# the `postgres` user (created by Debian's postgresql package); otherwise it is
# run as the current user. Needs Debian's postgresql package:
# scripts/system-deps.sh installs it.
set -euo pipefail

root_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_file="${PG_TEST_STATE:-$root_dir/.pg-test/state}"
db_name=youthvoice_test
db_user=postgres
first_port=55432
last_port=55531

die() {
  echo "pg-test-server: $*" >&2
  exit 1
}

# The directory of the newest PostgreSQL server binaries. Debian keeps them
# under /usr/lib/postgresql/<version>/bin, off PATH.
find_bindir() {
  local dir best=""
  local -a found=()
  for dir in /usr/lib/postgresql/*/bin; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      found+=("$dir")
    fi
  done
  if ((${#found[@]} > 0)); then
    best="$(printf '%s\n' "${found[@]}" | sort -V | tail -n 1)"
  fi
  if [[ -z "$best" ]] && command -v pg_config >/dev/null 2>&1; then
    dir="$(pg_config --bindir)"
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      best="$dir"
    fi
  fi
  if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    best="$(dirname "$(command -v initdb)")"
  fi
  [[ -n "$best" ]] || die "initdb/pg_ctl not found; run scripts/system-deps.sh"
  echo "$best"
}

# Run a server command as the cluster's owner: `postgres` when we are root.
as_owner() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# Read the state file into pg_dir, pg_port and pg_url. Returns 1 if there is none.
read_state() {
  pg_dir="" pg_port="" pg_url=""
  [[ -f "$state_file" ]] || return 1
  local key value
  while IFS='=' read -r key value; do
    case "$key" in
      dir) pg_dir="$value" ;;
      port) pg_port="$value" ;;
      url) pg_url="$value" ;;
    esac
  done <"$state_file"
  [[ -n "$pg_dir" && -n "$pg_port" && -n "$pg_url" ]]
}

is_running() {
  [[ -n "${pg_dir:-}" && -f "$pg_dir/data/PG_VERSION" ]] \
    && as_owner "$bindir/pg_ctl" status -D "$pg_dir/data" >/dev/null 2>&1
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Stop the server in $1 (if it runs) and delete the folder.
destroy() {
  local dir="$1"
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bindir/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >/dev/null 2>&1 || true
  fi
  case "$dir" in
    */youthvoice-pg.*) rm -rf -- "$dir" ;;
  esac
}

cmd_start() {
  if read_state && is_running; then
    echo "$pg_url"
    return 0
  fi
  # A stale state file (server gone, e.g. after a reboot): clean up.
  if [[ -n "${pg_dir:-}" ]]; then
    destroy "$pg_dir"
  fi
  rm -f "$state_file"

  if ((EUID == 0)); then
    id -u postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (Debian's postgresql package)"
  fi

  # Under /tmp rather than $TMPDIR: the postgres user must be able to reach it,
  # and the Unix socket path inside it must stay short.
  local dir
  dir="$(mktemp -d /tmp/youthvoice-pg.XXXXXXXX)"
  if ((EUID == 0)); then
    chown postgres:postgres "$dir"
  fi
  # Remove the folder again if anything below fails.
  starting_dir="$dir"
  trap 'destroy "$starting_dir"' EXIT

  as_owner "$bindir/initdb" -D "$dir/data" -U "$db_user" --auth=trust \
    --encoding=UTF8 --no-locale --no-sync --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

  as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF

# pg-test-server.sh: a throwaway server for tests
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
EOF

  # Try ports upwards from $first_port; another process may take a free-looking
  # port before the server binds it, so a failed start moves on to the next.
  local port started=""
  for ((port = first_port; port <= last_port; port++)); do
    port_in_use "$port" && continue
    # 9>&-: the server must not inherit (and so hold) the lock.
    if as_owner "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" \
      -o "-p $port" -w -t 60 >/dev/null 2>&1 9>&-; then
      started=1
      break
    fi
    if ! grep -qE "could not bind|could not create any TCP/IP sockets|Address already in use" "$dir/server.log" 2>/dev/null; then
      cat "$dir/server.log" >&2 2>/dev/null || true
      die "pg_ctl start failed"
    fi
    : >"$dir/server.log"
  done
  [[ -n "$started" ]] || die "no free port in $first_port-$last_port"

  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$db_user" "$db_name" \
    || die "createdb failed"

  local url="postgresql+psycopg://$db_user@127.0.0.1:$port/$db_name"
  mkdir -p "$(dirname "$state_file")"
  printf 'dir=%s\nport=%s\nurl=%s\n' "$dir" "$port" "$url" >"$state_file"
  trap - EXIT
  echo "$url"
}

cmd_url() {
  if read_state && is_running; then
    echo "$pg_url"
  else
    die "no test server is running (start one with: $0 start)"
  fi
}

cmd_stop() {
  read_state || true
  if [[ -n "$pg_dir" ]]; then
    destroy "$pg_dir"
  fi
  rm -f "$state_file"
}

# One start or stop at a time (for example parallel test workers).
lock() {
  mkdir -p "$(dirname "$state_file")"
  exec 9>"$state_file.lock"
  flock 9
}

case "${1:-}" in
  start)
    bindir="$(find_bindir)"
    lock
    cmd_start
    ;;
  url)
    bindir="$(find_bindir)"
    cmd_url
    ;;
  stop)
    bindir="$(find_bindir)"
    lock
    cmd_stop
    ;;
  *)
    echo "usage: $0 start|stop|url" >&2
    exit 2
    ;;
esac
