#!/usr/bin/env bash
# Runs the whole test suite (unit, integration against real PostgreSQL/Redis/RabbitMQ, end-to-end, browser).
# Installs what is missing first. Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Gateway).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-prerequisites.sh
dotnet build SaasAssistants.sln -c Debug -nologo -clp:ErrorsOnly
dotnet test SaasAssistants.sln --no-build -c Debug -nologo --logger "console;verbosity=normal" "$@"
