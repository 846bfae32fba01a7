"""Helpers shared by the OB 3.0 interop scripts (ob3_reference.py, ob3_issued.py), run in .venv-ob3.

- bundled_loader(contexts): a PyLD document loader answering ONLY the context URLs of {url: file}, never the
  network (a trailing '#' ignored; each file read once, a fresh copy per load).
- public_pem(key): a cryptography public key as SubjectPublicKeyInfo PEM bytes.
- options(args, names, required): "--name value" pairs, refusing unknown names (and missing ones if required).
"""
import copy
import json


def bundled_loader(contexts):
    from pyld import jsonld

    cache = {}

    def loader(url, options=None):
        key = url[:-1] if url.endswith("#") else url
        if key not in contexts:
            raise jsonld.JsonLdError("context not bundled: " + url, "jsonld.LoadDocumentError",
                                     code="loading remote context failed")
        if key not in cache:
            with open(contexts[key], encoding="utf-8") as f:
                cache[key] = json.load(f)
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": copy.deepcopy(cache[key])}

    return loader


def public_pem(public_key):
    from cryptography.hazmat.primitives import serialization as ser

    return public_key.public_bytes(ser.Encoding.PEM, ser.PublicFormat.SubjectPublicKeyInfo)


def options(args, names, required=True):
    opts = {}
    for i in range(0, len(args) - 1, 2):
        if args[i] not in names:
            raise SystemExit("unknown option " + args[i])
        opts[args[i]] = args[i + 1]
    missing = [n for n in names if n not in opts]
    if required and missing:
        raise SystemExit("missing " + ", ".join(missing))
    return opts
