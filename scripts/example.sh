#!/usr/bin/env bash
# The main job: bring up an example stack. Installs what it needs first.
# Until the engine lands (issue 3), this renders the example's canonical model and its start order.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
example=${1:-examples/web-client}
node dist/src/cli/main.js --project-directory "$example" -f "$example/compose.yaml" config
node dist/src/cli/main.js --project-directory "$example" -f "$example/compose.yaml" graph
