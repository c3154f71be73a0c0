"""The "sign my policy" backend from the Fine Uploader thread our users came from
(../shared/seeds/001_de9817de039722a3.txt), kept as that answer wrote it: it finds the date by calling
.keys() on each condition until one names x-amz-date, re-encodes the policy with json.dumps, and signs
the base64 text with the SigV4 signing key. The kit must work with a backend written like this.

Reads the request body (the policy document as JSON) on stdin and prints { policy, signature }.
The secret and region come from the environment, as they would on a server.
"""
import base64
import binascii
import hashlib
import hmac
import json
import os
import sys

AWS_CLIENT_SECRET_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]
S3_REGION_NAME = os.environ["S3_REGION"]


def sign_sha256(key, msg):
    if isinstance(msg, str):
        msg = msg.encode("utf-8")
    return hmac.new(key, msg, hashlib.sha256).digest()


def generate_key(secret_key, region, service, date):
    init_key = ("AWS4" + secret_key).encode("utf-8")
    date_key = sign_sha256(init_key, date)
    region_key = sign_sha256(date_key, region)
    service_key = sign_sha256(region_key, service)
    return sign_sha256(service_key, "aws4_request")


def get_condition(list_of_dicts, condition):
    for d in list_of_dicts:
        for k in d.keys():
            if condition in k:
                return d.get(k)


def sign_policy(policy):
    policy_data = json.loads(policy)
    yyyymmdd = get_condition(policy_data["conditions"], "x-amz-date")[:8]
    encoded_policy = base64.b64encode(bytearray(json.dumps(policy_data), "utf-8"))
    signing_key = generate_key(AWS_CLIENT_SECRET_KEY, S3_REGION_NAME, "s3", yyyymmdd)
    signature = sign_sha256(signing_key, encoded_policy.decode("utf-8"))
    return {
        "policy": encoded_policy.decode("utf-8"),
        "signature": binascii.hexlify(signature).decode("utf-8"),
    }


if __name__ == "__main__":
    print(json.dumps(sign_policy(sys.stdin.read())))
