VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run lint test stress bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ccm --demo

# Lint, formatting and types first (pyproject.toml holds their settings): CI runs `make test`.
lint: $(STAMP)
	$(VENV)/bin/ruff check ccm_tui tests benchmarks
	$(VENV)/bin/ruff format --check ccm_tui tests benchmarks
	$(VENV)/bin/mypy

# One worker per core (pytest-xdist): the suite stays within a few minutes on a 2-core machine.
test: lint
	env -u NO_COLOR -u TEXTUAL_THEME $(PY) -m pytest -n auto

# The issue's size of the concurrency test, 4 people x 2,000 edits on each engine: minutes, so not in `make test`.
stress: $(STAMP)
	env -u NO_COLOR -u TEXTUAL_THEME CCM_STRESS=1 $(PY) -m pytest -q -s -p no:cacheprovider tests/store/test_concurrent_edits.py

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
