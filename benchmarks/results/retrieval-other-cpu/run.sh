#!/usr/bin/env bash
# Stop 29 (no GPU): the main student trained from scratch with retrieval augmentation whose
# training neighbours come from other test files (data.retrieval_other_files), with the
# settings of the plain control of abstraction-cpu20/run.sh (its student-plain), so that the
# two compare at equal epochs. Resumable: rerun as is. Run from the repository root; R holds
# the run (outside the repository). The tokenizer is the control's:
#   workbench tokenizer --data $D/train.jsonl.gz --vocab-size 8000 --out /work/runs/tok8k
R=${R:-/work/runs/ret-other-scratch}
NAME=student-ret-other
[ -f $R/$NAME/training/done.json ] && exit 0
resume=""; [ -f $R/$NAME/training/checkpoint.pt ] && resume="--resume"
mkdir -p $R
OMP_NUM_THREADS=${THREADS:-2} LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 .venv/bin/workbench train \
  --config configs/student-cpu.toml --tokenizer ${TOKENIZER:-/work/runs/tok8k} --out $R/$NAME --no-progress $resume \
  data.retrieval=true data.retrieval_other_files=true train.batch_size=32 train.learning_rate=1e-3 \
  train.warmup_steps=300 train.epochs=40 train.early_stop_patience=3 train.valid_generate=0 \
  train.checkpoint_minutes=5 runtime.cpu_precision=bf16 >> $R/$NAME.log 2>&1
echo "exit $?" >> $R/$NAME.log
