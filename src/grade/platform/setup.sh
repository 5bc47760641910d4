#!/usr/bin/env bash
# Gradescope autograder setup for the linear-regression workbook, written by
# `cargo workbook autograder gradescope`. Gradescope runs it once, when it
# builds the autograder's image: it installs bubblewrap and Rust @RUST@, unpacks
# the pinned course into /autograder/course and builds it, with the reference
# solutions, so that each submission builds only its own exercises.
# AUTOGRADER_ROOT (default /autograder) moves everything, for a local try.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUST="@RUST@"

missing=()
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v cc >/dev/null || missing+=(build-essential)
command -v curl >/dev/null || missing+=(curl ca-certificates)
command -v git >/dev/null || missing+=(git)
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Rust goes outside /root, readable by every account: where bubblewrap
# cannot run (Docker's default profile refuses its namespaces), the grader
# builds and runs each submission as unprivileged accounts, which must be
# able to run the compiler and read the crate registry.
export RUSTUP_HOME="${RUSTUP_HOME:-/usr/local/rustup}" CARGO_HOME="${CARGO_HOME:-/usr/local/cargo}"
export PATH="$CARGO_HOME/bin:$PATH"
if ! command -v cargo >/dev/null || [ "$(rustc --version | cut -d' ' -f2)" != "$RUST" ]; then
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
        | sh -s -- -y --no-modify-path --profile minimal --default-toolchain "$RUST"
fi
# On the platform (not in a local try, whose Rust is the instructor's).
readable() { if [ -z "${AUTOGRADER_ROOT:-}" ]; then chmod -R a+rX "$@"; fi; }
readable "$RUSTUP_HOME/toolchains"

rm -rf "$ROOT/course"
mkdir -p "$ROOT/course"
tar -xzf "$SOURCE/course.tar.gz" -C "$ROOT/course"
cd "$ROOT/course"
cargo fetch --locked
readable "$CARGO_HOME/registry"
if [ -n "${WORKBOOK_BIN:-}" ]; then workbook=("$WORKBOOK_BIN"); else workbook=(cargo run --quiet --package workbook --bin workbook --); fi
hidden=()
if [ -d "$SOURCE/hidden" ]; then hidden=(--hidden-tests "$SOURCE/hidden"); fi
# Build the tool and the reference solutions now, once, into the image, so
# that each submission builds only its own exercises (the shipped reference
# results are not used here: grading the references builds the dependencies).
"${workbook[@]}" autograder run gradescope --prepare "${hidden[@]}" @SHELL_ARGS@
