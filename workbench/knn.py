"""Nearest-neighbour decoding (kNN-MT) over the nearest training tests: retrieval
augmentation at decoding time, with the model unchanged.

kNN-MT (Khandelwal et al., 2021) with a datastore per query, as in its variants that first
retrieve similar sentences: a query's NEIGHBOURS nearest training tests (the retrieval
baseline's TF-IDF search, `assertgen.retrieval.Retriever`) are run through the model
teacher-forced; each target position gives a key (the decoder's last hidden state, the input
of its output layer) and a value (the gold token there). Greedy decoding then takes at each
step the most likely token of

    p(token) = (1 - lambda) * p_model(token) + lambda * p_knn(token),

p_knn spreading softmax(-squared distance / temperature) over the values of the KEYS nearest
keys. With squared distances in the hundreds (2.7M student) temperature 1 puts nearly all of
p_knn on the nearest key: the decoder follows, token by token, the neighbour whose state is
closest to its own, and the model's own choice wins only where it is nearly certain.

The settings (LAMBDA 0.9, TEMPERATURE 1, 16 neighbours) were chosen on 400 records of
test-inproject (`benchmarks/scripts/probe_knn.py`; results README, "kNN decoding"). On all
of it they take the shipped student from exact match 0.024 to 0.053, the retrieval
baseline's level (0.052); reuse in `assertgen fill` does better (0.075), so fill does not use this.
PyTorch models only: CTranslate2 does not expose the decoder's states.
"""

from __future__ import annotations

import inspect

NEIGHBOURS = 16
KEYS = 16
LAMBDA = 0.9
TEMPERATURE = 1.0
SETTINGS = {"neighbours": NEIGHBOURS, "keys": KEYS, "lambda": LAMBDA, "temperature": TEMPERATURE}


class NeighbourStore:
    """Keys and values of training records (`model_inputs` of each, so a retrieval-augmented
    model sees its own augmentation), computed on first use and kept (fp16)."""

    def __init__(self, model, tokenizer, records: list[dict], inputs,  # inputs[i]: record i's model input
                 max_input: int, max_target: int):
        self.model, self.tokenizer, self.records, self.inputs = model, tokenizer, records, inputs
        self.max_input, self.max_target = max_input, max_target
        self.cache: dict[int, tuple] = {}

    def entries(self, indices: list[int]) -> list[tuple]:
        """(keys [T, d_model], values [T]) of each record index."""
        import torch

        from assertgen.prompt import build_target
        from workbench.train import collate, encode_input_texts, encode_target

        missing = [i for i in dict.fromkeys(indices) if i not in self.cache]
        for start in range(0, len(missing), 64):
            chunk = missing[start:start + 64]
            inputs = encode_input_texts(self.tokenizer, [self.inputs[i] for i in chunk], self.max_input)
            examples = [{"input_ids": ids, "labels": encode_target(
                self.tokenizer, build_target(self.records[i]["assertions"]), self.max_target)}
                for ids, i in zip(inputs, chunk)]
            batch = collate(examples, self.tokenizer.pad_token_id)
            with torch.inference_mode():
                hidden = self.model(**batch, output_hidden_states=True).decoder_hidden_states[-1]
            for row, i in enumerate(chunk):
                kept = batch["labels"][row] != -100
                self.cache[i] = (hidden[row][kept].to(torch.float16), batch["labels"][row][kept])
        return [self.cache[i] for i in indices]


def knn_decode(model, tokenizer, inputs: list[list[int]], stores: list[list[tuple]],
               settings: list[tuple[float, float]], keys_per_step: int = KEYS,
               max_new: int = 128) -> dict[tuple[float, float], list[str]]:
    """Greedy decoding of a batch of input ids for every (lambda, temperature) in `settings`;
    `stores[i]` holds the (keys, values) of input i's neighbours. {setting: decoded texts}."""
    import torch

    from workbench.train import _pad

    input_ids = _pad(inputs, tokenizer.pad_token_id, torch.long)
    mask = torch.zeros_like(input_ids)
    for row, ids in enumerate(inputs):
        mask[row, :len(ids)] = 1
    width = model.config.d_model
    # a query without neighbours (none in its repository) has no keys: the model alone decodes it
    keys = torch.nn.utils.rnn.pad_sequence(
        [torch.cat([e[0] for e in s]) if s else torch.empty(0, width, dtype=torch.float16) for s in stores],
        batch_first=True).float()
    values = torch.nn.utils.rnn.pad_sequence(
        [torch.cat([e[1] for e in s]) if s else torch.empty(0, dtype=torch.long) for s in stores], batch_first=True)
    sizes = torch.tensor([sum(len(e[1]) for e in s) for s in stores])
    padding = torch.arange(keys.shape[1])[None, :] >= sizes[:, None]
    # transformers 5 renamed past_key_values to cache (the old name warns, then goes)
    cache_arg = "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"
    results = {}
    with torch.inference_mode():
        encoded = model.get_encoder()(input_ids=input_ids, attention_mask=mask)
        for lam, temperature in settings:
            tokens = torch.full((len(inputs), 1), model.config.decoder_start_token_id)
            done = torch.zeros(len(inputs), dtype=torch.bool)
            past, steps = None, []
            for _ in range(max_new):
                out = model(encoder_outputs=encoded, attention_mask=mask, decoder_input_ids=tokens[:, -1:],
                            use_cache=True, output_hidden_states=True, **{cache_arg: past})
                past = out[cache_arg]
                probs = out.logits[:, -1].float().softmax(-1)
                if lam > 0 and keys.shape[1]:
                    state = out.decoder_hidden_states[-1][:, -1].float()
                    scores = -((keys - state[:, None, :]) ** 2).sum(-1) / temperature
                    best, where = scores.masked_fill(padding, -float("inf")).topk(
                        min(keys_per_step, keys.shape[1]))
                    knn = torch.zeros_like(probs).scatter_add_(
                        1, values.gather(1, where), best.softmax(-1).nan_to_num(0.0))
                    has_keys = torch.isfinite(best[:, :1])
                    probs = torch.where(has_keys, (1 - lam) * probs + lam * knn, probs)
                step = probs.argmax(-1).masked_fill(done, tokenizer.pad_token_id)
                steps.append(step)
                done |= step == tokenizer.eos_token_id
                tokens = torch.cat([tokens, step[:, None]], 1)
                if done.all():
                    break
            results[(lam, temperature)] = tokenizer.batch_decode(torch.stack(steps, 1), skip_special_tokens=True)
    return results


