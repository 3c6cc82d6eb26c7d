#!/usr/bin/env python3
"""A small TLS 1.2 client that can break any part of its own flight, and a
battery of malformed client flights for `tlsstep serve`.

The client speaks RSA key exchange with TLS_RSA_WITH_AES_128_CBC_SHA (0x002F)
and TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009C): struct for the wire format,
`cryptography` for RSA (PKCS#1 v1.5), AES-CBC, AES-GCM; hmac/hashlib for the
record MAC and the TLS 1.2 PRF (P_SHA256). Every message and record is built
as bytes by the case itself, so a case can truncate, flip, reorder or split
anything before it goes on the wire.

Each case opens one connection, sends its flight (in one or more rounds),
then reads what the server sends back until the server closes or
READ_TIMEOUT passes, and reduces that to one outcome:

    alert:NAME     the server sent a fatal alert NAME (cleartext or encrypted)
    warning:NAME   the server sent a warning alert NAME
    proceed        the server answered the ClientHello with its flight, up to
                   ServerHelloDone, with a sane ServerHello (we stop there)
    established    the server's Finished arrived and verifies
    closed         the server closed the connection without an alert
    timeout        nothing decisive within READ_TIMEOUT

and compares it with the outcome RFC 5246 prescribes. A case may also name
the outcome tlsstep is known to give where it deviates and the lead has to
decide: it is then reported as KNOWN (counted apart, not as a pass).

After every case the runner waits for serve's JSON line for that connection
(proof that serve finished it and went back to accepting) and checks that an
alert seen on the wire is the alert serve reports; with --pid it also checks
that the serve process is alive.

Usage: tlsbattery.py --port N [--pid PID] [--json-out FILE] [--cert F] [--only SUBSTR] [-v]
"""
import argparse
import hashlib
import hmac
import json
import os
import socket
import struct
import sys
import time
import traceback

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

READ_TIMEOUT = 5.0
TLS12 = 0x0303

CT_CCS, CT_ALERT, CT_HS, CT_APP = 20, 21, 22, 23
HS_HELLO_REQUEST, HS_CLIENT_HELLO, HS_SERVER_HELLO = 0, 1, 2
HS_CERTIFICATE, HS_SKE, HS_CERT_REQUEST, HS_SHD = 11, 12, 13, 14
HS_CERT_VERIFY, HS_CKE, HS_FINISHED = 15, 16, 20

ALERTS = {
    0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
    21: "decryption_failed", 22: "record_overflow", 30: "decompression_failure",
    40: "handshake_failure", 41: "no_certificate", 42: "bad_certificate",
    43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
    46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
    49: "access_denied", 50: "decode_error", 51: "decrypt_error",
    60: "export_restriction", 70: "protocol_version", 71: "insufficient_security",
    80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
    100: "no_renegotiation", 110: "unsupported_extension", 112: "unrecognized_name",
}

SCSV = 0x00FF
EXT_SERVER_NAME, EXT_GROUPS, EXT_POINT_FORMATS, EXT_SIG_ALGS = 0, 10, 11, 13
EXT_PADDING, EXT_ETM, EXT_EMS, EXT_RENEG = 21, 22, 23, 0xFF01
EXT_UNKNOWN = 0x5A5A  # no single-bit flip of it is a defined extension type


def u8(v):
    return struct.pack(">B", v)


def u16(v):
    return struct.pack(">H", v)


def u24(v):
    return struct.pack(">I", v)[1:]


def flip(data, byte, bit):
    b = bytearray(data)
    b[byte] ^= 1 << bit
    return bytes(b)


# ---- TLS 1.2 PRF (RFC 5246 section 5) ---------------------------------------

def p_sha256(secret, seed, n):
    out, a = b"", seed
    while len(out) < n:
        a = hmac.new(secret, a, hashlib.sha256).digest()
        out += hmac.new(secret, a + seed, hashlib.sha256).digest()
    return out[:n]


def prf(secret, label, seed, n):
    return p_sha256(secret, label + seed, n)


def prf_self_test():
    # The known answer from DESIGN.md.
    out = prf(bytes.fromhex("9bbe436ba940f017b17652849a71db35"), b"test label",
              bytes.fromhex("a0ba9f936cda311827a6f796ffd5198c"), 100)
    assert out.hex().startswith("e3f229ba727be17b8d122620557cd453"), "PRF known answer"
    assert out.hex().endswith("5a5110fff70187347b66"), "PRF known answer"


# ---- cipher suites and record protection -------------------------------------

class Suite:
    def __init__(self, ident, name, gcm, mac_len, key_len, iv_len):
        self.id, self.name, self.gcm = ident, name, gcm
        self.mac_len, self.key_len, self.iv_len = mac_len, key_len, iv_len


SUITES = {s.name: s for s in (
    Suite(0x002F, "AES128-SHA", False, 20, 16, 16),
    Suite(0x009C, "AES128-GCM-SHA256", True, 0, 16, 4),
    Suite(0xC02F, "ECDHE-RSA-AES128-GCM-SHA256", True, 0, 16, 4),
)}
CBC, GCM = SUITES["AES128-SHA"], SUITES["AES128-GCM-SHA256"]
# Only read up to the server's flight: its ServerKeyExchange is what the
# signature_algorithms cases look at (this client does no ECDHE).
ECDHE = SUITES["ECDHE-RSA-AES128-GCM-SHA256"]
# What serve_battery.sh enables with --cipher: the RFC verdict on a
# ClientHello depends on it (no suite in common -> handshake_failure).
SERVER_SUITES = {CBC.id, GCM.id, ECDHE.id}
# Connections a case opens besides its own Session (resumption): the
# runner counts them to know which JSON line is the case's.
EXTRA_CONNS = []


class BadRecord(Exception):
    pass


class Protect:
    """One direction's record protection (RFC 5246 6.2.3.2 and RFC 5288)."""

    def __init__(self, suite, mac_key, key, iv):
        self.suite, self.mac_key, self.key, self.iv = suite, mac_key, key, iv
        self.seq = 0

    def seal(self, ctype, data, version=TLS12, explicit=None, mac_tweak=None, pad=None,
             mac_seq=None, mac_type=None, mac_version=None):
        """Protects one record fragment. The keyword arguments break it on
        purpose: explicit IV/nonce, a function applied to the MAC, the raw
        padding bytes (length byte included), and the sequence number, type
        or version the MAC or the AAD covers."""
        seq = self.seq
        self.seq += 1
        pseudo = struct.pack(">QBHH", seq if mac_seq is None else mac_seq,
                             ctype if mac_type is None else mac_type,
                             version if mac_version is None else mac_version, len(data))
        if self.suite.gcm:
            nonce = struct.pack(">Q", seq) if explicit is None else explicit
            return nonce + AESGCM(self.key).encrypt(self.iv + nonce, data, pseudo)
        mac = hmac.new(self.mac_key, pseudo + data, hashlib.sha1).digest()
        if mac_tweak:
            mac = mac_tweak(mac)
        if pad is None:
            n = 15 - (len(data) + len(mac)) % 16
            pad = bytes([n]) * (n + 1)
        plain = data + mac + pad
        assert len(plain) % 16 == 0, "CBC plaintext must fill whole blocks"
        iv = os.urandom(16) if explicit is None else explicit
        enc = Cipher(algorithms.AES(self.key), modes.CBC(iv)).encryptor()
        return iv + enc.update(plain) + enc.finalize()

    def open(self, ctype, frag, version):
        seq = self.seq
        self.seq += 1
        if self.suite.gcm:
            if len(frag) < 8 + 16:
                raise BadRecord("short GCM record")
            aad = struct.pack(">QBHH", seq, ctype, version, len(frag) - 24)
            try:
                return AESGCM(self.key).decrypt(self.iv + frag[:8], frag[8:], aad)
            except InvalidTag:
                raise BadRecord("GCM tag")
        if len(frag) % 16 or len(frag) < 48:
            raise BadRecord("CBC record length")
        dec = Cipher(algorithms.AES(self.key), modes.CBC(frag[:16])).decryptor()
        plain = dec.update(frag[16:]) + dec.finalize()
        n = plain[-1]
        if n + 1 + 20 > len(plain) or plain[-n - 1:] != bytes([n]) * (n + 1):
            raise BadRecord("CBC padding")
        data, mac = plain[:-n - 1 - 20], plain[-n - 1 - 20:-n - 1]
        pseudo = struct.pack(">QBHH", seq, ctype, version, len(data))
        if not hmac.compare_digest(mac, hmac.new(self.mac_key, pseudo + data, hashlib.sha1).digest()):
            raise BadRecord("CBC MAC")
        return data


# ---- ClientHello: builder and the RFC verdict --------------------------------

class ParseError(Exception):
    pass


class Reader:
    def __init__(self, data):
        self.d, self.pos = data, 0

    def left(self):
        return len(self.d) - self.pos

    def take(self, n):
        if n > self.left():
            raise ParseError("overrun")
        v = self.d[self.pos:self.pos + n]
        self.pos += n
        return v

    def uint(self, n):
        return int.from_bytes(self.take(n), "big")

    def vec(self, n, lo, hi):
        length = self.uint(n)
        if length < lo or length > hi:
            raise ParseError("vector length out of range")
        return self.take(length)

    def done(self):
        if self.left():
            raise ParseError("trailing bytes")


