"""Gold CE of plain-input model directories on a records file, as Trainer.validate computes it
(bf16 autocast, the student config's token limits). Usage: valid_loss.py RECORDS MODEL_DIR..."""
import json, sys, tempfile, torch
torch.set_num_threads(1)
from workbench import modeling
from workbench.data import load_records
from workbench.train import Trainer, encode_records, train_settings
cfg = modeling.load_config("configs/student-cpu.toml", ["runtime.cpu_precision=bf16", "train.valid_generate=0"])
s = train_settings(cfg)
records = load_records(sys.argv[1])
for model_dir in sys.argv[2:]:
    model, tok, _ = modeling.load_model_dir(model_dir)
    ex = encode_records(records, tok, s["max_input_tokens"], s["max_target_tokens"])
    with tempfile.TemporaryDirectory() as out:
        t = Trainer(model, tok, ex, ex, records, s, out)
        print(json.dumps({"model": model_dir, "records": sys.argv[1], **t.validate()}))
