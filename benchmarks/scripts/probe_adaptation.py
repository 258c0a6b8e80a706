"""Does adapting the retrieved assertions to the query's names beat plain retrieval?

    python benchmarks/scripts/probe_adaptation.py \
        --train ../shared/datasets/java-assertions-v1/train.jsonl.gz \
        --split ../shared/datasets/java-assertions-v1/test-inproject.jsonl.gz --limit 500 --k 5 \
        --out benchmarks/results/adaptation

Adaptation (as in the retrieve-and-edit work, EditAS and IR-based adaptation): the
neighbour's assertions are written in placeholders of the neighbour's own input
(`assertgen.abstraction`, idioms fitted on the training records), then the placeholders
take the query's names of the same kind and rank. `keep-shared` leaves a name alone when
the query's input has it too. Rows: exact match of the nearest neighbour's assertions
(plain and adapted), and the share of records where any of the k nearest, plain or
adapted, is exactly right (the ceiling of any rule that picks among them).
"""

from __future__ import annotations


def main() -> None:
    from probe_selection import probe_arguments, write_rows

    args = probe_arguments(__doc__.splitlines()[0], with_model=False)

    from assertgen.abstraction import Abstraction, fit_idioms
    from assertgen.retrieval import Retriever
    from assertgen.reuse import adapt
    from workbench.bench import sample_records
    from workbench.data import load_records
    from workbench.metrics import per_example

    train = load_records(args.train)
    records = sample_records(load_records(args.split), args.limit, seed=0)
    top, _ = Retriever().fit(train).top(records, args.k)
    abstraction = Abstraction(fit_idioms(train))

    def exact(prediction, record) -> int:
        return per_example(prediction, record["assertions"], with_codebleu=False)["exact_match"]

    hits: dict[str, list[int]] = {}
    for record, row in zip(records, top):
        neighbours = [train[int(j)] for j in row]
        candidates = {"plain": [n["assertions"] for n in neighbours],
                      "adapted": [adapt(abstraction, n, record, False) for n in neighbours],
                      "adapted-keep-shared": [adapt(abstraction, n, record, True) for n in neighbours]}
        for name, predictions in candidates.items():
            right = [exact(p, record) for p in predictions]
            hits.setdefault(f"{name}, nearest", []).append(right[0])
            hits.setdefault(f"{name}, any of {args.k}", []).append(max(right))
        hits.setdefault(f"any candidate, any of {args.k}", []).append(
            max(exact(p, record) for ps in candidates.values() for p in ps))
    rows = [{"candidates": name, "exact_match": sum(v) / len(v)} for name, v in hits.items()]

    header = {"train": args.train, "split": args.split, "records": len(records), "k": args.k}
    write_rows(args.out, "adaptation", header, f"{len(records)} records of {args.split} (k = {args.k})",
               rows, [("candidates", "candidates"), ("exact_match", "EM")])

if __name__ == "__main__":
    main()
