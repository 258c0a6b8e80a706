#!/usr/bin/env bash
# Issue 6 on a CPU-only machine: start, or resume where it stopped, the whole model
# campaign of configs/sweep-cpu.toml in the background (tokenizer -> teacher -> dump ->
# students -> evaluation -> summary and figures). Every stage checkpoints; run this again
# after a session ends and the sweep goes on from its last checkpoint.
#
#   bash benchmarks/scripts/cpu_campaign.sh          # from the repository root, venv set up
#
# runs/ must outlive the work tree (a new session gets a fresh checkout), so it is a link
# to ASSERTGEN_RUNS (default /work/runs, beside the checkout on these machines).
set -euo pipefail
cd "$(dirname "$0")/../.."
keep=${ASSERTGEN_RUNS:-/work/runs}
mkdir -p "$keep"
if [ ! -e runs ]; then
  ln -s "$keep" runs
fi
if pgrep -f "workbench sweep --config configs/sweep-cpu.toml" >/dev/null; then
  echo "the campaign is already running: tail -f runs/sweep-cpu.log" >&2
  exit 1
fi
[ -n "${VIRTUAL_ENV:-}" ] || . .venv/bin/activate
setsid nohup workbench sweep --config configs/sweep-cpu.toml --no-progress >>runs/sweep-cpu.log 2>&1 &
echo "campaign running (pid $!): tail -f runs/sweep-cpu.log; per-run logs in runs/sweep-cpu/*/training/log.jsonl"
