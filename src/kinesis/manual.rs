//! The man page's sections after OPTIONS, as data for `generate`.

use crate::generate::Block;

/// ASYNCHRONOUS BEHAVIOUR, EXAMPLES, EXIT STATUS, ENVIRONMENT, SEE ALSO.
pub const MANUAL: &[Block] = &[
    Block::Section("ASYNCHRONOUS BEHAVIOUR"),
    Block::Para(
        "The call returns at once and the stream's status becomes UPDATING; once it is ACTIVE again, \
         records written to it are encrypted with the key. With --wait the command polls \
         DescribeStreamSummary until the stream is ACTIVE with EncryptionType KMS and the requested KeyId.",
    ),
    Block::Para(
        "A stream can take a new KMS key 25 times in a rolling 24 hours. The stream must be ACTIVE for \
         the call to be accepted.",
    ),
    Block::Section("EXAMPLES"),
    Block::Example(
        "Encrypt with the key owned by Kinesis Data Streams:",
        "start-stream-encryption --stream-name my-stream --encryption-type KMS --key-id alias/aws/kinesis",
    ),
    Block::Example(
        "Encrypt a stream given by ARN with a customer managed key and wait until it is done:",
        "start-stream-encryption --stream-arn arn:aws:kinesis:us-east-1:123456789012:stream/my-stream \\\n  --encryption-type KMS \\\n  --key-id arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab --wait",
    ),
    Block::Section("EXIT STATUS"),
    Block::Entries(&[
        ("0", "Success. Nothing is printed unless --wait is given."),
        ("130", "Interrupted (Ctrl-C)."),
        (
            "252",
            "Bad command line or parameter value; nothing was sent.",
        ),
        (
            "253",
            "Configuration problem: no region, no credentials, an unknown profile, a bad setting.",
        ),
        ("254", "The service returned an error."),
        (
            "255",
            "Anything else: connection failure, timeout, or --wait timing out.",
        ),
    ]),
    Block::Section("ENVIRONMENT"),
    Block::Entries(&[
        ("AWS_PROFILE", "Profile to use (--profile overrides)."),
        (
            "AWS_REGION, AWS_DEFAULT_REGION",
            "Region (--region overrides).",
        ),
        (
            "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN",
            "Credentials.",
        ),
        (
            "AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE",
            "Locations of the config and credentials files.",
        ),
        (
            "AWS_ENDPOINT_URL_KINESIS, AWS_ENDPOINT_URL",
            "Endpoint (--endpoint-url overrides).",
        ),
        ("AWS_CA_BUNDLE", "CA bundle (--ca-bundle overrides)."),
        (
            "AWS_MAX_ATTEMPTS, AWS_RETRY_MODE",
            "Retry attempts and mode (standard, adaptive, legacy).",
        ),
        ("AWS_DEFAULT_OUTPUT", "Output format (--output overrides)."),
        (
            "AWS_CLI_ERROR_FORMAT",
            "Error format (--cli-error-format overrides).",
        ),
        (
            "AWS_EC2_METADATA_DISABLED",
            "Set to true to skip the EC2 instance metadata credential lookup.",
        ),
        ("NO_COLOR", "Disables colour with --color auto."),
    ]),
    Block::Section("SEE ALSO"),
    Block::SeeAlso(
        "(1): aws kinesis start-stream-encryption, aws kinesis stop-stream-encryption, aws kinesis describe-stream-summary, start-delivery-stream-encryption(1).",
    ),
];
