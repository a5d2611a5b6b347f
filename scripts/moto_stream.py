#!/usr/bin/env python3
"""Create and inspect Firehose delivery streams on a local moto_server.

    moto_stream.py [--endpoint-url URL] create NAME [--type DirectPut|KinesisStreamAsSource]
    moto_stream.py [--endpoint-url URL] describe NAME
    moto_stream.py [--endpoint-url URL] create-kinesis NAME
    moto_stream.py [--endpoint-url URL] describe-kinesis NAME
    moto_stream.py [--endpoint-url URL] encrypt NAME [--key-arn ARN]
    moto_stream.py [--endpoint-url URL] encrypt-kinesis NAME KEYID

--endpoint-url defaults to $MOTO_ENDPOINT and must be a loopback address:
this helper never talks to AWS. The region comes from $AWS_REGION
(default us-east-1); credentials from the environment (scripts/lib/moto.sh sets
fake ones).

`create` gives the stream a complete ExtendedS3 destination (compression,
buffering hints, encryption configuration): moto leaves out whatever it is
not given, and the Rust SDK then fails to parse DescribeDeliveryStream.
For KinesisStreamAsSource it first creates the Kinesis data stream
NAME-source (or reuses it) and uses it as the source. It prints the
delivery stream's ARN.

`describe` prints DeliveryStreamDescription.DeliveryStreamEncryptionConfiguration
as 4-space-indented JSON, or `null` when the stream has none.

`encrypt` and `encrypt-kinesis` change a stream with boto3, not with the
tool (a change behind a plan's back): StartDeliveryStreamEncryption with the
AWS owned key, or the customer managed key ARN; StartStreamEncryption with
KMS and KEYID. They print nothing.
"""

import argparse
import ipaddress
import json
import os
import sys
import time
import urllib.parse

ACCOUNT_ROLE_ARN = "arn:aws:iam::123456789012:role/firehose"
BUCKET_ARN = "arn:aws:s3:::demo-bucket"
PROG = "moto_stream.py"


class Failure(Exception):
    """An error worth one line on stderr and exit status 1."""


def loopback_endpoint(url):
    """Return url if its host is a loopback address, else raise Failure."""
    parsed = urllib.parse.urlsplit(url)
    host = parsed.hostname or ""
    if parsed.scheme not in ("http", "https") or not host:
        raise Failure("--endpoint-url must be an http(s) URL, got %r" % url)
    if host != "localhost":
        try:
            if not ipaddress.ip_address(host).is_loopback:
                raise ValueError
        except ValueError:
            raise Failure(
                "refusing endpoint %r: only loopback addresses are allowed" % url
            ) from None
    return url


def clients(endpoint_url, *services):
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise Failure(
            "boto3 is not installed (it comes with moto: "
            "source scripts/lib/moto.sh and run moto_ensure_installed)"
        ) from None
    # Never route the local emulator through a proxy from the environment.
    for var in ("NO_PROXY", "no_proxy"):
        current = os.environ.get(var, "")
        os.environ[var] = "127.0.0.1,localhost,::1" + ("," + current if current else "")
    region = os.environ.get("AWS_REGION") or "us-east-1"
    config = Config(
        retries={"max_attempts": 2, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
    )
    session = boto3.session.Session(region_name=region)
    return [
        session.client(service, endpoint_url=endpoint_url, config=config)
        for service in services
    ]


def ensure_kinesis_stream(kinesis, name):
    """Create the Kinesis data stream `name` (if needed); return its ARN."""
    try:
        kinesis.create_stream(StreamName=name, ShardCount=1)
    except kinesis.exceptions.ResourceInUseException:
        pass  # already there: reuse it
    deadline = time.monotonic() + 30
    while True:
        summary = kinesis.describe_stream_summary(StreamName=name)[
            "StreamDescriptionSummary"
        ]
        if summary["StreamStatus"] == "ACTIVE":
            return summary["StreamARN"]
        if time.monotonic() >= deadline:
            raise Failure("Kinesis stream %s is still %s" % (name, summary["StreamStatus"]))
        time.sleep(0.2)


def create(endpoint_url, name, stream_type):
    firehose, kinesis = clients(endpoint_url, "firehose", "kinesis")
    request = {
        "DeliveryStreamName": name,
        "DeliveryStreamType": stream_type,
        "ExtendedS3DestinationConfiguration": {
            "RoleARN": ACCOUNT_ROLE_ARN,
            "BucketARN": BUCKET_ARN,
            "CompressionFormat": "UNCOMPRESSED",
            "BufferingHints": {"SizeInMBs": 5, "IntervalInSeconds": 300},
            "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"},
        },
    }
    if stream_type == "KinesisStreamAsSource":
        source_arn = ensure_kinesis_stream(kinesis, name + "-source")
        request["KinesisStreamSourceConfiguration"] = {
            "KinesisStreamARN": source_arn,
            "RoleARN": ACCOUNT_ROLE_ARN,
        }
    response = firehose.create_delivery_stream(**request)
    print(response["DeliveryStreamARN"])