def known_extension_ok(etype, data):
    """The body grammar of the extensions a TLS 1.2 server reads
    (RFC 6066, RFC 8422, RFC 5246 7.4.1.4.1, RFC 5746, RFC 7366, RFC 7627).
    Unknown types carry anything."""
    r = Reader(data)
    try:
        if etype == EXT_SERVER_NAME:
            if not data:
                return True
            names = Reader(r.vec(2, 1, 0xFFFF))
            while names.left():
                names.uint(1)
                names.vec(2, 1, 0xFFFF)
        elif etype in (EXT_GROUPS, EXT_SIG_ALGS):
            if len(r.vec(2, 2, 0xFFFE)) % 2:
                return False
        elif etype == EXT_POINT_FORMATS:
            r.vec(1, 1, 255)
        elif etype == EXT_RENEG:
            r.vec(1, 0, 255)
        elif etype in (EXT_ETM, EXT_EMS):
            pass
        else:
            return True
        r.done()
        return True
    except ParseError:
        return False


def rfc_hello_verdict(body, server_suites=SERVER_SUITES):
    """What RFC 5246 prescribes for this ClientHello body on a first
    handshake: an alert name, or 'proceed'."""
    r = Reader(body)
    try:
        version = r.uint(2)
        r.take(32)
        r.vec(1, 0, 32)  # session_id<0..32>
        suites = r.vec(2, 2, 0xFFFE)  # cipher_suites<2..2^16-2>
        if len(suites) % 2:
            raise ParseError("odd cipher_suites")
        comp = r.vec(1, 1, 255)  # compression_methods<1..2^8-1>
        exts = []
        if r.left():  # 7.4.1.2: extensions are optional, detected by what follows
            block = Reader(r.vec(2, 0, 0xFFFF))
            while block.left():
                exts.append((block.uint(2), block.vec(2, 0, 0xFFFF)))
        r.done()
    except ParseError:
        return "decode_error"  # 7.2.2: field out of range or length incorrect
    types = [t for t, _ in exts]
    if len(set(types)) != len(types):
        return "decode_error"  # 7.4.1.4: at most one extension of each type
    if not all(known_extension_ok(t, d) for t, d in exts):
        return "decode_error"
    if version < TLS12:
        return "protocol_version"  # E.1: the client cannot do TLS 1.2
    if 0 not in comp:
        return "illegal_parameter"  # 7.4.1.2: the list MUST contain null
    for t, d in exts:
        if t == EXT_RENEG and d != b"\x00":
            return "handshake_failure"  # RFC 5746 3.6
    offered = {int.from_bytes(suites[i:i + 2], "big") for i in range(0, len(suites), 2)}
    if not offered & server_suites:
        return "handshake_failure"  # 7.4.1.3: no acceptable suite
    return "proceed"


def sni(name=b"localhost"):
    entry = u8(0) + u16(len(name)) + name
    return (EXT_SERVER_NAME, u16(len(entry)) + entry)


SIG_ALGS = (EXT_SIG_ALGS, u16(4) + bytes.fromhex("04010201"))
DEFAULT_EXTS = [SIG_ALGS, sni(), (EXT_UNKNOWN, b"\xab\xcd")]


def ext_block(exts):
    return b"".join(u16(t) + u16(len(d)) + d for t, d in exts)


def build_hello(suites, version=TLS12, random=None, sid=b"", comp=b"\x00",
                exts=DEFAULT_EXTS, raw_exts=None):
    """ClientHello body and the offset/size of each field (for bit flips)."""
    f, b = {}, bytearray()
    f["client_version"] = (len(b), 2)
    b += u16(version)
    f["random"] = (len(b), 32)
    b += random if random is not None else os.urandom(32)
    f["session_id.length"] = (len(b), 1)
    b += u8(len(sid)) + sid
    sb = b"".join(u16(s) for s in suites)
    f["cipher_suites.length"] = (len(b), 2)
    b += u16(len(sb))
    f["cipher_suites[0]"] = (len(b), 2)
    b += sb
    f["compression_methods.length"] = (len(b), 1)
    b += u8(len(comp))
    f["compression_methods[0]"] = (len(b), 1)
    b += comp
    f["end_of_compression"] = (len(b), 0)
    if raw_exts is not None:
        b += raw_exts
    elif exts is not None:
        f["extensions.length"] = (len(b), 2)
        eb = ext_block(exts)
        b += u16(len(eb))
        for i, (t, d) in enumerate(exts):
            f["extensions[%d].type" % i] = (len(b), 2)
            f["extensions[%d].length" % i] = (len(b) + 2, 2)
            b += u16(t) + u16(len(d)) + d
    return bytes(b), f


# ---- one connection -----------------------------------------------------------

class Outcome:
    def __init__(self, kind, desc=None, level=None, encrypted=False, detail=""):
        self.kind, self.desc, self.level = kind, desc, level
        self.encrypted, self.detail = encrypted, detail

    @property
    def key(self):
        if self.kind == "alert":
            name = ALERTS.get(self.desc, "alert_%d" % self.desc)
            return ("alert:" if self.level == 2 else "warning:" if self.level == 1
                    else "level%d:" % self.level) + name
        return self.kind

    def __str__(self):
        s = self.key
        if self.kind == "alert" and self.encrypted:
            s += " (encrypted)"
        if self.detail:
            s += " [%s]" % self.detail
        return s


class Stop(Exception):
    """Ends a case early with the outcome so far (e.g. an alert where the
    case expected the server's flight)."""

    def __init__(self, outcome):
        Exception.__init__(self, str(outcome))
        self.outcome = outcome


class Session:
    def __init__(self, port, suite):
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.suite = suite
        self.offered_version = TLS12
        self.client_random = os.urandom(32)
        self.transcript = bytearray()
        self.wr = self.rd = None
        self.inbuf, self.hsbuf, self.app = bytearray(), bytearray(), bytearray()
        self.server_hello = None
        self.server_sid = None
        self.ske = None
        self.server_random = None
        self.server_key = None
        self.server_cert = None
        self.master = None
        self.keys = None
        self.established = False
        self.send_error = None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    # -- building --------------------------------------------------------

    def record(self, ctype, payload, version=TLS12, length=None, **seal):
        """One record; protected when the client has sent its CCS."""
        frag = self.wr.seal(ctype, payload, version, **seal) if self.wr else payload
        return struct.pack(">BHH", ctype, version, len(frag) if length is None else length) + frag

    def records(self, ctype, payload, size):
        """payload split over records of `size` bytes each."""
        return b"".join(self.record(ctype, payload[i:i + size])
                        for i in range(0, len(payload), size))

    def hs(self, mtype, body, length=None, transcript=True):
        """A handshake message (header + body), added to the transcript."""
        msg = u8(mtype) + u24(len(body) if length is None else length) + body
        if transcript:
            self.transcript += msg
        return msg

    def hello_body(self, suites=None, **kw):
        kw.setdefault("random", self.client_random)
        self.client_random = kw["random"]
        if "version" in kw:
            self.offered_version = kw["version"]
        body, _ = build_hello([self.suite.id] if suites is None else suites, **kw)
        return body

    def client_hello(self, **kw):
        return self.hs(HS_CLIENT_HELLO, self.hello_body(**kw))

    def derive(self, pms):
        self.master = prf(pms, b"master secret", self.client_random + self.server_random, 48)
        s = self.suite
        kb = prf(self.master, b"key expansion", self.server_random + self.client_random,
                 2 * (s.mac_len + s.key_len + s.iv_len))
        parts, at = [], 0
        for n in (s.mac_len, s.mac_len, s.key_len, s.key_len, s.iv_len, s.iv_len):
            parts.append(kb[at:at + n])
            at += n
        self.keys = dict(zip(("cmac", "smac", "ckey", "skey", "civ", "siv"), parts))

    def premaster(self, version=None):
        return u16(self.offered_version if version is None else version) + os.urandom(46)

    def encrypt_pms(self, pms):
        return self.server_key.encrypt(pms, rsa_padding.PKCS1v15())

    def cke(self, pms=None, enc=None, prefix=None, body=None, length=None):
        """ClientKeyExchange; the client's keys come from `pms` whatever is sent."""
        pms = self.premaster() if pms is None else pms
        self.derive(pms)
        if body is None:
            enc = self.encrypt_pms(pms) if enc is None else enc
            body = u16(len(enc) if prefix is None else prefix) + enc
        return self.hs(HS_CKE, body, length=length)

    def ccs(self, body=b"\x01"):
        """The ChangeCipherSpec record; from here on the client encrypts."""
        rec = self.record(CT_CCS, body)
        k = self.keys
        self.wr = Protect(self.suite, k["cmac"], k["ckey"], k["civ"])
        return rec

    def verify_data(self, label=b"client finished"):
        return prf(self.master, label, hashlib.sha256(self.transcript).digest(), 12)

    def finished(self, vd=None, tweak=None, mtype=HS_FINISHED):
        vd = self.verify_data() if vd is None else vd
        if tweak:
            vd = tweak(vd)
        return self.hs(mtype, vd)

    # -- I/O -------------------------------------------------------------

    def send(self, *chunks):
        try:
            self.sock.sendall(b"".join(chunks))
        except OSError as e:  # the server may have answered and closed already
            self.send_error = e

    def _record_in(self, deadline):
        while True:
            if len(self.inbuf) >= 5:
                n = 5 + struct.unpack(">H", self.inbuf[3:5])[0]
                if len(self.inbuf) >= n:
                    rec = bytes(self.inbuf[:n])
                    del self.inbuf[:n]
                    return rec[0], struct.unpack(">H", rec[1:3])[0], rec[5:]
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return "timeout"
            except OSError:
                return "closed"
            if not chunk:
                return "closed"
            self.inbuf += chunk

    def read(self, until, timeout=READ_TIMEOUT):
        """Reads the server's records. until: 'flight' (stop at
        ServerHelloDone), 'finished' (stop at the server's verified Finished)
        or 'end' (stop at an alert, the close or the timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            r = self._record_in(deadline)
            if isinstance(r, str):
                return Outcome(r, detail="after the handshake" if self.established else "")
            ctype, version, frag = r
            encrypted = self.rd is not None
            if encrypted:
                try:
                    frag = self.rd.open(ctype, frag, version)
                except BadRecord as e:
                    return Outcome("error", detail="server record does not open: %s" % e)
            if ctype == CT_ALERT:
                if len(frag) != 2:
                    return Outcome("error", detail="malformed alert record from the server")
                return Outcome("alert", frag[1], frag[0], encrypted)
            if ctype == CT_CCS:
                if frag != b"\x01" or not self.keys:
                    return Outcome("error", detail="unexpected ChangeCipherSpec from the server")
                k = self.keys
                self.rd = Protect(self.suite, k["smac"], k["skey"], k["siv"])
            elif ctype == CT_HS:
                self.hsbuf += frag
                while len(self.hsbuf) >= 4:
                    n = 4 + int.from_bytes(self.hsbuf[1:4], "big")
                    if len(self.hsbuf) < n:
                        break
                    msg = bytes(self.hsbuf[:n])
                    del self.hsbuf[:n]
                    out = self._server_message(msg, until)
                    if out:
                        return out
            elif ctype == CT_APP:
                self.app += frag
            else:
                return Outcome("error", detail="server record of content type %d" % ctype)

    def _server_message(self, msg, until):
        mtype, body = msg[0], msg[4:]
        if mtype == HS_FINISHED:
            want = prf(self.master, b"server finished", hashlib.sha256(self.transcript).digest(), 12)
            if body != want:
                return Outcome("error", detail="the server's Finished does not verify")
            self.transcript += msg
            self.established = True
            return Outcome("established") if until == "finished" else None
        self.transcript += msg
        try:
            if mtype == HS_SERVER_HELLO:
                r = Reader(body)
                version, self.server_random = r.uint(2), r.take(32)
                self.server_sid = r.vec(1, 0, 32)
                suite, comp = r.uint(2), r.uint(1)
                self.server_hello = (version, suite, comp)
            elif mtype == HS_CERTIFICATE:
                chain = Reader(Reader(body).vec(3, 0, 0xFFFFFF))
                self.server_cert = chain.vec(3, 1, 0xFFFFFF)
                self.server_key = x509.load_der_x509_certificate(self.server_cert).public_key()
            elif mtype == HS_SHD:
                sh = self.server_hello
                if not sh or sh[0] != TLS12 or sh[2] != 0 or sh[1] != self.suite.id:
                    return Outcome("error", detail="odd ServerHello %r (wanted TLS 1.2, suite 0x%04X)"
                                   % (sh, self.suite.id))
                if self.server_key is None:
                    return Outcome("error", detail="no server certificate")
                return Outcome("proceed") if until == "flight" else None
            elif mtype == HS_SKE:
                self.ske = body
            elif mtype != HS_CERT_REQUEST:
                return Outcome("error", detail="unexpected handshake message %d from the server" % mtype)
        except (ParseError, ValueError) as e:
            return Outcome("error", detail="cannot parse the server's message %d: %s" % (mtype, e))
        return None

    # -- common steps ----------------------------------------------------

    def hello(self, records=None, **kw):
        """Sends a ClientHello (built from kw, or the given records) and reads
        the server's flight; any other answer ends the case."""
        self.send(records if records is not None else self.record(CT_HS, self.client_hello(**kw)))
        out = self.read("flight")
        if out.kind != "proceed":
            raise Stop(out)

    def finish(self, until="finished"):
        """The standard second flight: ClientKeyExchange, ChangeCipherSpec, Finished."""
        cke = self.record(CT_HS, self.cke())
        ccs = self.ccs()
        self.send(cke, ccs, self.record(CT_HS, self.finished()))
        return self.read(until)


