#!/usr/bin/env bash
# The graph's databases on a fresh PostgreSQL server (the postgres image runs
# this once, on an empty data directory; `psql` as the superuser elsewhere).
#
# One database per subgraph, each owned by a login role of that subgraph's
# own: no subgraph reaches another's tables, each can move to a server of its
# own, and none runs as the superuser. A subgraph's role migrates its database
# and, in each request's transaction, acts as aftersales_app, the role the
# row-level security policies apply to (made here, so the owners need no
# CREATEROLE). The scheduler keeps its jobs in a database of its own.
#
# Passwords come from the environment, one per role, and are never printed:
#   PARTNERS_DB_PASSWORD CATALOG_DB_PASSWORD WARRANTY_DB_PASSWORD
#   TICKETS_DB_PASSWORD FEEDBACK_DB_PASSWORD SCHEDULER_DB_PASSWORD
set -euo pipefail

psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres)

"${psql[@]}" <<'SQL'
do $$ begin
  if not exists (select from pg_roles where rolname = 'aftersales_app') then
    create role aftersales_app nologin nosuperuser nobypassrls;
  end if;
end $$;
SQL

for name in partners catalog warranty tickets feedback outreach scheduler; do
  variable="${name^^}_DB_PASSWORD"
  password="${!variable:?$variable is required: the password of the $name role}"
  database="aftersales_$name"
  # psql's variables quote the password and the names; nothing reaches the log.
  "${psql[@]}" -v role="$name" -v password="$password" -v database="$database" <<'SQL'
create role :"role" login nosuperuser nocreatedb nocreaterole password :'password';
create database :"database" owner :"role";
revoke all on database :"database" from public;
grant connect, create, temporary on database :"database" to :"role";
SQL
  [[ "$name" == scheduler ]] || "${psql[@]}" -v role="$name" <<<'grant aftersales_app to :"role";'
done
