# Shared shell helpers for scripts/*.sh: packages, build, throwaway clusters.
# Source it; it sets -euo pipefail.
set -euo pipefail

PGA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGA_PG_MAJOR="${PGA_PG_MAJOR:-15}"
PGA_BINDIR="/usr/lib/postgresql/${PGA_PG_MAJOR}/bin"
PGA_PGXS_BIN="/usr/lib/postgresql/${PGA_PG_MAJOR}/lib/pgxs/src/test"
PGA_TMP="${PGA_TMP:-/tmp/pg_advisor}"
PGA_LOG_DIR="${PGA_LOG_DIR:-$PGA_TMP/logs}"
export PATH="$PGA_BINDIR:$PATH"

# Packages every script needs; the test suite adds its own on top.
PGA_BUILD_PACKAGES=(
  build-essential g++ make cmake pkg-config
  "postgresql-${PGA_PG_MAJOR}" "postgresql-server-dev-${PGA_PG_MAJOR}" "postgresql-client-${PGA_PG_MAJOR}"
  libpq-dev libpg-query-dev libfmt-dev libgtest-dev libbenchmark-dev zlib1g-dev
)

pga_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
pga_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly, or through sudo for a developer account).
pga_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# PostgreSQL refuses to run as root: clusters belong to an unprivileged account.
pga_cluster_user() {
  if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi
}

pga_as_cluster_user() {
  local user; user="$(pga_cluster_user)"
  if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}

# Installs the missing Debian packages (apt-get update first, only when something is missing).
pga_ensure_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    pga_log "installing ${missing[*]}"
    pga_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
    pga_as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  # Debian's postgresql package may start a "main" cluster; ours use their own ports.
}

# Builds and installs the extension (PGXS) and builds core, unit tests and CLI (CMake).
pga_build_install() {
  mkdir -p "$PGA_LOG_DIR"
  pga_log "building the extension (log: $PGA_LOG_DIR/build.log)"
  ( cd "$PGA_ROOT" && make -s -j"$(nproc)" PG_ADVISOR_WERROR=1 >"$PGA_LOG_DIR/build.log" 2>&1 ) ||
    { tail -n 40 "$PGA_LOG_DIR/build.log"; pga_die "extension build failed"; }
  ( cd "$PGA_ROOT" && pga_as_root make install >>"$PGA_LOG_DIR/build.log" 2>&1 ) ||
    { tail -n 40 "$PGA_LOG_DIR/build.log"; pga_die "extension install failed"; }
  pga_log "building core library, unit tests and CLI (log: $PGA_LOG_DIR/cmake.log)"
  ( cd "$PGA_ROOT" &&
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPG_ADVISOR_WERROR=ON >"$PGA_LOG_DIR/cmake.log" 2>&1 &&
    cmake --build build -j"$(nproc)" >>"$PGA_LOG_DIR/cmake.log" 2>&1 ) ||
    { tail -n 40 "$PGA_LOG_DIR/cmake.log"; pga_die "CMake build failed"; }
  # The pg_advisor command onto the PATH (/usr/local/bin).
  ( cd "$PGA_ROOT" && pga_as_root cmake --install build --component Unspecified \
      >>"$PGA_LOG_DIR/cmake.log" 2>&1 ) ||
    { tail -n 40 "$PGA_LOG_DIR/cmake.log"; pga_die "installing the pg_advisor command failed"; }
}

# pga_cluster_start NAME PORT [postgresql.conf lines...]
# Creates (fresh) and starts a throwaway cluster in $PGA_TMP/NAME, socket in $PGA_TMP/NAME.
pga_cluster_start() {
  local name="$1" port="$2"; shift 2
  local dir="$PGA_TMP/$name"
  pga_cluster_stop "$name"
  pga_as_root rm -rf "$dir"
  mkdir -p "$PGA_TMP"
  chmod 755 "$PGA_TMP"
  pga_as_root install -d -o "$(pga_cluster_user)" -m 700 "$dir"
  pga_as_cluster_user initdb -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
    --no-instructions >"$PGA_TMP/$name.initdb.log" 2>&1 ||
    { cat "$PGA_TMP/$name.initdb.log"; pga_die "initdb failed for $name"; }
  {
    echo "port = $port"
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$dir'"
    echo "max_connections = 50"
    echo "shared_buffers = 128MB"
    echo "fsync = off"
    echo "log_min_messages = warning"
    echo "logging_collector = off"
    local line
    for line in "$@"; do echo "$line"; done
  } | pga_as_cluster_user tee -a "$dir/data/postgresql.conf" >/dev/null
  pga_as_cluster_user pg_ctl -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log"; pga_die "could not start cluster $name"; }
}

pga_cluster_stop() {
  local name="$1" dir="$PGA_TMP/$1"
  if [ -f "$dir/data/postmaster.pid" ]; then
    pga_as_cluster_user pg_ctl -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
  fi
}

pga_cluster_restart() {
  local name="$1" dir="$PGA_TMP/$1"
  pga_as_cluster_user pg_ctl -D "$dir/data" -l "$dir/server.log" -m fast -w -t 60 restart >/dev/null ||
    { tail -n 30 "$dir/server.log"; pga_die "could not restart cluster $name"; }
}

pga_cluster_host() { echo "$PGA_TMP/$1"; }

# pga_psql NAME PORT [psql args...]: connects as the superuser "postgres".
pga_psql() {
  local name="$1" port="$2"; shift 2
  psql -X -v ON_ERROR_STOP=1 -h "$PGA_TMP/$name" -p "$port" -U postgres "$@"
}
