# pipegrade: GNU make.
#   make              build ./pipegrade
#   make check        build and run every test (Check suites, end-to-end grading of fixtures,
#                     the Gradescope autograder, make install and uninstall)
#   make demo         grade the bundled reference solutions and the example class
#   make SANITIZE=address,undefined check   the same under AddressSanitizer and UBSan
#   make lint         gcc -fanalyzer and cppcheck over harness/, the format of the C sources
#                     (.clang-format), groff over the man pages
#   make format       format the C sources with clang-format
#   make install      ./pipegrade, its man pages and the course into PREFIX (/usr/local), under
#                     DESTDIR when given; make uninstall removes exactly what it put there
#   make deps         install what a fresh Debian machine lacks (needs root or sudo)
#   make student-kit  pipegrade-student-kit.tar.gz: the kit students build and grade with
#
# On the command line: CFLAGS is only optimisation and debugging (default -O2 -g) and LDFLAGS
# and CPPFLAGS are the user's too (as in git's Makefile): what the code needs (C17,
# _GNU_SOURCE, the warnings, the dependency files, the sanitizers) is in ALL_CFLAGS and
# ALL_LDFLAGS, which a CFLAGS given on the command line cannot drop. WERROR=1 makes every
# warning an error. BUILD=DIR builds in DIR (default build/plain, or build/san with SANITIZE);
# ./pipegrade is a copy of build/plain/pipegrade, made only by a build in build/plain.

CC       ?= cc
CFLAGS   ?= -O2 -g
LDFLAGS  ?=
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	    -Wwrite-strings -Wswitch-enum
ifeq ($(WERROR),1)
WARN     += -Werror
endif
DEPFLAGS := -MMD -MP
LDLIBS   := -lm

ifneq ($(SANITIZE),)
SAN_CFLAGS  := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LDFLAGS := -fsanitize=$(SANITIZE)
BUILD    := build/san
else
BUILD    := build/plain
endif

ALL_CFLAGS  = -std=c17 -D_GNU_SOURCE $(WARN) $(DEPFLAGS) $(SAN_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN_LDFLAGS) $(LDFLAGS)

# Recursive (=) on purpose: `make demo` and `make check` install missing packages first, and
# these must be read after that.
YAML_CFLAGS  = $(shell pkg-config --cflags yaml-0.1 2>/dev/null)
YAML_LIBS    = $(shell pkg-config --libs yaml-0.1 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)
ARCHIVE_CFLAGS = $(shell pkg-config --cflags libarchive 2>/dev/null)
ARCHIVE_LIBS   = $(shell pkg-config --libs libarchive 2>/dev/null)
DW_CFLAGS    = $(shell pkg-config --cflags libdw 2>/dev/null)
DW_LIBS      = $(shell pkg-config --libs libdw 2>/dev/null)
# -iquote, not -I: our "archive.h" must not hide libarchive's <archive.h>.
INCLUDES     = $(YAML_CFLAGS) $(ARCHIVE_CFLAGS) $(DW_CFLAGS) $(CHECK_CFLAGS) -iquote harness