# ---- the cases ------------------------------------------------------------------

class Case:
    def __init__(self, family, name, expect, fn, suite, known, why):
        self.family, self.name, self.fn, self.suite = family, name, fn, suite
        self.expect = {expect} if isinstance(expect, str) else set(expect)
        self.known, self.why = known, why

    @property
    def title(self):
        return "%s/%s" % (self.family, self.name)

    def matches(self, key):
        return key in self.expect or (key.startswith("alert:") and "alert:*" in self.expect)


CASES = []
FINISHED_FAILURE = ("alert:decrypt_error", "alert:bad_record_mac")


def add(family, name, expect, fn, suite=CBC, known=None, why=""):
    CASES.append(Case(family, name, expect, fn, suite, known, why))


def hello_only(body_fn, version=TLS12, length_delta=0):
    """A case that sends one ClientHello record with the body body_fn(s)."""
    def run(s):
        body = body_fn(s)
        msg = s.hs(HS_CLIENT_HELLO, body, length=len(body) + length_delta)
        s.send(s.record(CT_HS, msg, version=version))
        return s.read("flight")
    return run


def base_hello(suite, **kw):
    kw.setdefault("random", os.urandom(32))
    return build_hello([suite.id, SCSV], **kw)


def full_with(ch=None, cke=None, ccs=None, fin=None, until="finished"):
    """A full handshake where any of the client's records can be replaced:
    each argument is a function (session) -> bytes to send for that step."""
    def run(s):
        s.hello(records=ch(s) if ch else None)
        parts = [cke(s) if cke else s.record(CT_HS, s.cke())]
        parts.append(ccs(s) if ccs else s.ccs())
        parts.append(fin(s) if fin else s.record(CT_HS, s.finished()))
        s.send(*parts)
        return s.read(until)
    return run


# -- ClientHello structure ---------------------------------------------------------

