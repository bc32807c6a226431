#!/usr/bin/env bash
# Runs the whole test suite (unit, integration against real PostgreSQL/Redis/RabbitMQ, end-to-end, browser).
# Installs what is missing first. Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Gateway).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-prerequisites.sh
# The four test assemblies start in parallel while the integration and AppHost tests bring up servers; on a loaded
# 2-core machine a testhost can take longer than vstest's default 90 s to report back (CI aborted a run that way).
export VSTEST_CONNECTION_TIMEOUT="${VSTEST_CONNECTION_TIMEOUT:-600}"
dotnet build SaasAssistants.sln -c Debug -nologo -clp:ErrorsOnly
dotnet test SaasAssistants.sln --no-build -c Debug -nologo --logger "console;verbosity=normal" "$@"
