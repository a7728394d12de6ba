#!/bin/sh
# package.sh: the Gradescope autograder of one exercise (see docs/gradescope.md).
#
#   sh harness/gradescope/package.sh [--lang en|es|pt_BR] [-o FILE.zip] EXERCISE
#       writes gradescope-EXERCISE.zip (or FILE.zip) at the top of the repository
#   sh harness/gradescope/package.sh [--lang en|es|pt_BR] --dir DIR EXERCISE
#       lays the same files out in DIR (which must not exist yet) and does not zip them: what
#       tests/gradescope.sh uses, and what to zip by hand when no zip tool is installed
#
# The autograder holds pipegrade's sources (harness/*.[ch], Makefile), grading.yaml and every
# file it refers to (statements, inputs, expected outputs), .ci/install-deps, setup.sh and
# run_autograder (this exercise's id, the --lang and the exercise's points written in). No
# solutions and no tests. A built pipegrade ($PIPEGRADE_BIN, else ./pipegrade) checks that the
# exercise exists and that the copied grading.yaml finds every file it needs.
#
# Exit status: 0 done, 1 something failed (the message says what), 2 usage.
set -eu

start=$(pwd)
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
pg=${PIPEGRADE_BIN:-$top/pipegrade}

usage() {
	echo "usage: sh harness/gradescope/package.sh [--lang en|es|pt_BR] [-o FILE.zip | --dir DIR] EXERCISE" >&2
	echo "       (or: make gradescope EXERCISE=ID)" >&2
	exit 2
}
die() {
	echo "package.sh: $*" >&2
	exit 1
}

lang="" zip="" dir="" exercise=""
while [ $# -gt 0 ]; do
	case $1 in
	--lang) [ $# -ge 2 ] || usage; lang=$2; shift 2 ;;
	-o) [ $# -ge 2 ] || usage; zip=$2; shift 2 ;;
	--dir) [ $# -ge 2 ] || usage; dir=$2; shift 2 ;;
	-h | --help) usage ;;
	-*) echo "package.sh: unknown option $1" >&2; usage ;;
	*) [ -z "$exercise" ] || usage; exercise=$1; shift ;;
	esac
done
[ -z "$zip" ] || [ -z "$dir" ] || usage

[ -x "$pg" ] || die "no pipegrade binary at $pg: build it first (make), or set PIPEGRADE_BIN"
list=$("$pg" list "$top/grading.yaml") || die "$top/grading.yaml has errors (above); fix them first"
ids=$(printf '%s\n' "$list" | awk '/^[^ ]/ { printf "%s%s", sep, $1; sep = ", " }')

if [ -z "$exercise" ]; then
	echo "package.sh: say which exercise to package: make gradescope EXERCISE=ID" >&2
	echo "  (an autograder grades one exercise; the exercises are: $ids)" >&2
	exit 2
fi
case $exercise in
. | .. | *[!A-Za-z0-9._-]*) die "'$exercise' is not an exercise id; the exercises are: $ids" ;;
esac
case $lang in
'' | en | es | pt_BR) ;;
*) die "--lang must be en, es or pt_BR (got '$lang')" ;;
esac

# The exercise's total points, from "ID  TITLE  (N cases, P points)": run_autograder reports
# them as max_score when it cannot grade.
max_score=$(printf '%s\n' "$list" | awk -v ex="$exercise" '
	/^[^ ]/ && $1 == ex && match($0, /, [0-9.e+]+ points\)$/) {
		s = substr($0, RSTART + 2, RLENGTH - 2); sub(/ points\)$/, "", s); print s }')
[ -n "$max_score" ] || die "no exercise '$exercise' in $top/grading.yaml; the exercises are: $ids"

# Remove what we made if anything below fails.
made="" tmp=""
cleanup() {
	[ -z "$made" ] || rm -rf "$made"
	[ -z "$tmp" ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -n "$dir" ]; then
	[ ! -e "$dir" ] || die "$dir already exists; give a folder that does not exist yet"
	mkdir -p "$dir"
	out=$(cd "$dir" && pwd)
	made=$out
else
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/pipegrade-gradescope.XXXXXX")
	out=$tmp/autograder
	mkdir "$out"
fi

# copy PATH...: copies files from the repository's top to the same relative paths in $out.
copy() {
	for f in "$@"; do
		mkdir -p "$out/$(dirname "$f")"
		cp -p "$top/$f" "$out/$f"
	done
}

# pipegrade's sources and build.
cd "$top"
copy Makefile grading.yaml .ci/install-deps harness/*.c harness/*.h po/*.po

# Every file grading.yaml refers to: the values of "statement" and "file" keys, in block or
# flow style. A candidate that is not a regular file under the top (a word in a hint) is
# skipped; check-config below is what proves that nothing is missing.
refs=$(grep -oE '(^|[{,[:space:]])(statement|file):[[:space:]]*[^],}[:space:]][^],}]*' grading.yaml |
	sed -E -e 's/^[{,[:space:]]*(statement|file):[[:space:]]*//' -e 's/[[:space:]]+#.*$//' \
		-e 's/[[:space:]]+$//' -e 's/^"(.*)"$/\1/' -e "s/^'(.*)'\$/\\1/" | sort -u) || true
while IFS= read -r ref; do
	case $ref in
	'') continue ;;
	/*) die "grading.yaml refers to the absolute path $ref, which will not exist on Gradescope: make it relative to grading.yaml" ;;
	../* | */../* | *..) die "grading.yaml refers to $ref, outside the repository: move it inside" ;;
	esac
	if [ -f "$ref" ]; then copy "$ref"; fi
done <<EOF
$refs
EOF

sed -e "s|@EXERCISE@|$exercise|g" -e "s|@MAX_SCORE@|$max_score|g" \
	-e "s|@LANG_OPT@|${lang:+--lang $lang}|g" "$here/run_autograder.in" >"$out/run_autograder"
cp "$here/setup.sh" "$out/setup.sh"
chmod 0755 "$out/run_autograder" "$out/setup.sh"

"$pg" check-config "$out/grading.yaml" >/dev/null ||
	die "the autograder's grading.yaml misses a file it needs (above); is it written in an unusual way?"

if [ -n "$dir" ]; then
	made=""
	echo "laid out the Gradescope autograder of $exercise, $max_score points, in $out"
	exit 0
fi

# Zip the folder's contents (setup.sh and run_autograder at the zip's top, as Gradescope
# wants), keeping the executable bits.
zip=${zip:-$top/gradescope-$exercise.zip}
case $zip in /*) ;; *) zip=$start/$zip ;; esac
rm -f "$zip"
cd "$out"
zipped=0
if command -v zip >/dev/null 2>&1; then
	zip -q -r -X "$zip" . || zipped=$?
elif command -v bsdtar >/dev/null 2>&1; then
	bsdtar -a -c -f "$zip" .ci * || zipped=$?
elif command -v python3 >/dev/null 2>&1; then
	python3 -m zipfile -c "$zip" .ci * || zipped=$?
else
	die "cannot make the zip: none of zip, bsdtar or python3 is installed (apt-get install zip);
  or run: sh harness/gradescope/package.sh --dir DIR $exercise, and zip DIR's contents yourself"
fi
if [ "$zipped" -ne 0 ]; then
	rm -f "$zip"
	die "making $zip failed (status $zipped, above)"
fi
echo "wrote $zip ($(wc -c <"$zip" | tr -d ' ') bytes): the Gradescope autograder of $exercise, $max_score points (docs/gradescope.md)"
