#!/usr/bin/env bash
# Brings the whole system up: PostgreSQL, Redis, RabbitMQ and the four services, with the dashboard.
# Installs what is missing first. Extra arguments go to the AppHost (e.g. --reset, --state-dir DIR, --dashboard-port N).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-prerequisites.sh
exec dotnet run --project AppHost -- "$@"
