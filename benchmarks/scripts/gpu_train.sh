#!/usr/bin/env bash
# Several `workbench train` runs side by side on a lent GPU, as ONE device call, then pack
# every model they saved (float16) into $OUT:
#   here:   python benchmarks/scripts/gpu_transfer.py prepare [--teacher DIR]   (.gpu/)
#   device: bash benchmarks/scripts/gpu_train.sh                             (carry .gpu .whl)
#   here:   python benchmarks/scripts/gpu_transfer.py unpack FILES_AT --sweep runs/gpu-train
# Small models leave a GPU launch-bound, so several processes share it well (the sweep of
# stop 9 ran 19 at once). Each line of the jobs file is `NAME: [SUBCOMMAND] ARGS`, run as
#   workbench SUBCOMMAND --out runs/gpu-train/NAME --device cuda --no-progress ARGS
# (SUBCOMMAND: train, the default, or pretrain); `NAME after OTHER: ...` starts when OTHER
# has ended well, and `{runs}` in ARGS stands for runs/gpu-train (to fine-tune from OTHER).
# Give every run a train.time_budget_minutes that ends it before the deadline: a run killed
# at the deadline keeps only the best model its finished epochs saved.
set -u
start=$(date +%s)
deadline=${GPU_TRAIN_DEADLINE:-470}      # seconds after start: stop the runs and pack
jobs_file=${GPU_TRAIN_JOBS:-configs/gpu-train.jobs}
threads=${GPU_TRAIN_THREADS:-3}          # CPU threads per run (the device has 16 cores)
device=${GPU_TRAIN_DEVICE:-cuda}         # cpu: a dry run of this script on a CPU machine
runs=runs/gpu-train
out=${OUT:?OUT must name the folder that comes back}
log=$out/train.log
say() { echo "[$(( $(date +%s) - start ))s] $*" | tee -a "$log"; }

source "$(dirname "$0")/device_env.sh"
export ASSERTGEN_RETRIEVAL_CACHE=$PWD/.gpu/retrieval-cache OMP_NUM_THREADS=$threads
python3 -c 'import torch, transformers; print("torch", torch.__version__, "transformers",
  transformers.__version__, torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU")' \
  2>&1 | tee -a "$log"
if [ -d .gpu/sweep ]; then  # models staged by `gpu_transfer.py prepare --teacher` (float16)
  python3 benchmarks/scripts/gpu_transfer.py widen .gpu/sweep >>"$log" 2>&1
fi

mkdir -p "$runs"
# One job: wait for the job it comes after (its .exit file), then run; its own .exit file
# holds its exit status (or "skipped" when the job before it failed).
job='after=$1 log=$2 status=$3; shift 3
if [ -n "$after" ]; then
  while [ ! -e "$after" ]; do sleep 5; done
  [ "$(cat "$after")" = 0 ] || { echo "skipped: $after is not 0" >"$log"; echo skipped >"$status"; exit; }
fi
python3 -m workbench "$@" >"$log" 2>&1; echo $? >"$status"'
jobs=()  # the jobs file's lines without comments and blank lines
while IFS= read -r line; do
  line=${line%%#*}
  [ -n "${line// }" ] && jobs+=("$line")
done <"$jobs_file"
# A warm machine keeps the runs of its last call: a job of the same name would refuse its
# --out (or an `after` would see the old .exit) minutes into the call, so check them all first.
clashes=()
for line in "${jobs[@]}"; do
  read -r name _ <<<"${line%%:*}"
  [ -e "$runs/$name" ] || [ -e "$runs/$name.exit" ] && clashes+=("$name")
done
if (( ${#clashes[@]} )); then
  say "error: $runs already holds ${clashes[*]} (an earlier call on this warm machine); rename these jobs"
  exit 2
fi
pids=()
for line in "${jobs[@]}"; do
  read -r name _ after <<<"${line%%:*}"
  read -r -a args <<<"${line#*:}"
  case "${args[0]}" in train|pretrain) command=${args[0]}; args=("${args[@]:1}") ;; *) command=train ;; esac
  args=("${args[@]//\{runs\}/$runs}")
  say "start $name${after:+ after $after}: $command"
  setsid bash -c "$job" _ "${after:+$runs/$after.exit}" "$runs/$name.log" "$runs/$name.exit" \
    "$command" --out "$runs/$name" --device "$device" --no-progress "${args[@]}" &
  pids+=($!)
done

while :; do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=$((alive + 1)); done
  (( alive == 0 )) && break
  if (( $(date +%s) - start > deadline )); then
    say "deadline: stopping $alive runs"
    for pid in "${pids[@]}"; do kill -TERM -- -"$pid" 2>/dev/null; done
    sleep 3
    for pid in "${pids[@]}"; do kill -KILL -- -"$pid" 2>/dev/null; done
    break
  fi
  echo "[$(( $(date +%s) - start ))s] $alive running; gpu $(nvidia-smi --query-gpu=utilization.gpu,memory.used \
    --format=csv,noheader 2>/dev/null)" >>"$log"
  sleep 10
done
for f in "$runs"/*.log; do echo "== $f"; tail -4 "$f"; done >>"$log"
# Weights come back within 60 MiB (float16): GPU_TRAIN_PACK names the runs to bring, most
# important first (default: every run); what does not fit is named in the log.
python3 benchmarks/scripts/gpu_transfer.py pack --all-models ${GPU_TRAIN_PACK:+--only "$GPU_TRAIN_PACK"} \
  --sweep "$runs" --out "$out" 2>&1 | tee -a "$log"
say "done"
