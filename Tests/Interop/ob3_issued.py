#!/usr/bin/env python3
"""Insigne's own OB 3.0 credentials checked by software nobody here wrote (ISSUE13 point 5).

Runs in .venv-ob3 (`make ob3-deps`: openbadgeslib 4.6.3, PyLD 3.3.0). Talks to a running Insigne on 127.0.0.1 over
plain HTTP (the Admin API with a bearer token, then the public OB 3.0 URLs).

Commands (each prints one JSON object on stdout):
  award --base URL --token TOKEN --badge ID --email EMAIL
      POST /api/v1/badges/ID/assertions; prints the API's answer (id, "ob3" links…).
  revoke --base URL --token TOKEN --id ASSERTION --reason TEXT
      POST /api/v1/assertions/ASSERTION/revoke; prints the API's answer.
  check --json URL --jwt URL --contexts MAP.json
      Fetches the credential in both forms and the issuer's PUBLISHED keys (kid → JsonWebKey → PEM,
      verificationMethod → Multikey → PEM), then prints:
      {"jwt": verdict, "di": verdict, "status": verdict, "pyld": verdict, "credential": {...},
       "jwt_payload": {...}, "status_list": {...}}
      where a verdict is "valid" or "refused: why":
      jwt    openbadgeslib OB3Verifier(pem).verify(token) with the published RSA key;
      di     openbadgeslib OB3LdpVerifier(pem).verify(json) with the published Ed25519 key;
      status openbadgeslib check_credential_status(credential, download=<http fetch of 127.0.0.1>);
      pyld   PyLD URDNA2015 of the credential without proof and of the proof configuration (contexts only from
             MAP.json {url: file}), SHA-256 of both, Ed25519 verification of proofValue over proofHash‖docHash.
"""
import base64
import hashlib
import json
import sys
import urllib.request

from ob3_common import bundled_loader, options, public_pem

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _http(url, data=None, token=None):
    headers = {"Accept": "*/*"}
    if token:
        headers["Authorization"] = "Bearer " + token
    if data is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(data).encode()
    req = urllib.request.Request(url, data=data, headers=headers, method="POST" if data is not None else "GET")
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - loopback test server
        return resp.read()


def _b58decode(text):
    n = 0
    for ch in text:
        n = n * 58 + B58.index(ch)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + raw


def _b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _jwk_pem(jwk):
    from cryptography.hazmat.primitives.asymmetric import rsa

    if jwk.get("kty") != "RSA":
        raise ValueError("not an RSA JWK: %s" % jwk.get("kty"))
    n = int.from_bytes(_b64url(jwk["n"]), "big")
    e = int.from_bytes(_b64url(jwk["e"]), "big")
    return public_pem(rsa.RSAPublicNumbers(e, n).public_key())


def _ed25519_key(multikey):
    from cryptography.hazmat.primitives.asymmetric import ed25519

    if not multikey.startswith("z"):
        raise ValueError("not base58btc multibase")
    raw = _b58decode(multikey[1:])
    if raw[:2] != b"\xed\x01" or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return ed25519.Ed25519PublicKey.from_public_bytes(raw[2:])


def _document(url):
    return json.loads(_http(url.split("#")[0]))


def _verdict(body):
    try:
        body()
        return "valid"
    except Exception as exc:  # noqa: BLE001 - any refusal is the verdict
        return "refused: %s: %s" % (type(exc).__name__, exc)


def _pyld_check(credential, ed_key, contexts):
    from pyld import jsonld

    loader = bundled_loader(contexts)

    def canon(doc):
        nquads = jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                        "documentLoader": loader})
        return hashlib.sha256(nquads.encode("utf-8")).digest()

    proofs = credential["proof"]
    proof = proofs[0] if isinstance(proofs, list) else proofs
    if proof.get("cryptosuite") != "eddsa-rdfc-2022":
        raise ValueError("cryptosuite %s" % proof.get("cryptosuite"))
    document = {k: v for k, v in credential.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"}
    config["@context"] = credential["@context"]
    signature = _b58decode(proof["proofValue"][1:])
    ed_key.verify(signature, canon(config) + canon(document))  # raises InvalidSignature


def check(opts):
    from openbadgeslib.ob3 import OB3LdpVerifier, OB3Verifier, check_credential_status

    with open(opts["--contexts"]) as f:
        contexts = json.load(f)
    source = opts["--json"]  # a URL, or the file a holder kept
    if source.startswith("http"):
        text = _http(source).decode("utf-8")
    else:
        with open(source, encoding="utf-8") as f:
            text = f.read()
    credential = json.loads(text)
    token = _http(opts["--jwt"]).decode("utf-8").strip()
    header = json.loads(_b64url(token.split(".")[0]))
    payload = json.loads(_b64url(token.split(".")[1]))
    rsa_pem = _jwk_pem(_document(header["kid"])["publicKeyJwk"])
    proof = credential["proof"][0] if isinstance(credential["proof"], list) else credential["proof"]
    ed_key = _ed25519_key(_document(proof["verificationMethod"])["publicKeyMultibase"])
    ed_pem = public_pem(ed_key)
    result = {"credential": credential, "jwt_payload": payload}
    verified = {}

    def jwt():
        verified["jwt"] = OB3Verifier(rsa_pem).verify(token)

    def di():
        verified["di"] = OB3LdpVerifier(ed_pem).verify(text)

    result["jwt"] = _verdict(jwt)
    result["di"] = _verdict(di)
    # openbadgeslib's own download is HTTPS-only: the list is fetched here from 127.0.0.1 over plain HTTP.
    parsed = verified.get("jwt") or verified.get("di")
    result["status"] = _verdict(lambda: check_credential_status(parsed, download=_http)) if parsed else \
        "refused: no verified credential"
    entry = credential.get("credentialStatus")
    entry = entry[0] if isinstance(entry, list) else entry
    result["status_list"] = json.loads(_http(entry["statusListCredential"])) if entry else None
    result["pyld"] = _verdict(lambda: _pyld_check(credential, ed_key, contexts))
    return result


def main(argv):
    if not argv or argv[0] not in ("award", "revoke", "check"):
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "award":
        o = options(args, ["--base", "--token", "--badge", "--email"])
        out = json.loads(_http("%s/api/v1/badges/%s/assertions" % (o["--base"], o["--badge"]),
                               {"recipient": {"email": o["--email"]}}, o["--token"]))
    elif cmd == "revoke":
        o = options(args, ["--base", "--token", "--id", "--reason"])
        out = json.loads(_http("%s/api/v1/assertions/%s/revoke" % (o["--base"], o["--id"]),
                               {"reason": o["--reason"]}, o["--token"]))
    else:
        out = check(options(args, ["--json", "--jwt", "--contexts"]))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
