.PHONY: demo test lint bench
demo:  ## set up and run the main job on the embedded store
	scripts/demo.sh
test:  ## set up and run the whole test suite (lint, Neo4j server, notebooks, browser)
	scripts/test.sh
lint:
	.venv/bin/ruff check graphkit tests scripts
