#!/usr/bin/env python3
"""Play a small AWS Organization on a local moto_server, and read it back.

    moto_org.py [--endpoint-url URL] setup --members N --prefix P
                [--regions R1,R2] [--streams N] [--kinesis N]
    moto_org.py [--endpoint-url URL] unencrypted --accounts ID,ID --regions R1,R2
    moto_org.py [--endpoint-url URL] credentials --account ID

`setup` makes the caller's account (moto's default, 123456789012) the
management account of an organization (created once, reused), creates N
member accounts named P-1..P-N (reused when they exist), and in every
account (the management's own included) and region creates Direct PUT
delivery streams P-s1.. and Kinesis data streams P-k1.., unencrypted, through
credentials from sts:AssumeRole into the account's
OrganizationAccountAccessRole, which moto maps to that account. It prints
{"management": ID, "members": [{"id": ID, "name": NAME}, ...]}.

`unencrypted` prints, as JSON, every Direct PUT delivery stream and Kinesis
data stream of those accounts and regions that is not encrypted at rest:
[{"account", "region", "kind", "name"}]. It reads the emulator with boto3,
independently of the tool.

`credentials` prints the credentials another client (Cloud Custodian)
reaches that account with on the emulator: {"AccessKeyId", "SecretAccessKey",
"SessionToken"} from sts:AssumeRole into its OrganizationAccountAccessRole,
or the caller's own keys (SessionToken null) for the management account.

--endpoint-url defaults to $MOTO_ENDPOINT and must be a loopback address:
this helper never talks to AWS. Credentials come from the environment
(scripts/lib/moto.sh sets fake ones).
"""

import argparse
import ipaddress
import json
import os
import sys
from urllib.parse import urlparse

import boto3

MANAGEMENT = "123456789012"
ROLE = "OrganizationAccountAccessRole"


def loopback(url):
    host = urlparse(url).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def assumed(endpoint, region, account):
    sts = boto3.client("sts", endpoint_url=endpoint, region_name=region)
    return sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="moto-org"
    )["Credentials"]


def client(service, endpoint, region, account=None):
    kwargs = {"endpoint_url": endpoint, "region_name": region}
    if account and account != MANAGEMENT:
        creds = assumed(endpoint, region, account)
        kwargs.update(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
    return boto3.client(service, **kwargs)


def organization(endpoint):
    org = client("organizations", endpoint, "us-east-1")
    try:
        org.describe_organization()
    except org.exceptions.AWSOrganizationsNotInUseException:
        org.create_organization(FeatureSet="ALL")
    return org


def members(org, prefix, count):
    existing = {}
    for page in org.get_paginator("list_accounts").paginate():
        for a in page["Accounts"]:
            existing[a["Name"]] = a["Id"]
    out = []
    for i in range(1, count + 1):
        name = f"{prefix}-{i}"
        if name not in existing:
            status = org.create_account(Email=f"{name}@example.com", AccountName=name)
            existing[name] = status["CreateAccountStatus"]["AccountId"]
        out.append({"id": existing[name], "name": name})
    return out


def delivery_stream(firehose, name):
    firehose.create_delivery_stream(
        DeliveryStreamName=name,
        DeliveryStreamType="DirectPut",
        ExtendedS3DestinationConfiguration={
            "RoleARN": "arn:aws:iam::123456789012:role/firehose",
            "BucketARN": "arn:aws:s3:::demo-bucket",
            "CompressionFormat": "UNCOMPRESSED",
            "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 300},
            "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"},
        },
    )


def setup(args):
    org = organization(args.endpoint_url)
    accounts = members(org, args.prefix, args.members)
    for account in [MANAGEMENT] + [a["id"] for a in accounts]:
        for region in args.regions.split(","):
            firehose = client("firehose", args.endpoint_url, region, account)
            have = set(firehose.list_delivery_streams(Limit=10000)["DeliveryStreamNames"])
            for i in range(1, args.streams + 1):
                name = f"{args.prefix}-s{i}"
                if name not in have:
                    delivery_stream(firehose, name)
            kinesis = client("kinesis", args.endpoint_url, region, account)
            have = set(kinesis.list_streams(Limit=10000)["StreamNames"])
            for i in range(1, args.kinesis + 1):
                name = f"{args.prefix}-k{i}"
                if name not in have:
                    kinesis.create_stream(StreamName=name, ShardCount=1)
    json.dump({"management": MANAGEMENT, "members": accounts}, sys.stdout)
    print()


def unencrypted(args):
    found = []
    for account in args.accounts.split(","):
        for region in args.regions.split(","):
            firehose = client("firehose", args.endpoint_url, region, account)
            names = firehose.list_delivery_streams(Limit=10000)["DeliveryStreamNames"]
            for name in names:
                d = firehose.describe_delivery_stream(DeliveryStreamName=name)
                d = d["DeliveryStreamDescription"]
                if d["DeliveryStreamType"] != "DirectPut":
                    continue
                enc = d.get("DeliveryStreamEncryptionConfiguration") or {}
                if enc.get("Status") not in ("ENABLED", "ENABLING"):
                    found.append(
                        {"account": account, "region": region, "kind": "firehose", "name": name}
                    )
            kinesis = client("kinesis", args.endpoint_url, region, account)
            for name in kinesis.list_streams(Limit=10000)["StreamNames"]:
                s = kinesis.describe_stream_summary(StreamName=name)
                if s["StreamDescriptionSummary"].get("EncryptionType") != "KMS":
                    found.append(
                        {"account": account, "region": region, "kind": "kinesis", "name": name}
                    )
    json.dump(found, sys.stdout)
    print()


def credentials(args):
    if args.account == MANAGEMENT:
        keys = boto3.session.Session().get_credentials().get_frozen_credentials()
        out = {
            "AccessKeyId": keys.access_key,
            "SecretAccessKey": keys.secret_key,
            "SessionToken": keys.token,
        }
    else:
        creds = assumed(args.endpoint_url, "us-east-1", args.account)
        out = {k: creds[k] for k in ("AccessKeyId", "SecretAccessKey", "SessionToken")}
    json.dump(out, sys.stdout)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint-url", default=os.environ.get("MOTO_ENDPOINT"))
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--members", type=int, default=2)
    s.add_argument("--prefix", required=True)
    s.add_argument("--regions", default="us-east-1")
    s.add_argument("--streams", type=int, default=2)
    s.add_argument("--kinesis", type=int, default=0)
    u = sub.add_parser("unencrypted")
    u.add_argument("--accounts", required=True)
    u.add_argument("--regions", required=True)
    c = sub.add_parser("credentials")
    c.add_argument("--account", required=True)
    args = parser.parse_args()
    if not args.endpoint_url or not loopback(args.endpoint_url):
        sys.exit(f"moto_org.py: {args.endpoint_url!r} is not a loopback endpoint")
    commands = {"setup": setup, "unencrypted": unencrypted, "credentials": credentials}
    commands[args.command](args)


if __name__ == "__main__":
    main()
