#!/bin/sh
# tests/install.sh: `make install` and `make uninstall`, in a temporary DESTDIR with
# PREFIX=/usr/local, as `make check` runs it (after the Check suites) and as any user may.
#
# Installs into an empty DESTDIR; checks the files, their bytes and modes, and the folders'
# modes; runs the installed pipegrade from a folder without grading.yaml (--version, --help,
# list and check-config must find the installed course, and its reference solution of 01-hello
# must score full marks); shows the man pages, English and Spanish, with man -l (skipped,
# saying why, without man); uninstalls and checks that nothing is left. Then installs twice
# into a DESTDIR whose bin/ exists and holds someone else's file, uninstalls, and checks that
# only those are left. And builds two objects with `CFLAGS=-O0 WERROR=1` in a temporary build
# folder: a CFLAGS of the user's own keeps the flags the code needs.
#
# Run after a build: sh tests/install.sh (from anywhere). Uses $MAKE (else make) and
# $BUILD (else the Makefile's default); the tree is only read when the build is up to date.
# Prints one line per check and, last, "N passed, M failed"; exits 1 when a check failed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
make=${MAKE:-make}
prefix=/usr/local
. "$top/tests/checks.sh"

[ -f "$top/Makefile" ] && [ -f "$top/docs/pipegrade.1" ] || {
	bad "run from the repository's top (no Makefile or docs/pipegrade.1 in $top)"
	finish
}
T=$(mktemp -d "${TMPDIR:-/tmp}/pipegrade-install-test.XXXXXX") || {
	bad "create a temporary folder"
	finish
}
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
dest=$T/dest
root=$dest$prefix
share=$root/share/pipegrade
page=$root/share/man/man1/pipegrade.1
page_es=$root/share/man/es/man1/pipegrade.1
pg=$root/bin/pipegrade

# mk TARGET LOG: make TARGET into the temporary DESTDIR.
mk() {
	"$make" --no-print-directory -C "$top" ${BUILD:+BUILD="$BUILD"} DESTDIR="$dest" \
		PREFIX="$prefix" "$1" >"$2" 2>&1
}

# --- make install -------------------------------------------------------------------------
if mk install "$T/install.log"; then
	ok "make install DESTDIR=... PREFIX=$prefix"
else
	bad "make install DESTDIR=... PREFIX=$prefix"
	show "$T/install.log"
	finish
fi

# --- the files and their modes -------------------------------------------------------------
mode() { stat -c %a "$1"; }
expect "bin/pipegrade: mode 755, the build's binary" \
	eval '[ "$(mode "$pg")" = 755 ] && cmp -s "$pg" "$top/${BUILD:-build/plain}/pipegrade"'
expect "share/man/man1/pipegrade.1: mode 644, docs/pipegrade.1" \
	eval '[ "$(mode "$page")" = 644 ] && cmp -s "$page" "$top/docs/pipegrade.1"'
expect "share/man/es/man1/pipegrade.1: mode 644, docs/pipegrade.es.1" \
	eval '[ "$(mode "$page_es")" = 644 ] && cmp -s "$page_es" "$top/docs/pipegrade.es.1"'
(cd "$top" && find grading.yaml exercises solutions -type f | LC_ALL=C sort) >"$T/want"
(cd "$share" && find . -type f ! -name .manifest | sed 's|^\./||' | LC_ALL=C sort) >"$T/got"
expect "share/pipegrade: grading.yaml, exercises/ and solutions/, nothing else" \
	cmp -s "$T/want" "$T/got"
cmp -s "$T/want" "$T/got" || diff "$T/want" "$T/got" | sed 's/^/    | /'
wrong=""
while IFS= read -r f; do
	want=644
	[ -x "$top/$f" ] && want=755
	{ cmp -s "$top/$f" "$share/$f" && [ "$(mode "$share/$f")" = $want ]; } || wrong="$wrong $f"
done <"$T/want"
expect "every course file: the same bytes, mode 644 (755 for a program) (wrong:${wrong:- none})" \
	test -z "$wrong"
wrong=$(find "$dest" -mindepth 1 -type d ! -perm 755 | sed "s|^$dest||" | tr '\n' ' ')
expect "every folder: mode 755 (wrong: ${wrong:-none})" test -z "$wrong"

# --- the installed pipegrade, from a folder without grading.yaml ---------------------------
mkdir "$T/elsewhere"
cd "$T/elsewhere" || finish
want_version="pipegrade $(sed -n 's/^#define PIPEGRADE_VERSION "\(.*\)"$/\1/p' "$top/harness/main.c")"
expect "pipegrade --version: $want_version" eval '[ "$("$pg" --version)" = "$want_version" ]'
"$pg" --help >"$T/help" 2>&1
expect "pipegrade --help: the usage, and where the installed course is looked for" \
	eval 'grep -q "^usage: pipegrade grade \[options\] PATH$" "$T/help" &&
	      grep -q "share/pipegrade/grading.yaml" "$T/help"'