def hello_structure_cases():
    fam = "hello-structure"
    body, fields = base_hello(CBC)
    cuts = set()
    for off, size in fields.values():
        cuts.update((off, off + 1))
    cuts.update((len(body) - 1, fields["random"][0] + 16))
    for k in sorted(c for c in cuts if c < len(body)):
        cut = body[:k]
        expect = rfc_hello_verdict(cut)
        add(fam, "truncated to %d of %d bytes" % (k, len(body)), "alert:" + expect
            if expect != "proceed" else expect, hello_only(lambda s, cut=cut: cut))

    def hb(suites=None, **kw):
        return lambda s: s.hello_body(suites=suites, **kw)

    end = fields["end_of_compression"][0]
    add(fam, "one trailing byte after the extensions", "alert:decode_error",
        hello_only(lambda s: s.hello_body() + b"\x00"))
    add(fam, "two trailing bytes after the extensions", "alert:decode_error",
        hello_only(lambda s: s.hello_body() + b"\x00\x00"))
    add(fam, "no extensions, one trailing byte", "alert:decode_error",
        hello_only(lambda s: s.hello_body(exts=None) + b"\x00"))
    add(fam, "no extensions block at all", "proceed", hello_only(hb(exts=None)))
    add(fam, "empty extensions block (00 00)", "proceed", hello_only(hb(raw_exts=b"\x00\x00")))
    add(fam, "handshake length one short of the record", "alert:decode_error",
        hello_only(hb(), length_delta=-1))

    def zero_length_hello(s):  # an empty ClientHello, then its would-be body
        body = s.hello_body()
        s.send(s.record(CT_HS, s.hs(HS_CLIENT_HELLO, body, length=0)))
        return s.read("flight")

    def longer_then(follow):
        def run(s):
            body = s.hello_body()
            s.send(s.record(CT_HS, s.hs(HS_CLIENT_HELLO, body, length=len(body) + 1)), follow(s))
            return s.read("flight")
        return run
    add(fam, "handshake length 0, body in the same record", "alert:decode_error", zero_length_hello)
    add(fam, "handshake length one past the record, next record one junk byte",
        "alert:decode_error", longer_then(lambda s: s.record(CT_HS, b"\x00")))
    add(fam, "handshake length one past the record, next record a ChangeCipherSpec",
        "alert:unexpected_message", longer_then(lambda s: s.record(CT_CCS, b"\x01")))
    add(fam, "session_id of 33 bytes", "alert:decode_error", hello_only(hb(sid=os.urandom(33))))
    add(fam, "session_id of 255 bytes", "alert:decode_error", hello_only(hb(sid=os.urandom(255))))
    add(fam, "session_id of 32 unknown bytes", "proceed", hello_only(hb(sid=os.urandom(32))))
    add(fam, "empty cipher_suites", "alert:decode_error", hello_only(hb(suites=[])))

    def raw_suites(raw):
        def body(s):
            b, f = build_hello([], random=s.client_random)
            at = f["cipher_suites.length"][0]
            return b[:at] + u16(len(raw)) + raw + b[at + 2:]
        return body
    add(fam, "cipher_suites of 3 bytes", "alert:decode_error",
        hello_only(raw_suites(u16(CBC.id) + b"\x00")))
    add(fam, "cipher_suites of 1 byte", "alert:decode_error", hello_only(raw_suites(b"\x00")))
    add(fam, "empty compression_methods", "alert:decode_error", hello_only(hb(comp=b"")))
    add(fam, "compression_methods [1] (no null)", "alert:illegal_parameter",
        hello_only(hb(comp=b"\x01")))
    add(fam, "compression_methods [1, 64] (no null)", "alert:illegal_parameter",
        hello_only(hb(comp=b"\x01\x40")))
    add(fam, "compression_methods [1, 0] (null not first)", "proceed", hello_only(hb(comp=b"\x01\x00")))
    add(fam, "no common suite: RC4-SHA only", "alert:handshake_failure", hello_only(hb(suites=[0x0005])))
    add(fam, "no common suite: only the renegotiation SCSV", "alert:handshake_failure",
        hello_only(hb(suites=[SCSV])))
    add(fam, "no common suite: a TLS 1.3 suite", "alert:handshake_failure", hello_only(hb(suites=[0x1301])))
    add(fam, "no common suite: AES256-SHA (not enabled)", "alert:handshake_failure",
        hello_only(hb(suites=[0x0035])))
    many = [0x1000 + i for i in range(150)]
    add(fam, "151 suites, the only acceptable one last", "proceed",
        hello_only(hb(suites=many + [CBC.id])))

    def big_suites(s):
        return s.hello_body(suites=[CBC.id] + [0x2000 + i for i in range(12000)])

    def big_run(s):  # 24 KB ClientHello over two records
        msg = s.hs(HS_CLIENT_HELLO, big_suites(s))
        s.send(s.records(CT_HS, msg, 16384))
        return s.read("flight")
    add(fam, "12001 suites (24 KB ClientHello over two records), acceptable one first", "proceed", big_run)
    for v, exp in ((0x0301, "alert:protocol_version"), (0x0302, "alert:protocol_version"),
                   (0x0300, "alert:protocol_version"), (0x0200, "alert:protocol_version"),
                   (0x0304, "proceed"), (0x03FF, "proceed"), (0x0403, "proceed")):
        add(fam, "client_version 0x%04X" % v, exp, hello_only(hb(version=v)))
    for v in (0x0300, 0x0301, 0x0302, 0x03FF):
        add(fam, "ClientHello in a record of version 0x%04X" % v, "proceed", hello_only(hb(), version=v))
    for name, exts in (
            ("unknown extension twice", [(EXT_UNKNOWN, b""), SIG_ALGS, (EXT_UNKNOWN, b"\x01")]),
            ("server_name twice", [sni(), sni(b"example.com")]),
            ("renegotiation_info twice", [(EXT_RENEG, b"\x00"), (EXT_RENEG, b"\x00")]),
            ("signature_algorithms twice", [SIG_ALGS, (EXT_UNKNOWN, b""), SIG_ALGS])):
        add(fam, "duplicate extension: " + name, "alert:decode_error", hello_only(hb(exts=exts)))
    filler = [(0x6000 + i, b"") for i in range(40)]
    add(fam, "duplicate extension after 40 others", "alert:decode_error",
        hello_only(hb(exts=filler + [(0x7000, b""), (0x7000, b"")])))
    add(fam, "non-empty renegotiation_info", "alert:handshake_failure",
        hello_only(hb(exts=[(EXT_RENEG, b"\x0c" + os.urandom(12))])))
    add(fam, "non-empty renegotiation_info after 40 other extensions", "alert:handshake_failure",
        hello_only(hb(exts=filler + [(EXT_RENEG, b"\x0c" + os.urandom(12))])))
    add(fam, "empty renegotiation_info", "proceed", hello_only(hb(exts=[(EXT_RENEG, b"\x00")])))
    add(fam, "renegotiation_info with an overrunning inner length", "alert:decode_error",
        hello_only(hb(exts=[(EXT_RENEG, b"\x05\x00")])))
    add(fam, "unknown extensions (GREASE, 0x1234 with data, 0xFFFE) are ignored", "proceed",
        hello_only(hb(exts=[(0xFAFA, b""), (0x1234, os.urandom(100)), SIG_ALGS, (0xFFFE, b"\x00")])))
    add(fam, "60 unknown extensions are ignored", "proceed",
        hello_only(hb(exts=[(0x6000 + i, bytes([i])) for i in range(60)])))
    add(fam, "padding extension and a 10000-byte unknown one", "proceed",
        hello_only(hb(exts=[(EXT_PADDING, bytes(300)), (0x4444, os.urandom(10000))])))
    for delta in (1, -1):
        def wrong_block(s, delta=delta):
            b, f = build_hello([CBC.id], random=s.client_random)
            at = f["extensions.length"][0]
            return b[:at] + u16(len(b) - at - 2 + delta) + b[at + 2:]
        add(fam, "extensions block length %+d" % delta, "alert:decode_error", hello_only(wrong_block))

    def block_len(v):
        def body(s):
            b, f = build_hello([CBC.id], random=s.client_random)
            at = f["extensions.length"][0]
            return b[:at] + u16(v) + b[at + 2:]
        return body
    add(fam, "extensions block length 0 with extensions after it", "alert:decode_error",
        hello_only(block_len(0)))
    add(fam, "extensions block length 0xFFFF", "alert:decode_error", hello_only(block_len(0xFFFF)))
    add(fam, "extensions block holding 3 bytes (half an extension header)", "alert:decode_error",
        hello_only(hb(raw_exts=u16(3) + b"\x5a\x5a\x00")))
    add(fam, "last extension's length overruns a consistent block", "alert:decode_error",
        hello_only(hb(raw_exts=u16(6) + u16(EXT_UNKNOWN) + u16(3) + b"\xab\xcd")))
    add(fam, "server_name list length overruns", "alert:decode_error",
        hello_only(hb(exts=[(EXT_SERVER_NAME, u16(40) + u8(0) + u16(9) + b"localhost")])))
    add(fam, "signature_algorithms of odd length", "alert:decode_error",
        hello_only(hb(exts=[(EXT_SIG_ALGS, u16(3) + b"\x04\x01\x02")])))
    add(fam, "supported_groups of odd length", "alert:decode_error",
        hello_only(hb(exts=[(EXT_GROUPS, u16(3) + b"\x00\x17\x00")])))
    add(fam, "client offers both suites: server prefers GCM", "proceed",
        hello_only(hb(suites=[CBC.id, GCM.id])), suite=GCM)


# -- ClientHello bit flips -----------------------------------------------------------

def header_flip_cases(fam, which, body_len, follow):
    """Bit flips in the 4-byte handshake header of the ClientKeyExchange
    (which='cke') or the client's Finished ('fin'). A shorter length cuts the
    body (decode_error); a longer one leaves the message incomplete when the
    next record, `follow`, arrives (unexpected_message; an engine that caps
    message sizes may say decode_error first)."""
    for bit in range(32):
        byte, b = 3 - bit // 8, bit % 8
        if bit >= 24:
            mtype = (HS_CKE if which == "cke" else HS_FINISHED) ^ (1 << b)
            name, expect = "msg_type bit %d (-> %d)" % (b, mtype), "alert:unexpected_message"
        else:
            n = body_len ^ (1 << bit)
            name = "length bit %d (-> %d)" % (bit, n)
            expect = "alert:decode_error" if n < body_len else ("alert:unexpected_message", "alert:decode_error")

        def run(s, byte=byte, b=b):
            s.hello()
            if which == "cke":
                cke = s.record(CT_HS, flip(s.cke(), byte, b))
                s.send(cke, s.ccs(), s.record(CT_HS, s.finished()))
            else:
                cke = s.record(CT_HS, s.cke())
                ccs = s.ccs()
                s.send(cke, ccs, s.record(CT_HS, flip(s.finished(), byte, b)), follow(s))
            return s.read("end")
        add(fam, name, expect, run)


def hello_bitflip_cases():
    fam = "hello-bitflip"
    body, fields = base_hello(CBC)
    plan = [("client_version", 16), ("random", 8), ("session_id.length", 8),
            ("cipher_suites.length", 16), ("cipher_suites[0]", 16),
            ("compression_methods.length", 8), ("compression_methods[0]", 8),
            ("extensions.length", 16), ("extensions[2].type", 16), ("extensions[2].length", 16)]
    for field, nbits in plan:
        off, size = fields[field]
        for bit in range(nbits):
            byte = off + size - 1 - bit // 8  # bit 0 is the least significant of the field
            flipped = flip(body, byte, bit % 8)
            verdict = rfc_hello_verdict(flipped)
            value = "-> " + flipped[off:off + size].hex() if size <= 2 else "body byte %d" % byte
            add(fam, "%s bit %d (%s)" % (field, bit, value),
                "alert:" + verdict if verdict != "proceed" else "proceed",
                hello_only(lambda s, b=flipped: b))
    # The handshake header: any other type is out of order.
    for bit in range(8):
        def run(s, bit=bit):
            msg = s.client_hello()
            s.send(s.record(CT_HS, flip(msg, 0, bit)))
            return s.read("flight")
        add(fam, "msg_type bit %d (-> %d)" % (bit, HS_CLIENT_HELLO ^ (1 << bit)), "alert:unexpected_message", run)


# -- ClientKeyExchange ------------------------------------------------------------------

