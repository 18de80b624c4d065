#!/usr/bin/env bash
# Installs what tscompose and its tests need on a fresh Debian 12 machine (as root): Node.js if absent,
# the Debian packages listed below, and the npm packages of package-lock.json. Safe to run again: it only
# installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: busybox-static makes the local test/example images, iproute2 and iptables serve networks,
# docker-registry (a local registry for the pull/push tests), skopeo (the pull bench), apache2-utils (htpasswd),
# openssl (the certificate of the registry token-server test), zstd (the zstd layer tests make their streams with it).
DEBIAN_PACKAGES=(busybox-static iproute2 iptables docker-registry skopeo apache2-utils openssl zstd)

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js >= 20 is required (found $(node --version))" >&2
  exit 1
fi

# npm packages, exactly as locked; skipped when node_modules already matches the lock file.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s <(sed -n '/"packages"/,$p' package-lock.json) <(sed -n '/"packages"/,$p' node_modules/.package-lock.json 2>/dev/null); then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