def describe(endpoint_url, name):
    (firehose,) = clients(endpoint_url, "firehose")
    description = firehose.describe_delivery_stream(DeliveryStreamName=name)[
        "DeliveryStreamDescription"
    ]
    config = description.get("DeliveryStreamEncryptionConfiguration")
    print(json.dumps(config, indent=4, default=str))


def create_kinesis(endpoint_url, name):
    (kinesis,) = clients(endpoint_url, "kinesis")
    print(ensure_kinesis_stream(kinesis, name))


def describe_kinesis(endpoint_url, name):
    (kinesis,) = clients(endpoint_url, "kinesis")
    summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
    keep = ("StreamStatus", "EncryptionType", "KeyId")
    print(json.dumps({k: summary[k] for k in keep if k in summary}, indent=4))


def encrypt(endpoint_url, name, key_arn):
    (firehose,) = clients(endpoint_url, "firehose")
    config = {"KeyType": "AWS_OWNED_CMK"}
    if key_arn:
        config = {"KeyType": "CUSTOMER_MANAGED_CMK", "KeyARN": key_arn}
    firehose.start_delivery_stream_encryption(
        DeliveryStreamName=name, DeliveryStreamEncryptionConfigurationInput=config
    )


def encrypt_kinesis(endpoint_url, name, key_id):
    (kinesis,) = clients(endpoint_url, "kinesis")
    kinesis.start_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId=key_id)


def parse_args(argv):
    # --endpoint-url is accepted before or after the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--endpoint-url",
        default=argparse.SUPPRESS,
        help="moto_server URL (default: $MOTO_ENDPOINT); loopback only",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Create and inspect Firehose delivery streams on a local moto_server.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    create_parser = commands.add_parser(
        "create", parents=[common], help="create a delivery stream"
    )
    create_parser.add_argument("name", metavar="NAME")
    create_parser.add_argument(
        "--type",
        dest="stream_type",
        choices=["DirectPut", "KinesisStreamAsSource"],
        default="DirectPut",
        help="DeliveryStreamType (default: DirectPut)",
    )
    describe_parser = commands.add_parser(
        "describe",
        parents=[common],
        help="print the stream's DeliveryStreamEncryptionConfiguration as JSON",
    )
    describe_parser.add_argument("name", metavar="NAME")
    kinesis_create = commands.add_parser(
        "create-kinesis", parents=[common], help="create a Kinesis data stream; print its ARN"
    )
    kinesis_create.add_argument("name", metavar="NAME")
    kinesis_describe = commands.add_parser(
        "describe-kinesis",
        parents=[common],
        help="print the data stream's StreamStatus, EncryptionType and KeyId as JSON",
    )
    kinesis_describe.add_argument("name", metavar="NAME")
    encrypt_parser = commands.add_parser(
        "encrypt", parents=[common], help="start a delivery stream's encryption with boto3"
    )
    encrypt_parser.add_argument("name", metavar="NAME")
    encrypt_parser.add_argument(
        "--key-arn", help="a customer managed key (default: the AWS owned key)"
    )
    kinesis_encrypt = commands.add_parser(
        "encrypt-kinesis", parents=[common], help="start a data stream's encryption with boto3"
    )
    kinesis_encrypt.add_argument("name", metavar="NAME")
    kinesis_encrypt.add_argument("key_id", metavar="KEYID")
    args = parser.parse_args(argv)
    endpoint = getattr(args, "endpoint_url", None) or os.environ.get("MOTO_ENDPOINT")
    if not endpoint:
        parser.error("no endpoint: pass --endpoint-url URL or set MOTO_ENDPOINT")
    args.endpoint_url = endpoint
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        endpoint = loopback_endpoint(args.endpoint_url)
        if args.command == "create":
            create(endpoint, args.name, args.stream_type)
        elif args.command == "create-kinesis":
            create_kinesis(endpoint, args.name)
        elif args.command == "describe-kinesis":
            describe_kinesis(endpoint, args.name)
        elif args.command == "encrypt":
            encrypt(endpoint, args.name, args.key_arn)
        elif args.command == "encrypt-kinesis":
            encrypt_kinesis(endpoint, args.name, args.key_id)
        else:
            describe(endpoint, args.name)
    except Failure as error:
        print("%s: error: %s" % (PROG, error), file=sys.stderr)
        return 1
    except Exception as error:  # botocore ClientError, connection errors, ...
        print(
            "%s: error: %s failed: %s: %s"
            % (PROG, args.command, type(error).__name__, error),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
