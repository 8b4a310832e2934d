"""The python3-whisper half of bench/whisper.js: the same workloads, timed in-process.

  /usr/bin/python3 whisper_bench.py CONFIG_JSON  ->  {"name": seconds, ...} on stdout
"""
import json
import os
import shutil
import sys
import time

import whisper

cfg = json.loads(sys.argv[1])
work = cfg["workdir"]
now = cfg["now"]
schema = [tuple(a) for a in cfg["schema"]]
resize_schema = [tuple(a) for a in cfg["resizeSchema"]]
out = {}


def timed(name, fn):
    os.sync()  # start each phase with no dirty pages left by the one before
    start = time.perf_counter()
    fn()
    out[name] = time.perf_counter() - start


def create_many():
    d = os.path.join(work, "create")
    os.makedirs(d)
    for i in range(cfg["createFiles"]):
        whisper.create(os.path.join(d, "m%d.wsp" % i), schema)


timed("create", create_many)

update_schema = [tuple(a) for a in cfg["updateSchema"]]


def make_files(name, count):
    d = os.path.join(work, name)
    os.makedirs(d)
    files = [os.path.join(d, "m%d.wsp" % i) for i in range(count)]
    for f in files:
        whisper.create(f, update_schema)
    return files


batch = [(now - 60 * k, float(k)) for k in range(60)]
for f in make_files("warmup", 10) * (cfg["warmupCalls"] // 10):
    whisper.update(f, 1.0, now - 5, now=now)
    whisper.update_many(f, batch, now=now)

one_files = make_files("one", cfg["updateOneFiles"])


def update_one():
    for i, f in enumerate(one_files):
        whisper.update(f, float(i), now - 5, now=now)


timed("update1", update_one)

many_files = make_files("many", cfg["updateManyFiles"])


def update_many():
    for f in many_files:
        whisper.update_many(f, batch, now=now)


timed("update60", update_many)

full = cfg["fullFile"]
for label, seconds, reps in cfg["fetches"]:
    def fetch_loop(seconds=seconds, reps=reps):
        for _ in range(reps):
            whisper.fetch(full, now - seconds, now, now=now)
    timed("fetch_" + label, fetch_loop)


def resize_loop():
    for r in range(cfg["resizeReps"]):
        src = os.path.join(work, "resize%d.wsp" % r)
        shutil.copyfile(full, src)
        tmp = src + ".new"
        # whisper-resize's data path: fetch every archive, create, update_many into the new file.
        info = whisper.info(src)
        archives = sorted(info["archives"], key=lambda a: a["secondsPerPoint"], reverse=True)
        data = [whisper.fetch(src, now - a["retention"] + a["secondsPerPoint"], now, now=now) for a in archives]
        whisper.create(tmp, resize_schema, xFilesFactor=info["xFilesFactor"], aggregationMethod=info["aggregationMethod"])
        for (start, end, step), values in data:
            whisper.update_many(tmp, [(t, v) for t, v in zip(range(start, end, step), values) if v is not None], now=now)
        os.rename(tmp, src)


timed("resize", resize_loop)
json.dump(out, sys.stdout)
