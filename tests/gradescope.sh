#!/bin/sh
# tests/gradescope.sh: the Gradescope autograder of 04-pipeline, end to end, in a temporary
# folder laid out like Gradescope's /autograder (source, submission, results).
#
# harness/gradescope/package.sh --dir lays the autograder out in $T/source (no zip tool
# needed), its setup.sh builds pipegrade there (.ci/install-deps installs nothing when the
# build's packages are present, as they are after `make check`'s deps), and run_autograder
# grades, with AUTOGRADER_ROOT=$T: the reference solution (full marks), the same solution
# zipped in a folder, a faulty fixture (its exact score), a missing submission and a missing
# pipegrade (score 0 and the error text). Every results.json is checked with the strict JSON
# validator of the Check suites (tests/jsoncheck.c, compiled here).
#
# Run from anywhere: sh tests/gradescope.sh. Uses $PIPEGRADE_BIN, else ./pipegrade, to package.
# Prints one line per check and, last, "N passed, M failed"; exits 1 when a check failed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
ex=04-pipeline
. "$top/tests/checks.sh"

T=$(mktemp -d "${TMPDIR:-/tmp}/pipegrade-gradescope-test.XXXXXX") || {
	bad "create a temporary folder"
	finish
}
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


# json_ok FILE: FILE is one valid JSON value with the keys Gradescope reads.
json_ok() {
	[ -s "$1" ] && "$T/jsonv" "$1" &&
		grep -q '^  "score": ' "$1" && grep -q '^  "max_score": ' "$1" && grep -q '^  "tests": \[' "$1"
}
# score FILE: the top-level score of a results.json.
score() { sed -n 's/^  "score": \([0-9.]*\),$/\1/p' "$1"; }

# grade NAME: runs run_autograder on $T/submission; its output goes to $T/NAME.log.
grade() {
	rm -rf "$T/results"
	mkdir "$T/results"
	AUTOGRADER_ROOT=$T "$T/source/run_autograder" >"$T/$1.log" 2>&1
}

# --- the JSON validator ------------------------------------------------------------------
cat >"$T/jsonv.c" <<'EOF'
/* jsonv FILE: exit 0 when FILE is valid JSON (tests/jsoncheck.c), else print where it is not. */
#include <stdio.h>
#include <stdlib.h>

#include "jsoncheck.h"

int main(int argc, char **argv)
{
	static char text[4 << 20];
	FILE *f = argc == 2 ? fopen(argv[1], "rb") : NULL;
	if (!f)
		return 2;
	size_t len = fread(text, 1, sizeof text, f);
	int big = !feof(f);
	fclose(f);
	size_t at = big ? 1 : json_validate(text, len);
	if (at)
		fprintf(stderr, "%s: not valid JSON at byte %zu%s\n", argv[1], at, big ? " (too big)" : "");
	return at ? 1 : 0;
}
EOF
if ! ${CC:-cc} -std=c17 -O1 -I"$top/tests" -o "$T/jsonv" "$T/jsonv.c" "$top/tests/jsoncheck.c" \
	>"$T/cc.log" 2>&1; then
	bad "compile the JSON validator"
	show "$T/cc.log"
	finish
fi

# --- packaging ---------------------------------------------------------------------------
pg=${PIPEGRADE_BIN:-$top/pipegrade}
if ! PIPEGRADE_BIN=$pg sh "$top/harness/gradescope/package.sh" --dir "$T/source" "$ex" >"$T/package.log" 2>&1; then
	bad "package.sh --dir lays out the autograder of $ex"
	show "$T/package.log"
	finish
fi
ok "package.sh --dir lays out the autograder of $ex"

missing=""
for f in setup.sh run_autograder Makefile grading.yaml .ci/install-deps harness/main.c \
	harness/config.h exercises/$ex/README.md exercises/03-eof-wc/data/bytes.bin \
	exercises/08-pipex/data/grande.txt; do
	[ -f "$T/source/$f" ] || missing="$missing $f"
done
expect "the autograder holds the sources, grading.yaml and its files (missing:${missing:- none})" \
	test -z "$missing"
expect "setup.sh and run_autograder are executable" \
	test -x "$T/source/setup.sh" -a -x "$T/source/run_autograder"