def cke_cases():
    fam = "client-key-exchange"
    header_flip_cases(fam + "-header", "cke", 258, None)
    # RFC 5246 7.4.7.1: whatever is wrong inside the RSA-encrypted premaster,
    # the server carries on with a random one; the client's Finished then
    # cannot be read (bad_record_mac) or does not match (decrypt_error).
    for byte, bit in ((0, 7), (0, 0), (1, 3), (2, 6), (10, 1), (50, 4), (100, 2), (127, 7),
                      (128, 0), (200, 5), (240, 6), (253, 3), (254, 1), (255, 0), (255, 7)):
        def enc_flip(s, byte=byte, bit=bit):
            pms = s.premaster()
            return s.record(CT_HS, s.cke(pms=pms, enc=flip(s.encrypt_pms(pms), byte, bit)))
        add(fam, "encrypted premaster byte %d bit %d flipped" % (byte, bit), FINISHED_FAILURE,
            full_with(cke=enc_flip))
    for suite in (CBC, GCM):
        add(fam, "premaster version 0x0302, ClientHello 0x0303 (%s)" % suite.name, FINISHED_FAILURE,
            full_with(cke=lambda s: s.record(CT_HS, s.cke(pms=s.premaster(0x0302)))), suite=suite)
    add(fam, "premaster version 0x0300", FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(pms=s.premaster(0x0300)))))

    def offered_0304(pms_version):
        def run(s):
            s.hello(records=s.record(CT_HS, s.client_hello(version=0x0304)))
            cke = s.record(CT_HS, s.cke(pms=s.premaster(pms_version)))
            ccs = s.ccs()
            s.send(cke, ccs, s.record(CT_HS, s.finished()))
            return s.read("finished")
        return run
    add(fam, "ClientHello 0x0304, premaster 0x0304", "established", offered_0304(0x0304))
    add(fam, "ClientHello 0x0304, premaster 0x0303 (rollback check)", FINISHED_FAILURE,
        offered_0304(0x0303))
    add(fam, "premaster of 47 bytes", FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(pms=s.premaster()[:47]))))
    add(fam, "premaster of 49 bytes", FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(pms=s.premaster() + b"\x00"))))
    add(fam, "ciphertext all zeros", FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(enc=bytes(256)))))
    add(fam, "ciphertext equal to the modulus (c = N)", FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(
            enc=s.server_key.public_numbers().n.to_bytes(256, "big")))))
    add(fam, "ciphertext all 0xFF (c > N)", FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(enc=b"\xff" * 256))))
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    add(fam, "premaster encrypted to another RSA key", FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(
            enc=other.encrypt(b"\x03\x03" + bytes(46), rsa_padding.PKCS1v15())))))
    # A ciphertext of the wrong size is public knowledge, not a padding
    # oracle: an immediate decode_error is as defensible as going on.
    add(fam, "ciphertext of 10 bytes, consistent prefix", ("alert:decode_error",) + FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(enc=os.urandom(10)))))
    add(fam, "ciphertext of 257 bytes (leading zero)", ("alert:decode_error",) + FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(enc=b"\x00" + s.encrypt_pms(s.premaster())))))
    add(fam, "empty ciphertext (prefix 0)", ("alert:decode_error",) + FINISHED_FAILURE,
        full_with(cke=lambda s: s.record(CT_HS, s.cke(enc=b""))))
    for name, mk in (("prefix 255 for 256 bytes", lambda s, e: u16(255) + e),
                     ("prefix 257 for 256 bytes", lambda s, e: u16(257) + e),
                     ("prefix 0 for 256 bytes", lambda s, e: u16(0) + e),
                     ("prefix 0xFFFF for 256 bytes", lambda s, e: u16(0xFFFF) + e),
                     ("no prefix (SSL 3.0 style)", lambda s, e: e if e[:2] != u16(254) else e[::-1]),
                     ("empty body", lambda s, e: b""),
                     ("one byte body", lambda s, e: b"\x01")):
        def wrong_prefix(s, mk=mk):
            pms = s.premaster()
            return s.record(CT_HS, s.cke(pms=pms, body=mk(s, s.encrypt_pms(pms))))
        add(fam, "wrong length prefix: " + name, "alert:decode_error", full_with(cke=wrong_prefix))

    def hs_len(delta):
        def mk(s):
            pms = s.premaster()
            body = u16(256) + s.encrypt_pms(pms)
            return s.record(CT_HS, s.cke(pms=pms, body=body, length=len(body) + delta))
        return mk
    add(fam, "handshake length one short of the body", "alert:decode_error", full_with(cke=hs_len(-1)))


# -- Finished ------------------------------------------------------------------------------

def finished_cases():
    fam = "finished"
    header_flip_cases(fam + "-header", "fin", 12, lambda s: s.record(CT_APP, b"x"))
    for suite in (CBC, GCM):
        size = 64 if suite is CBC else 40  # IV+E(16+20+12) / nonce+16+tag
        for i in range(size):
            part = ("IV" if i < 16 else "ciphertext" if i < 16 + 32 else "last block") if suite is CBC \
                else ("nonce" if i < 8 else "ciphertext" if i < 24 else "tag")
            def fin(s, i=i, size=size):
                rec = s.record(CT_HS, s.finished())
                assert len(rec) == 5 + size
                return flip(rec, 5 + i, i % 8)
            add(fam, "%s record byte %d (%s) bit %d flipped" % (suite.name, i, part, i % 8),
                "alert:bad_record_mac", full_with(fin=fin), suite=suite)
        for i in range(12):
            add(fam, "%s verify_data byte %d altered, record intact" % (suite.name, i),
                "alert:decrypt_error",
                full_with(fin=lambda s, i=i: s.record(CT_HS, s.finished(tweak=lambda v: flip(v, i, i % 8)))),
                suite=suite)
        for n in (11, 13, 0):
            add(fam, "%s verify_data of %d bytes" % (suite.name, n), "alert:decode_error",
                full_with(fin=lambda s, n=n: s.record(CT_HS, s.finished(vd=(s.verify_data() + b"\x00")[:n]))),
                suite=suite)
        add(fam, "%s verify_data with the server's label" % suite.name, "alert:decrypt_error",
            full_with(fin=lambda s: s.record(CT_HS, s.finished(vd=s.verify_data(b"server finished")))),
            suite=suite)
        add(fam, "%s verify_data over the transcript without the ClientKeyExchange" % suite.name,
            "alert:decrypt_error",
            full_with(fin=lambda s: s.record(CT_HS, s.finished(vd=prf(
                s.master, b"client finished",
                hashlib.sha256(s.transcript[:-(4 + 2 + 256)]).digest(), 12)))), suite=suite)
        add(fam, "%s Finished sent as handshake type 21" % suite.name, "alert:unexpected_message",
            full_with(fin=lambda s: s.record(CT_HS, s.finished(mtype=21))), suite=suite)


# -- record lengths ----------------------------------------------------------------------

def padded_hello(s, total):
    """A ClientHello message of exactly `total` bytes (an unknown extension pads it)."""
    base = len(s.hello_body(exts=[(0x4444, b"")])) + 4
    return s.client_hello(exts=[(0x4444, bytes(total - base))])


def lengths_cases():
    fam = "lengths"

    def big_hello(n):
        def run(s):
            s.send(s.record(CT_HS, padded_hello(s, n)))
            return s.read("flight")
        return run
    add(fam, "plaintext record of 2^14 bytes (the limit)", "proceed", big_hello(16384))
    add(fam, "plaintext record of 2^14+1 bytes", "alert:record_overflow", big_hello(16385))
    add(fam, "plaintext record of 2^16-1 bytes", "alert:record_overflow", big_hello(65535))

    def header_only(s):
        s.send(struct.pack(">BHH", CT_HS, TLS12, 16385))
        return s.read("flight")
    add(fam, "plaintext record header announcing 2^14+1 bytes, body not sent", "alert:record_overflow",
        header_only, known="closed",
        why="RFC 5246 6.2.1: the length field alone violates the limit; tlsstep waits for the "
            "whole record before looking at it and gives up on the silent client (--timeout) "
            "with no alert")

    def hs_ffffff(s):
        s.send(s.record(CT_HS, u8(HS_CLIENT_HELLO) + u24(0xFFFFFF) + s.hello_body()))
        return s.read("flight")
    add(fam, "ClientHello with handshake length 0xFFFFFF", "alert:decode_error", hs_ffffff)

    for suite in (CBC, GCM):
        def prot(frag_fn):
            def fin(s):
                frag = frag_fn(s)
                return struct.pack(">BHH", CT_HS, TLS12, len(frag)) + frag
            return fin
        add(fam, "%s protected record of 2^14+2049 bytes" % suite.name, "alert:record_overflow",
            full_with(fin=prot(lambda s: os.urandom(16384 + 2049))), suite=suite)
        # GCM shows the plaintext length (here over 2^14+1024) before the tag
        # is checked: record_overflow is as right as bad_record_mac (7.2.2).
        add(fam, "%s protected record of 2^14+2048 garbage bytes" % suite.name,
            "alert:bad_record_mac" if suite is CBC else ("alert:bad_record_mac", "alert:record_overflow"),
            full_with(fin=prot(lambda s: os.urandom(16384 + 2048))), suite=suite)

        def big_plain(s):  # Finished followed by junk: 2^14+1 bytes of plaintext, valid MAC/tag
            data = s.finished() + bytes(16385 - 16)
            pad = None
            if not s.suite.gcm:
                n = 15 - (len(data) + 20) % 16
                pad = bytes([n]) * (n + 1)
            return s.record(CT_HS, data, pad=pad)
        add(fam, "%s protected record that opens to 2^14+1 bytes" % suite.name, "alert:record_overflow",
            full_with(fin=big_plain), suite=suite)
    cbc_sizes = [(63, "not a multiple of 16"), (65, "not a multiple of 16"), (48 - 1, "below IV+MAC+1"),
                 (32, "IV and one block, below IV+MAC+1"), (16, "IV only"), (0, "empty")]
    for n, why in cbc_sizes:
        def fin(s, n=n):
            rec = s.record(CT_HS, s.finished())
            frag = (rec[5:] + os.urandom(16))[:n]
            return struct.pack(">BHH", CT_HS, TLS12, n) + frag
        add(fam, "AES128-SHA Finished record of %d bytes (%s)" % (n, why), "alert:bad_record_mac",
            full_with(fin=fin))
    for n, why in ((23, "below nonce+tag"), (8, "nonce only"), (0, "empty"),
                   (24, "nonce+tag, garbage tag")):
        def fin(s, n=n):
            rec = s.record(CT_HS, s.finished())
            return struct.pack(">BHH", CT_HS, TLS12, n) + rec[5:5 + min(n, 8)] + os.urandom(max(0, n - 8))
        add(fam, "AES128-GCM-SHA256 Finished record of %d bytes (%s)" % (n, why), "alert:bad_record_mac",
            full_with(fin=fin), suite=GCM)
    for suite in (CBC, GCM):
        add(fam, "%s protected empty handshake record with a valid MAC/tag" % suite.name,
            "alert:unexpected_message", full_with(fin=lambda s: s.record(CT_HS, b"")), suite=suite)


def send_first(build):
    """A case that opens the connection with build(s)'s bytes and reads the answer."""
    def run(s):
        s.send(build(s))
        return s.read("flight")
    return run


# -- order and duplicates ------------------------------------------------------------------

