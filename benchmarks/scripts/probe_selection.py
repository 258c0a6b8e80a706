"""Can a model pick among retrieved assertions? Selection probes on one test split.

    python benchmarks/scripts/probe_selection.py --model runs/gpu-train/student-plain \
        --train ../shared/datasets/java-assertions-v1/train.jsonl.gz \
        --split ../shared/datasets/java-assertions-v1/test-inproject.jsonl.gz --limit 500 --k 5 \
        --out benchmarks/results/gpu-stop11/selection

Rows (exact match, F1, CodeBLEU on the same records, sampled as `workbench report --limit`):
- greedy: the model's own greedy output; ir-top1: the retrieval baseline;
- rerank-sum / rerank-mean: of the k nearest training tests' assertions and the greedy
  output, the one the model gives the highest summed / mean token log-probability;
- oracle-greedy-or-ir: the better of greedy and ir-top1 for each record, an upper bound of
  any rule that chooses between the two (a similarity threshold, say);
- oracle-top-k: a record counts when any of the k retrieved candidates is exactly right.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def candidate_log_probs(generator, model_input: str, targets: list[str]) -> tuple[list[float], list[float]]:
    """Summed and mean token log-probability of each target given the input (teacher-forced),
    both encoded as in training (`encode_input_texts`, `encode_target`, `collate`)."""
    from workbench.losses import token_ce
    from workbench.train import collate, encode_input_texts, encode_target

    torch = generator.torch
    tok, model = generator.tokenizer, generator.model
    (input_ids,) = encode_input_texts(tok, [model_input], generator.max_input_tokens)
    batch = collate([{"input_ids": input_ids, "labels": encode_target(tok, t, generator.max_target_tokens)}
                     for t in targets], tok.pad_token_id)
    with torch.inference_mode():
        logits = model(**batch).logits
    means = -token_ce(logits, batch["labels"])  # the mean token log-probability of each target
    return (means * (batch["labels"] != -100).sum(1)).tolist(), means.tolist()


def probe_arguments(description: str, with_model: bool) -> argparse.Namespace:
    """The command line the retrieval probes share (this one and probe_adaptation.py)."""
    parser = argparse.ArgumentParser(description=description)
    if with_model:
        parser.add_argument("--model", required=True, help="a PyTorch model directory")
    parser.add_argument("--train", required=True, help="training records (the retrieval corpus)")
    parser.add_argument("--split", required=True, help="test records")
    parser.add_argument("--limit", type=int, help="a sample of N records (seed 0)")
    parser.add_argument("--k", type=int, default=5, help="retrieved candidates per record")
    parser.add_argument("--out", required=True)
    return parser.parse_args()


def reuse_probe_inputs(description: str):
    """The command line and inputs the reuse probes share (probe_reuse_threshold.py,
    probe_reuse_fallback.py): (args, train records, the reuse idioms fitted on them,
    [(split name, records, the model's predictions in record order)])."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--train", required=True, help="training records (idioms, and records to reuse from)")
    parser.add_argument("--split", action="append", required=True, metavar="NAME=RECORDS=EVAL_DIR")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    from assertgen.abstraction import fit_idioms
    from workbench.data import load_records
    from workbench.evaluate import align, read_predictions

    train = load_records(args.train)
    splits = []
    for text in args.split:
        name, records_path, eval_dir = text.split("=")
        records = load_records(records_path)
        splits.append((name, records, align(records, read_predictions(Path(eval_dir) / "predictions.jsonl"), eval_dir)))
    return args, train, fit_idioms(train), splits


def write_rows(out: str, stem: str, header: dict, title: str, rows: list[dict],
               columns: list[tuple[str, str]]) -> None:
    """OUT/STEM.json ({header, rows}) and OUT/STEM.md (title, then a table of the rows'
    `columns`, (key, heading) pairs, the first one a label), printed."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.json").write_text(json.dumps({**header, "rows": rows}, indent=1) + "\n")
    (label, _), numbers = columns[0], [key for key, _ in columns[1:]]
    lines = [title, "", "| " + " | ".join(heading for _, heading in columns) + " |",
             "| --- |" + " ---: |" * len(numbers)]
    def cell(value) -> str:
        if value is None:
            return "—"
        return str(value) if isinstance(value, (int, str)) else f"{value:.3f}"

    lines += [f"| {r[label]} | " + " | ".join(cell(r[k]) for k in numbers) + " |" for r in rows]
    (folder / f"{stem}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    args = probe_arguments(__doc__.splitlines()[0], with_model=True)

    from rich.progress import track

    from assertgen.model import load_generator
    from assertgen.prompt import build_target, parse_output
    from assertgen.retrieval import Retriever, model_inputs
    from workbench.bench import sample_records
    from workbench.data import load_records
    from workbench.metrics import compute_metrics, per_example

    records = sample_records(load_records(args.split), args.limit, seed=0)
    retriever = Retriever().fit(load_records(args.train))
    top, _ = retriever.top(records, args.k)
    generator = load_generator(args.model, backend="pytorch")
    if generator.abstraction is not None:  # candidates would need scoring in its names
        raise SystemExit(f"{args.model}: models trained with identifier abstraction are not supported")
    inputs = model_inputs(records, generator.metadata, retriever)
    greedy = [outputs[0] for outputs in generator.generate(inputs, 1, 32)]
    refs = [r["assertions"] for r in records]

    picks = {"greedy": [parse_output(g) for g in greedy],
             "ir-top1": [retriever.assertions_of(int(row[0])) for row in top],
             "rerank-sum": [], "rerank-mean": []}
    for i in track(range(len(records)), description="scoring candidates"):
        candidates = [build_target(retriever.assertions_of(int(j))) for j in top[i]] + [greedy[i]]
        sums, means = candidate_log_probs(generator, inputs[i], candidates)
        picks["rerank-sum"].append(parse_output(candidates[max(range(len(sums)), key=sums.__getitem__)]))
        picks["rerank-mean"].append(parse_output(candidates[max(range(len(means)), key=means.__getitem__)]))

    def exact(preds):
        return [per_example(p, r, with_codebleu=False)["exact_match"] for p, r in zip(preds, refs)]

    em_greedy, em_ir = exact(picks["greedy"]), exact(picks["ir-top1"])
    picks["oracle-greedy-or-ir"] = [g if eg >= ei else i for g, i, eg, ei in
                                    zip(picks["greedy"], picks["ir-top1"], em_greedy, em_ir)]
    rows = []
    for name, preds in picks.items():
        summary, _ = compute_metrics(preds, refs)
        rows.append({"selection": name, **{k: summary[k] for k in ("exact_match", "f1", "codebleu")}})
    any_right = [any(per_example(retriever.assertions_of(int(j)), r, with_codebleu=False)["exact_match"]
                     for j in row) for row, r in zip(top, refs)]
    rows.append({"selection": f"oracle-top-{args.k}", "exact_match": sum(any_right) / len(refs),
                 "f1": None, "codebleu": None})

    header = {"model": args.model, "split": args.split, "records": len(records), "k": args.k}
    write_rows(args.out, "selection", header, f"{args.model} on {len(records)} records of {args.split} "
               f"(k = {args.k})", rows, [("selection", "selection"), ("exact_match", "EM"), ("f1", "F1"),
                                         ("codebleu", "CodeBLEU")])


if __name__ == "__main__":
    main()
