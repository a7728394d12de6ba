#!/bin/sh
# make demo: an example class graded the way an instructor would, with one command.
# The class is put together in a temporary folder from the reference solutions (student
# "referencia") and some of the faulty fixtures (the other students); the results go to
# demo-results/ (gradebook.csv, summary.html, junit.xml, students/ with a folder per student).
set -u
pg=./pipegrade
class=$(mktemp -d "${TMPDIR:-/tmp}/pipegrade-demo.XXXXXX")
trap 'rm -rf "$class"' EXIT INT TERM

put() { # student exercise folder
	mkdir -p "$class/$1/$2"
	cp -R "$3/." "$class/$1/$2/"
}

for ex in 01-hello 02-long-message 03-eof-wc 04-pipeline 05-ping-pong 06-fan-in 07-sigpipe 08-pipex 09-turnos \
	py01-hello py02-long-message py03-mp-pipe; do
	put referencia "$ex" "solutions/$ex"
done
put ana   01-hello        tests/fixtures/01-hello/no-newline
put ana   02-long-message solutions/02-long-message
put bruno 01-hello        tests/fixtures/01-hello/child-keeps-write-end
put bruno 03-eof-wc       tests/fixtures/03-eof-wc/child-keeps-write-end
put carla 02-long-message tests/fixtures/02-long-message/write-before-fork
put diego 02-long-message tests/fixtures/02-long-message/compile-error
put elena 03-eof-wc       tests/fixtures/03-eof-wc/flood
put fran  04-pipeline     tests/fixtures/04-pipeline/dup2-no-close
put gema  05-ping-pong    tests/fixtures/05-ping-pong/write-write
put hugo  06-fan-in       tests/fixtures/06-fan-in/never-waits
put irene 07-sigpipe      tests/fixtures/07-sigpipe/sigpipe-not-ignored
put jorge 08-pipex        tests/fixtures/08-pipex/sequential
put kevin py01-hello      tests/fixtures/py01-hello/uncaught-exception
put lucia py02-long-message tests/fixtures/py02-long-message/single-read
put marta py03-mp-pipe    tests/fixtures/py03-mp-pipe/both-recv
put nora  09-turnos       tests/fixtures/09-turnos/no-fflush

"$pg" class -e all --force --out demo-results "$class"
status=$?
echo
echo "==== bruno's report for 01-hello (demo-results/students/bruno/01-hello/report.txt) ===="
echo
cat demo-results/students/bruno/01-hello/report.txt
echo
echo "Open demo-results/summary.html for the class page."
[ "$status" -le 1 ] || exit "$status"
exit 0
