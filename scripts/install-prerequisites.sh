#!/usr/bin/env bash
# Installs what the AppHost and the tests need on Debian 12, idempotently (safe to run before every ./run.sh):
#   postgresql-15, redis-server, rabbitmq-server  the AppHost runs them as its own processes, on its own ports
#   chromium, fonts-liberation                     browser tests (Playwright drives Debian's Chromium)
#   pgvector 0.8.0 for PostgreSQL 15               built from Debian trixie's source package (bookworm has none)
# The Debian packages would also run system-wide instances (ports 5432, 6379, 5672, epmd on 4369); those are kept
# from starting during the install, and stopped and disabled afterwards. Only the system services are touched (by
# their own init scripts or units), never a server someone started by hand.
set -euo pipefail

packages=(postgresql-15 redis-server rabbitmq-server chromium fonts-liberation)
services=(postgresql redis-server rabbitmq-server)

step() { echo "install-prerequisites: $*"; }

# Clean-ups that run however the script ends.
on_exit=()
run_on_exit() { local command; for command in "${on_exit[@]}"; do eval "$command" || true; done; }
trap run_on_exit EXIT

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
        on_exit+=("as_root rm -f /usr/sbin/policy-rc.d")
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

# 3. pgvector: Debian 12 packages none, so it is built from trixie's source package (PostgreSQL License) against the
#    installed server; recipe and reasons in the platform notes (pgvector.md). The system's apt sources stay untouched.
pgvector_version=0.8.0-1
pg_major=15
pg_bin=/usr/lib/postgresql/$pg_major/bin

# The Debian mirror this machine already uses: the URI of the apt source that serves its own release, from
# debian.sources (deb822, Debian 12's default) or else a one-line "deb URI codename ..." in sources.list.
debian_mirror_uri() {
    local codename uris=""
    codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        uris=$(awk -v codename="$codename" '
            function flush() { if (uri != "" && (" " suites " ") ~ (" " codename " ")) print uri; uri = ""; suites = "" }
            /^[[:space:]]*$/ { flush(); next }
            tolower($1) == "uris:" { uri = $2 }
            tolower($1) == "suites:" { $1 = ""; suites = $0 }
            END { flush() }' /etc/apt/sources.list.d/debian.sources)
    fi
    if [ -z "$uris" ] && [ -f /etc/apt/sources.list ]; then
        uris=$(awk -v codename="$codename" '
            $1 == "deb" { i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++; if ($i ~ /^\[/ || $i ~ /\]$/) i++; if ($(i + 1) == codename) print $i }' /etc/apt/sources.list)
    fi
    echo "${uris%%$'\n'*}"
}

if [ -f "/usr/share/postgresql/$pg_major/extension/vector.control" ] && [ -f "/usr/lib/postgresql/$pg_major/lib/vector.so" ]; then
    step "pgvector already installed ($(sed -n "s/^default_version = '\(.*\)'/\1/p" "/usr/share/postgresql/$pg_major/extension/vector.control"))"
else
    # The headers of exactly the installed server's version: installing the dev package must never upgrade it.
    server_version=$(dpkg-query -W -f='${Version}' "postgresql-$pg_major")
    if [ "$(dpkg-query -W -f='${Status} ${Version}' "postgresql-server-dev-$pg_major" 2>/dev/null)" = "install ok installed $server_version" ]; then
        step "postgresql-server-dev-$pg_major $server_version already installed"
    else
        step "installing postgresql-server-dev-$pg_major=$server_version (pinned to the installed server)"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "postgresql-server-dev-$pg_major=$server_version" >/dev/null
    fi

    mirror=$(debian_mirror_uri)
    if [ -z "$mirror" ]; then
        echo "install-prerequisites: no Debian mirror found in /etc/apt/sources.list.d/debian.sources" >&2
        exit 1
    fi

    # A throw-away apt setup that knows only trixie's sources, so the machine's own package lists do not change.
    work=$(mktemp -d /tmp/pgvector-build.XXXXXX)
    on_exit+=("as_root rm -rf '$work'")
    mkdir -p "$work/lists/partial" "$work/archives/partial"
    echo "deb-src $mirror trixie main" >"$work/sources.list"
    apt_scratch=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
                 -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives" -o APT::Sandbox::User=root)
    step "reading trixie's source index from $mirror"
    as_root apt-get "${apt_scratch[@]}" update -qq >/dev/null
    if (cd "$work" && as_root apt-get "${apt_scratch[@]}" source --download-only -qq "pgvector=$pgvector_version" >/dev/null 2>&1); then
        step "downloaded pgvector $pgvector_version source"
    else
        # The pinned version was replaced in trixie: take what trixie has now.
        step "pgvector $pgvector_version is gone from trixie; taking its current pgvector source"
        (cd "$work" && as_root apt-get "${apt_scratch[@]}" source --download-only -qq pgvector >/dev/null)
    fi

    step "building pgvector against PostgreSQL $pg_major"
    tar -xzf "$(ls "$work"/pgvector_*.orig.tar.gz | head -n1)" -C "$work"
    # OPTFLAGS="" leaves out -march=native, so the library runs on any x86-64 machine, not only the one that built it.
    (cd "$(ls -d "$work"/pgvector-*/ | head -n1)" \
        && make -s OPTFLAGS="" PG_CONFIG="$pg_bin/pg_config" >/dev/null \
        && as_root make -s install OPTFLAGS="" PG_CONFIG="$pg_bin/pg_config" >/dev/null)
    step "pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "/usr/share/postgresql/$pg_major/extension/vector.control") installed"
fi

step "done"
