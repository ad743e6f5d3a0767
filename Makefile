# Build, test and set-up for the wsol toolkit. `make test` and `make demo` do their own set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := build

# LIBTORCH=<dir> builds against another libtorch (>= 2.1, CPU or CUDA) in its own scratch path, so
# objects compiled against different libtorch headers never mix.
LIBTORCH ?=
export LIBTORCH
ifeq ($(strip $(LIBTORCH)),)
SCRATCH := .build
else
SCRATCH := .build-libtorch-$(shell printf '%s' '$(abspath $(LIBTORCH))' | md5sum | cut -c1-8)
endif
SWIFT_FLAGS := --scratch-path $(SCRATCH)
# Swift Testing runs suites in parallel by default; libtorch's seed and thread count are
# process-wide, and 2 cores gain nothing from it.
TEST_FLAGS := --no-parallel

APT_PACKAGES := libtorch-dev libprotobuf-dev protobuf-compiler libopenblas0-openmp libopencv-dev \
                python3-torch python3-torchvision python3-opencv
# Headless Chromium loads the export-maps gallery in the Visualization tests.
APT_PACKAGES += chromium
# c10d's ProcessGroupGloo.hpp includes Gloo's headers (libtorch-dev does not ship them).
APT_PACKAGES += libgloo-dev
# The loader decodes JPEG with libjpeg-turbo itself (CxxBridge/src/jpeg_decode.cpp).
APT_PACKAGES += libjpeg62-turbo-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The libtorch 2.x lane: the pip CPU wheel's torch/ folder is a complete libtorch.
TORCH2_VENV := .venv-torch2
TORCH2_VERSION := 2.13.0+cpu
TORCH2_DIR = $(shell ls -d $(CURDIR)/$(TORCH2_VENV)/lib/python3*/site-packages/torch 2>/dev/null | head -1)

.PHONY: setup build debug test test-torch2 torch2-env test-bridge parity-full bench demo clean weights
.PHONY: photo-sources

setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  $(SUDO) apt-get update -q >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $$missing >/dev/null && \
	  echo "setup: installed$$missing"; \
	else echo "setup: system packages already present"; fi

# Builds and test runs put their temporary files (the tests' own, Python's, and the toolchain's
# TemporaryDirectory.* folders, which swift build leaves behind) in one folder per target, removed
# afterwards, pass or fail.
# The folder is named by the shell's process id too, so two test runs at once never share (or remove)
# each other's.
# Anything else left in it (a test that did not clean up; SwiftPM's own locks and generated sources
# aside) fails the target, named.
in_test_tmp = tmp=$(abspath $(SCRATCH))/tmp-$@-$$$$ && rm -rf $$tmp && mkdir -p $$tmp && \
	{ TMPDIR=$$tmp $(1); status=$$?; \
	  left=$$(find $$tmp -mindepth 1 -maxdepth 1 ! -name 'TemporaryDirectory.*' ! -name '*.lock' \
	    ! -name swift-generated-sources -printf '%f '); \
	  rm -rf $$tmp; \
	  if [ -n "$$left" ] && [ $$status = 0 ]; then echo "$@: left in the temporary directory: $$left"; status=1; fi; \
	  exit $$status; }

build: setup
	$(call in_test_tmp,swift build -c release $(SWIFT_FLAGS))
	@echo "built $(SCRATCH)/release/wsol"

debug: setup
	$(call in_test_tmp,swift build $(SWIFT_FLAGS))

test: setup tb-env
	$(call in_test_tmp,swift test $(SWIFT_FLAGS) $(TEST_FLAGS))

# pip's output when a venv cannot be made, kept in the build folder rather than the shared /tmp.
PIP_LOGS := $(SCRATCH)/logs

# Creates the venv with PyTorch's CPU wheel; prints one line and succeeds when that is impossible.
torch2-env:
	@if [ -n "$(TORCH2_DIR)" ]; then echo "torch2-env: $(TORCH2_DIR)"; exit 0; fi; \
	python3 -m venv $(TORCH2_VENV) && \
	mkdir -p $(PIP_LOGS) && $(TORCH2_VENV)/bin/pip install -q "torch==$(TORCH2_VERSION)" >$(PIP_LOGS)/torch2-pip.log 2>&1 \
	  && echo "torch2-env: installed torch $(TORCH2_VERSION)" \
	  || echo "torch2-env: cannot install torch==$(TORCH2_VERSION) here (see $(PIP_LOGS)/torch2-pip.log); the libtorch 2.x lane is skipped"

# The tensorboard pip package (and PIL, to decode images) in a venv, for the TensorBoard read-back
# tests; prints one line and succeeds when pip cannot install it (those tests then say they skipped).
TB_VENV := .venv-tb
.PHONY: tb-env
tb-env:
	@if $(TB_VENV)/bin/python3 -c "import tensorboard, PIL" 2>/dev/null; then echo "tb-env: $(TB_VENV)"; exit 0; fi; \
	rm -rf $(TB_VENV); \
	mkdir -p $(PIP_LOGS); { python3 -m venv $(TB_VENV) && $(TB_VENV)/bin/pip install -q tensorboard pillow; } >$(PIP_LOGS)/tb-pip.log 2>&1 \
	  && echo "tb-env: installed tensorboard in $(TB_VENV)" \
	  || { rm -rf $(TB_VENV); echo "tb-env: cannot install tensorboard here (see $(PIP_LOGS)/tb-pip.log); the TensorBoard read-back tests are skipped"; }

