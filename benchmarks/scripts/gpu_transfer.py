"""Move the GPU campaign (configs/sweep-gpu.toml) to a lent device machine and back.

A device call carries only the work tree (64 MiB) and brings back at most 8 files of
16 MiB from $OUT, so:

    python benchmarks/scripts/gpu_transfer.py prepare    # here: .gpu/ (data, tokenizer, neighbours)
    (device) bash benchmarks/scripts/gpu_campaign.sh     # runs the sweep, then `pack`
    python benchmarks/scripts/gpu_transfer.py unpack DIR # here: DIR = the call's files -> runs/sweep-gpu

`pack` keeps the weights of the teacher and the full-schedule students, stored as float16
(half the bytes; widened back to float32 by `unpack`, so these models carry float16-rounded
weights, which is what every number measured here afterwards is of), and everything
else of the sweep but checkpoints, the dump (unless `--with-dump`) and the short runs'
weights (their predictions and scores come back). `prepare --teacher DIR` also stages a
trained teacher (float16) for a call that continues from it; the device widens it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path("../shared/datasets/java-assertions-v1")
METHODS = Path("../shared/datasets/java-methods-v1/methods.jsonl.gz")
SPLITS = ("train", "valid", "test-inproject")
SWEEP = Path("runs/sweep-gpu")
STAGE = Path(".gpu")
FULL_RUNS = ("student-cpu-balanced", "student-cpu-base-balanced", "student-cpu-small-balanced",
             "student-cpu-no-distill")
PART_BYTES = 15 * 2**20  # under the 16 MiB a returned file may hold
MODELS_BUDGET = 4 * PART_BYTES  # 4 parts, the results and a log: within 8 files and 64 MiB
WEIGHTS = "model.safetensors"
CARRY_LIMIT = 64 * 2**20  # what a device call takes along: the tree, .gpu and .whl


def prepare(args) -> None:
    """Data, the sweep's tokenizer and the training set's neighbours into .gpu/."""
    from assertgen import retrieval
    from workbench.data import load_records

    tokenizer = Path(args.tokenizer)
    if not (tokenizer / "tokenizer.json").exists():
        sys.exit(f"{tokenizer}: no tokenizer.json (train one: workbench tokenizer --data "
                 f"{CORPUS}/train.jsonl.gz --vocab-size 8000 --out {tokenizer})")
    # Exactly what the flags ask for, nothing an earlier prepare left: a call carries at most
    # 64 MiB. --plain (runs without retrieval) needs no neighbours (~10 MB); the cache of
    # them is kept otherwise (it is keyed by content).
    for stale in STAGE.glob("*"):
        if stale.name != "retrieval-cache" or args.plain:
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    (STAGE / "data").mkdir(parents=True, exist_ok=True)
    for split in SPLITS:
        shutil.copy(CORPUS / f"{split}.jsonl.gz", STAGE / "data" / f"{split}.jsonl.gz")
    shutil.copytree(tokenizer, STAGE / "tokenizer")
    if not args.plain:
        # Every run of the sweep searches the training set for each record of train, valid and
        # test-inproject: do it once here (about a minute on 2 cores) instead of on the lease.
        os.environ[retrieval.CACHE_ENV] = str((STAGE / "retrieval-cache").resolve())
        train = load_records(CORPUS / "train.jsonl.gz")
        retriever = retrieval.Retriever().fit(train)
        for split in SPLITS:
            records = train if split == "train" else load_records(CORPUS / f"{split}.jsonl.gz")
            retriever.nearest(records, exclude_self=True)
            print(f"neighbours of {split}: {len(records)}")
    if args.mined:  # train + `workbench mine` records as one file (gzip members concatenate)
        joined = STAGE / "data" / "train-mined.jsonl.gz"
        joined.write_bytes((CORPUS / "train.jsonl.gz").read_bytes() + Path(args.mined).read_bytes())
        print(f"staged train + {args.mined} as {joined}")
    if args.methods:  # for `workbench pretrain` jobs (configs/gpu-pretrain.jobs)
        (STAGE / "methods").mkdir(parents=True, exist_ok=True)
        shutil.copy(METHODS, STAGE / "methods" / METHODS.name)
        print(f"staged {METHODS} as {STAGE / 'methods' / METHODS.name}")
    if args.teacher:
        target = STAGE / "sweep" / "teacher"
        shutil.copytree(args.teacher, target, ignore=shutil.ignore_patterns("checkpoint.pt", "ct2"))
        halve(target / WEIGHTS, target / WEIGHTS)
        print(f"staged {args.teacher} (float16) as {target}")
    if not list(Path(".whl").glob("*.whl")):
        print("warning: no wheels in .whl/ (see benchmarks/results/README.md, 'GPU campaign')")
    tracked = subprocess.run(["git", "ls-files", "-z"], capture_output=True, text=True,
                             check=True).stdout.split("\0")
    files = [Path(f) for f in tracked if f] + [f for folder in (STAGE, Path(".whl"))
                                               for f in folder.rglob("*")]
    carried = sum(f.stat().st_size for f in files if f.is_file())
    print(f"a device call carries {carried / 2**20:.1f} MiB (the tree, {STAGE}, .whl) of "
          f"{CARRY_LIMIT // 2**20} MiB")
    if carried > CARRY_LIMIT:
        sys.exit("too much to carry: stage less (leave out --methods or --teacher)")


def _cast(source: Path, target: Path, dtype_name: str) -> None:
    import torch
    from safetensors.torch import load_file, save_file

    dtype = getattr(torch, dtype_name)
    tensors = {k: v.to(dtype) if v.is_floating_point() else v for k, v in load_file(source).items()}
    save_file(tensors, target, metadata={"format": "pt"})


def halve(source: Path, target: Path) -> None:
    _cast(source, target, "float16")


def widen_all(folder: Path) -> None:
    """Every model's weights under `folder` back to float32 (idempotent)."""
    for weights in sorted(Path(folder).rglob(WEIGHTS)):
        _cast(weights, weights, "float32")
        print(f"float32: {weights}")


