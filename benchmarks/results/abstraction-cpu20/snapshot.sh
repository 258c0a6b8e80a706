#!/usr/bin/env bash
# Copy each run's saved (best) model after every validation into snap/NAME-epN (stop 20;
# NAMES picks the runs under R, as for retrieval-other-cpu/run.sh at stop 29).
R=${R:-/work/runs/cpu-abs20}
NAMES=${NAMES:-student-abs student-plain}
while true; do
  for n in $NAMES; do
    log=$R/$n/training/log.jsonl; [ -f $log ] || continue
    ep=$(grep '"type": "valid"' $log | tail -n 1 | python3 -c "import sys,json; l=sys.stdin.read().strip(); print(json.loads(l)['epoch'] if l else 0)")
    [ "$ep" = 0 ] && continue
    d=$R/snap/$n-ep$ep; [ -d $d ] && continue
    sleep 20  # let the save finish
    mkdir -p $d && find $R/$n -maxdepth 1 -type f -exec cp {} $d/ \;
  done
  sleep 60
done