# The bridge tests against libtorch 2.x (the pip wheel's libtorch); silent when torch2-env said it
# could not install it.
test-torch2: setup torch2-env
	@dir="$$(ls -d $(CURDIR)/$(TORCH2_VENV)/lib/python3*/site-packages/torch 2>/dev/null | head -1)"; \
	if [ -z "$$dir" ] || [ ! -f "$$dir/lib/libtorch_cpu.so" ]; then exit 0; fi; \
	$(MAKE) --no-print-directory LIBTORCH="$$dir" test-bridge

test-bridge:
	$(call in_test_tmp,swift test $(SWIFT_FLAGS) $(TEST_FLAGS) --filter TorchTests)

# Model parity at full size (VGG16 at 224 with its 4096-wide classifier, ResNet50 at 224,
# InceptionV3 at 299) and the WSOL method's parity at 224 for every backbone: slower than `make test`
# needs to be, so separate; CI runs it.
parity-full: setup
	$(call in_test_tmp,WSOL_FULL_PARITY=1 swift test $(SWIFT_FLAGS) $(TEST_FLAGS) --filter 'ModelTests|MethodParityTests')

# Benchmarks: each bench/*.sh compares one hot path with PyTorch on this machine, in the same run,
# alternating the two for BENCH_ROUNDS rounds (default 5). Not tests: nothing asserts on time.
# scripts/bench.sh runs them all, each after the load settles, and saves the table of medians, ranges
# and loads as docs/BENCHMARKS.md. Run it on a machine nothing else uses (about an hour).
bench: setup
	scripts/bench.sh

# The workflow on photographs (scripts/demo.sh): pretrain resnet18 here (or WEIGHTS=<file>, ARCH=),
# fine-tune cam, bas and sfpnsc on 12 birds, evaluate each, export sfpnsc's maps beside cam's.
DEMO_DIR := demo-out
WEIGHTS ?=
ARCH ?=
demo: build photo-sources
	$(SCRATCH)/release/wsol doctor
	WSOL=$(CURDIR)/$(SCRATCH)/release/wsol WEIGHTS="$(WEIGHTS)" ARCH="$(ARCH)" scripts/demo.sh $(DEMO_DIR)

# The README's commands, run from a fresh clone of HEAD (scripts/test_docs.py).
.PHONY: test-docs
test-docs: setup
	/usr/bin/python3 scripts/test_docs.py

clean:
	rm -rf .build .build-libtorch-* $(DEMO_DIR)

# torchvision's ImageNet weights (weights/README.md): downloaded where internet exists, then each
# present file's SHA-256 is checked against the hex in its name.
WEIGHTS_URL := https://download.pytorch.org/models
WEIGHTS_FILES := vgg16-397923af.pth resnet50-0676ba61.pth inception_v3_google-0cc3c7bd.pth resnet18-f37072fd.pth

weights: build
	@weights/fetch.sh $(WEIGHTS_URL) $(WEIGHTS_FILES); status=$$?; \
	present=""; for f in $(WEIGHTS_FILES); do [ -f weights/$$f ] && present="$$present weights/$$f"; done; \
	if [ -n "$$present" ]; then $(SCRATCH)/release/wsol weights verify $$present || exit 1; \
	else echo "weights: no weight files present to verify"; fi; \
	exit $$status

# Photo sources for `wsol make-dataset` (docs/PHOTO-DATA.md): three Debian packages unpacked with
# `dpkg -x` under data/sources (ignored by git, never committed). Idempotent; one line of output.
PHOTO_SOURCES := data/sources
PHOTO_PACKAGES := tuxpaint-stamps-default scratch tuxpaint-data

photo-sources:
	@if [ -f $(PHOTO_SOURCES)/PACKAGES ]; then echo "photo-sources: $(PHOTO_SOURCES) ready"; exit 0; fi; \
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp" $(PHOTO_SOURCES).partial' EXIT; \
	if ! log=$$(cd "$$tmp" && apt-get download $(PHOTO_PACKAGES) 2>&1); then \
	  echo "photo-sources: apt-get download failed (network or package lists; try apt-get update): $$(echo "$$log" | grep -m1 '^E:')"; \
	  exit 1; fi; \
	rm -rf $(PHOTO_SOURCES).partial && mkdir -p $(PHOTO_SOURCES).partial && \
	for deb in "$$tmp"/*.deb; do dpkg -x "$$deb" $(PHOTO_SOURCES).partial || exit 1; \
	  dpkg-deb --showformat='$${Package} $${Version}\n' -W "$$deb" >>$(PHOTO_SOURCES).partial/PACKAGES; done && \
	rm -rf $(PHOTO_SOURCES) && mv $(PHOTO_SOURCES).partial $(PHOTO_SOURCES) && \
	echo "photo-sources: unpacked $$(paste -sd, $(PHOTO_SOURCES)/PACKAGES | sed 's/,/, /g') into $(PHOTO_SOURCES)"