"$pg" list >"$T/list" 2>&1
rc=$?
expect "pipegrade list: the installed course's exercises, 01-hello to 08-pipex" \
	eval '[ $rc -eq 0 ] && grep -q "^01-hello  " "$T/list" && grep -q "^08-pipex  " "$T/list"'
[ $rc -eq 0 ] || show "$T/list"
"$pg" check-config >"$T/check" 2>&1
if grep -q "^$share/grading.yaml: ok, [0-9]* exercises" "$T/check"; then
	ok "pipegrade check-config: reads the installed grading.yaml"
else
	bad "pipegrade check-config: reads the installed grading.yaml"
	show "$T/check"
fi
"$pg" grade -e 01-hello "$share/solutions/01-hello" </dev/null >"$T/grade" 2>&1
rc=$?
expect "pipegrade grade: the installed reference solution of 01-hello scores full marks" \
	eval '[ $rc -eq 0 ] && grep -q "^Score: \([0-9]*\)/\1$" "$T/grade"'
[ $rc -eq 0 ] || show "$T/grade"
cd "$top" || finish

# --- the man pages -------------------------------------------------------------------------
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 MANPAGER=cat PAGER=cat man -l "$page" >"$T/man" 2>"$T/man.err"
	rc=$?
	expect "man -l share/man/man1/pipegrade.1: shown, without a warning" \
		eval '[ $rc -eq 0 ] && [ ! -s "$T/man.err" ] && grep -q "^SYNOPSIS" "$T/man" &&
		      grep -q "pipegrade grade \[options\] path" "$T/man"'
	[ $rc -eq 0 ] && [ ! -s "$T/man.err" ] || show "$T/man.err"
	MANWIDTH=80 MANPAGER=cat PAGER=cat man -l "$page_es" >"$T/man.es" 2>"$T/man.es.err"
	rc=$?
	expect "man -l share/man/es/man1/pipegrade.1: shown, without a warning" \
		eval '[ $rc -eq 0 ] && [ ! -s "$T/man.es.err" ] && grep -q "^SINOPSIS" "$T/man.es" &&
		      grep -q "pipegrade grade \[opciones\] ruta" "$T/man.es"'
	[ $rc -eq 0 ] && [ ! -s "$T/man.es.err" ] || show "$T/man.es.err"
else
	echo "skip man -l share/man/man1/pipegrade.1: man is not installed"
	echo "skip man -l share/man/es/man1/pipegrade.1: man is not installed"
fi

# --- a CFLAGS of the user's own ---------------------------------------------------------
# `make CFLAGS=-O0` replaces only the optimisation and debugging flags: C17, _GNU_SOURCE (which
# declares execvpe, pipe2 and sigabbrev_np) and the warnings stay, so with WERROR=1 the files
# that use them still compile.
if "$make" --no-print-directory -C "$top" BUILD="$T/cflags" CFLAGS=-O0 WERROR=1 \
	"$T/cflags/harness/run.o" "$T/cflags/harness/util.o" >"$T/cflags.log" 2>&1 &&
	grep -q -- "-std=c17 -D_GNU_SOURCE .*-Werror.* -O0" "$T/cflags.log"; then
	ok "make CFLAGS=-O0 WERROR=1: harness/run.c and util.c compile, with -std=c17 -D_GNU_SOURCE"
else
	bad "make CFLAGS=-O0 WERROR=1: harness/run.c and util.c compile, with -std=c17 -D_GNU_SOURCE"
	show "$T/cflags.log"
fi

# --- make uninstall ------------------------------------------------------------------------
if mk uninstall "$T/uninstall.log"; then
	ok "make uninstall DESTDIR=... PREFIX=$prefix"
else
	bad "make uninstall DESTDIR=... PREFIX=$prefix"
	show "$T/uninstall.log"
fi
left=$(cd "$dest" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
expect "uninstall leaves nothing (left: ${left:-nothing})" test -z "$left"
mk uninstall "$T/again.log"
rc=$?
expect "make uninstall again: nothing to do, and says so" \
	eval '[ $rc -eq 0 ] && grep -q "pipegrade is not installed" "$T/again.log"'

# --- into a bin/ that holds someone else's file, twice -------------------------------------
# The second install replaces the first; uninstall then removes what install put and the
# folders it created, and keeps bin/, which it did not create, with the other file.
rm -rf "$dest"
mkdir -p "$root/bin"
echo "not pipegrade's" >"$root/bin/other-tool"
mk install "$T/install1.log" && mk install "$T/install2.log" && mk uninstall "$T/uninstall2.log"
rc=$?
left=$(cd "$dest" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
expect "install, install again, uninstall: only the folders and the file that were there are left (left: $left)" \
	eval '[ $rc -eq 0 ] && [ "$left" = "./usr ./usr/local ./usr/local/bin ./usr/local/bin/other-tool " ]'
[ $rc -eq 0 ] || cat "$T/install1.log" "$T/install2.log" "$T/uninstall2.log" | sed 's/^/    | /'

finish
