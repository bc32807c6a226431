#!/usr/bin/env bash
# Task engine throughput benchmark (issue 3; see bench/README.md): installs the prerequisites the AppHost needs (the
# PostgreSQL 15 package brings pgbench), builds bench/TaskThroughput in Release and runs it. Arguments go to it, e.g.
#   bench/run.sh --tasks 2000
#   bench/run.sh --patch-sql bench/proposals/task-claim-by-primary-key.sql --pgbench-script bench/proposals/batched-claim-and-complete.pgbench.sql
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-prerequisites.sh
dotnet build bench/TaskThroughput/TaskThroughput.csproj -c Release -nologo -clp:ErrorsOnly
# exec: Ctrl+C reaches the benchmark itself, which stops its workers and PostgreSQL and deletes its temporary folder.
exec bench/TaskThroughput/bin/Release/net10.0/TaskThroughput "$@"
