"""Sends corpus cases to a bridge over HTTP and compares the answers with the recorded ones.

The signing and comparison rules are those of the corpus README (and of the reference tools
`run-corpus.mjs` / `diff.mjs`): the signature is computed at send time over what a JavaScript server
would have parsed, and answers are compared strictly except for the documented free fields.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import math
import re
import time
import urllib.parse
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

RECORDED_HEADERS = [
    "content-type",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-private-network",
    "access-control-max-age",
    "novu-framework-version",
    "novu-framework-sdk",
    "novu-framework-server",
    "user-agent",
]
FREE_HEADER_VALUES = {"user-agent", "novu-framework-sdk", "novu-framework-server"}
TYPE_ONLY_PATHS = {"body.metadata.duration", "body.sdkVersion", "body.frameworkVersion"}
ERROR_CODE = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def load(name: str) -> Any:
    return json.loads((HERE / name).read_text())


def cases() -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = load("cases.json")
    return result


def expected() -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in load("expected.json")["cases"]}


def deviations() -> dict[str, list[dict[str, Any]]]:
    return {d["id"]: d["accept"] for d in load("deviations.json")["cases"]}


# JavaScript's JSON.stringify, to sign what a JavaScript server re-serialises.


def js_number(value: float | int) -> str:
    """`String(n)` in JavaScript: shortest round-trip digits, exponent form only past 1e21 or below 1e-6."""
    if isinstance(value, int) and abs(value) <= 2**53:
        return str(value)
    f = float(value)
    if math.isnan(f) or math.isinf(f):
        return "null"
    if f == 0:
        return "0"
    _, digits, exp = Decimal(repr(abs(f))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0")
    exp = int(exp) + len(digits) - len(text)
    k, n = len(text), int(exp) + len(text)
    prefix = "-" if f < 0 else ""
    if k <= n <= 21:
        return prefix + text + "0" * (n - k)
    if 0 < n <= 21:
        return prefix + text[:n] + "." + text[n:]
    if -6 < n <= 0:
        return prefix + "0." + "0" * (-n) + text
    mantissa = text[0] + ("." + text[1:] if k > 1 else "")
    return f"{prefix}{mantissa}e{'+' if n - 1 > 0 else '-'}{abs(n - 1)}"


def _index_key(key: str) -> int | None:
    if key and key.isdigit() and (key == "0" or not key.startswith("0")) and int(key) < 2**32 - 1:
        return int(key)
    return None


def js_stringify(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(js_stringify(v) for v in value) + "]"
    indexed = sorted((k for k in value if _index_key(k) is not None), key=lambda k: _index_key(k) or 0)
    keys = indexed + [k for k in value if _index_key(k) is None]
    return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + js_stringify(value[k]) for k in keys) + "}"


def signed_text(case: dict[str, Any], text: str | None, content_type: str | None) -> str:
    """What a JavaScript server signs after `<t>.`."""
    if case["method"] != "POST":
        return "{}"
    if text is None:
        return "undefined"
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        return "undefined"
    if text == "":
        return "{}"
    try:
        return js_stringify(json.loads(text))
    except ValueError:
        return "{}"


def signature(case: dict[str, Any], secret: str, text: str | None, content_type: str | None) -> str | None:
    sign = case.get("sign") or {"mode": "valid"}
    mode = sign["mode"]
    if mode == "none":
        return None
    if mode == "header":
        value: str = sign["value"]
        return value
    t = int(time.time() * 1000) + int(sign.get("tOffsetMs", 0))
    if sign.get("tUnit") == "s":
        t = t // 1000
    if "over" in sign:
        payload = sign["over"]
    elif sign.get("overRaw"):
        payload = text or ""
    else:
        payload = signed_text(case, text, content_type)
    key = sign.get("secret", secret)
    v1 = hmac.new(key.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    transform = sign.get("transform")
    forms = {
        None: f"t={t},v1={v1}",
        "drop-v1": f"t={t}",
        "drop-t": f"v1={v1}",
        "t-not-number": f"t=abc,v1={v1}",
        "upper-hex": f"t={t},v1={v1.upper()}",
        "truncate-hex": f"t={t},v1={v1[:32]}",
        "extra-parts": f"t={t},v1={v1},v0=deadbeef,foo=bar",
        "spaces": f" t={t} ,  v1={v1} ",
        "reverse": f"v1={v1},t={t}",
        "duplicate-t-bad-second": f"t={t},v1={v1},t={t - 1000}",
        "duplicate-t-bad-first": f"t={t - 1000},t={t},v1={v1}",
        "v2-only": f"t={t},v2={v1}",
    }
    return forms[transform]


def url_for(base: str, case: dict[str, Any]) -> str:
    query = case.get("query") or {}
    qs = query if isinstance(query, str) else urllib.parse.urlencode({k: str(v) for k, v in query.items()})
    return f"{base}?{qs}" if qs else base


def send(base_url: str, case: dict[str, Any], secret: str) -> dict[str, Any]:
    """Sends one case and records the answer as run-corpus.mjs does."""
    text: str | None
    if "rawBody" in case:
        text = case["rawBody"]
    elif "body" in case:
        text = json.dumps(case["body"], ensure_ascii=False, separators=(",", ":"))
    else:
        text = None
    headers: dict[str, str] = {}
    if text is not None:
        headers["content-type"] = "application/json"
    for k, v in (case.get("headers") or {}).items():
        if v is None:
            headers.pop(k.lower(), None)
        else:
            headers[k.lower()] = v
    sig = signature(case, secret, text, headers.get("content-type"))
    if sig is not None:
        headers["novu-signature"] = sig
    data = text.encode() if text is not None else None
    if data is not None:
        headers["content-length"] = str(len(data))
    url = urllib.parse.urlsplit(url_for(base_url, case))
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
    try:
        path = url.path + (f"?{url.query}" if url.query else "")
        conn.request(case["method"], path, body=data, headers=headers)
        res = conn.getresponse()
        raw = res.read().decode("utf-8", "replace")
        got_headers = {name: res.getheader(name) for name in RECORDED_HEADERS if res.getheader(name) is not None}
    finally:
        conn.close()
    if raw == "":
        body_type, body = "empty", None
    else:
        try:
            body_type, body = "json", json.loads(raw)
        except ValueError:
            body_type, body = "text", raw
    return {"id": case["id"], "status": res.status, "headers": got_headers, "bodyType": body_type, "body": body}


def _type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _compare(path: str, e: Any, a: Any, volatile: list[str], out: list[str]) -> None:
    key = path[max(path.rfind("."), path.rfind("[")) + 1 :]
    type_only = (
        path in TYPE_ONLY_PATHS
        or key == "stack"
        or (key == "code" and isinstance(e, str) and not ERROR_CODE.match(e))
        or any(path == v or path.startswith(v + ".") or path.startswith(v + "[") for v in volatile)
    )
    if type_only:
        if _type(e) != _type(a):
            out.append(f"{path}: type {_type(e)} != {_type(a)} (value ignored)")
        return
    if _type(e) != _type(a):
        out.append(f"{path}: expected {json.dumps(e)[:200]}, got {json.dumps(a)[:200]}")
        return
    if isinstance(e, list):
        if len(e) != len(a):
            out.append(f"{path}: array length {len(e)} != {len(a)}")
        for i, (x, y) in enumerate(zip(e, a, strict=False)):
            _compare(f"{path}[{i}]", x, y, volatile, out)
        return
    if isinstance(e, dict):
        for k in list(e) + [k for k in a if k not in e]:
            if k not in a:
                if k != "stack":
                    out.append(f"{path}.{k}: missing in actual (expected {json.dumps(e[k])[:200]})")
            elif k not in e:
                out.append(f"{path}.{k}: unexpected in actual ({json.dumps(a[k])[:200]})")
            else:
                _compare(f"{path}.{k}", e[k], a[k], volatile, out)
        return
    if e != a:
        out.append(f"{path}: expected {json.dumps(e)[:200]}, got {json.dumps(a)[:200]}")


def compare(exp: dict[str, Any], act: dict[str, Any], accepted: list[dict[str, Any]] | None) -> list[str]:
    """Differences between a recorded and an actual answer (empty when they agree)."""
    out: list[str] = []
    if accepted is not None:
        code = act["body"].get("code") if isinstance(act["body"], dict) else None
        if not any(x["status"] == act["status"] and (not x.get("code") or code == x["code"]) for x in accepted):
            out.append(f"deviation: got {act['status']} {code}, accepted {accepted}")
        return out
    if exp["status"] != act["status"]:
        out.append(f"status: expected {exp['status']}, got {act['status']}")
    if exp.get("compare") == "status":
        return out
    names = sorted(set(exp["headers"]) | set(act["headers"]))
    for n in names:
        e, a = exp["headers"].get(n), act["headers"].get(n)
        if e is None:
            out.append(f"headers.{n}: unexpected in actual ({a})")
        elif a is None:
            out.append(f"headers.{n}: missing in actual (expected {e})")
        elif n in FREE_HEADER_VALUES:
            continue
        elif n == "content-type":
            if e.split(";")[0].strip().lower() != a.split(";")[0].strip().lower():
                out.append(f"headers.content-type: expected {e}, got {a}")
        elif e != a:
            out.append(f"headers.{n}: expected {e}, got {a}")
    if exp["bodyType"] != act["bodyType"]:
        out.append(f"bodyType: expected {exp['bodyType']}, got {act['bodyType']}")
    _compare("body", exp["body"], act["body"], exp.get("volatile") or [], out)
    return out


def run_all(base_url: str, secret: str, selected: Iterable[dict[str, Any]] | None = None) -> dict[str, list[str]]:
    """Sends every case and returns the differences per case id."""
    exp, dev = expected(), deviations()
    results = {}
    for case in selected if selected is not None else cases():
        act = send(base_url, case, secret)
        results[case["id"]] = compare(exp[case["id"]], act, dev.get(case["id"]))
    return results
