#!/bin/bash
# Does student-plain (the shipped default, 23 GPU epochs on train) gain in-project from more
# epochs, and from the mined records? Continue it on train (control) and on train + mined
# records (minus the held-out files), validating on the held-out mined files (in-project),
# side by side with one thread each. Resume: run again.
cd /work/main && source .venv/bin/activate
R=/work/runs/inproject
C="model.name_or_path=runs/gpu-train/student-plain data.retrieval=false train.batch_size=64
   train.learning_rate=5e-4 train.warmup_steps=50 train.epochs=60 train.early_stop_patience=0
   train.valid_generate=200 train.checkpoint_minutes=5 train.log_every=50 runtime.cpu_precision=bf16"
export OMP_NUM_THREADS=${THREADS:-1}
RUNS=${RUNS:-cont-train cont-train-mined}
for run in $RUNS; do
  data=../shared/datasets/java-assertions-v1/train.jsonl.gz
  [ $run = cont-train-mined ] && data=$R/train-mined-rest.jsonl.gz
  resume=; [ -e $R/$run/training/checkpoint.pt ] && resume=--resume
  workbench train --config configs/student-cpu.toml --tokenizer runs/gpu-train/student-plain \
    --train $data --valid $R/valid-inproject.jsonl.gz --no-progress $resume --out $R/$run $C >> $R/$run.log 2>&1 &
done
wait
