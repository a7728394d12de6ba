#!/bin/sh
# bench/run.sh: pipegrade's benchmarks (`make bench`). Run from the repository's top, after
# `make pipegrade`. Prints a table and writes the same numbers, with a description of the
# machine, to docs/performance.md.
#
# Benchmarks report, they never fail: the exit status is 0 whether a target is met or not
# (only a missing ./pipegrade or compiler stops it). Each comparison runs both sides in the same
# run, interleaved, several times, and reports medians. Times come from bench/timeit.c
# (clock_gettime around fork/wait4), memory from getrusage(RUSAGE_CHILDREN), from samples of
# /proc/PID/status (VmHWM) of the pipegrade processes and from bench/hwm.c (preloaded into
# pipegrade, it reads VmHWM as each process exits); the "bare" sides are started by
# bench/spawn.c. The cases of grading.yaml are read with pipegrade's own parser
# (bench/dumpcases.c, linked with its objects), so both sides run the same arguments, stdin
# and files.
#
# Environment:
#   BENCH_REPS=N        runs of each side of benchmarks 1 and 4 (default 7 and 5)
#   BENCH_LEAK_REPS=N   runs of each side of benchmark 3 (default 3: valgrind takes ~20 s a run)
#   BENCH_BATCH_REPS=N  runs of benchmark 5 (default 3: about 80 s a run)
#   BENCH_ONLY="1 4"    run only these benchmarks (1 overhead, 2 verdict, 3 leaks, 4 suite,
#                       5 batch, 6 memory, 7 stress); docs/performance.md is then not written
#   BENCH_DOC=FILE      where to write the report (default docs/performance.md)
set -u
cd "$(dirname "$0")/.." || exit 0
top=$(pwd)
PG=$top/pipegrade
ONLY=${BENCH_ONLY:-1 2 3 4 5 6 7}
DOC=${BENCH_DOC:-docs/performance.md}
[ -n "${BENCH_ONLY:-}" ] && [ -z "${BENCH_DOC:-}" ] && DOC=""

R1=${BENCH_REPS:-7}      # overhead per case: pipegrade on, off, and the bare driver
R2=${BENCH_REPS:-5}      # whole suite: on, off and bare
R3=${BENCH_LEAK_REPS:-3} # leak checking: valgrind takes about 25 s a round
R5=${BENCH_BATCH_REPS:-3} # batch: -j1, -j2 and the rerun (about 80 s a round)

if [ ! -x "$PG" ]; then
	echo "bench: ./pipegrade is missing: run make first" >&2
	exit 0
fi

tmp=$(mktemp -d /tmp/pipegrade-bench.XXXXXX) || exit 0
# shellcheck disable=SC2317 # called by the traps
cleanup() {
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 141' PIPE
trap 'cleanup; exit 143' TERM
H=$tmp/bin
mkdir -p "$H" "$tmp/r"

# ---------------------------------------------------------------------------- helpers
CFL="-std=c17 -O2 -Wall -Wextra"
# shellcheck disable=SC2086 # CFL is split on purpose
if ! cc $CFL -o "$H/timeit" bench/timeit.c || ! cc $CFL -o "$H/spawn" bench/spawn.c ||
	! cc $CFL -shared -fPIC -o "$H/hwm.so" bench/hwm.c; then
	echo "bench: cannot compile the helpers in bench/" >&2
	exit 0
fi
# dumpcases links pipegrade's config parser: the objects make just built, else the sources.
DUMP=""
objs=""
for o in config config_data yamldoc util compare compare_diff i18n sha256; do
	objs="$objs build/plain/harness/$o.o"
done
# shellcheck disable=SC2086,SC2046 # flags split on purpose
if cc $CFL -D_GNU_SOURCE -iquote harness -o "$H/dumpcases" bench/dumpcases.c $objs \
	$(pkg-config --libs yaml-0.1 2>/dev/null || echo -lyaml) -lm 2>/dev/null ||
	cc $CFL -D_GNU_SOURCE -iquote harness -o "$H/dumpcases" bench/dumpcases.c \
	harness/config.c harness/config_data.c harness/yamldoc.c harness/util.c harness/compare.c \
	harness/compare_diff.c harness/i18n.c harness/sha256.c $(pkg-config --cflags --libs yaml-0.1 2>/dev/null) -lm
then
	DUMP=$H/dumpcases
	"$DUMP" -w grading.yaml >"$tmp/walls" || DUMP=""
fi
[ -n "$DUMP" ] || echo "bench: cannot build bench/dumpcases.c: the bare runs are skipped" >&2

# timeit wrapper: "WALL TREE_RSS_KB PG_HWM_KB PG_PSS_SUM_KB STATUS"
tm() { "$H/timeit" -m pipegrade -p "$H/hwm.so" "$@"; }

# median of the first column of stdin ("-" when empty)
median() {
	sort -g | awk '{ a[NR] = $1 } END {
		if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2];
		else printf "%.6g\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
maxcol() { # column N of stdin, the largest
	awk -v c="$1" 'NR == 1 || $c > m { m = $c } END { print (NR ? m : "-") }'
}
ratio() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN { if (b + 0 == 0) print "-"; else printf f, a / b }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%+.1f%%", (a / b - 1) * 100 }'; }
fmt() { awk -v x="$1" -v f="$2" 'BEGIN { if (x == "-" || x == "") print "-"; else printf f "\n", x }'; }
mib() { awk -v k="$1" 'BEGIN { if (k == "-" || k == "") print "-"; else printf "%.1f MiB\n", k / 1024 }'; }
verdict() { # condition in awk syntax
	if awk "BEGIN { exit !($1) }" 2>/dev/null; then echo "target met"; else echo "target missed"; fi
}
binary_of() { # exercise -> binary name from grading.yaml
	awk -v id="$1" '$1 == "-" && $2 == "id:" { cur = $3 } cur == id && $1 == "binary:" { print $2; exit }' grading.yaml
}
language_of() { # exercise -> "python" or "c", from grading.yaml
	awk -v id="$1" '$1 == "-" && $2 == "id:" { cur = $3 } cur == id && $1 == "language:" { print $2; found = 1; exit } END { if (!found) print "c" }' grading.yaml
}
# The python3 the cases run: the first in the sandbox's PATH (not a shim earlier in ours).
python_bin() {
	for dir in /usr/local/bin /usr/bin /bin; do
		[ -x "$dir/python3" ] && [ -f "$dir/python3" ] && { echo "$dir/python3"; return; }
	done
}
log() { printf '%s\n' "$*" >&2; }
is_on() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

ROWS=$tmp/rows   # the table: "benchmark|measure|value|target|verdict"
: >"$ROWS"
row() { printf '%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" >>"$ROWS"; }
NOTES=$tmp/notes # extra findings for the report, markdown
: >"$NOTES"

# How busy the machine is before we start: the share of every CPU's time used in one second
# by other processes (another job on the machine shows in every number below).
cpu_busy() {
	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit }' /proc/stat 2>/dev/null)
	sleep 1
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit }' /proc/stat 2>/dev/null)
	echo "$a $b" | awk 'NF == 4 && ($3 + $4 - $1 - $2) > 0 { printf "%.0f%%", ($3 - $1) / ($3 + $4 - $1 - $2) * 100; exit } { print "?" }'
}
busy_start=$(cpu_busy)
log "CPU busy with other work before the run: $busy_start of $(nproc 2>/dev/null || echo ?) CPUs"
t_start=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)

