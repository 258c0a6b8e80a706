#!/usr/bin/env bash
# Export and score each snapshot on all of test-inproject (stop 20).
cd "$(dirname "$0")/../../.."  # the repository root
D=../shared/datasets/java-assertions-v1; R=${R:-/work/runs/cpu-abs20}
while true; do
  for d in $R/snap/*; do
    n=$(basename $d); [ -f $R/reports/$n/tables.json ] && continue
    .venv/bin/workbench export --model $d > /dev/null 2>&1 || continue
    .venv/bin/workbench report --model $n=$d@ctranslate2 --split test-inproject=$D/test-inproject.jsonl.gz \
      --out $R/reports/$n > $R/reports-$n.log 2>&1
  done
  sleep 300
done
