# Cosmolite: the README's two set-up commands.
#   make run    builds Cosmolite and runs its main job on the embedded default store
#   make test   runs the whole test suite
SWIFT ?= swift
STORE ?= ./cosmolite-store
BIN = .build/release/cosmolite

.PHONY: deps run test bench bench-vectors bench-fulltext bench-spatial clean

deps:
	@./scripts/install-deps.sh

run: deps
	$(SWIFT) build -c release --product cosmolite
	COSMOLITE_STORE=$(STORE) $(BIN) init --containers Containers --format table
	COSMOLITE_STORE=$(STORE) $(BIN) seed Seeds --format table
	COSMOLITE_STORE=$(STORE) $(BIN) providers list --page-size 10 --all --format table

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

# W1 beside the reference peers (raw LMDB, SQLite). ../shared/bench is read-only: run a private copy.
SIZES ?= s m
REPS ?= 3
bench:
	@./scripts/install-deps.sh bench
	$(SWIFT) build -c release --product cosmolite-w1
	rm -rf .bench && cp -r ../shared/bench .bench && chmod -R u+w .bench
	cd .bench && SIZES="$(SIZES)" REPS=$(REPS) W1_EXTRA="$$(printf 'cosmolite-durable|$(CURDIR)/.build/release/cosmolite-w1 --durability durable\ncosmolite-relaxed|$(CURDIR)/.build/release/cosmolite-w1 --durability relaxed')" ./run.sh
	@echo "results: .bench/RESULTS.md"

# Vector search with and without a vector index (ITEMS items of DIMENSIONS numbers), and full-text search with and
# without a full-text index (ITEMS items), and spatial queries over ITEMS points (checked against geographiclib),
# through the command line.
ITEMS ?= 20000
DIMENSIONS ?= 384
bench-vectors:
	$(SWIFT) build -c release --product cosmolite
	./scripts/bench-vectors.sh $(ITEMS) $(DIMENSIONS)

bench-fulltext:
	$(SWIFT) build -c release --product cosmolite
	./scripts/bench-fulltext.sh $(ITEMS)

bench-spatial:
	$(SWIFT) build -c release --product cosmolite
	./scripts/bench-spatial.sh $(ITEMS)

clean:
	rm -rf .build $(STORE)
