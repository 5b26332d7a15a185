# storywire - build, test, run.
#
#   make            install missing Debian packages, build ./storywire
#   make test       build normally and under ASan+UBSan, run every test
#   make run        build, load the demo corpus into demo.db, serve it on 127.0.0.1:8080
#                   (LISTEN=ADDR:PORT to change)
#   make fuzz       build the libFuzzer targets (clang)
#   make clean

PKGS     := sqlite3 libutf8proc libmicrohttpd zlib libxml-2.0 libcurl
CC       ?= cc
WARN     := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
DEFS     := -D_GNU_SOURCE
OPT      ?= -O2 -g
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl, libxml2 and libmicrohttpd are not linked: they are loaded on
# first use (src/core/lazylib.h), which saves ~17 ms of start-up a process
LAZY_PKGS := libmicrohttpd libxml-2.0 libcurl
PKG_LIBS   = $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null) -lstemmer -lpthread -lm -ldl

SRC      := $(sort $(shell find src -name '*.c'))
LIB_SRC  := $(filter-out src/cli/%,$(SRC))
CLI_SRC  := $(filter src/cli/%,$(SRC))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))

# build/<mode>/... ; mode "release" or "asan"
MODE     ?= release
ifeq ($(MODE),asan)
  OPT    := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDSAN  := -fsanitize=address,undefined
endif
B        := build/$(MODE)
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
BIN      := $(if $(filter asan,$(MODE)),$(B)/storywire,storywire)

.PHONY: all deps build test test-only run clean fuzz
all: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build

deps:
	@./scripts/install-deps.sh

build: $(BIN) $(TEST_BIN)

$(BIN): $(LIB_OBJ) $(CLI_OBJ)
	$(CC) $(OPT) $(LDSAN) -o $@ $^ $(PKG_LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/test.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(OPT) $(PKG_CFLAGS) -Isrc -o $@ $< $(LIB_OBJ) $(LDSAN) $(PKG_LIBS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(DEFS) $(OPT) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

JOBS     := $(shell nproc 2>/dev/null || echo 2)

test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build
	@$(MAKE) --no-print-directory -j$(JOBS) build MODE=asan
	@./tests/run.sh

test-only:
	@./tests/run.sh

run: all
	./storywire --db demo.db demo $(if $(LISTEN),--listen $(LISTEN))

fuzz: deps
	@./tests/fuzz/build.sh

clean:
	rm -rf build storywire
