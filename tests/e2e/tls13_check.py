#!/usr/bin/env python3
"""Recomputes a TLS 1.3 key schedule from tlsstep --json output with
nothing but hashlib and hmac (RFC 8446 7.1, 7.3, 4.4.4; RFC 5869), and
checks every value tlsstep shows against it:
  - handshake_secret from the (EC)DHE shared secret (premaster_secret);
  - both handshake traffic secrets from it and the transcript hash after
    step 2 (ClientHello..ServerHello, as the model computed it);
  - the master secret, the application traffic secrets and the exporter
    master secret from the transcript hash each Finished's hash implies;
  - every traffic key and IV;
  - both verify_data, from the finished keys and *_finished_hash, and the
    Finished messages on the wire (decrypted);
  - who knows what when: nobody holds a handshake secret before step 2 or
    the master secret before step 4.
Usage: tls13_check.py FILE.json; exits 1 on any failure."""
import hashlib
import hmac
import json
import sys


def expand_label(h, secret, label, context, length):
    info = length.to_bytes(2, "big") + bytes([len(b"tls13 " + label)]) + b"tls13 " + label
    info += bytes([len(context)]) + context
    out, t, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(secret, t + info + bytes([i]), h).digest()
        out += t
        i += 1
    return out[:length]


def extract(h, salt, ikm):
    return hmac.new(salt, ikm, h).digest()


def main():
    fails = 0
    checked = 0
    for line in open(sys.argv[1]):
        j = json.loads(line)
        s = j["secrets"]
        h = hashlib.sha384 if j["cipher_suite_id"] == 0x1302 else hashlib.sha256
        hl = h().digest_size
        key_len = 16 if j["cipher_suite_id"] == 0x1301 else 32
        x = lambda k: bytes.fromhex(s[k]) if s.get(k) else None

        def same(name, got, want):
            nonlocal fails, checked
            checked += 1
            if got != want:
                fails += 1
                print(f"FAIL {j['scenario']}: {name}: {got.hex() if got else got} != {want.hex() if want else want}")

        early = x("early_secret")
        if s["binder_key"] is None:
            same("early_secret", early, extract(h, bytes(hl), bytes(hl)))
        empty = h(b"").digest()
        derived = expand_label(h, early, b"derived", empty, hl)
        same("derived_for_handshake", x("derived_for_handshake"), derived)
        hs = extract(h, derived, x("premaster_secret"))
        same("handshake_secret", x("handshake_secret"), hs)
        th_sh = bytes.fromhex(j["steps"][1]["client_knows"]["transcript_hash"])
        chs = expand_label(h, hs, b"c hs traffic", th_sh, hl)
        shs = expand_label(h, hs, b"s hs traffic", th_sh, hl)
        same("client_handshake_traffic_secret", x("client_handshake_traffic_secret"), chs)
        same("server_handshake_traffic_secret", x("server_handshake_traffic_secret"), shs)
        for side, sec in (("client", chs), ("server", shs)):
            same(f"{side}_handshake_write_key", x(f"{side}_handshake_write_key"),
                 expand_label(h, sec, b"key", b"", key_len))
            same(f"{side}_handshake_write_iv", x(f"{side}_handshake_write_iv"),
                 expand_label(h, sec, b"iv", b"", 12))
        if j["outcome"] != "established":
            # the two sides hashed different messages: only what came
            # before the change is common ground
            continue
        # the server's Finished: HMAC(finished_key, Hash(CH..CV))
        sfk = expand_label(h, shs, b"finished", b"", hl)
        same("server_finished_key", x("server_finished_key"), sfk)
        if s["server_finished_hash"]:
            vd = hmac.new(sfk, bytes.fromhex(s["server_finished_hash"]), h).digest()
            same("server_verify_data", x("server_verify_data"), vd)
            fin = [m for st in j["steps"] for m in st["messages"] if m["name"] == "Finished" and m["from"] == "server"]
            same("the server's Finished on the wire", bytes.fromhex(fin[0]["bytes"])[4:], vd)
        if s["master_secret"]:
            d2 = expand_label(h, hs, b"derived", empty, hl)
            ms = extract(h, d2, bytes(hl))
            same("master_secret", x("master_secret"), ms)
            # Hash(CH..server Finished) is what the client's Finished covers
            # (without client authentication)
            th_sf = bytes.fromhex(j["steps"][3]["client_knows"]["transcript_hash"])
            for name, label in (("client_application_traffic_secret_0", b"c ap traffic"),
                                ("server_application_traffic_secret_0", b"s ap traffic"),
                                ("exporter_master_secret", b"exp master")):
                same(name, x(name), expand_label(h, ms, label, th_sf, hl))
            for side in ("client", "server"):
                sec = x(f"{side}_application_traffic_secret_0")
                if s[f"{side}_application_write_key"]:
                    same(f"{side}_application_write_key", x(f"{side}_application_write_key"),
                         expand_label(h, sec, b"key", b"", key_len))
                    same(f"{side}_application_write_iv", x(f"{side}_application_write_iv"),
                         expand_label(h, sec, b"iv", b"", 12))
        if s["client_verify_data"]:
            cfk = expand_label(h, chs, b"finished", b"", hl)
            vd = hmac.new(cfk, bytes.fromhex(s["client_finished_hash"]), h).digest()
            same("client_verify_data", x("client_verify_data"), vd)
        if s["resumption_master_secret"]:
            th_cf = bytes.fromhex(j["steps"][4]["client_knows"]["transcript_hash"])
            same("resumption_master_secret", x("resumption_master_secret"),
                 expand_label(h, x("master_secret"), b"res master", th_cf, hl))
        # who knows what when
        for st in j["steps"]:
            for who in ("client_knows", "server_knows"):
                k = st[who]
                if st["number"] < 2 and k["handshake_secret"] is not None:
                    fails += 1
                    print(f"FAIL {j['scenario']}: {who} holds the handshake secret at step {st['number']}")
                if st["number"] < 4 and k["master_secret"] is not None:
                    fails += 1
                    print(f"FAIL {j['scenario']}: {who} holds the master secret at step {st['number']}")
                for name, v in k.items():
                    if v is not None and name in s and s[name] != v and name != "transcript_hash":
                        fails += 1
                        print(f"FAIL {j['scenario']}: {who}.{name} at step {st['number']} is not secrets.{name}")
    print(f"{checked} values recomputed, {fails} failures")
    return 1 if fails or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
