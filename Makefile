# pipegrade: GNU make.
#   make              build ./pipegrade
#   make check        build and run every test (Check suites + end-to-end grading of fixtures)
#   make demo         grade the bundled reference solutions and the example class
#   make SANITIZE=address,undefined check   the same under AddressSanitizer and UBSan
#   make deps         install what a fresh Debian machine lacks (needs root or sudo)

CC      ?= cc
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_GNU_SOURCE $(WARN) -MMD -MP
LDLIBS  := -lm

ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
BUILD   := build/san
else
BUILD   := build/plain
endif

# Recursive (=) on purpose: `make demo` and `make check` install missing packages first, and
# these must be read after that.
YAML_CFLAGS  = $(shell pkg-config --cflags yaml-0.1 2>/dev/null)
YAML_LIBS    = $(shell pkg-config --libs yaml-0.1 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)
ARCHIVE_CFLAGS = $(shell pkg-config --cflags libarchive 2>/dev/null)
ARCHIVE_LIBS   = $(shell pkg-config --libs libarchive 2>/dev/null)

HARNESS_SRC := $(wildcard harness/*.c)
LIB_SRC     := $(filter-out harness/main.c,$(HARNESS_SRC))
LIB_OBJ     := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC    := $(wildcard tests/*.c)
TEST_OBJ    := $(TEST_SRC:%.c=$(BUILD)/%.o)

.PHONY: all check demo deps clean bench
all: pipegrade

# ./pipegrade is always the plain build; a sanitizer build links build/san/pipegrade.
pipegrade: $(BUILD)/pipegrade
ifeq ($(SANITIZE),)
	cp $< $@
endif

# libarchive is not linked: harness/archive_lib.c loads it when an archive is unpacked.
$(BUILD)/pipegrade: $(BUILD)/harness/main.o $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(YAML_LIBS) -ldl $(LDLIBS)

# -iquote, not -I: our "archive.h" must not hide libarchive's <archive.h>.
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(YAML_CFLAGS) $(ARCHIVE_CFLAGS) $(CHECK_CFLAGS) -iquote harness -c -o $@ $<

# The tests link libarchive themselves: they write the archives they unpack.
$(BUILD)/check_pipegrade: $(TEST_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS) $(YAML_LIBS) $(ARCHIVE_LIBS) -ldl $(LDLIBS)

# The suites find the sources, fixtures and the pipegrade binary from the repository's top.
check: deps
	$(MAKE) $(BUILD)/check_pipegrade $(BUILD)/pipegrade pipegrade
	PIPEGRADE_BIN=$(CURDIR)/$(BUILD)/pipegrade PIPEGRADE_TOP=$(CURDIR) $(BUILD)/check_pipegrade
	PIPEGRADE_BIN=$(CURDIR)/$(BUILD)/pipegrade sh tests/gradescope.sh

demo: deps
	$(MAKE) pipegrade
	@sh tests/demo.sh

deps:
	@sh .ci/install-deps

# make bench: the benchmarks (bench/run.sh); prints a table and writes docs/performance.md.
bench: pipegrade
	sh bench/run.sh

# make gradescope EXERCISE=ID [GRADESCOPE_LANG=es]: gradescope-ID.zip, see docs/gradescope.md.
.PHONY: gradescope
gradescope: pipegrade
	sh harness/gradescope/package.sh $(if $(GRADESCOPE_LANG),--lang $(GRADESCOPE_LANG)) $(EXERCISE)

clean:
	rm -rf build pipegrade


-include $(shell find $(BUILD) -name "*.d" 2>/dev/null)