def pack(args) -> None:
    """$OUT/models.tar.partNN (float16 weights, the dump with --with-dump) and $OUT/results.tar.gz."""
    out = Path(args.out)
    sweep = Path(args.sweep)
    half = Path("/tmp/gpu-pack")
    shutil.rmtree(half, ignore_errors=True)
    half.mkdir(parents=True)
    if args.only:  # gpu_train.sh: these runs' models first, in this order
        model_dirs = [sweep / name for name in args.only.split(",")]
    elif args.all_models:  # gpu_train.sh: every run's model under the folder
        model_dirs = sorted(w.parent for w in sweep.rglob(WEIGHTS))
    else:
        model_dirs = ([] if args.skip_teacher else [sweep / "teacher"]) + \
            [sweep / "runs" / name for name in FULL_RUNS]
    packed = 0
    for model_dir in model_dirs:
        if not (model_dir / WEIGHTS).exists():
            print(f"not packed (no weights): {model_dir}")
            continue
        target = half / model_dir.relative_to(sweep)
        target.mkdir(parents=True)
        halve(model_dir / WEIGHTS, target / WEIGHTS)
        size = (target / WEIGHTS).stat().st_size
        if packed + size > MODELS_BUDGET:  # what comes back is capped: say what stays behind
            shutil.rmtree(target)
            print(f"not packed (over the {MODELS_BUDGET // 2**20} MiB for weights): {model_dir}")
            continue
        packed += size
    with tarfile.open(half / "models.tar", "w") as tar:
        if args.with_dump and (sweep / "dump.jsonl.gz").exists():
            tar.add(sweep / "dump.jsonl.gz", arcname="dump.jsonl.gz")  # first: the most costly part
        for path in sorted(half.rglob(WEIGHTS)):
            tar.add(path, arcname=str(path.relative_to(half)))
    data = (half / "models.tar").read_bytes()
    for i in range(0, len(data), PART_BYTES):
        (out / f"models.tar.part{i // PART_BYTES:02d}").write_bytes(data[i:i + PART_BYTES])

    def keep(info: tarfile.TarInfo):
        name = Path(info.name)
        if name.name in ("checkpoint.pt", "dump.jsonl.gz") or name.parts[-2:-1] == ("retrieval-cache",):
            return None
        if name.name == WEIGHTS:
            return None  # packed models travel in models.tar (float16), the short runs' stay
        return info

    with tarfile.open(out / "results.tar.gz", "w:gz") as tar:
        tar.add(sweep, arcname=".", filter=keep)
    sizes = {p.name: p.stat().st_size for p in out.iterdir()}
    print("packed:", ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in sorted(sizes.items())))


def unpack(args) -> None:
    """The call's files -> runs/sweep-gpu, with float32 weights."""
    src, sweep = Path(args.files), Path(args.sweep)
    sweep.mkdir(parents=True, exist_ok=True)
    with tarfile.open(src / "results.tar.gz") as tar:
        tar.extractall(sweep, filter="data")
    parts = sorted(src.glob("models.tar.part*"))
    if parts:
        tmp = Path("/tmp/gpu-unpack.tar")
        with open(tmp, "wb") as joined:
            for part in parts:
                joined.write(part.read_bytes())
        with tarfile.open(tmp) as tar:
            tar.extractall(sweep, filter="data")
        tmp.unlink()
        widen_all(sweep)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--tokenizer", default="runs/sweep-cpu/tokenizer")
    p.add_argument("--teacher", help="a trained teacher model directory to stage (float16)")
    p.add_argument("--methods", action="store_true", help=f"stage {METHODS} too (pretraining)")
    p.add_argument("--mined", help="a `workbench mine` records file (.gz): staged after train as "
                                   "data/train-mined.jsonl.gz (configs/gpu-mined.jobs)")
    p.add_argument("--plain", action="store_true",
                   help="no retrieval neighbours (runs without retrieval)")
    p.set_defaults(func=prepare)
    p = sub.add_parser("pack")
    p.add_argument("--sweep", default=str(SWEEP))
    p.add_argument("--out", default=os.environ.get("OUT"))
    p.add_argument("--with-dump", action="store_true", help="bring the teacher dump back too")
    p.add_argument("--skip-teacher", action="store_true", help="the teacher came from here")
    p.add_argument("--all-models", action="store_true",
                   help="pack every model under --sweep (gpu_train.sh), not the sweep's full runs")
    p.add_argument("--only", help="comma-separated model folders under --sweep to pack, in order "
                   "of importance (gpu_train.sh's GPU_TRAIN_PACK)")
    p.set_defaults(func=pack)
    p = sub.add_parser("widen", help="float32 weights for every model under FOLDER")
    p.add_argument("folder")
    p.set_defaults(func=lambda a: widen_all(Path(a.folder)))
    p = sub.add_parser("unpack")
    p.add_argument("files", help="folder holding results.tar.gz and models.tar.part*")
    p.add_argument("--sweep", default=str(SWEEP))
    p.set_defaults(func=unpack)
    args = parser.parse_args()
    for name in ("files", "out", "sweep", "tokenizer", "teacher", "folder"):  # relative to where it was called
        if getattr(args, name, None):
            setattr(args, name, str(Path(getattr(args, name)).resolve()))
    os.chdir(REPO)
    args.func(args)


if __name__ == "__main__":
    main()
