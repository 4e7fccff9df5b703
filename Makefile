# Thin wrapper for the README's two commands. The real build is CMake (CMakePresets.json).
#   make run   installs what is missing, builds the release preset and starts switchboard serve
#   make test  installs what is missing, builds and runs every test suite (debug, asan-ubsan)
JOBS ?= 2

.PHONY: deps build run test test-debug test-asan clean

deps:
	./scripts/install-deps.sh

build: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

run: build
	./build/bin/switchboard serve

test-debug: deps
	cmake --preset debug
	cmake --build --preset debug -j $(JOBS)
	ctest --preset debug -j $(JOBS)

test-asan: deps
	cmake --preset asan-ubsan
	cmake --build --preset asan-ubsan -j $(JOBS)
	ctest --preset asan-ubsan -j $(JOBS)

test: test-debug test-asan

clean:
	rm -rf build build-debug build-asan build-tsan
