# LeadFlow — the two commands that set up a fresh Debian 12 machine:
#   make run    install what is missing, build, create the demo database, serve on :8080
#   make test   install, build, run every suite (unit, ASan+UBSan unit, API on SQLite and
#               PostgreSQL, browser) and print CTest's summary
# Both are idempotent and work as root or as a user with sudo.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= sqlite:data/leadflow.db
PORT       ?= 8080
JOBS       ?= $(shell nproc)
# ccache: hits across clones and with the precompiled headers.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime

.PHONY: deps build web run test test-unit bench clean

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja web
	ninja -C $(BUILD) -j $(JOBS)

web: deps
	@bash scripts/build-web.sh

run: build
	@bash scripts/run.sh "$(BUILD)/leadflow" "$(DB)" "$(PORT)"

$(ASAN_BUILD)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLF_SANITIZE=ON -DLF_UNIT_ONLY=ON

test-unit: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD) -j $(JOBS) unit_tests

# A test that fails twice fails; one retry absorbs the rare browser hiccup on a loaded 2-core box.
test: build test-unit
	cd $(ASAN_BUILD) && ctest --output-on-failure
	cd $(BUILD) && ctest --output-on-failure --repeat until-pass:2

bench: build
	bash bench/create_lead.sh $(BUILD)/leadflow

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
