#!/usr/bin/env bash
# The whole test suite: set up, lint, start a throw-away local Neo4j server, run pytest, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$PWD/.venv/bin:$PATH"
ruff check graphkit tests scripts
port=${GRAPHKIT_TEST_NEO4J_PORT:-7688}
home=${GRAPHKIT_TEST_NEO4J_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/graphkit/neo4j-test-$port}
export GRAPHKIT_TEST_NEO4J_URI="bolt://127.0.0.1:$port" GRAPHKIT_TEST_NEO4J_HOME="$home" GRAPHKIT_TEST_NEO4J_PORT="$port"
unset NEO4J_PASSWORD  # the throw-away test server runs without auth on loopback
graphkit neo4j stop --port "$port" --home "$home" >/dev/null 2>&1 || true
graphkit -v neo4j start --port "$port" --home "$home" --fresh
trap 'graphkit neo4j stop --port "$port" --home "$home" >/dev/null 2>&1 || true' EXIT
python -m pytest "$@"