def order_cases():
    fam = "order"

    add(fam, "ClientKeyExchange first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_HS, s.hs(HS_CKE, u16(256) + os.urandom(256)))))
    add(fam, "Finished first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_HS, s.hs(HS_FINISHED, os.urandom(12)))))
    add(fam, "ChangeCipherSpec first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_CCS, b"\x01")))
    add(fam, "application data first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_APP, b"GET / HTTP/1.0\r\n\r\n")))
    add(fam, "HelloRequest from the client first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_HS, s.hs(HS_HELLO_REQUEST, b""))))
    add(fam, "ServerHello from the client first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_HS, s.hs(HS_SERVER_HELLO, s.hello_body()))))
    add(fam, "handshake type 99 first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_HS, s.hs(99, b"\x00" * 8))))

    def two_hellos_one_record(s):
        s.send(s.record(CT_HS, s.client_hello() + s.client_hello()))
        return s.read("end")
    add(fam, "two ClientHellos in one record", "alert:unexpected_message", two_hellos_one_record)

    def after_flight(build, until="end"):
        def run(s):
            s.hello()
            s.send(build(s))
            return s.read(until)
        return run
    add(fam, "a second ClientHello after the server's flight", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_HS, s.client_hello())))
    add(fam, "ChangeCipherSpec before ClientKeyExchange", "alert:unexpected_message",
        after_flight(lambda s: (s.cke(), s.ccs())[1]))
    add(fam, "Finished (cleartext) before ChangeCipherSpec", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_HS, s.cke()) + s.record(CT_HS, s.finished())))
    add(fam, "ClientKeyExchange twice", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_HS, s.cke()) + s.record(CT_HS, s.cke())))
    add(fam, "unsolicited client Certificate before ClientKeyExchange", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_HS, s.hs(HS_CERTIFICATE, u24(0))) + s.record(CT_HS, s.cke())))
    add(fam, "unsolicited CertificateVerify after ClientKeyExchange", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_HS, s.cke()) +
                     s.record(CT_HS, s.hs(HS_CERT_VERIFY, u16(0x0401) + u16(256) + os.urandom(256)))))
    add(fam, "ServerHelloDone from the client", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_HS, s.hs(HS_SHD, b""))))
    add(fam, "HelloRequest from the client after the server's flight", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_HS, s.hs(HS_HELLO_REQUEST, b""))))
    add(fam, "application data (cleartext) before ChangeCipherSpec", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_HS, s.cke()) + s.record(CT_APP, b"hello")))
    for suite in (CBC, GCM):
        add(fam, "%s application data (encrypted) between ChangeCipherSpec and Finished" % suite.name,
            "alert:unexpected_message",
            full_with(fin=lambda s: s.record(CT_APP, b"GET / HTTP/1.0\r\n\r\n") + s.record(CT_HS, s.finished())),
            suite=suite)
        add(fam, "%s ChangeCipherSpec twice, the second encrypted" % suite.name, "alert:unexpected_message",
            full_with(ccs=lambda s: s.ccs() + s.record(CT_CCS, b"\x01")), suite=suite)

    def ccs_twice_clear(s):
        c = s.ccs()
        return c + c  # the second one arrives in clear after read protection started
    add(fam, "ChangeCipherSpec twice, both in clear", "alert:bad_record_mac", full_with(ccs=ccs_twice_clear))
    add(fam, "ChangeCipherSpec with body 02", "alert:unexpected_message", full_with(ccs=lambda s: s.ccs(b"\x02")))
    add(fam, "ChangeCipherSpec with body 01 01", "alert:unexpected_message", full_with(ccs=lambda s: s.ccs(b"\x01\x01")))
    add(fam, "ChangeCipherSpec with body 00", "alert:unexpected_message", full_with(ccs=lambda s: s.ccs(b"\x00")))
    add(fam, "empty ChangeCipherSpec record", "alert:unexpected_message",
        full_with(ccs=lambda s: s.ccs(b"")))
    add(fam, "ChangeCipherSpec body 02 before ClientKeyExchange", "alert:unexpected_message",
        after_flight(lambda s: s.record(CT_CCS, b"\x02")))

    for suite in (CBC, GCM):
        def second_finished(s):
            s.hello()
            out = s.finish()
            if out.kind != "established":
                return out
            s.send(s.record(CT_HS, s.finished()))
            return s.read("end")
        add(fam, "%s Finished again after the handshake" % suite.name, "alert:unexpected_message",
            second_finished, suite=suite)

    def renegotiate(s):
        s.hello()
        out = s.finish()
        if out.kind != "established":
            return out
        s.send(s.record(CT_HS, s.hs(HS_CLIENT_HELLO, build_hello([CBC.id], exts=[(EXT_RENEG, b"\x0c" + bytes(12))])[0])))
        return s.read("end")
    add(fam, "renegotiating ClientHello after the handshake",
        ("warning:no_renegotiation", "alert:handshake_failure", "alert:no_renegotiation"), renegotiate,
        known="alert:unexpected_message",
        why="RFC 5246 7.2.2 (no_renegotiation): a server that does not renegotiate answers a "
            "ClientHello after the initial handshake with no_renegotiation (a warning), or refuses "
            "with handshake_failure; unexpected_message says the message was out of order, which it is not")

    def client_alert(level, desc, then=None):
        def run(s):
            s.hello()
            s.send(s.record(CT_ALERT, u8(level) + u8(desc)))
            if then:
                s.send(then(s))
            return s.read("end")
        return run
    add(fam, "client sends fatal handshake_failure after the server's flight", "closed",
        client_alert(2, 40))
    add(fam, "client sends close_notify after the server's flight", "warning:close_notify",
        client_alert(1, 0), known="closed",
        why="RFC 5246 7.2.1: on close_notify the other party MUST respond with a close_notify of "
            "its own; tlsstep closes without one when the close comes during the handshake")

    def warning_then_continue(s):
        s.hello()
        s.send(s.record(CT_ALERT, u8(1) + u8(90)))  # warning user_canceled
        return s.finish()
    add(fam, "warning alert (user_canceled) between the server's flight and ClientKeyExchange",
        ("established", "alert:*"), warning_then_continue, known="closed",
        why="RFC 5246 7.2.2: after a warning the connection may go on; a receiver that decides not "
            "to proceed SHOULD send a fatal alert; tlsstep drops the connection silently")


# -- padding and MAC (CBC) --------------------------------------------------------------------

def padding_mac_cases():
    fam = "padding-mac"
    # Finished (16) + MAC (20) = 36 bytes: minimal padding is 11 bytes of 11 plus the length byte.
    std = bytes([11]) * 12
    for i in range(11):
        pad = bytearray(std)
        pad[i] ^= 0x01
        add(fam, "padding byte %d of 11 wrong" % i, "alert:bad_record_mac",
            full_with(fin=lambda s, p=bytes(pad): s.record(CT_HS, s.finished(), pad=p)))
    for v in (12, 27, 36, 47, 48, 100, 255):
        add(fam, "padding length byte %d (too large for the record)" % v, "alert:bad_record_mac",
            full_with(fin=lambda s, v=v: s.record(CT_HS, s.finished(), pad=bytes([v]) * 12)))
    add(fam, "padding length byte 0 with 11 bytes of 11 before it", "alert:bad_record_mac",
        full_with(fin=lambda s: s.record(CT_HS, s.finished(), pad=bytes([11]) * 11 + b"\x00")))
    add(fam, "valid longer padding (28 bytes of 27)", "established",
        full_with(fin=lambda s: s.record(CT_HS, s.finished(), pad=bytes([27]) * 28)))
    add(fam, "valid maximal padding (252 bytes of 251)", "established",
        full_with(fin=lambda s: s.record(CT_HS, s.finished(), pad=bytes([251]) * 252)))
    bad_long = bytearray([27]) * 28
    bad_long[5] = 26
    add(fam, "long padding with one wrong byte", "alert:bad_record_mac",
        full_with(fin=lambda s: s.record(CT_HS, s.finished(), pad=bytes(bad_long))))
    for i in range(20):
        add(fam, "MAC byte %d flipped before encryption" % i, "alert:bad_record_mac",
            full_with(fin=lambda s, i=i: s.record(CT_HS, s.finished(), mac_tweak=lambda m: flip(m, i, i % 8))))
    add(fam, "MAC of 19 bytes (padding one longer)", "alert:bad_record_mac",
        full_with(fin=lambda s: s.record(CT_HS, s.finished(), mac_tweak=lambda m: m[:19], pad=bytes([12]) * 13)))
    add(fam, "no MAC at all", "alert:bad_record_mac",
        full_with(fin=lambda s: s.record(CT_HS, s.finished(), mac_tweak=lambda m: b"", pad=bytes([15]) * 16)))
    for suite in (CBC, GCM):
        what = "MAC" if suite is CBC else "AAD"
        add(fam, "%s %s over sequence number 1" % (suite.name, what), "alert:bad_record_mac",
            full_with(fin=lambda s: s.record(CT_HS, s.finished(), mac_seq=1)), suite=suite)
        add(fam, "%s %s over content type 23" % (suite.name, what), "alert:bad_record_mac",
            full_with(fin=lambda s: s.record(CT_HS, s.finished(), mac_type=CT_APP)), suite=suite)
        add(fam, "%s %s over version 0x0301" % (suite.name, what), "alert:bad_record_mac",
            full_with(fin=lambda s: s.record(CT_HS, s.finished(), mac_version=0x0301)), suite=suite)
    add(fam, "AES128-GCM-SHA256 explicit nonce not the sequence number (random), tag valid", "established",
        full_with(fin=lambda s: s.record(CT_HS, s.finished(), explicit=os.urandom(8))), suite=GCM)


# -- fragmentation and interleaving ----------------------------------------------------------------

