# zhenxing - build, test and run.
#
#   make            build build/zhenxing
#   make run        install what is missing, build, create the demo database
#                   (var/demo.db), print a summary of it and serve the web
#                   UI on LISTEN (default 127.0.0.1:8080) with an admin login
#   make test       install what is missing, then build everything under
#                   AddressSanitizer + UBSan and run every test
#   make check      run the tests of the current build (no set-up)
#   make bench      run the benchmarks in bench/ (slow; not part of test)
#   make deps       only install the missing system packages
#   make clean      remove build output (var/ is kept)
#
# Variables:
#   SANITIZE=address,undefined   build with those sanitizers, into build-san/
#   DEBUG=1                      -O0 instead of -O2
#
# Every library comes through pkg-config except libcsv, which ships no .pc
# file and is linked with -lcsv.

CC      ?= cc
PKGS    := sqlite3 jansson libsodium xlsxwriter libzip expat yaml-0.1 \
           libmicrohttpd
OPT     := $(if $(DEBUG),-O0,-O2)
CFLAGS  := -std=c11 -D_GNU_SOURCE $(OPT) -g -Wall -Wextra -Werror \
           -Wshadow -Wstrict-prototypes -Wno-unused-parameter \
           -Isrc/core -Isrc/server $(shell pkg-config --cflags $(PKGS))
LDLIBS  := $(shell pkg-config --libs $(PKGS)) -lcsv -lm -lpthread

ifneq ($(SANITIZE),)
BUILD   := build-san
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
else
BUILD   := build
endif

CORE_SRC := $(wildcard src/core/*.c)
SRV_SRC  := $(wildcard src/server/*.c)
CLI_SRC  := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/builtin_plan.o
SRV_OBJ  := $(SRV_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libzx.a
BIN      := $(BUILD)/zhenxing
DEMO_DB  := var/demo.db
LISTEN   ?= 127.0.0.1:8080

.PHONY: all deps run test check bench clean
all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# The built-in plan is compiled into the library as a byte array, so that
# `zhenxing init` needs no file beside the binary.
BUILTIN_PLAN := plans/haimen-2020-2022.yaml
$(BUILD)/gen/builtin_plan.c: $(BUILTIN_PLAN)
	@mkdir -p $(dir $@)
	@{ echo '/* Generated from $< by the Makefile. */'; \
	   echo '#include "planstore.h"'; \
	   echo 'const char zx_builtin_plan[] = {'; \
	   od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	   echo '0x00 };'; \
	   echo 'const size_t zx_builtin_plan_len = sizeof(zx_builtin_plan) - 1;'; \
	 } > $@

$(BUILD)/gen/builtin_plan.o: $(BUILD)/gen/builtin_plan.c
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(SRV_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(SRV_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests -DZX_BIN='"$(abspath $(BIN))"' -o $@ $< $(LIB) \
	    $(LDFLAGS) $(LDLIBS) -lcriterion

deps:
	@scripts/deps.sh

# The demo database is rebuilt whenever the binary changes.
$(DEMO_DB): $(BIN)
	@mkdir -p var
	@rm -f $@ $@-wal $@-shm $@.admin
	$(BIN) --db $@ init
	$(BIN) --db $@ demo

# The demo's admin password is kept beside the demo database (mode 600)
# so that every `make run` can show it; a real installation prints it
# once, at the server's first start, and nowhere else.
run: deps
	@$(MAKE) --no-print-directory $(DEMO_DB)
	@$(BIN) --db $(DEMO_DB) summary
	@if [ -f $(DEMO_DB).admin ]; then \
	    echo "演示库管理员：admin，密码 $$(cat $(DEMO_DB).admin)"; fi
	@$(BIN) --db $(DEMO_DB) serve --listen $(LISTEN) \
	    --admin-password-file $(DEMO_DB).admin

test: deps
	@$(MAKE) --no-print-directory SANITIZE=address,undefined check

# C unit tests, then the API and browser tests (Node's test runner)
# against the real server of this build.
check: $(BIN) $(TEST_BIN)
	@tests/run.sh $(BUILD)
	@ZX_BIN=$(abspath $(BIN)) node --test tests/api/ tests/web/

$(BUILD)/bench/%: bench/indicators/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/assign-%: bench/assign/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

$(BUILD)/bench/flow-%: bench/flow/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

bench: $(BIN) $(BUILD)/bench/latency $(BUILD)/bench/compute \
       $(BUILD)/bench/assign-solve $(BUILD)/bench/flow-solve
	@scripts/deps.sh --bench
	@bench/import/run.sh $(BIN)
	@bench/indicators/run.sh $(BIN) province $(BUILD)/bench
	@bench/http/run.sh $(BIN) province
	@bench/assign/run.sh $(BUILD)/bench/assign-solve
	@bench/flow/run.sh $(BUILD)/bench/flow-solve

clean:
	rm -rf build build-san

-include $(CORE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(SRV_OBJ:.o=.d)
