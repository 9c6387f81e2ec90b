#!/usr/bin/env bash
# Adds an EF Core migration with the same name to both provider sets (SQLite and PostgreSQL).
# Usage: scripts/add-migration.sh AddSomething
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: scripts/add-migration.sh MigrationName}
dotnet tool restore >/dev/null
for ctx in Sqlite Postgres; do
  dotnet ef migrations add "$name" --project src/CreationWorkflow.Web --context "${ctx}AppDbContext" --output-dir "Data/Migrations/$ctx"
done
