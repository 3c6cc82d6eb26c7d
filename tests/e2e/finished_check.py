#!/usr/bin/env python3
"""Checks the transcript hashes and Finished hashes of tlsstep --json output
with nothing but hashlib and hmac: no code of the project.

For every handshake (one JSON object per line) it
  - re-reads the cleartext handshake messages from the records on the wire
    and checks they are the messages the JSON lists, in order;
  - checks steps[N].client_knows / server_knows.transcript_hash against the
    hash of exactly the handshake messages of steps 1..N (wire order: a
    resumed handshake's step 6 goes before its step 5), each side's own:
    where `tamper` says an attacker flipped a byte, the sender hashed the
    original (the shown byte XOR tamper.xor) and the receiver what arrived;
  - checks secrets.client_finished_hash / server_finished_hash against the
    hash of the messages before each Finished, and that
    PRF(master_secret, "<side> finished", that hash)[0..11] is both
    secrets.<side>_verify_data and the verify_data of the Finished;
  - checks who knows what when (RFC 5246 7.3): nobody knows the server
    random before step 2, the server the master secret before step 5 (full
    handshake; resumed, both from step 1: they cached it), the client before step 4,
    and a verify_data before its Finished.
Usage: finished_check.py FILE.json [--min-finished N]; exits 1 on any
failure, or when fewer than N Finished messages were checked."""
import hashlib
import hmac
import json
import sys

HS_FINISHED, HS_CKE = 20, 16
NOT_HS = ("ChangeCipherSpec", "Alert", "ApplicationData", "Encrypted alert",
          "Encrypted application data")


def p_hash(digest, secret, seed, n):
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, digest).digest()
        out += hmac.new(secret, a + seed, digest).digest()
    return out[:n]


def prf(version, digest, secret, label, seed, n):
    if version in ("TLS 1.0", "TLS 1.1"):  # RFC 2246 5: P_MD5 xor P_SHA-1 over the two halves
        half = (len(secret) + 1) // 2
        a = p_hash(hashlib.md5, secret[:half], label + seed, n)
        b = p_hash(hashlib.sha1, secret[len(secret) - half:], label + seed, n)
        return bytes(x ^ y for x, y in zip(a, b))
    return p_hash(digest, secret, label + seed, n)


def transcript(version, suite, data):
    if version in ("TLS 1.0", "TLS 1.1"):
        return hashlib.md5(data).digest() + hashlib.sha1(data).digest()
    return (hashlib.sha384 if suite.endswith("SHA384") else hashlib.sha256)(data).digest()


def as_sent(j, step, m, b):
    """The message as its sender wrote it: the received bytes with the
    attacker's flip (top-level `tamper`) undone, when it fell inside."""
    t = j.get("tamper")
    if not t or t["step"] != step["number"] or m["encrypted"]:
        return b
    recs = [bytes.fromhex(r) for r in step["records"]]
    if t["offset"] < 5 or t["record"] >= len(recs):
        return b
    # the step's cleartext handshake bytes, record after record
    flat, at = b"", None
    for i, r in enumerate(recs):
        if r[0] != 22:
            continue
        if i == t["record"]:
            at = len(flat) + t["offset"] - 5
        flat += r[5:]
    start = flat.find(b)
    if at is None or start < 0 or not start <= at < start + len(b):
        return b
    o = bytearray(b)
    o[at - start] ^= t["xor"]
    return bytes(o)


def wire_messages(j):
    """Cleartext handshake messages cut from the records themselves."""
    out, buf = [], b""
    for s in j["steps"]:
        for rec in s["records"]:
            r = bytes.fromhex(rec)
            if r[0] != 22:
                continue
            buf += r[5:]
            while len(buf) >= 4 and len(buf) >= 4 + int.from_bytes(buf[1:4], "big"):
                n = 4 + int.from_bytes(buf[1:4], "big")
                out.append(buf[:n])
                buf = buf[n:]
    return out


class Check:
    def __init__(self):
        self.failed, self.finished = 0, 0

    def expect(self, ok, what):
        if not ok:
            self.failed += 1
            print("FAIL", what)