expect "no solutions, fixtures or tests in the autograder" \
	test ! -e "$T/source/solutions" -a ! -e "$T/source/tests"
expect "run_autograder grades $ex" grep -q "^exercise='$ex'\$" "$T/source/run_autograder"

PIPEGRADE_BIN=$pg sh "$top/harness/gradescope/package.sh" --dir "$T/bad" no-such-exercise >"$T/bad.log" 2>&1
rc=$?
expect "package.sh refuses an unknown exercise, naming the real ones, and leaves nothing" \
	eval '[ "$rc" -eq 1 ] && grep -q "no exercise .no-such-exercise.*01-hello" "$T/bad.log" && [ ! -e "$T/bad" ]'

# --- setup.sh: build pipegrade in the autograder -----------------------------------------
if ! sh "$T/source/setup.sh" >"$T/setup.log" 2>&1 || [ ! -x "$T/source/pipegrade" ]; then
	bad "setup.sh builds pipegrade"
	tail -n 30 "$T/setup.log" | sed 's/^/    | /'
	finish
fi
ok "setup.sh builds pipegrade"
expect "setup.sh installed nothing (the build's packages are present)" \
	eval '! grep -q "^installing:" "$T/setup.log"'
expect "the autograder's grading.yaml finds all its files" \
	eval '"$T/source/pipegrade" check-config "$T/source/grading.yaml" >"$T/cc.log" 2>&1'

# --- run_autograder ----------------------------------------------------------------------
# results NAME SCORE: run_autograder exited 0 and wrote a valid results.json scoring SCORE.
results() {
	if [ "$rc" -ne 0 ]; then
		bad "$1: run_autograder exits 0 (got $rc)"
		show "$T/$1.log"
	elif ! json_ok "$T/results/results.json"; then
		bad "$1: results.json is valid JSON with score, max_score and tests"
		show "$T/$1.log"
	elif [ "$(score "$T/results/results.json")" != "$2" ]; then
		bad "$1: score $2 (got $(score "$T/results/results.json"))"
		show "$T/$1.log"
	else
		ok "$1: valid results.json, score $2"
	fi
}
rj=$T/results/results.json

cp -R "$top/solutions/$ex" "$T/submission"
grade solution
rc=$?
results "reference solution" 10
expect "reference solution: max_score 10, 9 tests, hidden cases after_published" \
	eval 'grep -q "^  \"max_score\": 10,\$" "$rj" && [ "$(grep -c "{\"name\": " "$rj")" -eq 9 ] &&
		[ "$(grep -c "\"visibility\": \"after_published\"" "$rj")" -eq 3 ]'

rm -rf "$T/submission"
mkdir -p "$T/submission/pipeline"
cp -R "$top/solutions/$ex/." "$T/submission/pipeline/"
grade folder
rc=$?
results "solution zipped in a folder" 10

rm -rf "$T/submission"
cp -R "$top/tests/fixtures/$ex/first-status" "$T/submission"
grade fixture
rc=$?
results "fixture first-status" 5
expect "fixture first-status: 4 cases lose points by wrong_exit" \
	eval '[ "$(grep -c "\"status\": \"failed\"" "$rj")" -eq 4 ] &&
		[ "$(grep -c "\"kind\": \"wrong_exit\"" "$rj")" -eq 4 ]'

rm -rf "$T/submission"
grade nosubmission
rc=$?
results "missing submission (pipegrade exits 2)" 0
expect "missing submission: output says the autograder failed, status 2 and pipegrade's error" \
	eval 'grep -q "^  \"output\": \"The autograder failed before it could grade your submission" "$rj" &&
		grep -q "status 2 (a usage or grading.yaml error)" "$rj" &&
		grep -q "No such file or directory" "$rj" && grep -q "^  \"max_score\": 10,\$" "$rj"'

cp -R "$top/solutions/$ex" "$T/submission"
mv "$T/source/pipegrade" "$T/source/pipegrade.off"
grade nopipegrade
rc=$?
mv "$T/source/pipegrade.off" "$T/source/pipegrade"
results "missing pipegrade (status 127)" 0
expect "missing pipegrade: output names status 127 and setup.sh" \
	eval 'grep -q "status 127 (the grading program could not be started (was setup.sh" "$rj"'

finish
