run:
	python3 platform/dev.py run

test:
	python3 platform/dev.py test

# Rewrites requirements.lock from pyproject.toml, keeping the versions already locked unless
# a range excludes them. Upgrades: make lock LOCK_ARGS=--upgrade (or --upgrade-package NAME).
# pip-tools lives in its own virtualenv so that .venv holds exactly what the lock says.
LOCK_TOOLS = .venv/lock-tools
lock:
	test -x $(LOCK_TOOLS)/bin/pip-compile || { python3 -m venv $(LOCK_TOOLS) && $(LOCK_TOOLS)/bin/pip install --quiet "pip-tools>=7.7,<8"; }
	CUSTOM_COMPILE_COMMAND="make lock   (from pyproject.toml; see the Makefile)" $(LOCK_TOOLS)/bin/pip-compile --quiet --extra test --strip-extras \
		--generate-hashes --no-emit-index-url --no-emit-find-links --output-file requirements.lock $(LOCK_ARGS) pyproject.toml

.PHONY: run test lock