def check(j, c, label):
    version, suite = j["version"], j["cipher_suite"]
    steps = {s["number"]: s for s in j["steps"]}
    hs = {}  # step -> [(from, bytes as received, bytes as sent)] of readable handshake messages
    opaque = set()
    for n, s in steps.items():
        for m in s["messages"]:
            if m["name"] in NOT_HS:
                continue
            if not m["decrypted"]:
                opaque.add(n)
                continue
            b = bytes.fromhex(m["bytes"])
            if b[0] != 0:  # HelloRequest is not hashed (RFC 5246 7.4.1.1)
                hs.setdefault(n, []).append((m["from"], b, as_sent(j, s, m, b)))
    clear = [b for n in sorted(hs) for f, b, o in hs[n] if not any(
        m["encrypted"] for m in steps[n]["messages"] if m["bytes"] == b.hex())]
    c.expect(clear == [b for b in wire_messages(j) if b[0] != 0][:len(clear)] and clear,
             "%s: the cleartext messages listed are the ones in the records" % label)
    names = [m["name"] for s in j["steps"] for m in s["messages"]]
    resumed = "ClientKeyExchange" not in names and "Finished" in names and not steps.get(3, {}).get("records")
    order = [1, 2, 3, 4, 6, 5] if resumed else [1, 2, 3, 4, 5, 6]

    def covered(n):  # the steps "after step n" covers, in wire order
        if n >= 6 or (resumed and n == 5):
            return order
        return order[:n]

    for n, s in steps.items():
        want = None
        for side in ("client_knows", "server_knows"):
            me = side.split("_")[0]
            if not any(k in opaque for k in covered(n)):
                data = b"".join(o if f == me else b for k in covered(n) for f, b, o in hs.get(k, []))
                want = transcript(version, suite, data).hex()
            got = s[side]["transcript_hash"]
            if version == "TLS 1.3" or (got is None and want is None):
                continue
            c.expect(got == want, "%s: step %d %s.transcript_hash is the hash of the messages of steps %s"
                     % (label, n, side, covered(n)))
    # the Finished hashes and verify_data
    seen = {"client": b"", "server": b""}  # each side's own transcript
    fins = {}
    for k in order:
        for f, b, o in hs.get(k, []):
            if b[0] == HS_FINISHED and f not in fins:  # over what its sender hashed
                fins[f] = (transcript(version, suite, seen[f]), o[4:])
            for side in seen:
                seen[side] += o if side == f else b
    sec = j["secrets"]
    digest = hashlib.sha384 if suite.endswith("SHA384") else hashlib.sha256
    for f, (h, on_wire) in fins.items():
        c.expect(sec[f + "_finished_hash"] == h.hex(), "%s: secrets.%s_finished_hash" % (label, f))
        if not sec["master_secret"] or not sec[f + "_verify_data"]:
            continue
        vd = prf(version, digest, bytes.fromhex(sec["master_secret"]), (f + " finished").encode(), h, 12)
        c.expect(vd == on_wire and vd.hex() == sec[f + "_verify_data"],
                 "%s: PRF(master_secret, \"%s finished\", %s_finished_hash) is the verify_data" % (label, f, f))
        c.finished += 1
    # who knows what when
    for n, s in steps.items():
        for side in ("client", "server"):
            k = s[side + "_knows"]
            if n < 2:
                c.expect(k["server_random"] is None, "%s: %s knows no server random at step 1" % (label, side))
            if resumed:
                # both held the cached session's master secret before this
                # connection began; no premaster is exchanged at all
                c.expect(k["premaster_secret"] is None,
                         "%s: the %s has no premaster secret in a resumed handshake" % (label, side))
                c.expect(k["master_secret"] == sec["master_secret"],
                         "%s: the %s holds the session's master secret from step 1" % (label, side))
            elif n < (5 if side == "server" else 4):
                c.expect(k["master_secret"] is None and k["premaster_secret"] is None,
                         "%s: the %s has no premaster or master secret at step %d" % (label, side, n))
            for f, fin_step in (("client", 5), ("server", 6)):
                if fin_step not in covered(n):
                    c.expect(k[f + "_verify_data"] is None,
                             "%s: the %s knows no %s verify_data at step %d" % (label, side, f, n))


def main():
    c = Check()
    want = int(sys.argv[sys.argv.index("--min-finished") + 1]) if "--min-finished" in sys.argv else 0
    with open(sys.argv[1]) as fh:
        for i, line in enumerate(fh):
            line = line.strip()
            if line.startswith("{"):
                j = json.loads(line)
                check(j, c, "%s #%d (%s)" % (sys.argv[1].split("/")[-1], i + 1, j.get("scenario", j["source"])))
    print("%d Finished messages reproduced, %d failures" % (c.finished, c.failed))
    sys.exit(1 if c.failed or c.finished < want else 0)


main()
