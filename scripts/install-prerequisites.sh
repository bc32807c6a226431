#!/usr/bin/env bash
# Installs what the AppHost and the tests need on Debian 12, idempotently (safe to run before every ./run.sh):
#   postgresql-15, redis-server, rabbitmq-server  the AppHost runs them as its own processes, on its own ports
#   chromium, fonts-liberation                     browser tests (Playwright drives Debian's Chromium)
# The Debian packages would also run system-wide instances (ports 5432, 6379, 5672, epmd on 4369); those are kept
# from starting during the install, and stopped and disabled afterwards. Only the system services are touched (by
# their own init scripts or units), never a server someone started by hand.
set -euo pipefail

packages=(postgresql-15 redis-server rabbitmq-server chromium fonts-liberation)
services=(postgresql redis-server rabbitmq-server)

step() { echo "install-prerequisites: $*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

has_systemd() {
    [ -d /run/systemd/system ]
}

# Whether the system-wide instance of a service runs (by its pid file / cluster list, not by process name).
system_service_running() {
    case "$1" in
        postgresql) command -v pg_lsclusters >/dev/null && pg_lsclusters --no-header 2>/dev/null | grep -qw online ;;
        redis-server) pid_file_alive /run/redis/redis-server.pid ;;
        rabbitmq-server) pid_file_alive /run/rabbitmq/pid ;;
        *) return 1 ;;
    esac
}

pid_file_alive() {
    [ -s "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null
}

# 1. Packages
missing=()
for package in "${packages[@]}"; do
    is_installed "$package" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
    step "packages already installed: ${packages[*]}"
else
    step "apt-get update"
    as_root apt-get update -qq
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        # Debian's policy hook: exit 101 = "do not start services" while the packages install.
        step "keeping the packages' services from starting during the install (temporary /usr/sbin/policy-rc.d)"
        printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
        as_root chmod +x /usr/sbin/policy-rc.d
        trap 'as_root rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    step "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. System-wide services: stopped and disabled
for service in "${services[@]}"; do
    if has_systemd; then
        as_root systemctl disable --now "$service" >/dev/null 2>&1 || true
        step "system service $service stopped and disabled (systemd)"
    elif [ -x "/etc/init.d/$service" ]; then
        if system_service_running "$service"; then
            as_root service "$service" stop >/dev/null
            step "system service $service stopped"
        else
            step "system service $service not running"
        fi
        as_root update-rc.d "$service" disable >/dev/null 2>&1 || true
        step "system service $service disabled at boot"
    fi
done

if has_systemd; then
    # Erlang's socket-activated epmd would otherwise hold port 4369 for nobody.
    as_root systemctl disable --now epmd.socket epmd.service >/dev/null 2>&1 || true
    step "system epmd stopped and disabled (systemd)"
fi

# PostgreSQL's default cluster (15/main) starts with the service unless marked manual.
for start_conf in /etc/postgresql/*/main/start.conf; do
    [ -f "$start_conf" ] || continue
    if grep -qx "auto" "$start_conf"; then
        as_root sed -i 's/^auto$/manual/' "$start_conf"
        step "default PostgreSQL cluster set to manual start ($start_conf)"
    else
        step "default PostgreSQL cluster already manual ($start_conf)"
    fi
done

step "done"
