"""Writes the fuzz targets' seed corpora from the conformance cases and the engines' fixtures.

    python3 fuzz/seeds.py OUT_DIR

Each target gets OUT_DIR/<target>/ with one file per seed, in the target's field layout (newline-separated
fields, the last taking the rest; see fuzz/src/lib.rs and the targets). Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET = "sk-fuzz-primary-6d1f"  # fuzz/src/lib.rs SECRET
NOW_MS = 1_700_000_000_000  # fuzz/src/lib.rs NOW_MS


def load(path: str) -> Any:
    return json.loads((ROOT / path).read_text())


def compact(value: Any) -> str:
    """JSON text on one line, as JSON.stringify writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def signature(body: bytes, t: int = NOW_MS, key: str = SECRET) -> str:
    digest = hmac.new(key.encode(), str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def case_request(case: dict[str, Any]) -> tuple[str, str, bytes]:
    query = case.get("query") or {}
    if not isinstance(query, str):
        query = urllib.parse.urlencode({k: str(v) for k, v in query.items()})
    if "rawBody" in case:
        body = case["rawBody"].encode()
    elif "body" in case:
        body = compact(case["body"]).encode()
    else:
        body = b""
    return case["method"], query, body


def dispatch_seeds() -> list[bytes]:
    seeds = []
    for case in load("tests/conformance/cases.json"):
        method, query, body = case_request(case)
        sign = case.get("sign") or {"mode": "valid"}
        header = sign.get("value", "") if sign["mode"] == "header" else ""
        modes = ["H"] if sign["mode"] in ("none", "header") else ["S", "F", "N", "H"]
        if sign["mode"] == "valid" and "H" in modes:
            header = signature(body if method == "POST" else b"{}")
        resolvers = [""]
        if "action=execute" in query or "action=preview" in query:
            resolvers += ["!", "?", '{"body":"<img src=x onerror=alert(1)>","subject":"s"}']
        for mode in modes:
            for resolver in resolvers:
                seeds.append(f"{mode}\n{method}\n{query}\n{header}\n{resolver}\n".encode() + body)
    for wf in ("welcome", "digest-flow", "delay-then-push", "custom-step", "strict-payload", "throwing", "prefs"):
        body = compact({"to": "s1", "payload": {}, "controls": {}}).encode()
        seeds.append(f"L\nPOST\n{wf}\n\n\n".encode() + body)
    return seeds


def signature_seeds() -> list[bytes]:
    bodies = {b"", b"{}", b"[]", b'{"payload":{"n":1.0,"m":1.50,"e":1E3},"big":12345678901234567890}'}
    for case in load("tests/conformance/cases.json"):
        bodies.add(case_request(case)[2])
    seeds = []
    for body in sorted(bodies):
        for header, clock in (
            (signature(body), ""),
            (signature(body, NOW_MS - 240_000), str(NOW_MS)),
            (signature(body, NOW_MS + 360_000), ""),
            (signature(body).replace("t=", " t=0x"), ""),
            ("garbage", "1e21"),
        ):
            seeds.append(f"{header}\n{clock}\n".encode() + body)
    return seeds


def liquid_templates() -> list[str]:
    templates = []
    for case in load("crates/core/tests/fixtures/liquid_vectors.json")["cases"]:
        templates += [v for v in case["controls"].values() if isinstance(v, str)]
    for case in load("crates/core/tests/fixtures/liquid_fuzz_vectors.json")["cases"]:
        templates += [v for v in case["controls"].values() if isinstance(v, str)]
    return templates


def liquid_seeds() -> list[bytes]:
    seeds = [("\n" + t).encode() for t in liquid_templates()]
    context = compact(load("crates/core/tests/fixtures/liquid_vectors.json")["context"])
    seeds += [f"{context}\n{t}".encode() for t in liquid_templates()[:500]]
    for case in load("crates/core/tests/fixtures/corpus_liquid.json"):
        for value in case["controls"].values():
            if isinstance(value, str):
                seeds.append(f"{compact(case['context'])}\n{value}".encode())
    return seeds


def controls_seeds() -> list[bytes]:
    seeds = []
    for case in load("crates/core/tests/fixtures/corpus_liquid.json"):
        seeds.append(f"{compact(case['context'])}\n{compact(case['controls'])}".encode())
    context = compact(load("crates/core/tests/fixtures/liquid_vectors.json")["context"])
    for case in load("crates/core/tests/fixtures/liquid_vectors.json")["cases"]:
        seeds.append(f"{context}\n{compact(case['controls'])}".encode())
    for case in load("crates/core/tests/fixtures/liquid_fuzz_vectors.json")["cases"][:1000]:
        seeds.append(f"\n{compact(case['controls'])}".encode())
    return seeds


def text_of(field: dict[str, Any]) -> str:
    return field["text"] if "text" in field else compact(field["value"])


def schema_seeds() -> list[bytes]:
    seeds = []
    for vector in load("crates/schema/tests/fixtures/ajv-vectors.json"):
        seeds.append(f"{text_of(vector['schema']).replace(chr(10), ' ')}\n{text_of(vector['data'])}".encode())
    for case in load("crates/schema/tests/fixtures/corpus-validation.json"):
        seeds.append(f"{compact(case['schema'])}\n{compact(case['input'])}".encode())
    for schema in load("crates/schema/tests/fixtures/schemas.json").values():
        seeds.append(f"{compact(schema)}\n{{}}".encode())
    return seeds


def sanitize_seeds() -> list[bytes]:
    seeds = [v["input"].encode() for v in load("crates/sanitize/tests/fixtures/sanitize_vectors.json")["vectors"]]
    seeds += [v["input"].encode() for v in load("crates/sanitize/tests/fixtures/sanitize_value_vectors.json")]
    return seeds


def json_repair_seeds() -> list[bytes]:
    seeds = [pair[0].encode() for pair in load("crates/json/tests/fixtures/jsonrepair_vectors.json")]
    seeds += [case_request(case)[2] for case in load("tests/conformance/cases.json")]
    return seeds


TARGETS = {
    "dispatch": dispatch_seeds,
    "signature": signature_seeds,
    "liquid": liquid_seeds,
    "controls": controls_seeds,
    "schema": schema_seeds,
    "sanitize": sanitize_seeds,
    "json_repair": json_repair_seeds,
}


def main() -> None:
    out = Path(sys.argv[1])
    for target, make in TARGETS.items():
        directory = out / target
        directory.mkdir(parents=True, exist_ok=True)
        for seed in make():
            (directory / hashlib.sha1(seed).hexdigest()).write_bytes(seed)


if __name__ == "__main__":
    main()
