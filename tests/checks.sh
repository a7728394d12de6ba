# tests/checks.sh: what the shell test scripts (gradescope.sh, install.sh) share, sourced by
# them: one line per check ("ok   WHAT" or "FAIL WHAT"), counted, and a last line
# "N passed, M failed"; finish exits 1 when a check failed.
passed=0 failed=0

ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
# expect DESCRIPTION COMMAND...: one check, passed when COMMAND succeeds.
expect() {
	what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}
# show FILE: a log, indented, when a check failed.
show() { sed 's/^/    | /' "$1"; }
