# Bons Jours — set-up, run and test. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Test processes (pytest-xdist): one per core.
JOBS   ?= auto

.PHONY: run test install bench installer wheel clean screenshot

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est nécessaire.")'
	@[ -n "$$BONSJOURS_SYSDEPS_ELSEWHERE" ] || bash tools/ensure-system-deps
	@echo "Installation de Bons Jours dans $(abspath $(VENV)) ($$($(PYTHON) --version))"
	@$(PYTHON) -m venv $(VENV)
	@echo "  - mise à jour de pip"
	@# -qq: errors only. A machine's pip configuration may point at package folders it lacks; pip then warns
	@# once per package (about 100 lines of set-up noise); a failed install still says why.
	@$(PY) -m pip install -qq --disable-pip-version-check --upgrade pip
	@echo "  - l'application et ses bibliothèques (PySide6, SQLAlchemy, docxtpl…) : quelques minutes la première fois"
	@# setuptools warns about editable installs next to a same-name folder: set-up noise, not the user's concern
	@PYTHONWARNINGS=ignore $(PY) -m pip install -qq --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)
	@echo "Installé : $(abspath $(VENV))/bin/bonsjours"

install: $(STAMP)

## make run: set up if needed, then start the app on the default embedded database
run: $(STAMP)
	$(VENV)/bin/bonsjours $(ARGS)

# Core service tests that run a second time on PostgreSQL (the tests of the SQLite file itself
# — backups, restore, file checks — stay SQLite-only; tests/core/test_engines.py covers both engines).
PG_TESTS := tests/core/test_operations.py tests/core/test_demo.py tests/core/test_editions.py \
	tests/core/test_participations.py tests/core/test_planning.py tests/core/test_planning_io.py \
	tests/core/test_partners.py tests/core/test_partners_io.py tests/core/test_budget.py \
	tests/core/test_budget_io.py tests/core/test_budget_agreement.py tests/core/test_not_found.py \
	tests/core/test_logistics.py tests/core/test_review.py tests/core/test_shops.py tests/core/test_versions.py \
	tests/core/test_concertation.py tests/core/test_import_bulk.py tests/core/test_empty_base.py

## make test: set up if needed, then run the whole suite headless, then the core services on PostgreSQL
# The test tools' system packages (apt) install while pip installs the app: on a fresh machine the two
# downloads overlap instead of adding up (--tests covers the app's own libraries too).
test:
	@bash tools/ensure-system-deps --tests & deps=$$!; \
	  BONSJOURS_SYSDEPS_ELSEWHERE=1 $(MAKE) --no-print-directory $(STAMP); status=$$?; wait $$deps; exit $$status
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/lint-imports --no-cache > /dev/null || $(VENV)/bin/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(JOBS) $(PYTEST_ARGS)
	BONSJOURS_TEST_ENGINE=postgresql QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -n $(JOBS) $(PG_TESTS)

## make bench: the benchmark at scale (table + benchmarks/results.json)
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run $(ARGS)

## make installer: the one-folder application in dist/BonsJours, then its self-test
installer: $(STAMP)
	$(PY) -m pip install --quiet 'pyinstaller>=6.5,<7'
	$(PY) -m PyInstaller --noconfirm --log-level WARN build_installer.spec
	QT_QPA_PLATFORM=offscreen dist/BonsJours/BonsJours self-test

wheel: $(STAMP)
	$(PY) -m pip wheel --quiet --no-deps -w dist .

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/bonsjours gui --screenshot capture.png $(ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