# ---------------------------------------------------------------------------- 1. overhead
bench_overhead() {
	log "== 1. overhead per case (trivial program, 200 cases; $R1 runs)"
	d=$tmp/b1
	mkdir -p "$d/sub"
	echo 'int main(void){return 0;}' >"$d/sub/trivial.c"
	gen() { # N FILE
		{
			printf 'course: "bench"\ndefaults:\n  compiler: cc\n'
			printf '  cflags: [-std=c17, -Wall, -Wextra, -O2]\nexercises:\n'
			printf '  - id: trivial\n    title: "a program that does nothing"\n'
			printf '    binary: trivial\n    build: auto\n    cases:\n'
			i=1
			while [ "$i" -le "$1" ]; do
				printf '      - name: "case %03d"\n        stdout: ""\n        exit: 0\n        points: 1\n' "$i"
				i=$((i + 1))
			done
		} >"$2"
	}
	gen 200 "$d/g200.yaml"
	gen 1 "$d/g1.yaml"
	cc -std=c17 -O2 -o "$d/trivial" "$d/sub/trivial.c"
	r=1
	while [ "$r" -le "$R1" ]; do
		# pipegrade on 200 cases and on 1 case: the difference / 199 is the cost of a case,
		# without the build and the start-up
		tm -- "$PG" grade -c "$d/g200.yaml" -e trivial "$d/sub" >>"$tmp/r/1.on200"
		tm -- "$PG" grade -c "$d/g1.yaml" -e trivial "$d/sub" >>"$tmp/r/1.on1"
		tm -- "$PG" grade --no-monitor -c "$d/g200.yaml" -e trivial "$d/sub" >>"$tmp/r/1.off200"
		tm -- "$PG" grade --no-monitor -c "$d/g1.yaml" -e trivial "$d/sub" >>"$tmp/r/1.off1"
		"$H/timeit" -- "$H/spawn" -n 200 -- "$d/trivial" >>"$tmp/r/1.bare"
		r=$((r + 1))
	done
	for f in on200 on1 off200 off1 bare; do
		awk '$5 != 0 && $5 != 1 { bad = 1 } END { exit bad }' "$tmp/r/1.$f" ||
			echo "- overhead: a run of \`$f\` ended with an unexpected status" >>"$NOTES"
	done
	# per run: ms per case
	paste "$tmp/r/1.on200" "$tmp/r/1.on1" | awk '{ printf "%.4f\n", ($1 - $6) / 199 * 1000 }' >"$tmp/r/1.on"
	paste "$tmp/r/1.off200" "$tmp/r/1.off1" | awk '{ printf "%.4f\n", ($1 - $6) / 199 * 1000 }' >"$tmp/r/1.off"
	awk '{ printf "%.4f\n", $1 / 200 * 1000 }' "$tmp/r/1.bare" >"$tmp/r/1.bms"
	paste "$tmp/r/1.on" "$tmp/r/1.bms" | awk '{ printf "%.4f\n", $1 - $2 }' >"$tmp/r/1.add_on"
	paste "$tmp/r/1.off" "$tmp/r/1.bms" | awk '{ printf "%.4f\n", $1 - $2 }' >"$tmp/r/1.add_off"
	on=$(median <"$tmp/r/1.on")
	off=$(median <"$tmp/r/1.off")
	bare=$(median <"$tmp/r/1.bms")
	add_on=$(median <"$tmp/r/1.add_on")
	add_off=$(median <"$tmp/r/1.add_off")
	tot_on=$(median <"$tmp/r/1.on200")
	tot_bare=$(median <"$tmp/r/1.bare")
	rss=$(cat "$tmp/r/1.on200" "$tmp/r/1.off200" | maxcol 3)
	tree=$(cat "$tmp/r/1.on200" "$tmp/r/1.off200" | maxcol 2)
	B="1. overhead per case"
	row "$B" "bare fork/exec + pipe, ms per case" "$(fmt "$bare" %.2f)" "" ""
	row "$B" "pipegrade, monitor on, ms per case" "$(fmt "$on" %.2f)" "" ""
	row "$B" "pipegrade, --no-monitor, ms per case" "$(fmt "$off" %.2f)" "" ""
	row "$B" "added per case, monitor on" "$(fmt "$add_on" %.2f) ms ($(ratio "$on" "$bare" %.1f)× bare)" "< 2 ms" "$(verdict "$add_on < 2")"
	row "$B" "added per case, --no-monitor" "$(fmt "$add_off" %.2f) ms" "< 2 ms" "$(verdict "$add_off < 2")"
	row "$B" "200 cases in one run: pipegrade (on) vs bare" "$(fmt "$tot_on" %.2f) s vs $(fmt "$tot_bare" %.2f) s" "" ""
	row "$B" "peak RSS: pipegrade / whole tree" "$(mib "$rss") / $(mib "$tree")" "" ""
	echo "ms per case, each run (on | off | bare): $(tr '\n' ' ' <"$tmp/r/1.on")| $(tr '\n' ' ' <"$tmp/r/1.off")| $(tr '\n' ' ' <"$tmp/r/1.bms")" >"$tmp/r/1.raw"
}

