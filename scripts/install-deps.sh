#!/usr/bin/env bash
# Installs what a fresh Debian machine with only Swift lacks: the LMDB and OpenSSL development packages
# (with "bench": also what the W1 reference peers need).
set -euo pipefail
missing=()
pkg-config --exists lmdb 2>/dev/null || missing+=(liblmdb-dev)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ "${1:-}" = bench ]; then
  # The W1 reference peers are C programs on LMDB and SQLite, timed with /usr/bin/time.
  [ -x /usr/bin/time ] || missing+=(time)
  pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
  command -v gcc >/dev/null 2>&1 || missing+=(gcc)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
