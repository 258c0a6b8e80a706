"""From which similarity should `assertgen fill` reuse a similar test's assertions?

    python benchmarks/scripts/probe_reuse_threshold.py --train $D/train.jsonl.gz \
        --split valid=$D/valid.jsonl.gz=runs/reuse-report/eval/valid/student-plain \
        --split test=$D/test.jsonl.gz=runs/reuse-report/eval/test/student-plain \
        --out benchmarks/results/reuse

For each split (NAME=RECORDS=EVAL_DIR, EVAL_DIR a `workbench report` folder holding the
model's predictions.jsonl) and each search of `assertgen.reuse` (words, chars), each
record's most similar test of its own repository is found as `workbench report --reuse`
finds it (`RepositoryReuse`, any similarity), and exact match is computed for every
threshold: the adapted assertions where the similarity reaches it, the model's elsewhere.
Writes OUT/reuse_threshold.{json,md} and OUT/reuse_threshold.png, and
OUT/reuse_alone.{json,md}: the whole metric suite of reuse alone (the nearest test of the
repository adapted, at any similarity, nothing where there is none), the strongest
retrieval method to compare a model with.
"""

from __future__ import annotations

COLUMNS = ["exact_match", "exact_match_lenient", "f1", "codebleu", "token_accuracy", "similarity",
           "ast_validity", "n"]
THRESHOLDS = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]


def main() -> None:
    from pathlib import Path

    from probe_selection import reuse_probe_inputs, write_rows

    from assertgen.reuse import THRESHOLDS as THRESHOLDS_OF_SEARCH
    from assertgen.reuse import RepositoryReuse, Reuser
    from workbench.metrics import compute_metrics, per_example
    from workbench.plots import pyplot

    args, train, idioms, splits = reuse_probe_inputs(__doc__.splitlines()[0])
    rows, curves, alone = [], {}, []
    for name, records, model in splits:
        def exact(prediction, record) -> int:
            return per_example(prediction, record["assertions"], with_codebleu=False)["exact_match"]

        model_right = [exact(p, r) for p, r in zip(model, records)]
        for search in THRESHOLDS_OF_SEARCH:
            reuser = Reuser(idioms, threshold=0.0, search=search)
            found = RepositoryReuse(reuser, [*records, *train]).suggest(records)
            reuse_right = [exact(f.assertions, r) if f else 0 for f, r in zip(found, records)]
            similarity = [f.similarity if f else -1.0 for f in found]
            curve = []
            for t in THRESHOLDS:
                use = [s >= t for s in similarity]
                em = sum(rr if u else mr for u, rr, mr in zip(use, reuse_right, model_right)) / len(records)
                curve.append(em)
                rows.append({"split": name, "search": search, "threshold": t,
                             "reused": sum(use) / len(records), "exact_match": em})
            curves[name, search] = curve
            summary, _ = compute_metrics([f.assertions if f else [] for f in found],
                                         [r["assertions"] for r in records])
            alone.append({"split": name, "search": search, **{k: summary[k] for k in COLUMNS}})

    header = {"train": args.train, "splits": args.split}
    write_rows(args.out, "reuse_threshold", header, "Exact match by reuse threshold (1.01: the model alone)",
               rows, [("split", "split"), ("search", "search"), ("threshold", "threshold"),
                      ("reused", "reused"), ("exact_match", "EM")])
    write_rows(args.out, "reuse_alone", header, "Reuse alone, at any similarity", alone,
               [("split", "split"), ("search", "search"), *((key, key) for key in COLUMNS)])
    figure, axes = pyplot().subplots(figsize=(6, 4))
    colours = {}
    for (name, search), curve in curves.items():
        style = "-" if search == "chars" else "--"
        axes.plot(THRESHOLDS[:-1], curve[:-1], marker="o", linestyle=style, color=colours.get(name),
                  label=f"{name} ({search})")
        colours[name] = axes.lines[-1].get_color()
    for name, colour in colours.items():  # the model alone is the same for both searches
        axes.axhline(curves[name, "chars"][-1], linestyle=":", color=colour)
    axes.set_xlabel("reuse from cosine similarity (dotted: the model alone)")
    axes.set_ylabel("exact match")
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(Path(args.out) / "reuse_threshold.png", dpi=120)


if __name__ == "__main__":
    main()
