# kco-validation: see README.md. The two commands: `make demo` and `make test`.
SHELL := /bin/bash
SO := target/release/libkco_validation.so
PHP ?= php
PHP_CONFIG ?= php-config
EXT_DIR = $(shell $(PHP_CONFIG) --extension-dir 2>/dev/null)
PHP_MINOR = $(shell $(PHP) -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;' 2>/dev/null)
RUN_PHP = $(PHP) -n -d extension=$(CURDIR)/$(SO)

.PHONY: demo build test test-rust test-phpt test-plugin test-e2e lint install uninstall bench fuzz clean

## Command one: install what is missing, build, and decide the bundled example (approve, then deny).
demo: build
	@echo; echo "== examples/order.json with examples/store.json"
	@$(RUN_PHP) php/bin/kco-validate examples/order.json examples/store.json
	@echo; echo "== examples/order.json with examples/store-out-of-stock.json"
	@$(RUN_PHP) php/bin/kco-validate examples/order.json examples/store-out-of-stock.json || [ $$? -eq 1 ]

build:
	@scripts/install-deps.sh build
	cargo build --release

## Command two: every test (Rust, PHPT against the built .so, the plugin's PHPUnit and HTTP tests).
test:
	@scripts/install-deps.sh test
	@scripts/test.sh

test-rust:
	cargo test

test-phpt: build
	@scripts/test-phpt.sh

test-plugin: build
	@scripts/test-plugin.sh

test-e2e: build
	@scripts/test-e2e.sh

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

## Installs the built extension into Debian's PHP (all SAPIs): /usr/lib/php/<api>/ and mods-available.
install: build
	install -m 0644 $(SO) $(DESTDIR)$(EXT_DIR)/kco_validation.so
	printf '; priority=20\nextension=kco_validation.so\n' > $(DESTDIR)/etc/php/$(PHP_MINOR)/mods-available/kco_validation.ini
	phpenmod -v $(PHP_MINOR) kco_validation
	@$(PHP) -m | grep -qx kco_validation && echo "kco_validation is enabled; restart php$(PHP_MINOR)-fpm or your web server."

uninstall:
	-phpdismod -v $(PHP_MINOR) kco_validation
	rm -f $(DESTDIR)/etc/php/$(PHP_MINOR)/mods-available/kco_validation.ini $(DESTDIR)$(EXT_DIR)/kco_validation.so

bench: build
	@scripts/install-deps.sh bench
	@scripts/bench.sh

## Coverage-guided fuzzing of parse and validate (FUZZ_SECONDS per target, default 600).
fuzz:
	@scripts/install-deps.sh build
	@scripts/fuzz.sh

clean:
	cargo clean
