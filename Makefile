# kco-validation: see README.md. The two commands: `make demo` and `make test`.
SHELL := /bin/bash
SO := target/release/libkco_validation.so
PHP ?= php
PHP_CONFIG ?= php-config
EXT_DIR = $(shell $(PHP_CONFIG) --extension-dir 2>/dev/null)
PHP_MINOR = $(shell $(PHP) -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;' 2>/dev/null)
RUN_PHP = $(PHP) -n -d extension=$(CURDIR)/$(SO)

.PHONY: demo build test test-rust test-phpt test-plugin test-e2e test-real bench-real test-cli test-deb test-dist lint deb dist install \
	uninstall bench fuzz clean

## Command one: install what is missing, build, and decide the bundled example (approve, then deny).
demo: build
	@echo; echo "== examples/order.json with examples/store.json"
	@$(RUN_PHP) php/bin/kco-validate examples/order.json examples/store.json
	@echo; echo "== examples/order.json with examples/store-out-of-stock.json"
	@$(RUN_PHP) php/bin/kco-validate examples/order.json examples/store-out-of-stock.json || [ $$? -eq 1 ]

build:
	@scripts/install-deps.sh build
	@scripts/check-build-deps.sh
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

## Not part of `make test`: the real-shop scenarios with compare mode on, against a WordPress and a WooCommerce you
## point it at (copied, never changed, nothing downloaded): make test-real WP_DIR=… WC_DIR=… (tests/real/README.md).
test-real: build
	@scripts/test-real.sh "$(WP_DIR)" "$(WC_DIR)" $(REAL_ARGS)

## Not part of `make test` either: the validation callback timed on such a shop, Klarna Checkout for WooCommerce
## alone (A) beside it with this plugin (B), queries, p50/p90 and requests/s, A/B alternated (nothing downloaded):
## make bench-real WP_DIR=… WC_DIR=… KCO_DIR=… (KCO_DIR optional: B only); report in
## tests/artifacts/bench-real-<WooCommerce version>.md (tests/real/README.md).
bench-real: build
	@scripts/bench-real.sh "$(WP_DIR)" "$(WC_DIR)" "$(KCO_DIR)"

test-cli: build
	@scripts/test-cli.sh

## The package's test installs it into the system's PHP and purges it again (root; see scripts/test-deb.sh).
test-deb: build
	@scripts/test-deb.sh

## The plugin zip's test: the end-to-end suite against the unzipped copy.
test-dist: build
	@scripts/test-dist.sh

## The Debian package of the extension: target/debian/php8.2-kco-validation_<version>_<arch>.deb, lintian-checked.
deb: build
	@scripts/deb.sh

## The WordPress plugin as a zip to upload in wp-admin: target/dist/kco-validation-<version>.zip.
dist:
	@scripts/dist.sh

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

## Installs the built extension into Debian's PHP (all SAPIs): /usr/lib/php/<api>/ and mods-available, the same
## files as the package (`make deb`), which is the better way on a server. Not over the package's files.
PACKAGED = dpkg-query -W -f='$${Status}' php8.2-kco-validation 2>/dev/null | grep -q 'ok installed'
install: build
	@if $(PACKAGED); then echo "make install: the php8.2-kco-validation package owns these files; apt-get purge it first, or upgrade the package (make deb)"; exit 1; fi
	install -m 0644 $(SO) $(DESTDIR)$(EXT_DIR)/kco_validation.so
	install -m 0644 debian/kco_validation.ini $(DESTDIR)/etc/php/$(PHP_MINOR)/mods-available/kco_validation.ini
	phpenmod -v $(PHP_MINOR) kco_validation
	@$(PHP) -m | grep -qx kco_validation && echo "kco_validation is enabled; restart php$(PHP_MINOR)-fpm or your web server."

## Undoes `make install` (again: nothing to do, nothing printed), php-common's state records included.
uninstall:
	@if $(PACKAGED); then echo "make uninstall: the extension comes from the php8.2-kco-validation package: apt-get purge php8.2-kco-validation"; exit 1; fi
	@if [ -e $(DESTDIR)/etc/php/$(PHP_MINOR)/mods-available/kco_validation.ini ]; then phpdismod -v $(PHP_MINOR) kco_validation; fi
	rm -f $(DESTDIR)/etc/php/$(PHP_MINOR)/mods-available/kco_validation.ini $(DESTDIR)$(EXT_DIR)/kco_validation.so
	rm -f $(DESTDIR)/var/lib/php/modules/$(PHP_MINOR)/*/*_by_*/kco_validation $(DESTDIR)/var/lib/php/modules/$(PHP_MINOR)/registry/kco_validation

bench: build
	@scripts/install-deps.sh bench
	@scripts/bench.sh

## Coverage-guided fuzzing of parse and validate (FUZZ_SECONDS per target, default 600).
fuzz:
	@scripts/install-deps.sh build
	@scripts/fuzz.sh

clean:
	cargo clean
