#!/usr/bin/env bash
# Issue 6 on a lent GPU, as ONE device call (the lease is ~15 minutes, 10 per command):
#   here:   python benchmarks/scripts/gpu_transfer.py prepare   (.gpu/: data, tokenizer, neighbours)
#   device: bash benchmarks/scripts/gpu_campaign.sh             (carry .gpu and .whl)
#   here:   python benchmarks/scripts/gpu_transfer.py unpack FILES_AT
# Runs `workbench sweep --config configs/sweep-gpu.toml --jobs N` and, when it ends or at
# the deadline (whichever comes first), packs the models and results into $OUT.
set -u
start=$(date +%s)
deadline=${GPU_CAMPAIGN_DEADLINE:-525}  # seconds after start: stop and pack what is done
jobs=${GPU_CAMPAIGN_JOBS:-19}  # every grid point at once: runs are budgeted by time
config=${GPU_CAMPAIGN_CONFIG:-configs/sweep-gpu.toml}
profile=${GPU_CAMPAIGN_PROFILE-64,256,1024}   # batch sizes profiled first (set but empty: skip)
only=${GPU_CAMPAIGN_ONLY:-}              # grid points to run (sweep --only), default all
pack_options=${GPU_CAMPAIGN_PACK:-}      # e.g. "--with-dump --skip-teacher" (gpu_transfer.py pack)
# A teacher trained by the call before on the same, still warm machine (gpu_train.sh's
# runs/gpu-train/NAME): the sweep's teacher, without staging it from here.
teacher=${GPU_CAMPAIGN_TEACHER:-}
device=${GPU_CAMPAIGN_DEVICE:-cuda}      # cpu: a dry run of this script on a CPU machine
out=${OUT:?OUT must name the folder that comes back}
log=$out/campaign.log
say() { echo "[$(( $(date +%s) - start ))s] $*" | tee -a "$log"; }

source "$(dirname "$0")/device_env.sh"
check='import torch, transformers, tokenizers, rapidfuzz, codebleu, tree_sitter_java, lz4, javalang, sklearn, rich, matplotlib, seaborn
import sys
gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
assert gpu or sys.argv[1] == "cpu", "no CUDA device"
print("torch", torch.__version__, "transformers", transformers.__version__, gpu)'
if ! python3 -c "$check" "$device" >>"$log" 2>&1; then
  say "imports failed with the carried transformers; trying the device's own"
  rm -rf /tmp/site/transformers /tmp/site/transformers-*
  python3 -c "$check" "$device" >>"$log" 2>&1 || { say "imports failed"; tail -20 "$log"; exit 1; }
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv >>"$log" 2>&1
nproc >>"$log"

sweep_out=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["out"])' "$config")
mkdir -p "$sweep_out/retrieval-cache"
[ -e "$sweep_out/tokenizer" ] || cp -r .gpu/tokenizer "$sweep_out/tokenizer"
if [ -d .gpu/retrieval-cache ]; then  # staged unless `prepare --plain`
  cp .gpu/retrieval-cache/*.json "$sweep_out/retrieval-cache/"
fi
if [ -n "$teacher" ]; then
  [ -e "$teacher/training/done.json" ] || { say "no finished teacher in $teacher (the machine was not warm?)"; exit 1; }
  rm -rf "$sweep_out/teacher" && cp -r "$teacher" "$sweep_out/teacher" && say "teacher: $teacher"
elif [ -d .gpu/sweep ]; then  # finished stages staged by `gpu_transfer.py prepare --teacher`
  cp -r .gpu/sweep/. "$sweep_out"/ && python3 benchmarks/scripts/gpu_transfer.py widen "$sweep_out" >>"$log" 2>&1
fi

if [ -n "$profile" ]; then  # where a teacher step's time goes, eager and compiled: read it before the next call
  for compiled in false true; do
    say "profiling teacher steps at batch sizes $profile (runtime.compile=$compiled)"
    timeout 150 python3 benchmarks/scripts/profile_step.py --config configs/teacher-cpu.toml \
      --tokenizer "$sweep_out/tokenizer" --device "$device" --batch-sizes "$profile" --steps 5 --warmup-steps 6 \
      --set runtime.compile=$compiled --out "$out/profile-compile-$compiled" >>"$log" 2>&1 \
      || say "profile failed (see the log)"
  done
fi

say "sweep $config starts on $device ($jobs jobs, deadline ${deadline}s)"
setsid python3 -m workbench sweep --config "$config" --device "$device" --jobs "$jobs" --no-progress \
  ${only:+--only "$only"} \
  >"$out/sweep.log" 2>&1 &
sweep=$!
while kill -0 "$sweep" 2>/dev/null; do
  if (( $(date +%s) - start > deadline )); then
    say "deadline: stopping the sweep"
    kill -TERM -- -"$sweep" 2>/dev/null; sleep 3; kill -KILL -- -"$sweep" 2>/dev/null
    break
  fi
  echo "[$(( $(date +%s) - start ))s] gpu $(nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader 2>/dev/null)" >>"$log"
  sleep 10
done
wait "$sweep" 2>/dev/null; say "sweep exit $?"
tail -40 "$out/sweep.log" | tee -a "$log"
for f in "$sweep_out"/runs/*.log; do [ -e "$f" ] && { echo "== $f"; tail -5 "$f"; }; done >>"$log"
python3 benchmarks/scripts/gpu_transfer.py pack --sweep "$sweep_out" --out "$out" $pack_options 2>&1 | tee -a "$log"
say "done"
