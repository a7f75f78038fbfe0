#!/usr/bin/env bash
# The main job on the embedded store (no server): sample articles -> graph -> tension table -> HTML view.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export GRAPHKIT_STORE=${GRAPHKIT_STORE:-sqlite:///out/graphkit.db}
mkdir -p out
gk=.venv/bin/graphkit
$gk load data/articles/
$gk tension series --freq M
$gk render -o out/graph.html
echo "network view: out/graph.html" >&2