# ---------------------------------------------------------------------------- 1b. per call
# What the monitor adds to each call it stops at, from the cases' own times in the JSON report
# (execution_time, ms): (monitor on - --no-monitor) / calls, less the same for a case with no
# call. pipe() pays for its source location (its stack copied, its return awaited), write() to
# stdout for the output's attribution (its first bytes kept), fork() for the new process's
# source location on top of the fork event the monitor always stopped at.
bench_calls() {
	log "== 1b. cost per call of the monitor (pipe, close, write to stdout, fork; $R1 runs)"
	d=$tmp/b1b
	mkdir -p "$d/sub"
	cp bench/calls.c "$d/sub/calls.c"
	xs=$(awk 'BEGIN { for (i = 0; i < 200; i++) printf "x\\n" }')
	{
		printf 'course: "bench"\ndefaults:\n  compiler: cc\n'
		printf '  cflags: [-std=c17, -O2]\nexercises:\n'
		printf '  - id: calls\n    title: "calls the monitor stops at"\n'
		printf '    binary: calls\n    build: auto\n    cases:\n'
		for c in "none 0" "pipe 100" "close 100" "write 200" "fork 50"; do
			# shellcheck disable=SC2086 # "MODE CALLS", split on purpose
			set -- $c
			out='""'
			[ "$1" = write ] && out="\"$xs\""
			printf '      - name: "%s"\n        args: [%s, "%s"]\n        stdout: %s\n        exit: 0\n        points: 1\n' "$1" "$1" "$2" "$out"
		done
	} >"$d/g.yaml"
	r=1
	while [ "$r" -le "$R1" ]; do
		for m in on off; do
			flag=""
			[ "$m" = off ] && flag=--no-monitor
			# shellcheck disable=SC2086 # flag is empty or one word
			"$PG" grade $flag -c "$d/g.yaml" -e calls --format json "$d/sub" >"$d/j.json" 2>/dev/null
			json_tokens "$d/j.json" | awk -v m="$m" '
				/^\{"name"/ { split($0, a, "\""); name = a[4] }
				/^"execution_time"/ { if (name != "") print m, name, $2 * 1000; name = "" }' >>"$d/times"
		done
		r=$((r + 1))
	done
	B="1b. cost per call"
	for c in "pipe 100" "close 100" "write 200" "fork 50"; do
		# shellcheck disable=SC2086 # split on purpose
		set -- $c
		for m in on off; do
			awk -v m="$m" -v n="$1" '$1 == m && $2 == n { print $3 }' "$d/times" | median >"$d/$1.$m"
			awk -v m="$m" '$1 == m && $2 == "none" { print $3 }' "$d/times" | median >"$d/none.$m"
		done
		us=$(awk -v on="$(cat "$d/$1.on")" -v off="$(cat "$d/$1.off")" -v n0="$(cat "$d/none.on")" \
			-v f0="$(cat "$d/none.off")" -v k="$2" \
			'BEGIN { if (on == "-" || off == "-") print "-"; else printf "%.1f\n", ((on - off) - (n0 - f0)) / k * 1000 }')
		case $1 in
		pipe) what="pipe(), its source location (stack copied, return awaited)" ;;
		close) what="pipe() and two close(), who holds each end" ;;
		write) what="write() to stdout, output attribution (first bytes kept)" ;;
		fork) what="fork(), the event and its source location" ;;
		esac
		row "$B" "$what, µs per call ($2 calls a case)" "$(fmt "$us" %.1f)" "" ""
	done
}

# ---------------------------------------------------------------------------- 1c. Python
# A Python case against the same script run bare: a script that makes a pipe and a child, 50
# cases in one run (the difference with a 1-case run, / 49) vs bench/spawn.c running
# `python3 script` 50 times.
bench_python() {
	PY=$(python_bin)
	if [ -z "$PY" ]; then
		log "== 1c. Python: skipped, no python3 here"
		return
	fi
	log "== 1c. overhead of a Python case (50 cases; $R1 runs)"
	d=$tmp/b1c
	mkdir -p "$d/sub"
	cat >"$d/sub/hello.py" <<'PYEOF'
import os
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(w)
    while os.read(r, 4096):
        pass
    os._exit(0)
os.close(r)
os.write(w, b"hola")
os.close(w)
os.waitpid(pid, 0)
PYEOF
	genp() { # N FILE
		{
			printf 'course: "bench"\nexercises:\n  - id: py\n    title: "a pipe and a child"\n'
			printf '    language: python\n    binary: hello.py\n    cases:\n'
			i=1
			while [ "$i" -le "$1" ]; do
				printf '      - name: "case %03d"\n        stdout: ""\n        exit: 0\n        points: 1\n' "$i"
				i=$((i + 1))
			done
		} >"$2"
	}
	genp 50 "$d/g50.yaml"
	genp 1 "$d/g1.yaml"
	: >"$d/on50"
	: >"$d/on1"
	: >"$d/bare"
	r=1
	while [ "$r" -le "$R1" ]; do
		tm -- "$PG" grade -c "$d/g50.yaml" -e py "$d/sub" >>"$d/on50"
		tm -- "$PG" grade -c "$d/g1.yaml" -e py "$d/sub" >>"$d/on1"
		(cd "$d/sub" && "$H/timeit" -- "$H/spawn" -n 50 -- "$PY" hello.py) >>"$d/bare"
		r=$((r + 1))
	done
	paste "$d/on50" "$d/on1" | awk '{ printf "%.4f\n", ($1 - $6) / 49 * 1000 }' >"$d/on"
	awk '{ printf "%.4f\n", $1 / 50 * 1000 }' "$d/bare" >"$d/bms"
	on=$(median <"$d/on")
	bare=$(median <"$d/bms")
	B="1c. Python case"
	row "$B" "python3 script bare (pipe + fork), ms per case" "$(fmt "$bare" %.2f)" "" ""
	row "$B" "pipegrade, monitor on, ms per case" "$(fmt "$on" %.2f) ($(ratio "$on" "$bare" %.2f)× bare)" "" ""
	row "$B" "added per case" "$(awk -v a="$on" -v b="$bare" 'BEGIN { printf "%.2f ms\n", a - b }')" "" ""
}