def fragment_cases():
    fam = "fragments"

    def one_byte_hello(s):
        s.send(s.records(CT_HS, s.client_hello(), 1))
        return s.read("flight")
    for suite in (CBC, GCM):
        add(fam, "%s ClientHello as 1-byte records" % suite.name, "proceed", one_byte_hello, suite=suite)

        def one_byte_all(s):
            s.hello(records=s.records(CT_HS, s.client_hello(), 1))
            cke = s.records(CT_HS, s.cke(), 1)
            ccs = s.ccs()
            s.send(cke, ccs, s.records(CT_HS, s.finished(), 1))
            return s.read("finished")
        add(fam, "%s whole flight as 1-byte records (Finished: 16 encrypted records)" % suite.name,
            "established", one_byte_all, suite=suite)
    for size in (2, 3, 5, 7):
        add(fam, "ClientHello as %d-byte records" % size, "proceed",
            lambda s, size=size: (s.send(s.records(CT_HS, s.client_hello(), size)), s.read("flight"))[1])

    def coalesced(s):
        # The certificate is known in advance (--cert), so the ClientKeyExchange
        # can ride in the ClientHello's record: two messages in one record.
        # It enters the transcript after the server's flight, where the server
        # processes it.
        pms = s.premaster()
        ch = s.client_hello()
        cke = s.hs(HS_CKE, u16(256) + SERVER_KEY.encrypt(pms, rsa_padding.PKCS1v15()), transcript=False)
        s.send(s.record(CT_HS, ch + cke))
        out = s.read("flight")
        if out.kind != "proceed":
            return out
        s.transcript += cke
        s.derive(pms)
        ccs = s.ccs()
        s.send(ccs)
        time.sleep(0.02)
        s.send(s.record(CT_HS, s.finished()))
        return s.read("finished")
    if SERVER_KEY is not None:
        add(fam, "ClientHello and ClientKeyExchange in one record; CCS and Finished in separate writes",
            "established", coalesced)

    def split_header(s):
        rec = s.record(CT_HS, s.client_hello())
        for part in (rec[:3], rec[3:4], rec[4:20], rec[20:]):
            s.send(part)
            time.sleep(0.02)
        return s.read("flight")
    add(fam, "record header split across TCP segments", "proceed", split_header)

    def interleave(other, at=10):
        def run(s):
            msg = s.client_hello()
            s.send(s.record(CT_HS, msg[:at]), other(s), s.record(CT_HS, msg[at:]))
            return s.read("flight")
        return run
    add(fam, "ChangeCipherSpec inside a fragmented ClientHello", "alert:unexpected_message",
        interleave(lambda s: s.record(CT_CCS, b"\x01")))
    add(fam, "ChangeCipherSpec between the handshake header fragments", "alert:unexpected_message",
        interleave(lambda s: s.record(CT_CCS, b"\x01"), at=2))
    add(fam, "application data inside a fragmented ClientHello", "alert:unexpected_message",
        interleave(lambda s: s.record(CT_APP, b"x")))
    add(fam, "empty handshake record inside a fragmented ClientHello", "alert:unexpected_message",
        interleave(lambda s: s.record(CT_HS, b"")))
    # RFC 5246 6.2.1 lets record types interleave; RFC 8446 5.1 (and tlsstep)
    # forbid anything between the fragments of one handshake message.
    add(fam, "warning alert inside a fragmented ClientHello (tlsstep: refused)", "alert:unexpected_message",
        interleave(lambda s: s.record(CT_ALERT, b"\x01\x5a")))

    def ccs_in_cke(s):
        s.hello()
        cke = s.cke()
        s.send(s.record(CT_HS, cke[:100]), s.record(CT_CCS, b"\x01"), s.record(CT_HS, cke[100:]))
        return s.read("end")
    add(fam, "ChangeCipherSpec inside a fragmented ClientKeyExchange", "alert:unexpected_message", ccs_in_cke)

    def ccs_after_partial_finished_header(s):  # CKE plus the first 2 bytes of the next message
        s.hello()
        s.send(s.record(CT_HS, s.cke() + b"\x14\x00"), s.ccs())
        return s.read("end")
    add(fam, "ChangeCipherSpec after a partial handshake header", "alert:unexpected_message",
        ccs_after_partial_finished_header)


# -- record layer -----------------------------------------------------------------------------

