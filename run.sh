#!/usr/bin/env bash
# Brings the whole system up: PostgreSQL, Redis, RabbitMQ and the four services, with the dashboard.
# Installs what is missing first. Extra arguments go to the AppHost (e.g. --reset, --state-dir DIR, --dashboard-port N).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/install-prerequisites.sh

# Build only when a file changed since the last successful build: MSBuild's own up-to-date check of the eleven projects
# takes 10-20 s of CPU, minutes on a busy 2-core machine, before the AppHost even starts.
stamp=AppHost/obj/run.sh.built
changed=$(find . \( -name .git -o -name bin -o -name obj -o -name .apphost -o -name logs -o -name TestResults -o -name node_modules \) -prune \
  -o -type f -newer "$stamp" -print -quit 2>/dev/null || echo "no stamp")
if [ -n "$changed" ]; then
  dotnet build AppHost --nologo -v minimal
  touch "$stamp"
fi
exec dotnet run --project AppHost --no-build -- "$@"
