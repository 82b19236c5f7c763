# Cosmolite: the README's two set-up commands.
#   make run    builds Cosmolite and runs its main job on the embedded default store
#   make test   runs the whole test suite
SWIFT ?= swift
STORE ?= ./cosmolite-store
BIN = .build/release/cosmolite

.PHONY: deps run test bench clean

deps:
	@./scripts/install-deps.sh

run: deps
	$(SWIFT) build -c release --product cosmolite
	COSMOLITE_STORE=$(STORE) $(BIN) init --containers Containers
	COSMOLITE_STORE=$(STORE) $(BIN) seed Seeds
	COSMOLITE_STORE=$(STORE) $(BIN) items list integration_providers --max-item-count 10 --all --format table

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

bench: deps
	$(SWIFT) build -c release --product cosmolite-w1
	W1_EXTRA="cosmolite-durable|$(CURDIR)/.build/release/cosmolite-w1 --durability durable" ../shared/bench/run.sh

clean:
	rm -rf .build $(STORE)
