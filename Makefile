# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORTAL := $(BIN)/portal

.PHONY: run test install db demo serve bench clean

# The offline demo harvests the recorded responses (sample_data/recorded); `make run OFFLINE=`
# reaches the real sources instead (with their keys in the environment).
OFFLINE ?= PORTAL_HARVEST__SEOUL_BASE_URL=replay:/seoul \
	PORTAL_HARVEST__KOSIS_BASE_URL=replay:/kosis PORTAL_HARVEST__KOSIS_PERIOD_TYPE=Y \
	PORTAL_HARVEST__KOSIS_RECENT_PERIODS=1 PORTAL_HARVEST__KOSIS_DATA_TABLES=101/DT_1B04005N \
	PORTAL_HARVEST__MOIS_BASE_URL=replay:/odcloud PORTAL_HARVEST__MOIS_FILES_BASE_URL=replay:/files \
	PORTAL_HARVEST__MOIS_POPULATION_PERIOD=202505 PORTAL_HARVEST__MOIS_POPULATION_LOOKBACK=12

run: install demo ## install, migrate, load the demo, serve on http://127.0.0.1:5000 beside the scheduler
	env $(OFFLINE) $(PORTAL) scheduler & trap 'kill $$! 2>/dev/null' EXIT; \
	env $(OFFLINE) $(PORTAL) serve

test: install ## the whole test suite (browser tests too when chromium is installed)
	$(BIN)/pytest -n 2 --dist loadgroup -q

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

db: install
	$(PORTAL) init-db

demo: db
	$(PORTAL) load-demo

serve: install
	$(PORTAL) serve

bench: install ## benchmarks (tens of minutes); figures go in the README and docs/search.md
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/harvest.py
	$(BIN)/python bench/models_festival.py
	$(BIN)/python bench/models_market.py

clean:
	rm -rf $(VENV) node_modules data portal/static/gen
