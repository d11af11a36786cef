# arsemu: one non-recursive Makefile for the whole tree.
#   make            build ./arsemu
#   make test       every test (unit, wire, ASan/UBSan, fuzz smoke, BATS, interop)
#   make demo       build, then bring the shipped example up, show it, tear it down
#   make install    PREFIX=/usr/local DESTDIR=
#   make unit       C unit tests only (no root)
#   make golden     regenerate test/golden (arsemu plan of every example)
#   make fuzz       libFuzzer targets (clang)
#   make analyze    gcc -fanalyzer -Werror over every source (objects in build-analyze)

PREFIX	?= /usr/local
DESTDIR	?=
BUILD	?= build
CC	?= cc
CFLAGS	?= -O2 -g
SAN	?=
# -Werror for the project's own builds (make test, CI: test/run.sh sets it),
# not forced on a user's newer compiler, whose new warnings must not break `make`.
WERROR	?=
PKGS	 = libmnl libcjson

WARN	 = -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wvla \
	   -Wno-unused-parameter -Wimplicit-fallthrough
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lmnl -lcjson)
ifneq ($(SAN),)
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS) -pthread

CORE_SRCS := $(wildcard lib/*.c topo/*.c bgp/*.c)
MODEL_SRCS := $(wildcard emu/model/*.c)
EMU_SRCS  := $(wildcard emu/*.c)
CMD_SRCS  := $(wildcard cmd/*.c)
UNIT_SRCS := $(wildcard test/unit/test_*.c)
FUZZ_SRCS := $(wildcard test/fuzz/fuzz_*.c)

CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
MODEL_OBJS := $(MODEL_SRCS:%.c=$(BUILD)/%.o)
EMU_OBJS  := $(EMU_SRCS:%.c=$(BUILD)/%.o)
CMD_OBJS  := $(CMD_SRCS:%.c=$(BUILD)/%.o)
UNIT_BINS := $(UNIT_SRCS:test/unit/%.c=$(BUILD)/test/%)

# Unit tests that reach kernel/process code (emu/ outside model/); every
# other test is pure and is linked without libemu.a.
UNIT_KERNEL := drillloss incr lab nl sharesync sync

.PHONY: all test unit unit-san demo install clean fuzz deps golden analyze
all: arsemu

# Objects depend on the flags they were built with: a build with other flags
# (WERROR, SAN, CFLAGS) rebuilds them instead of reusing what was built before.
FLAGS_STAMP := $(BUILD)/.cflags
$(FLAGS_STAMP): FORCE
	@mkdir -p $(BUILD)
	@echo '$(ALL_CFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS)' > $@
.PHONY: FORCE
FORCE:

$(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libcore.a: $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^
# The pure model (emu/model/: no kernel, no processes) is its own archive,
# below libemu.a: topo/ bgp/ lib/ -> emu/model/ -> emu/ -> cmd/.
$(BUILD)/libmodel.a: $(MODEL_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(BUILD)/libemu.a: $(EMU_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/arsemu: $(CMD_OBJS) $(BUILD)/libemu.a $(BUILD)/libmodel.a $(BUILD)/libcore.a
	$(CC) $(ALL_LDFLAGS) -o $@ $(CMD_OBJS) $(BUILD)/libemu.a $(BUILD)/libmodel.a $(BUILD)/libcore.a $(PKG_LIBS)

arsemu: $(BUILD)/arsemu
	cp $< $@.tmp && mv -f $@.tmp $@

# Unit tests link the archives: only the objects a test uses are pulled in.
# The pure model's tests link no libemu.a at all: they cannot reach the kernel.
PURE_UNITS := $(filter-out $(UNIT_KERNEL:%=$(BUILD)/test/test_%),$(UNIT_BINS))
$(PURE_UNITS): $(BUILD)/test/%: $(BUILD)/test/unit/%.o $(BUILD)/libmodel.a $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libmodel.a $(BUILD)/libcore.a $(PKG_LIBS)
$(BUILD)/test/%: $(BUILD)/test/unit/%.o $(BUILD)/libemu.a $(BUILD)/libmodel.a $(BUILD)/libcore.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libemu.a $(BUILD)/libmodel.a $(BUILD)/libcore.a $(PKG_LIBS)

unit: $(UNIT_BINS)
	@sh test/unit/run.sh $(UNIT_BINS)

unit-san:
	$(MAKE) BUILD=build-san SAN=1 CC=$(CC) unit

FUZZ_CC ?= clang
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS)
fuzz: $(FUZZ_SRCS:test/fuzz/%.c=build-fuzz/%)
build-fuzz/%: test/fuzz/%.c $(CORE_SRCS)
	@mkdir -p build-fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(CORE_SRCS) $(PKG_LIBS)
# fuzz_nsg evaluates what it parses with the pure model too
build-fuzz/fuzz_nsg: test/fuzz/fuzz_nsg.c $(CORE_SRCS) $(MODEL_SRCS)
	@mkdir -p build-fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -pthread -o $@ $< $(CORE_SRCS) $(MODEL_SRCS) $(PKG_LIBS)

# Static analysis: every source, the unit tests included, compiled with
# gcc's -fanalyzer and -Werror into a scratch directory; a finding fails it.
ANALYZE_DIR  = build-analyze
ANALYZE_OBJS = $(addprefix $(ANALYZE_DIR)/,$(CORE_SRCS:.c=.o) $(MODEL_SRCS:.c=.o) \
	       $(EMU_SRCS:.c=.o) $(CMD_SRCS:.c=.o) $(UNIT_SRCS:.c=.o))
analyze: $(ANALYZE_OBJS)
$(ANALYZE_DIR)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fanalyzer -Werror -c -o $@ $<

deps:
	sh scripts/deps.sh build

golden: arsemu
	sh test/golden/update.sh

demo: arsemu
	sh scripts/demo.sh examples/single-hub.json

# test/run.sh builds (with -Werror) before anything else runs
test:
	sh test/run.sh

install: arsemu
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 arsemu $(DESTDIR)$(PREFIX)/bin/arsemu
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 contrib/arsemu.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/arsemu

clean:
	rm -rf build build-san build-fuzz build-analyze arsemu

-include $(shell find $(BUILD) $(ANALYZE_DIR) -name '*.d' 2>/dev/null)
