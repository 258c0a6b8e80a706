# Sourced by gpu_campaign.sh and gpu_train.sh on a lent device machine, after they set
# $device, $log and say(): the carried wheels, the environment, the corpus path.
# The device's own python has torch; carried wheels add the rest at the versions tested here.
if [ "$device" = cuda ] && ls .whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl >>"$log" 2>&1 || { say "wheel install failed"; exit 1; }
fi
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
# The configs name the corpus as ../shared/datasets/java-assertions-v1 (beside the checkout);
# on the device it comes staged in .gpu/data (gpu_transfer.py prepare).
if [ -d .gpu/data ] && [ ! -e ../shared/datasets/java-assertions-v1/train.jsonl.gz ]; then
  mkdir -p ../shared/datasets && ln -sfn "$PWD/.gpu/data" ../shared/datasets/java-assertions-v1
fi
