.PHONY: demo test lint bench notebooks
demo:  ## set up and run the main job on the embedded store
	scripts/demo.sh
test:  ## set up and run the whole test suite (lint, Neo4j server, notebooks, browser)
	scripts/test.sh
notebooks:  ## set up with JupyterLab (the `jupyter` extra) and open notebooks/
	[ -x .venv/bin/python ] || scripts/setup.sh
	.venv/bin/python -m pip install -q -e ".[jupyter]"
	.venv/bin/jupyter lab notebooks/
lint:
	.venv/bin/ruff check graphkit tests scripts
