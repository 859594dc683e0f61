#!/usr/bin/env bash
# The production shape without containers: every subgraph as its own process
# with its own database on a PostgreSQL server, the gateway in front, and the
# event relay between the subgraphs' databases and the scheduler of the periodic
# jobs, all with NODE_ENV=production.
#
#   infra/local/run-on-postgres.sh                       # server at postgres://postgres@127.0.0.1:5432
#   POSTGRES_URL=postgres://user:pw@host:5432 infra/local/run-on-postgres.sh
#   PORT_OFFSET=100 DATABASE_PREFIX=try_ infra/local/run-on-postgres.sh   # a second copy beside the first
#   infra/local/run-on-postgres.sh --compiled            # the build (npm run build first), with plain node, as the image runs it
#
#   POSTGRES_URL     the server (default postgres://postgres@127.0.0.1:5432)
#   DATABASE_PREFIX  databases are <prefix><subgraph> (default aftersales_), created when missing
#   PORT_OFFSET      shifts every port: the gateway on 4000+offset, the subgraphs on 4001-4006+offset, the relay's
#                    /health, /ready and /metrics on 4010+offset, the scheduler's on 4011+offset, the gateway's
#                    /metrics on 9464+offset (default 0)
#   HOST             where every process listens (default 127.0.0.1; 0.0.0.0 for other machines)
#   PUBLIC_URL       the gateway as customers reach it, for survey links (default http://localhost:<gateway port>)
#   IDENTITY_SIGNING_KEY, IDENTITY_JWKS, JWT_SECRET
#                    the keys; when not set, those kept in .data/run-on-postgres/<prefix>secrets.env
#                    (made on the first run, readable by you alone), so tokens outlive a restart
#
# Ctrl-C stops every process it started; so does any of them exiting.
set -euo pipefail
cd "$(dirname "$0")/../.."

# From the TypeScript sources (tsx, and the condition under which the packages export them),
# or, with --compiled, the build in each package's dist/ with Node alone (and without the
# condition npm's scripts hand on in NODE_OPTIONS).
compiled=false
[[ "${1:-}" == --compiled ]] && compiled=true
if $compiled; then
  npm run --silent build
  unset NODE_OPTIONS
fi
# command_for src/…/x.ts: the command that runs that entry point, in `command`.
command_for() {
  if $compiled; then
    local built="${1/\/src\//\/dist\/}"
    command=(node "${built%.ts}.js")
  else
    command=(node --conditions=@aftersales/source --import tsx "$1")
  fi
}

server="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
prefix="${DATABASE_PREFIX:-aftersales_}"
offset="${PORT_OFFSET:-0}"
host="${HOST:-127.0.0.1}"
if [[ ! "$prefix" =~ ^[a-z_][a-z0-9_]*$ ]]; then
  echo "DATABASE_PREFIX=$prefix: use lower-case letters, digits and _ (databases are <prefix><subgraph>)" >&2
  exit 2
fi
if [[ ! "$offset" =~ ^[0-9]+$ ]] || ((offset > 60000)); then
  echo "PORT_OFFSET=$offset: use a whole number from 0 to 60000 (ports are 4000-4006 plus it)" >&2
  exit 2
fi
# Where the others reach a process: a wildcard address is reached on loopback.
case "$host" in 0.0.0.0 | :: | "[::]") reach=127.0.0.1 ;; *) reach="$host" ;; esac
[[ "$reach" == *:* && "$reach" != \[* ]] && reach="[$reach]"

gateway_port=$((4000 + offset))
metrics_port=$((9464 + offset))
relay_port=$((4010 + offset))
scheduler_port=$((4011 + offset))
subgraphs=(partners catalog warranty tickets feedback outreach)
declare -A ports=([partners]=$((4001 + offset)) [catalog]=$((4002 + offset)) [warranty]=$((4003 + offset)) [tickets]=$((4004 + offset)) [feedback]=$((4005 + offset)) [outreach]=$((4006 + offset)))

node --input-type=module -e '
  import postgres from "postgres";
  const [server, ...names] = process.argv.slice(1);
  const sql = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
  for (const name of names) {
    const [row] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!row) { await sql.unsafe(`create database "${name}"`); console.log(`created database ${name}`); }
  }
  await sql.end();
' "$server" "${subgraphs[@]/#/$prefix}" "${prefix}scheduler"

