#!/usr/bin/env python3
"""Checks the decrypted CBC records of tlsstep --json with nothing but
hashlib and hmac: no code of the project.

For each record listed in steps[].decrypted_records from the given steps:
  - the spans of decrypted_record_fields tile the record;
  - record.mac is as long as the suite's HMAC (20 bytes for SHA-1, 32 for
    SHA-256); record.padding holds padding_length bytes, each equal to the
    record.padding_length byte (RFC 5246 6.2.3.2);
  - the MAC is HMAC(sender's write MAC key from secrets, seq_num + type +
    version + length + message) (RFC 5246 6.2.3.1), seq_num counting that
    direction's protected records from 0 after its ChangeCipherSpec; with
    encrypt-then-MAC (RFC 7366 3) it covers IV + ciphertext as sent, and
    sits after the ciphertext on the wire.
Usage: record_mac_check.py FILE.json STEP... ; exits 1 on any failure or
when no record was checked."""
import hashlib
import hmac
import json
import sys

MACS = {20: hashlib.sha1, 32: hashlib.sha256, 48: hashlib.sha384}


def fields_by_path(fields):
    return {f["path"]: f for f in fields}


def check_record(h, wire, shown, fields, seq, from_server, where):
    errors = []
    at = 0
    for f in fields:
        if f["offset"] != at:
            errors.append(f"{where}: span {f['path']} at {f['offset']}, expected {at}")
        at = f["offset"] + f["length"]
    if at != len(shown):
        errors.append(f"{where}: spans end at {at} of {len(shown)} bytes")
    by = fields_by_path(fields)
    mac, pl, content = by.get("record.mac"), by.get("record.padding_length"), by.get("record.content")
    if not mac or not pl or not content:
        return errors + [f"{where}: no record.mac, record.padding_length or record.content span"]
    key = bytes.fromhex(h["secrets"]["server_write_mac_key" if from_server else "client_write_mac_key"])
    if mac["length"] != len(key) or mac["length"] not in MACS:
        errors.append(f"{where}: MAC of {mac['length']} bytes with a {len(key)}-byte key")
        return errors
    n = shown[pl["offset"]]
    pad = by.get("record.padding")
    pad_bytes = shown[pad["offset"]:pad["offset"] + pad["length"]] if pad else b""
    if len(pad_bytes) != n or any(b != n for b in pad_bytes):
        errors.append(f"{where}: padding {pad_bytes.hex()} does not match padding_length {n}")
    etm = mac["offset"] + mac["length"] == len(shown)  # the MAC after the ciphertext
    if etm != bool(h.get("encrypt_then_mac")):
        errors.append(f"{where}: MAC {'after' if etm else 'inside'} the ciphertext, "
                      f"encrypt_then_mac is {h.get('encrypt_then_mac')}")
    if etm:
        covered = wire[5:mac["offset"]]  # IV + ciphertext, as sent
    else:
        covered = shown[content["offset"]:content["offset"] + content["length"]]
    pseudo = seq.to_bytes(8, "big") + wire[0:3] + len(covered).to_bytes(2, "big")
    want = hmac.new(key, pseudo + covered, MACS[len(key)]).digest()
    got = shown[mac["offset"]:mac["offset"] + mac["length"]]
    if want != got:
        errors.append(f"{where}: MAC {got.hex()} but HMAC gives {want.hex()}")
    if not etm and shown[:5] != wire[:5]:
        errors.append(f"{where}: header differs from the wire")
    return errors


def main():
    path, steps = sys.argv[1], {int(s) for s in sys.argv[2:]}
    errors, checked = [], 0
    for line in open(path, encoding="utf-8"):
        h = json.loads(line)
        seq = [0, 0]
        for st in h["steps"]:
            recs = st["records"]
            for i, rec in enumerate(recs):
                wire = bytes.fromhex(rec)
                side = next((m["from"] == "server" for m in st["messages"] if m["record"] == i), None)
                shown_hex = st["decrypted_records"][i]
                if shown_hex is None:
                    continue
                if side is None:
                    errors.append(f"step {st['number']} record {i + 1}: no message says who sent it")
                    continue
                d = 1 if side else 0
                if st["number"] in steps:
                    errors += check_record(h, wire, bytes.fromhex(shown_hex),
                                           st["decrypted_record_fields"][i], seq[d], side,
                                           f"step {st['number']} record {i + 1}")
                    checked += 1
                seq[d] += 1
    for e in errors:
        print(e)
    print(f"{checked} decrypted records checked")
    sys.exit(1 if errors or not checked else 0)


main()
