"""Build ``realdev.jsonl`` and ``realtest.jsonl`` from the written conversations and their labels.

Run from the repository root: ``uv run python classifiers/corpus/realtalk/build.py``.

Each helper ("manager") turn of ``raw/*.jsonl`` becomes one item with up to six earlier turns as
``context``. Its gold label is the label of the two blind annotators (``annotations/A-*``,
``annotations/B-*``) when they agree; where they disagree the majority of the two and the writer's
intended move decides, unless ``annotations/adjudication.jsonl`` rules otherwise. Conversations
are split whole, by a hash of their id: about 40% of each writer's conversations are held out in
``realtest.jsonl`` and never used for tuning.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent
CONTEXT_TURNS = 6
HELD_OUT_SHARE = 0.4


def held_out(conversation: str) -> bool:
    digest = int(hashlib.sha1(conversation.encode()).hexdigest()[:8], 16)
    return digest / 0xFFFFFFFF < HELD_OUT_SHARE


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def labels(prefix: str) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in sorted((HERE / "annotations").glob(f"{prefix}-chunk*.jsonl")):
        found.update({row["id"]: row for row in read_jsonl(path)})
    return found


def build() -> dict[str, list[dict]]:
    first, second = labels("A"), labels("B")
    ruled = {row["id"]: row for row in read_jsonl(HERE / "annotations" / "adjudication.jsonl")}
    splits: dict[str, list[dict]] = {"realdev": [], "realtest": []}
    for path in sorted((HERE / "raw").glob("*.jsonl")):
        for conversation in read_jsonl(path):
            turns = conversation["turns"]
            for index, turn in enumerate(turns):
                if "intended" not in turn:
                    continue
                item_id = f"{conversation['conversation']}-t{index + 1:02d}"
                a, b = first[item_id]["label"], second[item_id]["label"]
                votes = Counter([a, b, turn["intended"]])
                label, adjudication = (a, "agreed") if a == b else (votes.most_common(1)[0][0], "majority")
                if item_id in ruled:
                    label, adjudication = ruled[item_id]["label"], "adjudicated"
                earlier = turns[max(0, index - CONTEXT_TURNS) : index]
                context = [{"speaker": t["speaker"], "text": t["text"]} for t in earlier]
                split = "realtest" if held_out(conversation["conversation"]) else "realdev"
                splits[split].append(
                    {
                        "id": item_id,
                        "text": turn["text"],
                        "label": label,
                        "context": context,
                        "register": conversation["register"],
                        "conversation": conversation["conversation"],
                        "turn": index + 1,
                        "setting": conversation["setting"],
                        "annotations": {"writer": turn["intended"], "a": a, "b": b, "gold": adjudication},
                        "author": f"helper:{path.stem} (LLM-written for coachsim), two blind annotators",
                    }
                )
    return splits


def main() -> None:
    for name, items in build().items():
        with (CORPUS / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for item in items:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
        moves, registers = Counter(i["label"] for i in items), Counter(i["register"] for i in items)
        print(name, len(items), dict(moves), dict(registers))


if __name__ == "__main__":
    main()
