#!/usr/bin/env bash
# Everything a GPU call of configs/gpu-{mined,pretrain,abstraction}.jobs needs, made on a
# fresh development machine in a few minutes (each session may start on a new one, with
# no runs/ and no staged .gpu/ or .whl/):
#   bash benchmarks/scripts/gpu_stage.sh mined|pretrain|abstraction
# then the device call in that jobs file's header (carry .gpu .whl). Needs the README's
# development set-up (.venv with `pip install -e '.[train,test]'`) and pip's index for the
# wheels.
set -euo pipefail
mode=${1:?usage: gpu_stage.sh mined|pretrain|abstraction}
case "$mode" in mined|pretrain|abstraction) ;; *) echo "unknown mode: $mode (mined, pretrain or abstraction)" >&2; exit 2 ;; esac
cd "$(dirname "$0")/../.."
D=../shared/datasets/java-assertions-v1
source .venv/bin/activate

# What a device call carries but git must never see.
for path in /.gpu/ /.whl/ /runs; do
  grep -qxF "$path" .git/info/exclude 2>/dev/null || echo "$path" >>.git/info/exclude
done
[ -e runs ] || mkdir -p runs

# The device image has torch, transformers, tokenizers, numpy, scikit-learn, rich, matplotlib
# and seaborn; these travel as wheels, at the versions installed here (transformers too:
# the device's is older than the one tested here).
mkdir -p .whl
for package in rapidfuzz lz4 javalang codebleu tree-sitter tree-sitter-java transformers; do
  version=$(python -c "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))" "$package")
  ls .whl | grep -qi "^${package//-/_}-$version-" && continue
  python -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 --platform manylinux1_x86_64 --platform any -d .whl "$package==$version"
done

# The 8k tokenizer of every GPU run so far (its vocabulary is the shipped default's).
[ -e runs/sweep-gpu/tokenizer/tokenizer.json ] ||
  workbench tokenizer --data $D/train.jsonl.gz --vocab-size 8000 --out runs/sweep-gpu/tokenizer

case "$mode" in
  mined)
    [ -e runs/mined.jsonl.gz ] ||
      workbench mine --methods ../shared/datasets/java-methods-v1/methods.jsonl.gz --out runs/mined.jsonl.gz \
        --exclude $D/train.jsonl.gz $D/valid.jsonl.gz $D/test.jsonl.gz $D/test-inproject.jsonl.gz
    python benchmarks/scripts/gpu_transfer.py prepare --tokenizer runs/sweep-gpu/tokenizer --plain \
      --mined runs/mined.jsonl.gz ;;
  pretrain)
    python benchmarks/scripts/gpu_transfer.py prepare --tokenizer runs/sweep-gpu/tokenizer --methods --plain ;;
  abstraction)
    [ -e runs/tokenizer-abstraction/tokenizer.json ] ||
      workbench tokenizer --data $D/train.jsonl.gz --vocab-size 8000 --abstraction --out runs/tokenizer-abstraction
    python benchmarks/scripts/gpu_transfer.py prepare --tokenizer runs/tokenizer-abstraction ;;
esac
