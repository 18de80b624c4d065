#!/usr/bin/env bash
# The main job: bring up an example stack (default examples/web-client) with tscompose's own engine.
# Installs what it needs first, makes the busybox image locally (offline), then `up -d --wait`, shows it working.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
example=${1:-examples/build-web}
tscompose() { node dist/tscompose.cjs "$@"; }

if ! tscompose image inspect tscompose/busybox:latest >/dev/null 2>&1; then
  rootfs=$(mktemp --suffix=.tar)
  node scripts/make-busybox-rootfs.mjs "$rootfs"
  tscompose image import "$rootfs" tscompose/busybox:latest --change 'CMD ["sh"]'
  rm -f "$rootfs"
fi

tscompose -f "$example/compose.yaml" up -d --wait
tscompose -f "$example/compose.yaml" ps
sleep 3
tscompose -f "$example/compose.yaml" logs --tail 5
echo
echo "The stack is up. Stop and remove it with:"
echo "  node dist/tscompose.cjs -f $example/compose.yaml down"
