#!/bin/sh
# setup.sh: Gradescope runs this once, as root, when it builds the autograder's image
# (harness/gradescope/package.sh put it at the top of the zip; see docs/gradescope.md).
#
# Installs with apt-get what pipegrade's build needs and the image lacks (.ci/install-deps: a
# C compiler, make, pkg-config, the libraries; it does nothing when all is there), then builds
# pipegrade in this folder. A failure stops the image build, so Gradescope shows it at once.
set -eu
cd "$(dirname "$0")"

sh .ci/install-deps

# The plain build, whatever a calling make passed down (tests/gradescope.sh runs this from
# `make check`, perhaps with SANITIZE set).
unset MAKEFLAGS MFLAGS MAKELEVEL
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs" SANITIZE= pipegrade
./pipegrade --version

# A Docker container (Gradescope's) usually refuses pipegrade a private mount namespace, and
# then nothing but file permissions keeps the student's program from reading grading.yaml and
# the hidden cases' expected outputs: keep this folder to root (as root, pipegrade runs the
# program as a uid of its own).
chmod 0755 run_autograder
chmod 0700 .
