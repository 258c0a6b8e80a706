#!/usr/bin/env bash
# `assertgen fill` on masked copies of seven real projects (Debian's source packages), at a
# given commit's code and at this checkout's: bash run.sh [BASE_WORKTREE]
#   echo 'Types: deb-src ...' > /etc/apt/sources.list.d/debsrc.sources && apt-get update   (bookworm main)
#   apt-get source --download-only jsoup libcommons-lang3-java libcommons-codec-java libjoda-time-java jline3 \
#     libcommons-collections4-java args4j
#   (some .debian.tar.xz are missing from the mirror: the .orig.tar.xz is what counts), then tar xf each *.orig.tar.xz
# SRC holds the unpacked projects (default /tmp/debsrc); OUT where the JSON goes (default: beside this
# script, stop 30's runs; stop 31's are in stop31/). BASE_WORKTREE: `git worktree add /tmp/base d0c752d`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); repo=$(cd "$here/../../.." && pwd)
SRC=${SRC:-/tmp/debsrc}; OUT=${OUT:-$here}; base=${1:-}
for project in jsoup-jsoup-1.15.3 commons-lang-rel-commons-lang-3.12.0 commons-codec-rel-commons-codec-1.15 \
               joda-time-2.10.14 jline3-3.3.1 ${MORE_PROJECTS:-}; do
  for seed in 0 1; do
    if [ -n "$base" ]; then
      PYTHONPATH=$base python "$repo/benchmarks/scripts/fill_trial.py" "$SRC/$project" --mask 200 --seed $seed \
        --json "$OUT/$project-seed$seed-base.json"
    fi
    python "$repo/benchmarks/scripts/fill_trial.py" "$SRC/$project" --mask 200 --seed $seed \
      --json "$OUT/$project-seed$seed.json"
  done
done
