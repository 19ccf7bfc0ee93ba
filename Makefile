# Targets of trytond_buurtwerkkamer; see README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAO_VERSION ?= 8.0
SAO := .sao/package
DB_DIR := $(CURDIR)/.db
DB_NAME ?= buurtwerkkamer
HOST ?= 127.0.0.1
PORT ?= 8000
CONF := $(DB_DIR)/trytond.conf
TEST_LOG ?= .test-unit.log
TEST_CACHE ?= $(CURDIR)/.cache/db

.PHONY: all venv sao demo demo-db test test-unit test-browser \
	test-postgresql test-load translations doc clean

all: test

$(BIN)/trytond: setup.py trytond_buurtwerkkamer/tryton.cfg
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgresql,load]'
	touch $@

venv: $(BIN)/trytond

$(SAO)/index.html:
	rm -rf .sao && mkdir -p .sao
	cd .sao && npm pack --silent tryton-sao@$(SAO_VERSION) \
		&& tar -xzf tryton-sao-*.tgz
	cd $(SAO) && npm install --omit=dev --legacy-peer-deps --no-audit \
		--no-fund --silent
	test -f $@

sao: $(SAO)/index.html

$(CONF):
	mkdir -p $(DB_DIR)
	printf '[database]\nuri = sqlite://\npath = %s\n\n[web]\nlisten = %s:%s\nroot = %s\n\n[session]\nauthentications = password\n' \
		'$(DB_DIR)' '$(HOST)' '$(PORT)' '$(CURDIR)/$(SAO)' > $@

# Create the demo database once; later runs reuse it.
$(DB_DIR)/$(DB_NAME).sqlite: | venv $(CONF)
	printf 'admin\n' > $(DB_DIR)/admin-password
	touch $@
	TRYTONPASSFILE=$(DB_DIR)/admin-password $(BIN)/trytond-admin \
		-c $(CONF) -d $(DB_NAME) --email admin@buurtwerkkamer.example \
		-u buurtwerkkamer --activate-dependencies -l nl \
		|| (rm -f $@; exit 1)
	$(BIN)/python demo/load_demo.py -c $(CONF) -d $(DB_NAME) \
		|| (rm -f $@; exit 1)

demo-db: $(DB_DIR)/$(DB_NAME).sqlite

demo: venv sao demo-db
	$(BIN)/trytond-admin -c $(CONF) -d $(DB_NAME) --all -l nl
	$(BIN)/python demo/load_demo.py -c $(CONF) -d $(DB_NAME) --logins
	@echo "Serving the demo cooperative on http://$(HOST):$(PORT)/"
	$(BIN)/trytond -c $(CONF) -d $(DB_NAME)

test: test-unit test-browser

# Activated databases are cached for the duration of one run only.
test-unit: venv
	@set -o pipefail; status=0; \
	rm -rf $(TEST_CACHE); \
	DB_CACHE=$(TEST_CACHE) \
	$(BIN)/python -m unittest discover -s tests -v 2>&1 \
		| tee $(TEST_LOG) \
		| grep -E '^(FAIL|ERROR):|^Ran |^OK|^FAILED|Error: ' || status=$$?; \
	passed=$$(grep -cE '(^| \.\.\. )ok$$' $(TEST_LOG)); \
	failed=$$(grep -cE '(^| \.\.\. )(FAIL|ERROR)$$' $(TEST_LOG)); \
	skipped=$$(grep -cE '(^| \.\.\. )skipped' $(TEST_LOG)); \
	echo "unit: $$passed passed, $$failed failed, $$skipped skipped"; \
	if [ $$status -ne 0 ]; then \
		sed -n '/^=\{70\}$$/,$$p' $(TEST_LOG) | head -200; fi; \
	exit $$status

test-browser: venv sao
	$(BIN)/python tests/browser/run.py

# The unit suite on PostgreSQL (the browser test serves SQLite).
test-postgresql:
	TRYTOND_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/ \
		DB_NAME=$${DB_NAME:-test_bwk} $(MAKE) test-unit \
		TEST_LOG=.test-unit-postgresql.log \
		TEST_CACHE=$(CURDIR)/.cache/db-postgresql

# Several workers and the scheduler on PostgreSQL, driven over JSON-RPC.
test-load: venv
	$(BIN)/python tests/load/run.py --workers 2 --requests 30 --seconds 120

# Refresh locale/nl.po with the strings of the module (new ones empty).
translations: venv
	rm -rf .translations && mkdir -p .translations
	touch .translations/translations.sqlite
	printf 'admin\n' > .translations/password
	TRYTONPASSFILE=.translations/password TRYTOND_DATABASE_URI=sqlite:// \
		TRYTOND_DATABASE__PATH=$(CURDIR)/.translations \
		$(BIN)/trytond-admin -d translations --email a@b.c \
		-u buurtwerkkamer --activate-dependencies -l nl \
		--export-translations
	rm -rf .translations

doc: venv
	$(BIN)/pip install --quiet sphinx
	$(BIN)/sphinx-build -q -b html doc doc/_build/html

clean:
	rm -rf .sao .db .translations .cache doc/_build
