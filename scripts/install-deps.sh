#!/usr/bin/env bash
# Installs every Debian package LeadFlow needs to build, run and test. Idempotent: a package that is
# already installed is skipped without touching apt. Works as root or through sudo.
set -euo pipefail

PKGS=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # fuzz targets (libFuzzer ships with clang)
  clang
  # server libraries (DESIGN.md §2)
  libboost-dev libsqlite3-dev sqlite3 libpq-dev nlohmann-json3-dev libhowardhinnant-date-dev tzdata
  libphonenumber-dev libprotobuf-dev libicu-dev libsodium-dev libcurl4-openssl-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev libcli11-dev libxlsxwriter-dev libzip-dev libpugixml-dev
  libjemalloc-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev postgresql python3 python3-aiosmtpd wrk
  # web UI toolchain and browser tests
  nodejs npm chromium fonts-wqy-microhei
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm ships inside nodesource's nodejs; do not ask apt for Debian's npm when node already brings it.
if command -v npm >/dev/null 2>&1; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == npm || "$p" == nodejs ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
((${#missing[@]})) || exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
