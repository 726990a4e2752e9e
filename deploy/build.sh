#!/bin/sh
# Builds the Relais binary to deploy: the `dist` profile (optimised for size, fat LTO) as a
# position-dependent executable, whose read-only data needs no relocation at start-up (about
# 1.5 MB less resident memory than a PIE). Prints the path of the binary.
#   deploy/build.sh            # -> target/<host triple>/dist/relais
set -eu
cd "$(dirname "$0")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
# An explicit --target keeps these flags away from build scripts and proc-macros.
RUSTFLAGS="${RUSTFLAGS:-} -C relocation-model=static" \
    cargo build --profile dist --locked --bin relais --target "$host" >&2
echo "target/$host/dist/relais"
