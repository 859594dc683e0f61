#!/usr/bin/env bash
# The production shape without containers: every subgraph as its own process
# with its own database on a PostgreSQL server, the gateway in front, and the
# event relay between the subgraphs' databases.
#
#   infra/local/run-on-postgres.sh                       # server at postgres://postgres@127.0.0.1:5432
#   POSTGRES_URL=postgres://user:pw@host:5432 infra/local/run-on-postgres.sh
#
# Creates the databases aftersales_<subgraph> when missing. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/../.."

server="${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
gateway_port="${PORT:-4000}"
subgraphs=(partners catalog warranty tickets feedback)
declare -A ports=([partners]=4001 [catalog]=4002 [warranty]=4003 [tickets]=4004 [feedback]=4005)

node --input-type=module -e '
  import postgres from "postgres";
  const [server, ...names] = process.argv.slice(1);
  const sql = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
  for (const name of names) {
    const [row] = await sql`select 1 from pg_database where datname = ${name}`;
    if (!row) { await sql.unsafe(`create database "${name}"`); console.log(`created database ${name}`); }
  }
  await sql.end();
' "$server" "${subgraphs[@]/#/aftersales_}"

# Secrets for this run: the gateway signs callers' identities for the subgraphs
# with IDENTITY_SECRET, and checks HS256 tokens with JWT_SECRET.
export IDENTITY_SECRET="${IDENTITY_SECRET:-$(openssl rand -base64 48)}"
export JWT_SECRET="${JWT_SECRET:-$(openssl rand -base64 48)}"
echo "JWT_SECRET=$JWT_SECRET (sign your tokens with it, HS256)"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' INT TERM EXIT
# Where each subgraph listens: the gateway routes to them, and they ask each other about records their copies lack yet.
subgraph_urls=()
for name in "${subgraphs[@]}"; do subgraph_urls+=("SUBGRAPH_${name^^}_URL=http://127.0.0.1:${ports[$name]}/graphql"); done
for name in "${subgraphs[@]}"; do
  # PUBLIC_URL: survey links (feedback) point at the gateway.
  env "${subgraph_urls[@]}" DATABASE_URL="$server/aftersales_$name" PORT="${ports[$name]}" PUBLIC_URL="${PUBLIC_URL:-http://localhost:$gateway_port}" \
    npm start --silent -w "@aftersales/$name" &
  pids+=($!)
done
for name in "${subgraphs[@]}"; do
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:${ports[$name]}/health" >/dev/null && continue 2
    sleep 0.5
  done
  echo "the $name subgraph did not become healthy within 60 s" >&2
  exit 1
done
env "${subgraph_urls[@]}" PORT="$gateway_port" npm start --silent -w @aftersales/gateway &
pids+=($!)
# The event relay: each consumer's database and those of the subgraphs it reads events from.
relay_env=()
for name in "${subgraphs[@]}"; do relay_env+=("${name^^}_DATABASE_URL=$server/aftersales_$name"); done
env "${relay_env[@]}" npm run --silent relay -w @aftersales/gateway &
pids+=($!)
wait -n
