"""Reference side of gph's interop tests: applies a JSON script of whisper operations with
Debian's python3-whisper (whisper.py 1.1.4) and prints results and file hashes as JSON.

  /usr/bin/python3 whisper_ops.py WORKDIR < script.json

Script: {"now": EPOCH, "ops": [{"op": "create"|"update"|"update_many"|"fetch"|"info"|"set_now", ...}]}
Floats travel as JSON numbers, or the strings "NaN", "Infinity", "-Infinity", "-0".
"""
import hashlib
import json
import math
import os
import sys

import whisper

SPECIAL_IN = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"), "-0": -0.0}


def decode(value):
    return SPECIAL_IN.get(value, value) if isinstance(value, str) else value


def encode(value):
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == 0 and math.copysign(1, value) < 0:
            return "-0"
        return value
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    os.chdir(workdir)
    script = json.load(sys.stdin)
    now = script["now"]
    results = []
    for op in script["ops"]:
        kind = op["op"]
        try:
            if kind == "set_now":
                now = op["now"]
                out = None
            elif kind == "create":
                whisper.create(op["path"], [tuple(a) for a in op["archives"]], xFilesFactor=op.get("xff"), aggregationMethod=op.get("agg"))
                out = None
            elif kind == "update":
                whisper.update(op["path"], decode(op["value"]), op.get("ts"), now=now)
                out = None
            elif kind == "update_many":
                whisper.update_many(op["path"], [(t, decode(v)) for t, v in op["points"]], now=now)
                out = None
            elif kind == "fetch":
                data = whisper.fetch(op["path"], op["from"], op.get("until"), now=now)
                out = None if data is None else {"timeInfo": list(data[0]), "values": data[1]}
            elif kind == "info":
                out = whisper.info(op["path"])
            else:
                raise ValueError("unknown op %s" % kind)
            results.append({"op": kind, "ok": encode(out)})
        except Exception as exc:  # the error type is what the comparison needs
            results.append({"op": kind, "error": {"type": type(exc).__name__, "message": str(exc)}})
    files = {}
    for name in sorted(os.listdir(".")):
        with open(name, "rb") as fh:
            data = fh.read()
        files[name] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    json.dump({"results": results, "files": files}, sys.stdout)


main()
