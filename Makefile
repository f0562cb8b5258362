# PartDesk: `make run` sets up and starts the app; `make test` sets up and runs every test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.partdesk-installed

.PHONY: run test lint bench system-deps translations clean demo

run: $(STAMP)
	@bash installer/system-deps.sh gui
	$(PY) -m desktop_app

# The demonstration data folder lives apart from your own data (demo-data/, not versioned).
DEMO_DIR ?= $(CURDIR)/demo-data
demo: $(STAMP)
	@bash installer/system-deps.sh gui
	@test -f "$(DEMO_DIR)/partdesk.sqlite3" || $(VENV)/bin/partdesk --data-dir "$(DEMO_DIR)" demo
	$(PY) -m desktop_app --data-dir "$(DEMO_DIR)"

test: $(STAMP)
	@bash installer/system-deps.sh offscreen
	$(VENV)/bin/ruff check desktop_app tests bench db
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.run $(BENCH)

translations: $(STAMP)
	$(PY) -m desktop_app.ui.i18n_build

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Python's venv module is missing: sudo apt-get install -y python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