# ---------------------------------------------------------------------------- 2. verdict
# The JSON report is parsed with grep and awk, by its keys, not by its layout: each test starts
# with {"name": "...", "score" and carries "stuck_after" when the monitor called it stuck.
json_tokens() { # FILE -> one token a line
	tr '\n' ' ' <"$1" | grep -o '{"name": "\([^"\\]\|\\.\)*", "score"\|"kind": "[a-z_]*"\|"stuck_after": [0-9.e+-]*\|"processes": \[[^]]*\]\|"fds": \[[^]]*\]\|"execution_time": [0-9.]*'
}
bench_verdict() {
	log "== 2. time to a verdict: deadlocking and hanging fixtures of 01-05"
	: >"$tmp/r/2.cases"
	: >"$tmp/r/2.runs"
	for fx in tests/fixtures/0[1-5]*/*/; do
		fx=${fx%/}
		ex=$(basename "$(dirname "$fx")")
		tm -o "$tmp/j.json" -- "$PG" grade --show-hidden -e "$ex" --format json "$fx" >>"$tmp/r/2.runs"
		json_tokens "$tmp/j.json" | awk -v ex="$ex" -v fx="$(basename "$fx")" '
			/^\{"name"/ { k++; kind[k] = ""; stuck[k] = "" }
			/^"kind": "(deadlock|hang)"/ { if (kind[k] == "") { split($0, a, "\""); kind[k] = a[4] } }
			/^"stuck_after"/ { stuck[k] = $2 }
			END { for (i = 1; i <= k; i++) if (stuck[i] != "") print ex, fx, i - 1, stuck[i], (kind[i] == "" ? "?" : kind[i]) }' >>"$tmp/r/2.cases"
	done
	# the wall limit of each case (what a timeout-based grader waits)
	if [ -n "$DUMP" ]; then
		awk 'NR == FNR { split($0, f, "\t"); w[f[1] " " f[2]] = f[3]; next } { print $0, w[$1 " " $3] }' \
			"$tmp/walls" "$tmp/r/2.cases" >"$tmp/r/2.cw"
	else
		awk '{ print $0, "-" }' "$tmp/r/2.cases" >"$tmp/r/2.cw"
	fi
	n=$(wc -l <"$tmp/r/2.cw" | tr -d ' ')
	nfx=$(awk '{ print $1 "/" $2 }' "$tmp/r/2.cw" | sort -u | wc -l | tr -d ' ')
	ndl=$(awk '$5 == "deadlock"' "$tmp/r/2.cw" | wc -l | tr -d ' ')
	nh=$(awk '$5 == "hang"' "$tmp/r/2.cw" | wc -l | tr -d ' ')
	med=$(awk '{ print $4 * 1000 }' "$tmp/r/2.cw" | median)
	mx=$(awk '{ print $4 * 1000 }' "$tmp/r/2.cw" | maxcol 1)
	ratio_med=$(awk '$6 != "-" { print $4 / $6 }' "$tmp/r/2.cw" | median)
	ratio_max=$(awk '$6 != "-" { print $4 / $6 }' "$tmp/r/2.cw" | maxcol 1)
	sums=$(awk '$6 != "-" { s += $4; w += $6 } END { printf "%.2f %.2f", s, w }' "$tmp/r/2.cw")
	rss=$(maxcol 3 <"$tmp/r/2.runs")
	tree=$(maxcol 2 <"$tmp/r/2.runs")
	B="2. time to a verdict"
	row "$B" "stuck cases ($nfx fixtures): deadlock / hang" "$ndl / $nh" "" ""
	row "$B" "median time to the verdict" "$(fmt "$med" %.0f) ms" "< 300 ms" "$(verdict "$med < 300")"
	row "$B" "max time to the verdict" "$(fmt "$mx" %.0f) ms" "" ""
	row "$B" "ratio to the case's wall limit: median / max" "$(fmt "$ratio_med" %.3f) / $(fmt "$ratio_max" %.3f)" "" ""
	row "$B" "all $n cases: pipegrade vs a timeout grader" "${sums% *} s vs ${sums#* } s" "" ""
	row "$B" "peak RSS: pipegrade / whole tree" "$(mib "$rss") / $(mib "$tree")" "" ""
	{
		echo "| fixture | stuck cases | kind | time to verdict, ms (each case) | wall limit |"
		echo "| --- | ---: | --- | --- | ---: |"
		awk '{ k = $1 "/" $2; if (!(k in n)) o[++m] = k; n[k]++; kd[k] = $5; t[k] = t[k] sprintf("%s%.0f", (t[k] == "" ? "" : " "), $4 * 1000); w[k] = $6 }
			END { for (i = 1; i <= m; i++) { k = o[i]; printf "| %s | %d | %s | %s | %s s |\n", k, n[k], kd[k], t[k], w[k] } }' "$tmp/r/2.cw"
	} >"$tmp/r/2.table"
}

# ---------------------------------------------------------------------------- 3. leaks
# Valgrind's report of one case (stderr, every process prefixed ==PID==) -> "role:fd,fd" lines.
# The first pid is the program; every other one is a child, named like pipegrade names it:
# the program it exec'd (Command: line), or "child N" in pid order.
vg_leaks() {
	awk '
		match($0, /^==[0-9]+==/) {
			pid = substr($0, 3, RLENGTH - 4) + 0
			if (!(pid in seen)) { seen[pid] = 1; pids[++np] = pid; if (main == "") main = pid }
			rest = substr($0, RLENGTH + 2)
			if (rest ~ /^Command: /) { split(substr(rest, 10), w, " "); n = split(w[1], pp, "/"); cmd[pid] = pp[n] }
			if (rest ~ /^Open file descriptor [0-9]+:[ ]*$/) {
				fd = rest; sub(/^Open file descriptor /, "", fd); sub(/:.*/, "", fd); fd += 0
				if (fd > 2) fds[pid] = fds[pid] " " fd
			}
		}
		END {
			c = 0
			for (i = 1; i <= np; i++) { p = pids[i]; if (p != main) ch[++c] = p }
			# children in pid order
			for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (ch[j] < ch[i]) { t = ch[i]; ch[i] = ch[j]; ch[j] = t }
			role[main] = "parent"
			for (i = 1; i <= c; i++) role[ch[i]] = (ch[i] in cmd) ? cmd[ch[i]] : "child " i
			for (i = 1; i <= np; i++) {
				p = pids[i]; if (fds[p] == "") continue
				n = split(fds[p], f, " ")
				for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (f[b] + 0 < f[a] + 0) { t = f[a]; f[a] = f[b]; f[b] = t }
				s = ""; for (a = 1; a <= n; a++) s = s (a > 1 ? "," : "") f[a]
				print role[p] ":" s
			}
		}' "$1" | sort
}
bench_leaks() {
	log "== 3. leak checking: pipegrade vs valgrind --track-fds ($R3 runs)"
	B="3. leak checking"
	if ! command -v valgrind >/dev/null 2>&1; then
		row "$B" "valgrind" "not installed: skipped" "" ""
		return
	fi
	if [ -z "$DUMP" ]; then
		row "$B" "valgrind" "skipped (no dumpcases)" "" ""
		return
	fi
	vgv=$(valgrind --version 2>/dev/null)
	: >"$tmp/r/3.summary"
	for fx in 01-hello/leaks-read-end 01-hello/parent-leaks 04-pipeline/dup2-no-close 06-fan-in/child-leaks-read-end; do
		[ -d "tests/fixtures/$fx" ] || continue
		ex=${fx%%/*}
		bin=$(binary_of "$ex")
		cd3=$tmp/b3/$(echo "$fx" | tr / _)
		mkdir -p "$cd3/err" "$cd3/bin"
		r=1
		while [ "$r" -le "$R3" ]; do
			tm -o "$cd3/pg.json" -- "$PG" grade --show-hidden -e "$ex" --format json "tests/fixtures/$fx" >>"$cd3/pg.times"
			# valgrind: compile like pipegrade, then every case under valgrind (fresh files)
			rm -rf "$cd3/cases"
			"$DUMP" grading.yaml "$ex" "$cd3/cases" >/dev/null
			a=$("$H/timeit" -- sh -c "cc -std=c17 -Wall -Wextra -O2 -o '$cd3/bin/$bin' tests/fixtures/$fx/*.c")
			b=$("$H/timeit" -- "$H/spawn" -c "$cd3/cases" -t 120 -E "$cd3/err" -- valgrind --track-fds=yes --trace-children=yes "$cd3/bin/$bin")
			echo "$a $b" | awk '{ print $1 + $6, ($2 > $7 ? $2 : $7) }' >>"$cd3/vg.times"
			r=$((r + 1))
		done
		# what each found, case by case
		json_tokens "$cd3/pg.json" | awk '
			/^\{"name"/ { k++ }
			/^"kind": / { want = ($0 ~ /"fd_leak"/); role = "" }
			/^"processes": / && want { if (match($0, /"role": "[^"]*"/)) role = substr($0, RSTART + 9, RLENGTH - 10) }
			/^"fds": / && want {
				s = ""; t = $0
				while (match(t, /"fd": [0-9]+/)) { s = s (s == "" ? "" : ",") substr(t, RSTART + 6, RLENGTH - 6); t = substr(t, RSTART + RLENGTH) }
				print k - 1, role ":" s; want = 0
			}' >"$cd3/pg.leaks"
		ncase=$(find "$cd3/cases" -mindepth 1 -maxdepth 1 -type d | wc -l | tr -d ' ')
		same=0 pgn=0 vgn=0 diffs=""
		i=0
		while [ "$i" -lt "$ncase" ]; do
			c=$(printf '%03d' "$i")
			awk -v k="$i" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$cd3/pg.leaks" | sort >"$cd3/p.$c"
			vg_leaks "$cd3/err/$c.err" >"$cd3/v.$c"
			pgn=$((pgn + $(wc -l <"$cd3/p.$c")))
			vgn=$((vgn + $(wc -l <"$cd3/v.$c")))
			same=$((same + $(comm -12 "$cd3/p.$c" "$cd3/v.$c" | wc -l)))
			only_p=$(comm -23 "$cd3/p.$c" "$cd3/v.$c" | tr '\n' ';' | sed 's/;$//; s/;/; /g')
			only_v=$(comm -13 "$cd3/p.$c" "$cd3/v.$c" | tr '\n' ';' | sed 's/;$//; s/;/; /g')
			[ -n "$only_p" ] && diffs="$diffs case $i only pipegrade: $only_p."
			[ -n "$only_v" ] && diffs="$diffs case $i only valgrind: $only_v."
			i=$((i + 1))
		done
		pgt=$(median <"$cd3/pg.times")
		vgt=$(median <"$cd3/vg.times")
		pgr=$(maxcol 3 <"$cd3/pg.times")
		vgr=$(maxcol 2 <"$cd3/vg.times")
		printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$fx" "$ncase" "$pgn" "$vgn" "$same" "$pgt" "$vgt" "$pgr" "$vgr" "${diffs# }" >>"$tmp/r/3.summary"
	done
	{
		echo "| fixture | cases | leaks found: pipegrade / valgrind / both | time: pipegrade / valgrind (median, s) | faster | peak RSS: pipegrade / valgrind (tree) |"
		echo "| --- | ---: | --- | --- | ---: | --- |"
		awk -F'|' '{ printf "| %s | %s | %s / %s / %s | %.2f / %.2f | %.0f× | %.1f / %.1f MiB |\n", $1, $2, $3, $4, $5, $6, $7, $7 / $6, $8 / 1024, $9 / 1024 }' "$tmp/r/3.summary"
		echo
		echo "A leak is a process (named as pipegrade names it: \`parent\`, \`child N\`, or the program it"
		echo "exec'd) and the pipe fds above 2 it held at exit, or, for an exec'd program, at its start."
		echo "Differences, case by case (case numbers from 0, in grading.yaml's order):"
		echo
		awk -F'|' '{ printf "- %s: %s\n", $1, ($10 == "" ? "none, every leak found by both." : $10) }' "$tmp/r/3.summary"
		echo
		echo "valgrind: $vgv, \`valgrind --track-fds=yes --trace-children=yes\` (Memcheck), its report on"
		echo "stderr (a log file would take fd 3 in the program and shift every fd it reports)."
	} >"$tmp/r/3.table"
	pgsum=$(awk -F'|' '{ s += $6 } END { print s }' "$tmp/r/3.summary")
	vgsum=$(awk -F'|' '{ s += $7 } END { print s }' "$tmp/r/3.summary")
	tot=$(awk -F'|' '{ p += $3; v += $4; b += $5 } END { printf "%d / %d / %d", p, v, b }' "$tmp/r/3.summary")
	row "$B" "leaks found: pipegrade / valgrind / both" "$tot" "" ""
	row "$B" "4 fixtures, all cases: pipegrade vs build + valgrind" "$(fmt "$pgsum" %.2f) s vs $(fmt "$vgsum" %.2f) s" "" ""
	row "$B" "pipegrade is faster by" "$(ratio "$vgsum" "$pgsum" %.0f)×" "" ""
	row "$B" "peak RSS: pipegrade / whole tree" "$(mib "$(cat "$tmp"/b3/*/pg.times | maxcol 3)") / $(mib "$(cat "$tmp"/b3/*/pg.times | maxcol 2)")" "" ""
}

# ---------------------------------------------------------------------------- 4. suite
bench_suite() {
	log "== 4. the reference suite: every exercise of solutions/ ($R2 runs)"
	B="4. reference suite"
	exs=$(awk '$1 == "-" && $2 == "id:" { print $3 }' grading.yaml)
	d=$tmp/b4
	mkdir -p "$d"
	: >"$d/on"
	: >"$d/off"
	: >"$d/bare"
	r=1
	while [ "$r" -le "$R2" ]; do
		for ex in $exs; do
			[ -d "solutions/$ex" ] || continue
			# the plain grading: the stressed runs are benchmark 7's, and have no bare side
			echo "$ex $(tm -- "$PG" grade --stress 0 -e "$ex" "solutions/$ex")" >>"$d/on"
			echo "$ex $(tm -- "$PG" grade --stress 0 --no-monitor -e "$ex" "solutions/$ex")" >>"$d/off"
			[ -n "$DUMP" ] || continue
			bin=$(binary_of "$ex")
			rm -rf "$d/cases" "$d/src"
			"$DUMP" grading.yaml "$ex" "$d/cases" >/dev/null
			if [ "$(language_of "$ex")" = python ]; then
				# the same check (compile in memory) and the script run by python3
				py=$(python_bin)
				c=$("$H/timeit" -- "$py" -c "compile(open('solutions/$ex/$bin', 'rb').read(), '$bin', 'exec')")
				x=$("$H/timeit" -- "$H/spawn" -c "$d/cases" -- "$py" "$top/solutions/$ex/$bin")
				echo "$ex $c $x" >>"$d/bare"
				continue
			elif [ -f "solutions/$ex/Makefile" ]; then
				c=$("$H/timeit" -- sh -c "cp -R 'solutions/$ex' '$d/src' && make -s -C '$d/src'")
			else
				mkdir -p "$d/src"
				c=$("$H/timeit" -- sh -c "cc -std=c17 -Wall -Wextra -O2 -o '$d/src/$bin' solutions/$ex/*.c")
			fi
			x=$("$H/timeit" -- "$H/spawn" -c "$d/cases" -- "$d/src/$bin")
			echo "$ex $c $x" >>"$d/bare"
		done
		echo "$r" >>"$d/runs"
		r=$((r + 1))
	done
	# run r = lines (r-1)*N+1 .. r*N of each file; sums per run, then medians
	nex=$(echo "$exs" | wc -w)
	persum() { awk -v n="$nex" -v c="$2" '{ s[int((NR - 1) / n)] += $c } END { for (i in s) print s[i] }' "$1"; }
	on=$(persum "$d/on" 2 | median)
	off=$(persum "$d/off" 2 | median)
	awk '$6 != 0 { bad = 1 } END { exit bad }' "$d/on" "$d/off" ||
		echo "- suite: a reference solution did not score full marks in some run (exit status not 0)." >>"$NOTES"
	row "$B" "pipegrade, monitor on ($nex exercises: build + every case)" "$(fmt "$on" %.2f) s" "" ""
	row "$B" "pipegrade, --no-monitor" "$(fmt "$off" %.2f) s" "" ""
	row "$B" "monitor on vs off" "$(pct "$on" "$off")" "< +10%" "$(verdict "$on / $off < 1.10")"
	if [ -s "$d/bare" ]; then
		bare=$(awk -v n="$nex" '{ s[int((NR - 1) / n)] += $2 + $7 } END { for (i in s) print s[i] }' "$d/bare" | median)
		bc=$(persum "$d/bare" 2 | median)
		bx=$(persum "$d/bare" 7 | median)
		row "$B" "bare: compile + run the same cases" "$(fmt "$bare" %.2f) s ($(fmt "$bc" %.2f) + $(fmt "$bx" %.2f))" "" ""
		row "$B" "pipegrade (on) vs bare" "$(pct "$on" "$bare")" "within +20%" "$(verdict "$on / $bare <= 1.20")"
		{
			echo "| exercise | pipegrade on | --no-monitor | bare compile | bare run | on vs bare |"
			echo "| --- | ---: | ---: | ---: | ---: | ---: |"
			for ex in $exs; do
				[ -d "solutions/$ex" ] || continue
				pon=$(awk -v e="$ex" '$1 == e { print $2 }' "$d/on" | median)
				poff=$(awk -v e="$ex" '$1 == e { print $2 }' "$d/off" | median)
				bcm=$(awk -v e="$ex" '$1 == e { print $2 }' "$d/bare" | median)
				brn=$(awk -v e="$ex" '$1 == e { print $7 }' "$d/bare" | median)
				printf '| %s | %.3f s | %.3f s | %.3f s | %.3f s | %s |\n' "$ex" "$pon" "$poff" "$bcm" "$brn" \
					"$(awk -v a="$pon" -v b="$bcm" -v c="$brn" 'BEGIN { printf "%+.0f%%", (a / (b + c) - 1) * 100 }')"
			done
		} >"$tmp/r/4.table"
	fi
	rss=$(cat "$d/on" "$d/off" | maxcol 4)
	tree=$(cat "$d/on" "$d/off" | maxcol 3)
	row "$B" "peak RSS: pipegrade / whole tree" "$(mib "$rss") / $(mib "$tree")" "" ""
}

# ---------------------------------------------------------------------------- 5. batch
bench_batch() {
	log "== 5. batch: 200 submissions, -j1, -j2 and a rerun ($R5 runs)"
	B="5. batch (200 submissions)"
	d=$tmp/b5
	cls=$d/class
	mkdir -p "$cls"
	# 100 students, two of 01-03 each: half the submissions the reference solution, half a
	# faulty fixture that fails fast (no busy loop; deadlocks and hangs end in about 0.1 s).
	# Each copy gets a comment with its student's name, so no two submissions are the same
	# file and the compile cache does not turn 200 builds into 20.
	f01="no-newline ignores-argument exit-bytes double-free compile-error leaks-read-end never-waits no-pipe child-keeps-write-end pause-child"
	f02="counter-overflow no-modulo assert-crash compile-error flood wait-before-write"
	f03="last-line exit-eof null-log compile-error flood write-before-fork child-keeps-write-end"
	c01=0 c02=0 c03=0
	nth() { # N WORDS...: the word N (from 0) modulo their count
		_n=$1
		shift
		shift $((_n % $#))
		echo "$1"
	}
	: >"$d/mix"
	i=1
	while [ "$i" -le 100 ]; do
		s=$(printf 'student%03d' "$i")
		case $((i % 3)) in
		0) exs="01-hello 02-long-message" ;;
		1) exs="02-long-message 03-eof-wc" ;;
		*) exs="01-hello 03-eof-wc" ;;
		esac
		j=0
		for ex in $exs; do
			j=$((j + 1))
			if [ $(((i + j) % 2)) -eq 0 ]; then
				src=solutions/$ex
			else
				# shellcheck disable=SC2086
				case $ex in
				01*) src=tests/fixtures/$ex/$(nth $c01 $f01); c01=$((c01 + 1)) ;;
				02*) src=tests/fixtures/$ex/$(nth $c02 $f02); c02=$((c02 + 1)) ;;
				*) src=tests/fixtures/$ex/$(nth $c03 $f03); c03=$((c03 + 1)) ;;
				esac
			fi
			mkdir -p "$cls/$s"
			cp -R "$src" "$cls/$s/$ex"
			for f in "$cls/$s/$ex"/*.c; do
				printf '/* %s */\n' "$s" >>"$f"
			done
			echo "$ex $(basename "$src")" >>"$d/mix"
		done
		i=$((i + 1))
	done
	nsub=$(wc -l <"$d/mix" | tr -d ' ')
	r=1
	while [ "$r" -le "$R5" ]; do
		rm -rf "$d/o1" "$d/o2"
		tm -- "$PG" class -e all -j 1 --out "$d/o1" "$cls" >>"$d/j1"
		tm -- "$PG" class -e all -j 2 --out "$d/o2" "$cls" >>"$d/j2"
		tm -- "$PG" class -e all -j 2 --out "$d/o2" "$cls" >>"$d/rerun"
		if cmp -s "$d/o1/gradebook.csv" "$d/o2/gradebook.csv"; then echo same >>"$d/cmp"; else echo differ >>"$d/cmp"; fi
		r=$((r + 1))
	done
	j1=$(median <"$d/j1")
	j2=$(median <"$d/j2")
	rr=$(median <"$d/rerun")
	sp=$(ratio "$j1" "$j2" %.4f)
	rsp=$(ratio "$j2" "$rr" %.4f)
	row "$B" "-j1" "$(fmt "$j1" %.1f) s ($(ratio "$j1" "$nsub" %.3f) s per submission)" "" ""
	row "$B" "-j2" "$(fmt "$j2" %.1f) s" "" ""
	row "$B" "speedup -j2 vs -j1 ($(nproc 2>/dev/null || echo ?) cores)" "$(fmt "$sp" %.2f)×" "≥ 1.7×" "$(verdict "$sp >= 1.7")"
	row "$B" "rerun, nothing changed (-j2)" "$(fmt "$rr" %.2f) s" "" ""
	row "$B" "rerun speedup" "$(fmt "$rsp" %.0f)×" "≥ 10×" "$(verdict "$rsp >= 10")"
	row "$B" "gradebook.csv of -j1 and -j2" "$(sort -u "$d/cmp" | tr '\n' ' ' | sed 's/ $//')" "" ""
	hw=$(cat "$d/j1" "$d/j2" "$d/rerun" | maxcol 3)
	ps=$(cat "$d/j1" "$d/j2" "$d/rerun" | maxcol 4)
	tree=$(cat "$d/j1" "$d/j2" "$d/rerun" | maxcol 2)
	row "$B" "peak RSS of one pipegrade process" "$(mib "$hw")" "< 20 MiB" "$(verdict "$hw < 20 * 1024")"
	row "$B" "peak of all pipegrade processes together (Pss) / whole tree" "$(mib "$ps") / $(mib "$tree")" "" ""
	{
		echo "Mix: $(awk '{ print $2 == $1 ? "reference" : $2 }' "$d/mix" | sort | uniq -c | sort -rn | awk '{ printf "%s%s %d", (NR > 1 ? ", " : ""), $2, $1 }')."
		echo "Runs (s), -j1: $(tr '\n' ' ' <"$d/j1" | awk '{ for (i = 1; i <= NF; i += 5) printf "%s ", $i }')| -j2: $(tr '\n' ' ' <"$d/j2" | awk '{ for (i = 1; i <= NF; i += 5) printf "%s ", $i }')| rerun: $(tr '\n' ' ' <"$d/rerun" | awk '{ for (i = 1; i <= NF; i += 5) printf "%s ", $i }')"
		[ -f "$d/o2/summary.txt" ] && { echo; echo '```'; cat "$d/o2/summary.txt"; echo '```'; }
	} >"$tmp/r/5.table"
}

# ---------------------------------------------------------------------------- 6. memory
# Where pipegrade's memory goes: loading grading.yaml (the stdin and expected files of every
# exercise are read at load time), and the output of the cases kept for the report.
bench_memory() {
	log "== 6. peak memory"
	B="6. peak memory"
	d=$tmp/b6
	mkdir -p "$d"
	l=$(tm -- "$PG" list)
	row "$B" "pipegrade list (only loads grading.yaml)" "$(mib "$(echo "$l" | awk '{ print $3 }')")" "" ""
	gl=$(tm -- "$PG" list -c "$tmp/b1/g200.yaml" 2>/dev/null)
	[ -f "$tmp/b1/g200.yaml" ] && row "$B" "pipegrade list of benchmark 1's grading file (200 cases)" "$(mib "$(echo "$gl" | awk '{ print $3 }')")" "" ""
	for fx in solutions/03-eof-wc tests/fixtures/03-eof-wc/flood; do
		[ -d "$fx" ] || continue
		t=$(tm -- "$PG" grade -e 03-eof-wc "$fx")
		tj=$(tm -o "$d/j" -- "$PG" grade -e 03-eof-wc --format json "$fx")
		row "$B" "grade 03-eof-wc $fx: text / json" "$(mib "$(echo "$t" | awk '{ print $3 }')") / $(mib "$(echo "$tj" | awk '{ print $3 }')")" "" ""
	done
	for f in 1.on200 1.off200 2.runs; do
		[ -f "$tmp/r/$f" ] && cat "$tmp/r/$f"
	done >"$d/all"
	cat "$tmp"/b3/*/pg.times "$tmp"/b4/on "$tmp"/b4/off 2>/dev/null | awk 'NF == 6 { $1 = "" } { print }' | awk '{ print $1, $2, $3, $4, $5 }' >>"$d/all"
	cat "$tmp"/b5/j1 "$tmp"/b5/j2 "$tmp"/b5/rerun 2>/dev/null >>"$d/all"
	[ -s "$d/all" ] && row "$B" "largest of benchmarks 1-5: pipegrade / whole tree" "$(mib "$(maxcol 3 <"$d/all")") / $(mib "$(maxcol 2 <"$d/all")")" "" ""
}

# ---------------------------------------------------------------------------- 7. stress
# Stress mode (docs/stress.md). The cost of the default stress (20 runs) of the stressed cases
# of grading.yaml, graded with their reference solutions: `--stress 20` against `--stress 0`
# (the same build and plain run), the difference / 20 being one stressed run; the plain run's
# own time from the JSON (the case's, the last execution_time: the first is the whole grading). And for each racy fixture, the share of the seeds 1 to 100 that
# expose it (`--stress 100`: its `"stress": {"runs", "failed"}`).
bench_stress() {
	log "== 7. stress mode ($R1 runs; racy fixtures: 100 seeds each)"
	d=$tmp/b7
	mkdir -p "$d"
	B="7. stress mode"
	for c in "05-ping-pong|10 rondas de 100 bytes" "06-fan-in|3 hijos, 5 líneas" \
		"06-fan-in|2 hijos, 400 líneas" "09-turnos|10 rondas"; do
		ex=${c%%|*}
		name=${c#*|}
		: >"$d/s0"
		: >"$d/s20"
		: >"$d/plain"
		r=1
		while [ "$r" -le "$R1" ]; do
			tm -- "$PG" grade --stress 0 -e "$ex" --case "$name" "solutions/$ex" >>"$d/s0"
			tm -- "$PG" grade --stress 20 -e "$ex" --case "$name" "solutions/$ex" >>"$d/s20"
			"$PG" grade --stress 0 --format json -e "$ex" --case "$name" "solutions/$ex" 2>/dev/null |
				grep -o '"execution_time": [0-9.]*' | awk 'END { print $2 * 1000 }' >>"$d/plain"
			r=$((r + 1))
		done
		paste "$d/s20" "$d/s0" | awk '{ printf "%.4f\n", ($1 - $6) * 1000 }' >"$d/add"
		add=$(median <"$d/add")
		plain=$(median <"$d/plain")
		one=$(awk -v a="$add" 'BEGIN { if (a == "-") print "-"; else printf "%.1f\n", a / 20 }')
		row "$B" "$ex \"$name\": one stressed run / the plain run, ms" "$(fmt "$one" %.1f) / $(fmt "$plain" %.1f)" "" ""
		row "$B" "$ex \"$name\": the default stress (20 runs), added per case, ms" "$(fmt "$add" %.0f)" "" ""
	done
	for c in "06-fan-in|3 hijos, 5 líneas|one-read-after-wait" \
		"06-fan-in|2 hijos, 400 líneas|one-read-after-wait" \
		"06-fan-in|2 hijos, 400 líneas|one-write-when-fits" \
		"06-fan-in|2 hijos, 400 líneas|wait-before-read" \
		"09-turnos|3 rondas|sleep-first-turn" "09-turnos|3 rondas|fin-too-soon"; do
		ex=${c%%|*}
		rest=${c#*|}
		name=${rest%%|*}
		fx=${rest#*|}
		got=$("$PG" grade --stress 100 --format json -e "$ex" --case "$name" "tests/fixtures/$ex/$fx" 2>/dev/null |
			grep -o '"stress": {"runs": [0-9]*, "failed": [0-9]*}' | awk '{ gsub(/[^0-9 ]/, ""); print $2, $1 }')
		failed=${got% *}
		row "$B" "$ex/$fx, \"$name\": seeds of 1-100 that expose it" "${failed:--}%" "" ""
	done
}

is_on 1 && bench_overhead
is_on 1 && bench_calls
is_on 1 && bench_python
is_on 2 && bench_verdict
is_on 3 && bench_leaks
is_on 4 && bench_suite
is_on 5 && bench_batch
is_on 6 && bench_memory
is_on 7 && bench_stress
t_end=$(date +%s)

# ---------------------------------------------------------------------------- the table
table() {
	echo "| benchmark | measure | value | target | result |"
	echo "| --- | --- | --- | --- | --- |"
	awk -F'|' '{ printf "| %s | %s | %s | %s | %s |\n", ($1 == last ? "" : $1), $2, $3, $4, $5; last = $1 }' "$ROWS"
}
echo
table
echo
echo "($((t_end - t_start)) s)"

[ -n "$DOC" ] || exit 0

# ---------------------------------------------------------------------------- the machine
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
[ -n "$cpu" ] || cpu=$(uname -m)
ncpu=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)
online=$(nproc 2>/dev/null)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
kern=$(uname -sr)
# shellcheck disable=SC1091
os=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
ccv=$(cc --version 2>/dev/null | head -n 1)
pgv=$("$PG" --version 2>/dev/null | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "?")
git diff --quiet HEAD -- harness 2>/dev/null || commit="$commit (harness/ with uncommitted changes)"
prot=$("$PG" grade -e 01-hello --format json solutions/01-hello 2>/dev/null | tr '\n' ' ' | grep -o '"protections": "[^"]*"' | sed 's/.*: "//; s/"$//')
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
valg=$(valgrind --version 2>/dev/null || echo "not installed")

sub() { # the part of the report a section wrote, if any
	[ -f "$tmp/r/$1" ] && cat "$tmp/r/$1"
}

# The analysis under the table is written by hand: it is kept from the previous report, between
# its two markers, and only the numbers around it are measured again.
keep=$tmp/analysis
if [ -f "$DOC" ] && grep -q '^<!-- analysis' "$DOC"; then
	sed -n '/^<!-- analysis/,/^<!-- \/analysis -->/p' "$DOC" >"$keep"
else
	printf '%s\n' "<!-- analysis: written by hand, kept by bench/run.sh when it rewrites this file -->" \
		"(No analysis written yet.)" "<!-- /analysis -->" >"$keep"
fi
mkdir -p "$(dirname "$DOC")"
{
	cat <<EOF
# Performance

Measured by \`make bench\` (\`sh bench/run.sh\` after building pipegrade) on $(date -u '+%Y-%m-%d'),
in $((t_end - t_start)) s. Every number below is from that one run: rerun it on your machine
to get yours. Benchmarks report, they never fail: a missed target is printed as such.
\`BENCH_REPS\`, \`BENCH_LEAK_REPS\` and \`BENCH_BATCH_REPS\` change the number of runs (see
\`bench/run.sh\`).

## Machine

| | |
| --- | --- |
| CPU | $cpu ($ncpu logical CPUs in /proc/cpuinfo, $online online) |
| memory | $mem |
| kernel | $kern |
| system | ${os:-?} |
| compiler | $ccv |
| pipegrade | ${pgv:-?}, commit $commit |
| sandbox | running as $(id -un): ${prot:-?} |
| valgrind | $valg |
| CPU time used by other processes in the second before the run | $busy_start of all CPUs |
| load average (1, 5, 15 min) at the start / at the end | $load_start / $load |

## Results

Medians over the runs of each benchmark ($R1 runs of 1, $R3 of 3, $R2 of 4, $R5 of 5; 2 is one
run of each fixture, its median is over the cases). "Peak RSS: pipegrade" is the largest VmHWM
of a process named \`pipegrade\` (the grader and its workers): sampled every 10 ms from
/proc/PID/status, and read exactly at exit by \`bench/hwm.c\`, preloaded. "Whole tree" is
\`ru_maxrss\` of \`getrusage(RUSAGE_CHILDREN)\` after the wait, which the kernel folds up from
every reaped descendant: the largest process of the tree, usually the compiler (\`cc1\`), not
pipegrade.

$(table)

EOF
	echo "## What the numbers say"
	echo
	cat "$keep"
	echo
	echo "## Details"
	echo
	if [ -f "$tmp/r/1.raw" ]; then
		echo "### 1. Overhead per case"
		echo
		echo "A program that only returns 0, graded as one exercise of 200 cases (a generated"
		echo "grading.yaml; no stdin, expected stdout empty and exit 0), monitor on and \`--no-monitor\`,"
		echo "against \`bench/spawn.c\` starting the same binary 200 times with fork/exec, stdout and stderr"
		echo "pipes drained to end of file, and waitpid. The cost of a case is (time for 200 cases − time"
		echo "for the same grading file with 1 case) / 199, which leaves out the build and start-up."
		echo
		sub 1.raw
		echo
	fi
	if [ -f "$tmp/b1b/times" ]; then
		echo "### 1b. Cost per call"
		echo
		echo "\`bench/calls.c\` graded as one exercise of five cases: no call, 100 \`pipe()\`, 100"
		echo "\`pipe()\` each followed by two \`close()\`, 200 \`write()\` of 2 bytes to stdout, 50 \`fork()\`"
		echo "with \`_exit()\` and \`waitpid()\`; monitor on and \`--no-monitor\`, each case's"
		echo "\`execution_time\` from the JSON report (ms). A call's cost is ((on − off) of its case −"
		echo "(on − off) of the case with no call) / calls, from the medians."
		echo
		echo "ms, each run (monitor, case, time):"
		echo
		tr '\n' ';' <"$tmp/b1b/times" | sed 's/;/; /g'
		echo
		echo
	fi
	if [ -f "$tmp/r/2.table" ]; then
		echo "### 2. Time to a verdict"
		echo
		echo "Every fixture of 01–05 graded once with \`--format json\`; a case counts when its test has"
		echo "\`extra_data.stuck_after\` (the monitor's deadlock or hang). The wall limit is the case's,"
		echo "from grading.yaml, which is what a grader that relies on \`timeout\` waits for each."
		echo
		sub 2.table
		echo
	fi
	if [ -f "$tmp/r/3.table" ]; then
		echo "### 3. Leak checking against valgrind"
		echo
		echo "pipegrade: \`pipegrade grade -e EX --format json FIXTURE\` (build and every case, sandboxed)."
		echo "valgrind: the same build command (\`cc -std=c17 -Wall -Wextra -O2\`) and every case run"
		echo "directly under \`valgrind --track-fds=yes --trace-children=yes\`, with the case's arguments,"
		echo "stdin and files, one after another."
		echo
		sub 3.table
		echo
	fi
	if [ -f "$tmp/r/4.table" ]; then
		echo "### 4. The reference suite"
		echo
		echo "\`pipegrade grade -e EX solutions/EX\` for each exercise, one after another, monitor on and"
		echo "\`--no-monitor\`; against the bare work: \`cc -std=c17 -Wall -Wextra -O2\` of the same files"
		echo "(08-pipex: a copy of the folder and \`make\`) and every graded case run once by"
		echo "\`bench/spawn.c\` with the case's arguments, its stdin from a file, its files in a working"
		echo "directory, output drained from pipes; no sandbox, no comparison, no report."
		echo
		sub 4.table
		echo
	fi
	if [ -f "$tmp/r/5.table" ]; then
		echo "### 5. Batch"
		echo
		echo "A class of 100 students with two of 01–03 each (\`class/studentNNN/EXERCISE/\`), graded with"
		echo "\`pipegrade class -e all -j N --out DIR class/\` into a fresh DIR (so nothing is cached), then"
		echo "the same -j2 command again with nothing changed."
		echo
		sub 5.table
		echo
	fi
	cat "$NOTES"
} >"$DOC.tmp" && mv "$DOC.tmp" "$DOC"
echo "wrote $DOC"
exit 0
