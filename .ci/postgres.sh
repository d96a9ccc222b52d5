#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL cluster on 127.0.0.1 for the tests.
#   bash .ci/postgres.sh start DIR PORT   -> prints the database URL
#   bash .ci/postgres.sh stop DIR
set -euo pipefail
action=$1; dir=$2; port=${3:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
run_as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    run_as_postgres "$bin/initdb" -D "$dir/data" -U crm --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1
    run_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    run_as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U crm crm_test
    echo "postgresql://crm@127.0.0.1:$port/crm_test"
    ;;
  stop)
    run_as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
    ;;
esac