# The gateway signs callers' identities for the subgraphs with IDENTITY_SIGNING_KEY (an
# Ed25519 key; the subgraphs check them with its public half, IDENTITY_JWKS), and checks
# HS256 tokens with JWT_SECRET. None is ever printed.
secrets_file=".data/run-on-postgres/${prefix}secrets.env"
if [[ -z "${IDENTITY_SIGNING_KEY:-}" || -z "${IDENTITY_JWKS:-}" || -z "${JWT_SECRET:-}" ]]; then
  mkdir -p "$(dirname "$secrets_file")"
  (
    umask 077
    [[ -f "$secrets_file" ]] || printf 'JWT_SECRET=%s\n' "$(openssl rand -base64 48 | tr -d '\n')" >"$secrets_file"
    # A file from before identities were signed with a key pair has an IDENTITY_SECRET only: it gets its key.
    grep -q '^IDENTITY_SIGNING_KEY=' "$secrets_file" || npm run --silent identity-key >>"$secrets_file"
  )
  # shellcheck disable=SC1090
  set -a && . "$secrets_file" && set +a
  token_command="TOKEN=\$(set -a && . $secrets_file && npm run --silent token -- --role ADMIN)"
else
  export IDENTITY_SIGNING_KEY IDENTITY_JWKS JWT_SECRET
  token_command="TOKEN=\$(npm run --silent token -- --role ADMIN)   # with the same JWT_SECRET exported"
fi
unset IDENTITY_SECRET
# Only the gateway gets the private key: a subgraph that could sign identities could act as anyone.
export -n IDENTITY_SIGNING_KEY

pids=()
stop_all() {
  trap - EXIT INT TERM
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  echo "stopped the gateway, the subgraphs, the relay and the scheduler" >&2
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

common=(NODE_ENV=production HOST="$host")
# Where each subgraph listens: the gateway routes to them, and they ask each other about records their copies lack yet.
subgraph_urls=()
for name in "${subgraphs[@]}"; do subgraph_urls+=("SUBGRAPH_${name^^}_URL=http://$reach:${ports[$name]}/graphql"); done

# Polls a process's /ready until it answers 200; stops when the process has exited meanwhile.
await_health() {
  local what="$1" port="$2" pid="$3"
  for _ in $(seq 240); do
    curl -sf "http://$reach:$port/ready" >/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the $what exited before it became healthy (see above)" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "the $what did not become healthy on port $port within 120 s" >&2
  exit 1
}

# Node itself, not npm: npm hands SIGTERM to a shell that does not pass it on, so stopping would kill instead.
for name in "${subgraphs[@]}"; do
  # PUBLIC_URL: survey links (feedback) point at the gateway.
  command_for "services/$name/src/index.ts"
  env "${common[@]}" "${subgraph_urls[@]}" DATABASE_URL="$server/$prefix$name" PORT="${ports[$name]}" \
    PUBLIC_URL="${PUBLIC_URL:-http://localhost:$gateway_port}" \
    "${command[@]}" &
  pids+=($!)
done
for i in "${!subgraphs[@]}"; do await_health "${subgraphs[$i]} subgraph" "${ports[${subgraphs[$i]}]}" "${pids[$i]}"; done

command_for gateway/src/index.ts
env "${common[@]}" "${subgraph_urls[@]}" PORT="$gateway_port" IDENTITY_SIGNING_KEY="$IDENTITY_SIGNING_KEY" METRICS_PORT="$metrics_port" "${command[@]}" &
pids+=($!)
await_health gateway "$gateway_port" "$!"
# The event relay: every subgraph's database (each one consumes events).
relay_env=()
for name in "${subgraphs[@]}"; do relay_env+=("${name^^}_DATABASE_URL=$server/$prefix$name"); done
command_for gateway/src/relay.ts
env "${common[@]}" "${relay_env[@]}" PORT="$relay_port" "${command[@]}" &
pids+=($!)
await_health relay "$relay_port" "$!"
# The scheduler: its own database for the runs it claims, the gateway to send the jobs' mutations to
# (with a token it signs with JWT_SECRET), and every subgraph's database, whose event tables it prunes.
command_for gateway/src/scheduler.ts
env "${common[@]}" "${relay_env[@]}" DATABASE_URL="$server/${prefix}scheduler" GATEWAY_URL="http://$reach:$gateway_port/graphql" \
  PORT="$scheduler_port" "${command[@]}" &
pids+=($!)
await_health scheduler "$scheduler_port" "$!"

cat >&2 <<EOF

The graph runs on PostgreSQL (databases ${prefix}*): the gateway at http://$reach:$gateway_port/graphql. Ctrl-C stops it.
Metrics: http://$reach:$metrics_port/metrics (gateway), http://$reach:$relay_port/metrics (relay),
http://$reach:$scheduler_port/metrics (scheduler), /metrics on each subgraph's port.
An ADMIN token, signed with its JWT_SECRET:
  $token_command
EOF
# Any process exiting stops the others (the trap).
wait -n
