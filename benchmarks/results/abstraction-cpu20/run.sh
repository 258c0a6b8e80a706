#!/usr/bin/env bash
# Stop 20 (no GPU): the main student with identifier abstraction against the same student
# without it, each with its own 8k BPE, trained side by side on the 2-core CPU, one thread
# each, until early stopping. Resumable: rerun as is. Run from the repository root;
# R holds the runs (outside the repository), D the corpus.
#   workbench tokenizer --data $D/train.jsonl.gz --vocab-size 8000 --out $R/../tok8k
#   workbench tokenizer --data $D/train.jsonl.gz --vocab-size 8000 --abstraction --out $R/../tok8k-abs
# jemalloc: glibc's allocator let the first attempt grow to 7.9 GB (fixed since in
# workbench itself, "CPU training memory").
R=${R:-/work/runs/cpu-abs20}
COMMON="data.retrieval=false train.batch_size=32 train.learning_rate=1e-3 train.warmup_steps=300 \
 train.epochs=40 train.early_stop_patience=3 train.valid_generate=0 train.checkpoint_minutes=5 \
 runtime.cpu_precision=bf16"
run() {  # NAME TOKENIZER ABSTRACTION
  [ -f $R/$1/training/done.json ] && return 0
  local resume=""; [ -f $R/$1/training/checkpoint.pt ] && resume="--resume"
  OMP_NUM_THREADS=1 LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 .venv/bin/workbench train \
    --config configs/student-cpu.toml --tokenizer $2 \
    --out $R/$1 --no-progress $resume $COMMON data.abstraction=$3 >> $R/$1.log 2>&1
  echo "exit $?" >> $R/$1.log
}
run student-abs $R/../tok8k-abs true &
run student-plain $R/../tok8k false &
wait