def record_cases():
    fam = "record"

    add(fam, "zero-length handshake record first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_HS, b"") + s.record(CT_HS, s.client_hello())))
    add(fam, "zero-length alert record", "alert:unexpected_message", send_first(lambda s: s.record(CT_ALERT, b"")))
    add(fam, "zero-length application data record first", "alert:unexpected_message",
        send_first(lambda s: s.record(CT_APP, b"")))
    for t in (24, 19, 0, 255):
        add(fam, "record of unknown content type %d" % t, "alert:unexpected_message",
            send_first(lambda s, t=t: s.record(t, b"\x01\x00\x00\x00")))
    add(fam, "HTTP request instead of a ClientHello", "alert:unexpected_message",
        send_first(lambda s: b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"))

    def sslv2(s):
        challenge = os.urandom(16)
        specs = bytes.fromhex("00002f") + bytes.fromhex("000035") + bytes.fromhex("010080")
        body = u8(1) + u16(0x0303) + u16(len(specs)) + u16(0) + u16(len(challenge)) + specs + challenge
        return u16(0x8000 | len(body)) + body
    add(fam, "SSLv2-style ClientHello", "alert:*", send_first(sslv2))
    for v in (0x0200, 0x0000, 0xFEFD, 0x0103):
        add(fam, "ClientHello record of version 0x%04X" % v, "alert:protocol_version",
            send_first(lambda s, v=v: s.record(CT_HS, s.client_hello(), version=v)))
    add(fam, "alert record of 1 byte", "alert:decode_error", send_first(lambda s: s.record(CT_ALERT, b"\x01")))
    add(fam, "alert record of 3 bytes", "alert:decode_error", send_first(lambda s: s.record(CT_ALERT, b"\x01\x00\x00")))


# -- good handshakes -------------------------------------------------------------------------

SERVER_CERT_DER = None
SERVER_KEY = None


def good_handshake(s):
    s.hello()
    out = s.finish()
    if out.kind != "established":
        return out
    if SERVER_CERT_DER is not None and s.server_cert != SERVER_CERT_DER:
        return Outcome("error", detail="the server's certificate is not assets/server.crt")
    s.send(s.record(CT_APP, b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n"))
    end = s.read("end")
    if not s.app.startswith(b"HTTP/1.0 200"):
        return Outcome("error", detail="no HTTP/1.0 200 page: %r" % bytes(s.app[:60]))
    if end.key != "warning:close_notify":
        return Outcome("error", detail="the page ended with %s, not close_notify" % end)
    return Outcome("established")


# -- what a strict client checks (sizes, signature_algorithms, resumption) ----------

EC_EXTS = [(EXT_GROUPS, u16(2) + u16(23)), (EXT_POINT_FORMATS, b"\x01\x00")]


def sig_algs_ext(codes):
    data = b"".join(u16(c) for c in codes)
    return (EXT_SIG_ALGS, u16(len(data)) + data)


def ske_signed_with(want):
    """The case's ServerKeyExchange must be signed with one of `want`, and
    the signature must verify with the server's certificate key."""
    from cryptography.hazmat.primitives import hashes

    def check(s):
        b = s.ske
        if not b or len(b) < 4:
            return Outcome("error", detail="no ServerKeyExchange")
        params = b[:4 + b[3]]
        alg = struct.unpack(">H", b[len(params):len(params) + 2])[0]
        sig = b[len(params) + 4:]
        if alg not in want:
            return Outcome("error", detail="ServerKeyExchange signed with 0x%04x" % alg)
        h = {0x0401: hashes.SHA256(), 0x0501: hashes.SHA384(), 0x0601: hashes.SHA512(),
             0x0804: hashes.SHA256(), 0x0805: hashes.SHA384(), 0x0806: hashes.SHA512()}[alg]
        pad = (rsa_padding.PSS(rsa_padding.MGF1(h), h.digest_size) if alg >= 0x0800 else rsa_padding.PKCS1v15())
        try:
            s.server_key.verify(sig, s.client_random + s.server_random + params, pad, h)
        except Exception:
            return Outcome("error", detail="the 0x%04x signature does not verify" % alg)
        return Outcome("proceed")
    return check


def flight_then(check, **hello):
    def run(s):
        s.hello(**hello)
        return check(s)
    return run


def first_server_hello(s, until_s=3.0):
    """Reads until the ServerHello is in (a resumed session's CCS follows it)."""
    deadline = time.monotonic() + until_s
    while s.server_sid is None:
        r = s._record_in(deadline)
        if isinstance(r, str):
            return Outcome(r)
        ctype, _, frag = r
        if ctype == CT_ALERT:
            return Outcome("alert", frag[1], frag[0])
        if ctype == CT_HS and frag[0] == HS_SERVER_HELLO:
            s._server_message(frag[:4 + int.from_bytes(frag[1:4], "big")], "flight")
    return None


def resume_after(suites, exts, suite):
    """A full handshake, then a second connection offering its session ID
    with these suites and extensions: 'resumed' when the server echoes the
    ID (an abbreviated handshake), 'full' when it starts a new session."""
    def run(s):
        s.hello()
        out = s.finish()
        if out.kind != "established" or not s.server_sid:
            return out
        old = s.server_sid
        s.close()
        s2 = Session(s.port, suite)
        EXTRA_CONNS.append(1)
        try:
            s2.send(s2.record(CT_HS, s2.client_hello(suites=suites, sid=old, exts=exts)))
            out = first_server_hello(s2)
            if out:
                return out
            return Outcome("resumed" if s2.server_sid == old else "full")
        finally:
            s2.close()
    return run


def conformance_cases():
    fam = "conformance"

    def over_records(build, size=16384):
        def run(s):
            s.send(s.records(CT_HS, build(s), size))
            return s.read("flight")
        return run
    add(fam, "ClientHello of 16 KB over two records", "proceed",
        over_records(lambda s: padded_hello(s, 16 * 1024)))
    add(fam, "ClientHello of 64 KB over four records", "proceed",
        over_records(lambda s: padded_hello(s, 64 * 1000)))
    add(fam, "ClientHello of 64 KB in 1000-byte records", "proceed",
        over_records(lambda s: padded_hello(s, 64 * 1000), 1000))
    add(fam, "ClientHello with 16,000 extensions", "proceed",
        over_records(lambda s: s.client_hello(exts=[(0x4000 + i, b"") for i in range(16000)])))

    def largest(s):  # every vector at its maximum: 131,396 bytes
        return s.client_hello(suites=[CBC.id] + [0x2000 + i for i in range(32766)], sid=os.urandom(32),
                              comp=b"\x00" + bytes(range(1, 255)), exts=[(0x4444, bytes(65531))])
    add(fam, "ClientHello of 131,396 bytes, every vector at its limit", "proceed", over_records(largest))

    def over_cap(s):
        body = s.hello_body()
        return s.hs(HS_CLIENT_HELLO, body, length=131397) + bytes(16000)
    add(fam, "ClientHello declaring 131,397 bytes (more than any can have)", "alert:decode_error",
        over_records(over_cap))

    # As many pairs as fit beside the curve extensions in a 65,535-byte block.
    many = [0xFE00 + (i % 300) for i in range(32756)] + [0x0401]

    def long_sig_algs(s):
        s.hello(records=s.records(CT_HS, s.client_hello(exts=EC_EXTS + [sig_algs_ext(many)]), 16384))
        return ske_signed_with({0x0401})(s)
    add(fam, "signature_algorithms of 32,757 pairs, duplicates and unknowns, rsa_pkcs1_sha256 last",
        "proceed", long_sig_algs, suite=ECDHE)
    add(fam, "signature_algorithms with only RSA-PSS (rsae) schemes: ServerKeyExchange signed with PSS",
        "proceed", flight_then(ske_signed_with({0x0804, 0x0805, 0x0806}),
                               exts=EC_EXTS + [sig_algs_ext([0x0806, 0x0805, 0x0804])]), suite=ECDHE)
    add(fam, "signature_algorithms rsa_pss_rsae_sha384 twice, unknown ones around it",
        "proceed", flight_then(ske_signed_with({0x0805}),
                               exts=EC_EXTS + [sig_algs_ext([0x0809, 0x0805, 0xEEEE, 0x0805])]), suite=ECDHE)
    add(fam, "signature_algorithms with nothing an RSA key can make (ECDHE only)", "alert:handshake_failure",
        flight_then(ske_signed_with(set()), exts=EC_EXTS + [sig_algs_ext([0x0403, 0x0807, 0x0808])]),
        suite=ECDHE)
    add(fam, "signature_algorithms with nothing an RSA key can make, RSA key exchange offered too",
        "proceed", hello_only(lambda s: s.hello_body(suites=[ECDHE.id, CBC.id],
                                                     exts=EC_EXTS + [sig_algs_ext([0x0403])])))

    add(fam, "resumption offering the session's suite: abbreviated handshake", "resumed",
        resume_after([CBC.id], DEFAULT_EXTS, CBC))
    add(fam, "resumption offering another suite only: full handshake", ("full", "alert:handshake_failure"),
        resume_after([GCM.id], DEFAULT_EXTS, GCM))
    add(fam, "resumption of a session without extended master secret, hello with it: full handshake",
        "full", resume_after([CBC.id], DEFAULT_EXTS + [(EXT_EMS, b"")], CBC))

    def renegotiate_then_page(s):
        s.hello()
        out = s.finish()
        if out.kind != "established":
            return out
        ri = (EXT_RENEG, b"\x0c" + bytes(12))
        s.send(s.record(CT_HS, s.hs(HS_CLIENT_HELLO, build_hello([CBC.id], exts=[ri])[0], transcript=False)))
        out = s.read("end")
        if out.key != "warning:no_renegotiation":
            return out
        s.send(s.record(CT_APP, b"GET / HTTP/1.0\r\n\r\n"))
        end = s.read("end")
        if not s.app.startswith(b"HTTP/1.0 200"):
            return Outcome("error", detail="no page after the refused renegotiation (%s)" % end)
        return Outcome("warning:no_renegotiation, then the page")
    add(fam, "renegotiation: warning no_renegotiation, and the page is still served",
        "warning:no_renegotiation, then the page", renegotiate_then_page)


def all_cases():
    conformance_cases()
    hello_structure_cases()
    hello_bitflip_cases()
    cke_cases()
    finished_cases()
    lengths_cases()
    order_cases()
    padding_mac_cases()
    fragment_cases()
    record_cases()
    return CASES


# ---- runner ------------------------------------------------------------------------------

class JsonWatch:
    """Follows serve's --json output: one line per finished connection."""

    def __init__(self, path):
        self.path, self.lines = path, []

    def refresh(self):
        with open(self.path, "rb") as f:
            self.lines = f.read().split(b"\n")[:-1]
        return len(self.lines)

    def wait(self, n, timeout):
        deadline = time.monotonic() + timeout
        while self.refresh() < n and time.monotonic() < deadline:
            time.sleep(0.005)
        return self.lines[n - 1] if len(self.lines) >= n else None


def json_mismatch(line, out, established):
    """serve's own account of the connection must agree with the wire. An
    alert after the handshake is not checked: serve reports the handshake."""
    try:
        d = json.loads(line)
    except ValueError as e:
        return "serve printed a line that is not JSON (%s)" % e
    alert = d.get("alert") or {}
    if out.kind == "alert" and out.level == 2 and not established:
        want = ALERTS.get(out.desc)
        if d.get("outcome") != "alert" or alert.get("sent_by") != "server" or alert.get("description") != want:
            return "serve's JSON says outcome=%s alert=%s, the wire had %s" % (
                d.get("outcome"), json.dumps(alert) if alert else None, out.key)
    if out.kind == "established" and d.get("outcome") != "established":
        return "serve's JSON says outcome=%s after an established handshake" % d.get("outcome")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--json-out")
    ap.add_argument("--cert")
    ap.add_argument("--only")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    prf_self_test()
    global SERVER_CERT_DER, SERVER_KEY
    if args.cert:
        with open(args.cert, "rb") as f:
            cert = x509.load_pem_x509_certificate(f.read())
        from cryptography.hazmat.primitives.serialization import Encoding
        SERVER_CERT_DER = cert.public_bytes(Encoding.DER)
        SERVER_KEY = cert.public_key()
    cases = [c for c in all_cases() if not args.only or args.only in c.title]
    for suite in (CBC, GCM):
        cases.append(Case("good", "%s full handshake, HTTP page, close_notify" % suite.name,
                          "established", good_handshake, suite, None, ""))
    if args.list:
        for c in cases:
            print(c.title)
        return 0
    watch = JsonWatch(args.json_out) if args.json_out else None
    counts = {"ok": 0, "FAIL": 0, "KNOWN": 0}
    per_family = {}
    started = time.monotonic()
    slow = []
    conns = 0
    if watch:
        conns = watch.refresh()
    for c in cases:
        t0 = time.monotonic()
        try:
            s = Session(args.port, c.suite)
        except OSError as e:
            out, s = Outcome("error", detail="serve did not accept the connection: %s" % e), None
        if s:
            conns += 1
            try:
                out = c.fn(s)
            except Stop as e:
                out = e.outcome
            except Exception:
                out = Outcome("error", detail=traceback.format_exc(limit=3).strip().replace("\n", " | "))
            finally:
                s.close()
            conns += len(EXTRA_CONNS)
            EXTRA_CONNS.clear()
        problem = None
        if watch and s:
            line = watch.wait(conns, 8)
            if line is None:
                problem = "serve printed no JSON line for this connection (stuck or dead?)"
            else:
                problem = json_mismatch(line, out, s.established)
                if args.verbose and line:
                    d = json.loads(line)
                    out.detail += " json:%s/%s" % (d.get("outcome"), json.dumps(d.get("alert")))
        if args.pid:
            try:
                os.kill(args.pid, 0)
            except OSError:
                problem = "the serve process is gone"
        key = out.key
        if problem is None and c.matches(key):
            verdict = "ok"
            line = "ok   %s" % c.title
        elif problem is None and c.known and key == c.known:
            verdict = "KNOWN"
            line = "KNOWN %s expected %s got %s" % (c.title, "|".join(sorted(c.expect)), out)
        else:
            verdict = "FAIL"
            line = "FAIL %s expected %s got %s" % (c.title, "|".join(sorted(c.expect)), out)
            if problem:
                line += " -- " + problem
        dt = time.monotonic() - t0
        if dt > 1:
            slow.append((dt, c.title))
        if args.verbose:
            line += "  (%.0f ms)" % (dt * 1000)
            if verdict == "ok":
                line += " got %s" % out
        print(line, flush=True)
        counts[verdict] += 1
        fam = per_family.setdefault(c.family, {"ok": 0, "FAIL": 0, "KNOWN": 0})
        fam[verdict] += 1
        if problem and "gone" in problem:
            break
    print("# families: " + ", ".join("%s %d" % (f, sum(v.values())) for f, v in per_family.items()))
    for dt, title in slow:
        print("# slow: %.1f s %s" % (dt, title))
    print("# %d cases in %.1f s" % (len(cases), time.monotonic() - started))
    print("%d passed, %d failed, %d known" % (counts["ok"], counts["FAIL"], counts["KNOWN"]))
    return 0 if counts["FAIL"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
