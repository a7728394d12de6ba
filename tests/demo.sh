#!/bin/sh
# make demo: grade the reference solutions, then a small example class whose submissions are
# some of the faulty fixtures, and print each report. Run from the repository's top.
set -u
pg=./pipegrade
status=0

section() {
	if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
		printf '\n\033[1m==== %s ====\033[0m\n\n' "$1"
	else
		printf '\n==== %s ====\n\n' "$1"
	fi
}

grade() { # student exercise folder
	section "$1 · $2"
	"$pg" grade --color "${COLOR:-auto}" -e "$2" "$3"
	rc=$?
	[ "$rc" -le 1 ] || status=$rc
}

for ex in 01-hello 02-long-message 03-eof-wc 04-pipeline 05-ping-pong 06-fan-in 07-sigpipe 08-pipex; do
	grade "reference solution" "$ex" "solutions/$ex"
done

# The example class: one folder per student and exercise.
grade ana   01-hello        tests/fixtures/01-hello/no-newline
grade bruno 01-hello        tests/fixtures/01-hello/child-keeps-write-end
grade carla 02-long-message tests/fixtures/02-long-message/write-before-fork
grade diego 02-long-message tests/fixtures/02-long-message/compile-error
grade elena 03-eof-wc       tests/fixtures/03-eof-wc/flood
grade fran  04-pipeline     tests/fixtures/04-pipeline/dup2-no-close
grade gema  05-ping-pong    tests/fixtures/05-ping-pong/write-write
grade hugo  06-fan-in       tests/fixtures/06-fan-in/never-waits
grade irene 07-sigpipe      tests/fixtures/07-sigpipe/sigpipe-not-ignored
grade jorge 08-pipex        tests/fixtures/08-pipex/sequential

exit "$status"
