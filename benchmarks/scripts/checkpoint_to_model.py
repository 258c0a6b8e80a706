"""A model directory from a run's last checkpoint, to fine-tune from a run mid-epoch.

A `workbench pretrain` epoch over ~300k methods takes hours on a CPU, and a run saves its
model directory only after an epoch (the best on validation). This writes the weights of
RUN/training/checkpoint.pt as a model directory that `workbench train
model.name_or_path=OUT --tokenizer OUT` starts from:

    python benchmarks/scripts/checkpoint_to_model.py --run runs/pretrain/student \
        --config configs/student-cpu.toml --tokenizer runs/sweep-gpu/tokenizer --out runs/pre-ckpt

--config (with any KEY=VALUE overrides) and --tokenizer must be the run's own: they give
the model's shape, and the weights must fit it. The run's retrieval and abstraction settings
come along, so that `workbench report` feeds the model as it was trained (a retrieval model
scored without its neighbours would be scored wrong).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def input_settings(saved: dict, run: Path, cfg: dict, checkpoint: Path) -> dict:
    """What shapes the model's inputs (retrieval, abstraction), as the run trained with it: from
    the checkpoint, or for a checkpoint older than that record from the run's saved model."""
    if "inputs" in saved:
        return saved["inputs"]
    saved_model = run / "assertgen.json"
    if saved_model.exists():
        from workbench.train import input_metadata

        return input_metadata(json.loads(saved_model.read_text()))
    if cfg["data"].get("retrieval") or cfg["data"].get("abstraction"):
        sys.exit(f"error: {checkpoint}: it does not record the run's retrieval or abstraction "
                 "settings, and the run saved no model yet to take them from")
    return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", required=True, help="the run's --out (holds training/checkpoint.pt)")
    parser.add_argument("--config", required=True, help="the run's config")
    parser.add_argument("--tokenizer", required=True, help="the run's tokenizer")
    parser.add_argument("--out", required=True, help="model directory to write")
    parser.add_argument("overrides", nargs="*", metavar="KEY=VALUE", help="the run's config overrides")
    args = parser.parse_args()
    checkpoint = Path(args.run) / "training" / "checkpoint.pt"
    if not checkpoint.exists():
        sys.exit(f"error: {checkpoint}: no checkpoint")

    import torch

    from workbench import modeling

    cfg = modeling.load_config(args.config, list(args.overrides))
    tokenizer = modeling.load_tokenizer(args.tokenizer)
    model = modeling.build_model(dict(cfg["model"]), tokenizer)
    saved = torch.load(checkpoint, map_location="cpu", weights_only=False)
    try:
        model.load_state_dict(saved["model"])
    except RuntimeError as err:
        sys.exit(f"error: {checkpoint}: the weights do not fit {args.config}'s model: "
                 f"{str(err).splitlines()[0]}")
    state, settings = saved["state"], saved["settings"]
    metadata = {"kind": "checkpoint", "config": cfg, "settings": settings,
                "checkpoint": {"run": str(args.run), "epoch": state.get("epoch"),
                               "batch": state.get("batch"), "step": state.get("step"),
                               "examples": state.get("examples")},
                **input_settings(saved, Path(args.run), cfg, checkpoint)}
    modeling.save_model_dir(model, tokenizer, args.out, metadata)
    print(f"wrote {args.out} from step {state.get('step')} ({state.get('examples')} examples) "
          f"of {args.run}")


if __name__ == "__main__":
    main()