HARNESS_SRC := $(wildcard harness/*.c)
LIB_SRC     := $(filter-out harness/main.c,$(HARNESS_SRC))
LIB_OBJ     := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC    := $(wildcard tests/*.c)
TEST_OBJ    := $(TEST_SRC:%.c=$(BUILD)/%.o)

.PHONY: all check demo deps clean bench lint format install uninstall FORCE
ifeq ($(BUILD),build/plain)
all: pipegrade
else
all: $(BUILD)/pipegrade
endif

# ./pipegrade is always the plain build; a sanitizer build, or one in another BUILD folder,
# links $(BUILD)/pipegrade only. The message catalogs go next to each: $(BUILD)/locale, and
# ./locale for ./pipegrade (i18n.h: a pipegrade finds them there).
pipegrade: $(BUILD)/pipegrade
ifeq ($(BUILD),build/plain)
	cp $< $@
	rm -rf locale && cp -R $(BUILD)/locale locale
endif

# ---- the message catalogs (po/, docs/translating.md) ---------------------------------------
# po/LANG.po compiled with msgfmt into $(BUILD)/locale/LANG/LC_MESSAGES/pipegrade.mo;
# `make pot` writes po/pipegrade.pot, every sentence of harness/ that goes through the catalog.
PO_LANGS := $(patsubst po/%.po,%,$(wildcard po/*.po))
MO       := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/pipegrade.mo)
MSGFMT   ?= msgfmt
XGETTEXT ?= xgettext
XGETTEXT_FLAGS = --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=P_:1,2 \
	--keyword=C_:1c,2 --flag=_:1:pass-c-format --flag=P_:1:pass-c-format \
	--flag=P_:2:pass-c-format --flag=C_:2:pass-c-format --add-comments=TRANSLATORS: \
	--add-location=file --sort-by-file --package-name=pipegrade --no-wrap

$(BUILD)/locale/%/LC_MESSAGES/pipegrade.mo: po/%.po
	@mkdir -p $(@D)
	$(MSGFMT) --check -o $@ $<

.PHONY: pot
pot:
	$(XGETTEXT) $(XGETTEXT_FLAGS) -o po/pipegrade.pot harness/*.c harness/*.h

# Everything is rebuilt when the compiler or a flag changes (as git's GIT-CFLAGS):
# $(BUILD)/FLAGS holds them, and is written only when they differ (never by a build that is
# up to date, which may run in a tree it cannot write: tests/install.sh as another user).
BUILD_FLAGS = $(CC) $(ALL_CFLAGS) $(INCLUDES) | $(ALL_LDFLAGS) $(LDLIBS)
$(BUILD)/FLAGS: FORCE
	@flags='$(subst ','\'',$(BUILD_FLAGS))'; \
	if [ "$$(cat $@ 2>/dev/null)" != "$$flags" ]; then \
		mkdir -p $(@D) && printf '%s\n' "$$flags" >$@; \
	fi

# libarchive is not linked: harness/archive_lib.c loads it when an archive is unpacked.
$(BUILD)/pipegrade: $(BUILD)/harness/main.o $(LIB_OBJ) | $(MO)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(YAML_LIBS) $(DW_LIBS) -ldl $(LDLIBS)

$(BUILD)/%.o: %.c $(BUILD)/FLAGS
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INCLUDES) -c -o $@ $<

# The tests link libarchive themselves: they write the archives they unpack.
$(BUILD)/check_pipegrade: $(TEST_OBJ) $(LIB_OBJ) | $(MO)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(CHECK_LIBS) $(YAML_LIBS) $(ARCHIVE_LIBS) $(DW_LIBS) -ldl $(LDLIBS)

# The suites find the sources, fixtures and the pipegrade binary from the repository's top.
check: deps
	$(MAKE) $(BUILD)/check_pipegrade $(BUILD)/pipegrade pipegrade
	sh tests/catalogs.sh
	PIPEGRADE_BIN=$(CURDIR)/$(BUILD)/pipegrade PIPEGRADE_TOP=$(CURDIR) $(BUILD)/check_pipegrade
	PIPEGRADE_BIN=$(CURDIR)/$(BUILD)/pipegrade sh tests/gradescope.sh
	MAKE='$(MAKE)' BUILD='$(BUILD)' sh tests/install.sh
	sh tests/ci_workflow.sh

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

# make student-kit: pipegrade-student-kit.tar.gz, what students get: pipegrade's sources, the
# exercises and grading.yaml with the hidden cases sealed; no solutions (docs/student-kit.md).
.PHONY: student-kit
student-kit: pipegrade
	./pipegrade kit -o pipegrade-student-kit.tar.gz

# ---- make lint ---------------------------------------------------------------------------
# Fails on any finding, after listing them all:
#  - gcc's static analyzer over harness/*.c, compiled with the project's flags, every warning
#    an error (to /dev/null: nothing is kept);
#  - cppcheck, in the one configuration the build compiles (-D_GNU_SOURCE), C11 (cppcheck's
#    name for C17), with what it knows of POSIX (--library=posix: fds, DIR and FILE leaks).
#    The system headers are not read (missingIncludeSystem); its checks that POSIX's
#    non-reentrant functions be replaced by their _r forms are off: pipegrade is
#    single-threaded (its workers are processes), and readdir_r is deprecated;
#  - the C sources against .clang-format (`make format` formats them);
#  - the man pages through groff's warnings, where groff is installed: docs/pipegrade.1, and
#    docs/pipegrade.es.1 (Spanish, in UTF-8) with -k, which reads it through preconv.
# A false positive is suppressed where it is, with the reason: `// cppcheck-suppress ID`.
LINT_CFLAGS = $(filter-out $(DEPFLAGS),$(ALL_CFLAGS)) $(INCLUDES) -Werror
CPPCHECK ?= cppcheck
CPPCHECK_FLAGS = -q --std=c11 --library=posix --enable=warning,portability,performance \
	--inline-suppr --error-exitcode=1 --template=gcc -D_GNU_SOURCE \
	$(filter -I% -D%,$(YAML_CFLAGS) $(ARCHIVE_CFLAGS) $(DW_CFLAGS)) -I harness \
	--suppress=missingIncludeSystem --suppress=readdirCalled --suppress=strtokCalled \
	--suppress=getpwuidCalled

CLANG_FORMAT ?= clang-format
FORMAT_SRC = $(wildcard harness/*.[ch] tests/*.[ch])

format:
	$(CLANG_FORMAT) -i $(FORMAT_SRC)

lint:
	@sh .ci/install-deps --lint
	@status=0; \
	echo "$(CC) -fanalyzer harness/*.c"; \
	for f in $(HARNESS_SRC); do \
		$(CC) $(LINT_CFLAGS) -fanalyzer -c -o /dev/null $$f || status=1; \
	done; \
	echo "$(CPPCHECK) harness/*.c"; \
	$(CPPCHECK) $(CPPCHECK_FLAGS) $(HARNESS_SRC) || status=1; \
	echo "$(CLANG_FORMAT) --dry-run harness/*.[ch] tests/*.[ch]"; \
	$(CLANG_FORMAT) --dry-run --Werror $(FORMAT_SRC) || status=1; \
	if command -v groff >/dev/null 2>&1; then \
		echo "groff -man -ww -z docs/pipegrade.1"; \
		groff -man -ww -z docs/pipegrade.1 2>&1 | { ! grep .; } || status=1; \
		echo "groff -k -man -ww -z docs/pipegrade.es.1"; \
		groff -k -man -ww -z docs/pipegrade.es.1 2>&1 | { ! grep .; } || status=1; \
	else \
		echo "groff is not installed: docs/pipegrade.1 and docs/pipegrade.es.1 not checked"; \
	fi; \
	if [ $$status -ne 0 ]; then echo "make lint: findings above"; fi; \
	exit $$status

# ---- make install, make uninstall --------------------------------------------------------
# The layout under $(DESTDIR)$(PREFIX): bin/pipegrade, share/man/man1/pipegrade.1 and its
# Spanish translation share/man/es/man1/pipegrade.1, the message catalogs
# share/locale/LANG/LC_MESSAGES/pipegrade.mo (found from bin/ as ../share/locale), and the course in share/pipegrade
# (grading.yaml, exercises/, solutions/), where an installed pipegrade looks when it is given
# no -c and finds no other grading.yaml: ../share/pipegrade from its own folder (so bin and
# share keep that place under PREFIX). install also writes
# share/pipegrade/.manifest: every file it put ("f PATH") and every folder it created
# ("d PATH"); uninstall removes those files, then those folders that are empty, and nothing
# else. Reinstalling removes the files of the earlier install first, and keeps its folders.
PREFIX  ?= /usr/local
DESTDIR ?=
bindir   = $(PREFIX)/bin
mandir   = $(PREFIX)/share/man
man1dir  = $(mandir)/man1
sharedir = $(PREFIX)/share/pipegrade

# Which folders a file of the course goes to is the course's own layout; modes are 0755 for
# folders and programs, 0644 for the rest, whatever the umask.
define INSTALL_SH
set -eu
manifest="$$dest$$sharedir/.manifest"
created="" made="" files=""
if [ -f "$$manifest" ]; then
	created=$$(sed -n 's/^d //p' "$$manifest")
	sed -n 's/^f //p' "$$manifest" | while IFS= read -r f; do rm -f "$$dest$$f"; done
	rm -f "$$manifest"
fi
folder() {
	[ -d "$$dest$$1" ] && return 0
	if [ "$$1" = / ]; then mkdir -p "$$dest"; return 0; fi
	folder "$$(dirname "$$1")"
	mkdir -m 755 "$$dest$$1"
	made="$$made$${made:+
}$$1"
}
put() {
	folder "$$(dirname "$$3")"
	install -m "$$1" "$$2" "$$dest$$3"
	files="$$files$${files:+
}$$3"
}
put 755 "$$bin" "$$bindir/pipegrade"
put 644 docs/pipegrade.1 "$$man1dir/pipegrade.1"
put 644 docs/pipegrade.es.1 "$$mandir/es/man1/pipegrade.1"
for mo in $$(cd "$$locales" && find . -name pipegrade.mo | LC_ALL=C sort); do
	put 644 "$$locales/$$mo" "$$localedir/$${mo#./}"
done
n=0
IFS='
'
set -f
for f in $$(find grading.yaml exercises solutions -type f | LC_ALL=C sort); do
	if [ -x "$$f" ]; then put 755 "$$f" "$$sharedir/$$f"; else put 644 "$$f" "$$sharedir/$$f"; fi
	n=$$((n + 1))
done
{
	printf '%s\n' "$$created" "$$made" | sed -n 's/^./d &/p'
	printf '%s\n' "$$files" | sed 's/^/f /'
} >"$$manifest"
chmod 644 "$$manifest"
echo "installed $$dest$$bindir/pipegrade, $$dest$$man1dir/pipegrade.1, $$dest$$mandir/es/man1/pipegrade.1 and the course ($$n files) in $$dest$$sharedir"
endef

define UNINSTALL_SH
set -eu
manifest="$$dest$$sharedir/.manifest"
if [ ! -f "$$manifest" ]; then
	echo "pipegrade is not installed in $$dest$$PREFIX: there is no $$manifest"
	exit 0
fi
folders=$$(sed -n 's/^d //p' "$$manifest" | LC_ALL=C sort -r)
sed -n 's/^f //p' "$$manifest" | while IFS= read -r f; do rm -f "$$dest$$f"; done
rm -f "$$manifest"
printf '%s\n' "$$folders" | while IFS= read -r d; do
	[ -z "$$d" ] || rmdir "$$dest$$d" 2>/dev/null || [ ! -d "$$dest$$d" ] ||
		echo "kept $$dest$$d: it holds files that make install did not put there"
done
echo "uninstalled pipegrade from $$dest$$PREFIX"
endef
export INSTALL_SH UNINSTALL_SH

install: $(BUILD)/pipegrade docs/pipegrade.1 docs/pipegrade.es.1 $(MO)
	@dest='$(subst ','\'',$(DESTDIR))' PREFIX='$(subst ','\'',$(PREFIX))' \
	locales='$(BUILD)/locale' localedir='$(subst ','\'',$(PREFIX))/share/locale' \
	bindir='$(subst ','\'',$(bindir))' man1dir='$(subst ','\'',$(man1dir))' \
	mandir='$(subst ','\'',$(mandir))' \
	sharedir='$(subst ','\'',$(sharedir))' bin='$(BUILD)/pipegrade' sh -c "$$INSTALL_SH"

uninstall:
	@dest='$(subst ','\'',$(DESTDIR))' PREFIX='$(subst ','\'',$(PREFIX))' \
	sharedir='$(subst ','\'',$(sharedir))' sh -c "$$UNINSTALL_SH"

clean:
	rm -rf build pipegrade locale


-include $(shell find $(BUILD) -name "*.d" 2>/dev/null)
