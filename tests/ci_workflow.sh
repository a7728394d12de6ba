#!/bin/sh
# tests/ci_workflow.sh: the GitHub Actions workflow of docs/ci.md, as a student's CI runs it.
#
# Takes the `run:` steps of the workflow in docs/ci.md, in order and as written, and runs them
# in a repository laid out as a student's (exercise folders at its top, the course copied into
# .pipegrade/ as the workflow's second checkout does), as an ordinary user (the user
# pipegrade-check, made with useradd when the tests run as root), with stdin closed, no
# controlling terminal, and GITHUB_ACTIONS and GITHUB_STEP_SUMMARY set as GitHub sets them.
# The `sudo` step (make deps) is left out: this machine has the packages. The course's
# build folder is copied with it, times kept, so that `make -C .pipegrade pipegrade` finds it
# up to date when it is (it builds from scratch otherwise).
#
# Three runs: the reference solutions of 01-hello and 03-eof-wc (exit 0, no annotation, the
# summary table, a valid JUnit file); a faulty 01-hello (exit 1, an ::error annotation on
# 01-hello/hello.c); no exercise folder at all (exit 2, never a pass).
#
# Run after a build: sh tests/ci_workflow.sh (from anywhere); build/plain is copied when it is
# there. Prints one line per check and, last, "N passed, M failed";
# exits 1 when a check failed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/checks.sh"
user=pipegrade-check

T=$(mktemp -d "${TMPDIR:-/tmp}/pipegrade-ci-test.XXXXXX") || {
	bad "create a temporary folder"
	finish
}
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
chmod 755 "$T"

# The run: steps of the GitHub workflow, one per line, without the sudo ones.
awk '/^## GitHub Actions/ { gh = 1 } /^## GitLab/ { gh = 0 }
     gh && /^```yaml/ { y = 1; next } y && /^```/ { y = 0 }
     y && /^ *- run: / { sub(/^ *- run: /, ""); print }' "$top/docs/ci.md" |
	grep -v '^sudo ' >"$T/steps"
expect "docs/ci.md: the workflow's run steps found ($(wc -l <"$T/steps") without sudo)" \
	test "$(wc -l <"$T/steps")" -ge 2

# as_student CMD...: CMD as the ordinary user, or as ourselves when we are one.
if [ "$(id -u)" -eq 0 ]; then
	flock /etc/passwd sh -c "id -u $user >/dev/null 2>&1 ||
		useradd -m -s /usr/sbin/nologin $user" >/dev/null 2>&1
	if ! id -u "$user" >/dev/null 2>&1; then
		echo "skip the CI workflow: cannot create the user $user (useradd)"
		finish
	fi
	as_student() { runuser -u "$user" -- "$@"; }
else
	as_student() { "$@"; }
fi

# workspace NAME: a student's repository with the course in .pipegrade/.
workspace() {
	ws=$T/$1
	mkdir -p "$ws/.pipegrade"
	(cd "$top" && cp -a Makefile grading.yaml harness exercises .ci docs "$ws/.pipegrade/")
	if [ -d "$top/build/plain" ]; then
		mkdir -p "$ws/.pipegrade/build"
		cp -a "$top/build/plain" "$ws/.pipegrade/build/"
	fi
	[ "$(id -u)" -eq 0 ] && chown -R "$user" "$ws"
}

# run_workflow NAME: the steps in the workspace; the last step's status in $rc, and in
# $early the steps before it that failed.
run_workflow() {
	ws=$T/$1
	rc=0
	early=""
	n=0
	last=$(wc -l <"$T/steps")
	: >"$T/$1.summary"
	[ "$(id -u)" -eq 0 ] && chown "$user" "$T/$1.summary"
	while IFS= read -r step; do
		(cd "$ws" && as_student env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$ws" \
			CI=true GITHUB_ACTIONS=true GITHUB_WORKSPACE="$ws" \
			GITHUB_STEP_SUMMARY="$T/$1.summary" setsid -w sh -c "$step") \
			</dev/null >>"$T/$1.log" 2>&1
		rc=$?
		echo "[exit $rc] $step" >>"$T/$1.log"
		n=$((n + 1))
		[ "$rc" -eq 0 ] || [ "$n" -eq "$last" ] || early="$early [$step]"
	done <"$T/steps"
	expect "$1: every step before the last exits 0 (failed:${early:- none})" test -z "$early"
}

# --- the reference solutions --------------------------------------------------------------
workspace pass
mkdir "$T/pass/01-hello" "$T/pass/03-eof-wc"
cp "$top"/solutions/01-hello/*.c "$T/pass/01-hello/"
cp "$top"/solutions/03-eof-wc/*.c "$T/pass/03-eof-wc/"
[ "$(id -u)" -eq 0 ] && chown -R "$user" "$T/pass"
run_workflow pass
expect "solutions: the grade step exits 0" test "$rc" -eq 0
expect "solutions: both exercises graded, 20/20" grep -q "^Total: 20/20 (2 exercises)$" "$T/pass.log"
expect "solutions: no ::error annotation" eval '! grep -q "^::error" "$T/pass.log"'
expect "solutions: the step summary holds the table" grep -q "mensaje corto" "$T/pass.summary"
if command -v xmllint >/dev/null 2>&1; then
	expect "solutions: pipegrade.xml is well-formed JUnit" \
		eval 'xmllint --noout "$T/pass/pipegrade.xml" && grep -q "<testsuites" "$T/pass/pipegrade.xml"'
else
	echo "skip xmllint on pipegrade.xml: xmllint is not installed"
fi
expect "solutions: pipegrade.md written" test -s "$T/pass/pipegrade.md"
[ "$rc" -eq 0 ] || show "$T/pass.log"

# --- a faulty submission --------------------------------------------------------------------
workspace fail
mkdir "$T/fail/01-hello"
cp "$top"/tests/fixtures/01-hello/no-newline/*.c "$T/fail/01-hello/"
[ "$(id -u)" -eq 0 ] && chown -R "$user" "$T/fail"
run_workflow fail
expect "faulty: the grade step exits 1" test "$rc" -eq 1
expect "faulty: an ::error annotation on 01-hello/hello.c" \
	grep -q "^::error file=01-hello/hello.c," "$T/fail.log"
expect "faulty: the step summary shows a failed case" grep -q "✘" "$T/fail.summary"
[ "$rc" -eq 1 ] || show "$T/fail.log"

# --- nothing to grade -----------------------------------------------------------------------
workspace none
echo "# ejercicios" >"$T/none/README.md"
run_workflow none
expect "no exercise folder: the grade step exits 2, not 0" test "$rc" -eq 2
expect "no exercise folder: says what it looked for" grep -q "nothing to grade" "$T/none.log"
[ "$rc" -eq 2 ] || show "$T/none.log"

finish
