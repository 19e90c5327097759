# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=
# `make run PORT=8123` serves on another port.
PORT ?= 8000

.PHONY: install run test lint format bench worker beat clean vendor-js opensearch opensearch-stop services

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Absolute links (emails, share cards, the API, Wagtail's admin) name the port the
# site is served on.
run: export SITE_BASE_URL = http://127.0.0.1:$(PORT)
run: export WAGTAILADMIN_BASE_URL = http://127.0.0.1:$(PORT)
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_archive
	$(BIN)/python manage.py load_demo_stories
	$(BIN)/python manage.py load_demo_calls
	$(BIN)/python manage.py load_demo_identifications
	$(BIN)/python manage.py opendata_dump
	$(BIN)/python manage.py create_local_admin
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Bytecode (and pytest's rewritten test modules) is cached even where the environment
# says not to: collecting the suite then takes half the time.
test: install
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest $(PYTEST_ARGS)

# The hooks in .pre-commit-config.yaml, over every tracked file: what CI runs.
lint: install
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The figures only: the site's INFO logs (tasks run, pages published) are left out.
# `make bench BENCH_OBJECTS=1000000`: the import, the object and browse pages and the
# database reindex and search at a million objects (issue 20). bench_collection times
# its pages with the page cache and the fragments off: cold, as after an import.
BENCH_OBJECTS ?= 100000
bench: export LOG_LEVEL ?= WARNING
bench: install
	PAGE_CACHE_SECONDS=0 FRAGMENT_CACHE_SECONDS=0 $(BIN)/python manage.py bench_collection --objects $(BENCH_OBJECTS)
	$(BIN)/python manage.py bench_stories
	$(BIN)/python manage.py bench_pages
	$(BIN)/python manage.py bench_search --objects $(BENCH_OBJECTS)
	$(BIN)/python manage.py bench_images
	$(BIN)/python manage.py bench_opendata
	$(BIN)/python manage.py bench_memories
	$(BIN)/python manage.py bench_impact

# PostgreSQL and Redis on this machine (installed with apt-get if missing), as CI runs them.
services:
	scripts/services.sh

worker: install
	$(BIN)/celery -A bac_collection worker -Q celery,images,search -l info

beat: install
	$(BIN)/celery -A bac_collection beat -l info

# Browser libraries come from the npm registry and are committed under static/vendor/.
vendor-js:
	npm ci --no-audit --no-fund
	cp node_modules/openseadragon/build/openseadragon/openseadragon.min.js static/vendor/openseadragon/
	# The source map is not vendored: its reference would fail production's collectstatic.
	sed -i '/^\/\/# sourceMappingURL=/d' static/vendor/openseadragon/openseadragon.min.js
	cp -r node_modules/openseadragon/build/openseadragon/images static/vendor/openseadragon/
	cp node_modules/openseadragon/LICENSE.txt static/vendor/openseadragon/

# A real OpenSearch 2.19 node on 127.0.0.1:9200 (OPENSEARCH_PORT), Java 17 + Maven; data in .opensearch/.
opensearch:
	scripts/opensearch.sh start

opensearch-stop:
	scripts/opensearch.sh stop

clean:
	rm -rf $(VENV) staticfiles .ruff_cache
