run:
	python3 platform/dev.py run

test:
	python3 platform/dev.py test

.PHONY: run test
