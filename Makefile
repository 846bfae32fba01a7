# Insigne — set-up, run, test and benchmark on a fresh Debian machine.
#   make run    builds and starts the service on ./data (SQLite, demo data seeded once)
#   make demo   the command-line round trip (keygen → sign → bake → verify) in ./demo
#   make test   builds and passes every test (unit, interop with the official 1EdTech tools)
#   make bench  release build, throughput against raw OpenSSL measured in the same run
#   make fuzz   coverage-guided fuzzing (libFuzzer + ASan) of every parser of untrusted input, FUZZ_SECONDS each

SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
VENV := .venv
APT_PACKAGES := libssl-dev libpng-dev libsqlite3-dev libhpdf-dev libqrencode-dev fonts-dejavu-core zlib1g-dev pkg-config openssl ca-certificates \
	qpdf poppler-utils zbar-tools \
	chromium chromium-driver
# The official 1EdTech validator and bakery, pinned together (see ../shared/CONFORMANCE.md): installed with --no-deps.
PY_PACKAGES := openbadges==1.1.2 openbadges-bakery==2.0.0 aniso8601==9.0.1 Click==6.7 future==0.16.0 \
	jsonschema==2.6.0 language-tags==0.4.3 pycryptodome==3.20.0 pydux==0.2.2 PyLD==0.7.1 python-jose==3.0.1 \
	python-mimeparse==1.6.0 pytz==2017.2 requests==2.31.0 requests-cache==0.4.13 validators==0.11.2 rfc3986==1.5.0 \
	pypng==0.20220715.0 defusedxml==0.7.1 six==1.16.0 certifi==2024.2.2 charset-normalizer==3.3.2 idna==3.6 \
	urllib3==2.2.1 decorator==5.1.1 ecdsa==0.18.0 rsa==4.9 pyasn1==0.5.1
VENV_STAMP := $(VENV)/.installed-$(shell echo "$(PY_PACKAGES)" | cksum | cut -d' ' -f1)
# The real-browser test (Tests/Browser/browser_test.py) gets its own venv: Selenium must not disturb the
# pinned --no-deps set above. selenium 4.52 needs a certifi newer than the registry serves (CONFORMANCE.md).
BROWSER_VENV := .venv-browser
BROWSER_PY_PACKAGES := selenium<4.52
BROWSER_VENV_STAMP := $(BROWSER_VENV)/.installed-$(shell echo "$(BROWSER_PY_PACKAGES)" | cksum | cut -d' ' -f1)
# The SMTP tests (Tests/InteropTests/SMTPInteropTests.swift) talk to a real aiosmtpd process (Tests/Interop/
# smtp_server.py), in a venv of its own: aiosmtpd needs a newer Python than the validator's pinned set allows.
SMTP_VENV := .venv-smtp
SMTP_PY_PACKAGES := aiosmtpd==1.4.6 atpublic==5.0 attrs==24.2.0
SMTP_VENV_STAMP := $(SMTP_VENV)/.installed-$(shell echo "$(SMTP_PY_PACKAGES)" | cksum | cut -d' ' -f1)
# Open Badges 3.0 references (Tests/Interop/ob3_*.py): openbadgeslib signs, bakes, verifies and publishes status
# lists; pyld canonicalizes (RDFC-1.0) independently of Insigne. Pinned with every dependency, in a venv of their own
# (pyld 3.3 cannot share the validator's pinned PyLD 0.7.1).
OB3_VENV := .venv-ob3
OB3_PY_PACKAGES := openbadgeslib==4.6.3 PyLD==3.3.0 cachetools==8.0.3 frozendict==2.5.1 lxml==6.2.1 \
	cryptography==51.0.1 cffi==2.1.1 pycparser==3.12 PyJWT==2.15.1 defusedxml==0.7.1 pypng==0.20220715.0
OB3_VENV_STAMP := $(OB3_VENV)/.installed-$(shell echo "$(OB3_PY_PACKAGES)" | cksum | cut -d' ' -f1)

.PHONY: deps apt-deps py-deps browser-deps smtp-deps ob3-deps build run demo test lint format bench clean fuzz fuzz-smoke

deps: apt-deps py-deps browser-deps smtp-deps ob3-deps

apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

py-deps: $(VENV_STAMP)

$(VENV_STAMP):
	@$(PYTHON) -c 'import sys; assert (3, 8) <= sys.version_info[:2] <= (3, 11), "the 1EdTech validator needs Python 3.8-3.11"'
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv; }
	rm -rf $(VENV) && $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps $(PY_PACKAGES)
	$(VENV)/bin/python Tests/Interop/official_tools.py selftest
	touch $@

browser-deps: $(BROWSER_VENV_STAMP)

$(BROWSER_VENV_STAMP): | apt-deps
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv; }
	rm -rf $(BROWSER_VENV) && $(PYTHON) -m venv $(BROWSER_VENV)
	$(BROWSER_VENV)/bin/pip install -q --disable-pip-version-check "$(BROWSER_PY_PACKAGES)"
	$(BROWSER_VENV)/bin/python -c 'import selenium; print("selenium", selenium.__version__)'
	touch $@

smtp-deps: $(SMTP_VENV_STAMP)

$(SMTP_VENV_STAMP):
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv; }
	rm -rf $(SMTP_VENV) && $(PYTHON) -m venv $(SMTP_VENV)
	$(SMTP_VENV)/bin/pip install -q --disable-pip-version-check $(SMTP_PY_PACKAGES)
	$(SMTP_VENV)/bin/python -c 'import aiosmtpd; print("aiosmtpd", aiosmtpd.__version__)'
	touch $@

ob3-deps: $(OB3_VENV_STAMP)

$(OB3_VENV_STAMP):
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv; }
	rm -rf $(OB3_VENV) && $(PYTHON) -m venv $(OB3_VENV)
	$(OB3_VENV)/bin/pip install -q --disable-pip-version-check --no-deps $(OB3_PY_PACKAGES)
	$(OB3_VENV)/bin/pip check -q --disable-pip-version-check
	$(OB3_VENV)/bin/python -c 'import openbadgeslib.ob3.ldp, pyld; print("openbadgeslib + pyld ready")'
	touch $@

build: apt-deps
	$(SWIFT) build

run: build
	.build/debug/insigne serve --data-dir data

demo: build
	.build/debug/insigne demo --dir demo

# Unit and API suites run in parallel; the interop suites (official tools, live server, SIGKILL) run one at a
# time afterwards so their timing is not distorted by the rest of the suite.
# The live-socket server tests (timeouts, chunked 413, proxy-aware rate limit) measure the server's own timing:
# they run with the interop suites, one at a time, not beside the parallel suites that load both cores.
LIVE_TESTS := ConnectionTimeoutTests|BodyLimitTests/chunked|ClientAddressTests/verifyRateLimit
test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip InteropTests --skip "$(LIVE_TESTS)"
	$(MAKE) fuzz-smoke
	$(SWIFT) test --skip-build --filter "InteropTests|$(LIVE_TESTS)" --no-parallel

# Coverage-guided fuzzing of every parser of untrusted input (Tests/Fuzz: one libFuzzer target per parser, seeded
# from Fixtures/, built with ASan into .build-fuzz/). Fails on any crash; the crashing input is kept under
# .build-fuzz/artifacts/<target>/ (add it to Fixtures/malformed/ with a regression test). Each target's executions are
# printed. `make fuzz-smoke` (a few seconds per target) runs inside `make test`.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3

fuzz: apt-deps
	SWIFT=$(SWIFT) bash Tests/Fuzz/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke: apt-deps
	SWIFT=$(SWIFT) bash Tests/Fuzz/fuzz.sh $(FUZZ_SMOKE_SECONDS)

# Formatting (swift format, shipped with the toolchain; rules in .swift-format): `make format` rewrites,
# `make lint` fails on any difference, then on any breach of the server's shape (.ci/check-structure.py).
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift
	$(PYTHON) .ci/check-structure.py

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

bench: apt-deps ob3-deps
	@command -v wrk >/dev/null || { SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release
	.build/release/insigne bench
	.build/release/insigne bench-server

clean:
	rm -rf .build .build-fuzz $(VENV) $(BROWSER_VENV) $(SMTP_VENV) $(OB3_VENV) demo artifacts
