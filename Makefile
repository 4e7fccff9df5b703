# Thin wrapper for the README's two commands. The real build is CMake (CMakePresets.json).
#   make run   installs what is missing, builds the release preset and starts switchboard serve
#   make test  installs what is missing, builds and runs every test suite: debug (with the real-client
#              end-to-end tests), asan-ubsan, and the concurrency suites under tsan
JOBS ?= 2

.PHONY: deps build run test test-debug test-asan test-tsan clean
# The suites whose subject is concurrency (the MCP core, the result cache, agents.toml writes).
TSAN_TARGETS = host_mcp_tests host_engine_tests host_agents_tests

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

test-tsan: deps
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS) --target $(TSAN_TARGETS)
	ctest --preset tsan -j $(JOBS) -L concurrency

test: test-debug test-asan test-tsan

clean:
	rm -rf build build-debug build-asan build-tsan