def training_neighbours(pool: list[dict], neighbours: int = NEIGHBOURS):
    """records -> the indices (into `pool`) of each one's nearest pool records: the retrieval
    baseline's search (TF-IDF of code tokens of the masked test and the focal method)."""
    from assertgen.retrieval import Retriever

    retriever = Retriever().fit(pool)
    return lambda records: [[int(i) for i in row] for row in retriever.top(records, neighbours)[0]]


def repository_neighbours(pool: list[dict], reuser, neighbours: int = NEIGHBOURS):
    """records -> the indices of each one's most similar tests of its own repository among
    `pool`, other test files only, as reuse searches (`assertgen.reuse.RepositoryReuse`)."""
    from assertgen.reuse import RepositoryReuse

    search = RepositoryReuse(reuser, pool)
    index = {record["id"]: i for i, record in enumerate(pool)}
    return lambda records: [[index[o.source] for o in options]
                            for options in search.candidates(records, limit=neighbours)]


class KnnDecoder:
    """A PyTorch model directory decoding with kNN over `pool` records (module docstring):
    `nearest(records)` gives each record's neighbours' indices into `pool` (default
    `training_neighbours`)."""

    def __init__(self, model_dir, pool: list[dict], retrieval_corpus: str | None = None,
                 neighbours: int = NEIGHBOURS, nearest=None):
        from assertgen.abstraction import abstraction_of
        from assertgen.errors import UserError
        from workbench.baseline_ir import retriever_for
        from workbench.modeling import load_model_dir

        self.model, self.tokenizer, self.metadata = load_model_dir(model_dir)
        if abstraction_of(self.metadata) is not None:
            raise UserError("kNN decoding does not handle models trained with identifier abstraction",
                            str(model_dir))
        self.model.eval()
        self.corpus = retriever_for(self.metadata, retrieval_corpus)  # a retrieval model's own search
        self.max_input = int(self.metadata.get("max_input_tokens", 320))
        self.max_target = int(self.metadata.get("max_target_tokens", 128))
        self.pool = pool
        self.nearest = nearest or training_neighbours(pool, neighbours)
        self.store = NeighbourStore(self.model, self.tokenizer, pool,
                                    _LazyInputs(pool, self.metadata, self.corpus), self.max_input, self.max_target)

    def decode(self, records: list[dict], settings=((LAMBDA, TEMPERATURE),)) -> dict[tuple, list[str]]:
        """{setting: decoded text of each record} for one batch of records."""
        from assertgen.retrieval import model_inputs
        from workbench.train import encode_input_texts

        inputs = encode_input_texts(self.tokenizer, model_inputs(records, self.metadata, self.corpus),
                                    self.max_input)
        stores = [self.store.entries(row) for row in self.nearest(records)]
        return knn_decode(self.model, self.tokenizer, inputs, stores, list(settings), KEYS, self.max_target)


class _LazyInputs:
    """The model input of training record i, built when its keys are first needed (a retrieval
    model's inputs search the corpus, which is worth doing only for the records used)."""

    def __init__(self, records: list[dict], metadata: dict, corpus):
        self.records, self.metadata, self.corpus = records, metadata, corpus

    def __getitem__(self, i: int) -> str:
        from assertgen.retrieval import model_inputs

        return model_inputs([self.records[i]], self.metadata, self.corpus)[0]


def predict_with_knn(decoder: KnnDecoder, records: list[dict], batch_size: int = 32) -> list[list[str]]:
    """Each record's assertions decoded with kNN at the module's settings, with a progress bar."""
    from rich.console import Console
    from rich.progress import track

    from assertgen.prompt import parse_output

    predictions: list[list[str]] = []
    for start in track(range(0, len(records), batch_size), description="decoding with kNN",
                       transient=True, console=Console(stderr=True)):
        (texts,) = decoder.decode(records[start:start + batch_size]).values()
        predictions += [parse_output(t) for t in texts]
    return predictions
