#!/usr/bin/env python3
"""Reads a `tlsstep --predict --plain` transcript.

  predict_check.py TRANSCRIPT JSON [TRANSCRIPT JSON ...]

The right letters are learned from the verdicts of a first run (every
question answered 'a', predict.sh); this holds every right answer of
each transcript against the --json of the same run, worked out here from
the records, messages and knowledge columns, so a wrong answer key cannot
pass unnoticed. Prints one line per disagreement; exit 1 when any.
(One call for all: python's start-up is the slow part of the test.)"""
import json
import re
import sys


def parse(path):
    qs, step, cur = [], 0, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"---- Before step (\d+):", line)
        if m:
            step = int(m.group(1))
            continue
        m = re.match(r"Q\d+\. (.*)", line)
        if m:
            cur = {"step": step, "ask": m.group(1), "choices": {}}
            qs.append(cur)
            continue
        m = re.match(r"  ([a-d])\) (.*)", line)
        if m and cur is not None and "right" not in cur:
            cur["choices"][m.group(1)] = m.group(2)
            continue
        m = re.match(r"  right: you chose ([a-d])\) ", line)
        if m:
            cur["right"] = m.group(1)
            continue
        m = re.match(r"  wrong: you chose ([a-d])\) .*; the answer is ([a-d])\) ", line)
        if m:
            cur["right"] = m.group(2)
    for q in qs:
        if "right" not in q:
            sys.exit("no verdict for a question of step %d" % q["step"])
    return qs


def steps_of(d):
    return {s["number"]: s for s in d["steps"]}


def knows(side, key):
    return bool(side and side.get(key))


def verify(q, d):
    """None when the right answer agrees with the JSON, else why not."""
    steps = steps_of(d)
    ans = q["choices"][q["right"]]
    ask, n = q["ask"], q["step"]
    alert = d.get("alert") or {}
    if "cipher suite" in ask:
        if d.get("cipher_suite_id") and 2 in steps and any(m["name"] == "ServerHello" for m in steps[2]["messages"]):
            want = "(0x%04X)" % d["cipher_suite_id"]
            return None if want in ans else "suite: %s lacks %s" % (ans, want)
        return None if ans.startswith("none") and alert.get("sent_by") == "server" else "suite: %s" % ans
    if "server random" in ask:
        a, b = (int(x, 16) for x in re.match(r"bytes 0x([0-9a-f]+) to 0x([0-9a-f]+)", ans).groups())
        rnd = d["secrets"]["server_random"]
        ok = any(r[2 * a: 2 * b + 2] == rnd for r in steps[n]["records"])
        return None if ok else "server random: %s" % ans
    if "Which messages" in ask:
        want = ", ".join(m["name"] for m in steps[n]["messages"])
        return None if ans == want else "messages: %s, not %s" % (ans, want)
    if "master secret" in ask:
        c = knows(steps[n].get("client_knows"), "master_secret")
        s = knows(steps[n].get("server_knows"), "master_secret")
        want = {(0, 0): "nobody yet", (1, 0): "only the client", (0, 1): "only the server",
                (1, 1): "the client and the server, but not an eavesdropper"}[(int(c), int(s))]
        return None if ans == want else "master: %s, not %s" % (ans, want)
    if "certificate" in ask:
        if alert.get("sent_by") == "client" and alert.get("step") == n:
            return None if alert["description"] in ans else "certificate: %s" % ans
        return None if ans.startswith("accepts") else "certificate: %s" % ans
    if "changed on the wire" in ask:
        if d["outcome"] != "alert":
            return None if ans.startswith("nowhere") else "tamper: %s" % ans
        want = "at step %d " % alert["step"]
        who = "the %s notices" % alert["sent_by"]
        return None if want in ans and who in ans else "tamper: %s" % ans
    if "resume" in ask:
        seen = {m["name"] for s in d["steps"] for m in s["messages"]}
        names = ans.split(", ")
        ok = "ClientKeyExchange" in names and not seen.intersection(names)
        return None if ok else "resume: %s" % ans
    return "a question this checker does not know: %s" % ask


def main():
    args, bad, n = sys.argv[1:], 0, 0
    for path, js in zip(args[0::2], args[1::2]):
        d = json.loads(open(js, encoding="utf-8").readline())
        for q in parse(path):
            n += 1
            e = verify(q, d)
            if e:
                bad += 1
                print("%s: step %d: %s" % (path, q["step"], e))
    print("%d answers checked, %d disagree" % (n, bad))
    sys.exit(1 if bad or not n else 0)


if __name__ == "__main__":
    main()
