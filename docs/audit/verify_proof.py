#!/usr/bin/env python3
"""Check a Butler record's proof, or one event's, against the API, with no
Butler code: RFC 9162 (Certificate Transparency 2.0) inclusion and
consistency proofs recomputed here with hashlib, and the checkpoint's
Ed25519 signature checked by openssl.

  verify_proof.py --url URL --token TOKEN --record complaints/ID [--key key.json] [--checkpoint saved.json]
  verify_proof.py --url URL --token TOKEN --event ID [--key key.json] [--checkpoint saved.json]

--key pins the server's public key (the JSON of GET /api/v1/audit/key saved
earlier); without it the key is fetched now. --checkpoint also proves that
today's log extends a checkpoint saved earlier. Exit status 0: verified.
"""
import argparse
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import urllib.request


def sha256(b):
    return hashlib.sha256(b).digest()


def leaf_hash(leaf):  # RFC 9162 §2.1.1: HASH(0x00 || leaf)
    return sha256(b"\x00" + leaf)


def node_hash(left, right):  # RFC 9162 §2.1.1: HASH(0x01 || left || right)
    return sha256(b"\x01" + left + right)


def root_from_inclusion(index, size, leaf_h, path):
    """RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or None."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf_h
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def consistent(first, second, first_root, second_root, proof):
    """RFC 9162 §2.1.4.2."""
    if first == second:
        return not proof and first_root == second_root
    if first == 0 or first > second or not proof:
        return first == 0 and not proof
    if first & (first - 1) == 0:
        proof = [first_root] + proof
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


def parse_leaf(b):
    """The canonical event bytes of docs/audit.md, field by field."""
    if not b or b[0] != 1:
        raise ValueError("unknown canonical version")
    names = ["id", "stream", "revision", "type", "staff_id", "role", "project", "district",
             "occurred_at", "correlation_id", "causation_id", "data"]
    out, i = {}, 1
    for name in names:
        if name == "revision":
            out[name] = struct.unpack(">Q", b[i:i + 8])[0]
            i += 8
            continue
        (n,) = struct.unpack(">I", b[i:i + 4])
        out[name] = b[i + 4:i + 4 + n].decode("utf-8")
        i += 4 + n
    if i != len(b):
        raise ValueError("bytes left after the data")
    return out


def signature_ok(checkpoint, key):
    """TreeHeadDataV2 (RFC 9162 §4.10) signed with Ed25519, checked by openssl."""
    kid = hashlib.sha256(base64.b64decode(key["public_key_pem"].split("-----")[2])).hexdigest()
    if kid != key["key_id"] or checkpoint["key_id"] != key["key_id"]:
        return False
    msg = struct.pack(">QQB", checkpoint["timestamp"], checkpoint["tree_size"], 32)
    msg += bytes.fromhex(checkpoint["root_hash"]) + b"\x00\x00"
    with tempfile.TemporaryDirectory() as d:
        paths = {n: os.path.join(d, n) for n in ("key.pem", "msg", "sig")}
        open(paths["key.pem"], "w").write(key["public_key_pem"])
        open(paths["msg"], "wb").write(msg)
        open(paths["sig"], "wb").write(base64.b64decode(checkpoint["signature"]))
        r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["key.pem"], "-rawin",
                            "-in", paths["msg"], "-sigfile", paths["sig"]], capture_output=True)
        return r.returncode == 0


def get(args, path):
    req = urllib.request.Request(args.url.rstrip("/") + "/api/v1/" + path,
                                 headers={"Authorization": "Bearer " + args.token})
    with urllib.request.urlopen(req) as resp:
        return json.load(resp)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", required=True)
    ap.add_argument("--token", required=True)
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--record", help="RECORDS/ID, e.g. complaints/0192…")
    what.add_argument("--event", help="an event id")
    ap.add_argument("--key", help="the server's key, saved earlier (JSON of GET /api/v1/audit/key)")
    ap.add_argument("--checkpoint", help="a checkpoint saved earlier: prove the log extends it")
    args = ap.parse_args()

    key = json.load(open(args.key)) if args.key else get(args, "audit/key")
    if args.record:
        proof = get(args, args.record + "/proof")
        checkpoint, events = proof["checkpoint"], proof["events"]
    else:
        proof = get(args, "audit/proof?event=" + args.event)
        checkpoint = proof["checkpoint"]
        events = [dict(proof, id=args.event)]

    failures = 0
    if signature_ok(checkpoint, key):
        print("checkpoint: %d events, signed %s: signature OK" % (checkpoint["tree_size"], checkpoint["time"]))
    else:
        print("checkpoint: signature DOES NOT VERIFY")
        failures += 1
    root = bytes.fromhex(checkpoint["root_hash"])
    for e in events:
        leaf = base64.b64decode(e["leaf"])
        fields = parse_leaf(leaf)
        path = [bytes.fromhex(h) for h in e["audit_path"]]
        got = root_from_inclusion(e["leaf_index"], checkpoint["tree_size"], leaf_hash(leaf), path)
        ok = got == root and fields["id"] == e["id"]
        failures += not ok
        print("%s  leaf %-6d %s %s rev %d (%s, %s)" % ("OK  " if ok else "FAIL", e["leaf_index"], fields["id"],
                                                     fields["stream"], fields["revision"], fields["type"], fields["occurred_at"]))
    for pending in proof.get("pending", []):
        print("      pending: %s (recorded after the checkpoint)" % pending)
    if args.checkpoint:
        saved = json.load(open(args.checkpoint))
        if not signature_ok(saved, key):
            print("saved checkpoint: signature DOES NOT VERIFY")
            failures += 1
        else:
            c = get(args, "audit/consistency?first=%d&second=%d" % (saved["tree_size"], checkpoint["tree_size"]))
            ok = consistent(saved["tree_size"], checkpoint["tree_size"], bytes.fromhex(saved["root_hash"]), root,
                            [bytes.fromhex(h) for h in c["consistency_path"]])
            failures += not ok
            print("saved checkpoint of %d events: %s" % (saved["tree_size"],
                                                          "the log extends it" if ok else "NOT EXTENDED: history differs"))
    print("verified" if failures == 0 else "FAILED: %d problem(s)" % failures)
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
