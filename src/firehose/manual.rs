//! The man page's sections after OPTIONS, as data for `generate`.

use crate::generate::Block;

/// ASYNCHRONOUS BEHAVIOUR, SHORTHAND AND JSON SYNTAX, EXAMPLES, FLEET RUNS, EXIT
/// STATUS, ENVIRONMENT, SEE ALSO.
pub const MANUAL: &[Block] = &[
    Block::Section("ASYNCHRONOUS BEHAVIOUR"),
    Block::Para(
        "The call returns at once. The stream's encryption status becomes ENABLING, then ENABLED, or \
         ENABLING_FAILED if the key cannot be used; a failed key change leaves the previous key in force. \
         With --wait the command polls DescribeDeliveryStream until the status settles. The operation \
         applies only to Direct PUT streams: a stream with a Kinesis data stream as its source is \
         protected by that source stream's encryption (aws kinesis start-stream-encryption).",
    ),
    Block::Para(
        "Start and stop calls share a budget of 25 per delivery stream in any 24 hours. Calling start \
         on an encrypted stream switches its key or key type.",
    ),
    Block::Section("SHORTHAND AND JSON SYNTAX"),
    Block::Para("The structure option takes AWS shorthand syntax:"),
    Block::Code("KeyARN=string,KeyType=AWS_OWNED_CMK|CUSTOMER_MANAGED_CMK"),
    Block::Para("or JSON:"),
    Block::Code(r#"{"KeyARN": "string", "KeyType": "AWS_OWNED_CMK"|"CUSTOMER_MANAGED_CMK"}"#),
    Block::Para(
        "or file://PATH holding either. In shorthand, values may be quoted with ' or \", a comma inside \
         a value is written \\, and KeyARN@=file://PATH reads the value from a file. Any option value \
         may be file://PATH (text) or fileb://PATH (bytes).",
    ),
    Block::Section("EXAMPLES"),
    Block::Example(
        "Encrypt with an AWS owned key:",
        "start-delivery-stream-encryption --delivery-stream-name my-stream",
    ),
    Block::Example(
        "Encrypt with a customer managed key and wait until it is enabled:",
        "start-delivery-stream-encryption --delivery-stream-name my-stream \\\n  --delivery-stream-encryption-configuration-input \\\n  KeyType=CUSTOMER_MANAGED_CMK,KeyARN=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab \\\n  --wait",
    ),
    Block::Example(
        "Template a request, fill it in, send it:",
        "start-delivery-stream-encryption --generate-cli-skeleton > request.json\nstart-delivery-stream-encryption --cli-input-json file://request.json",
    ),
    Block::Section("FLEET RUNS"),
    Block::Para(
        "--all-delivery-streams or --delivery-stream-names-from selects many streams; --dry-run and \
         --encrypt-kinesis-sources also work with one --delivery-stream-name. Each stream is described; \
         one that already has the wanted key (or, with no key named, any key) gets no call. A Direct PUT \
         stream is started; a stream fed by a Kinesis data stream is protected by starting its source's \
         encryption (--encrypt-kinesis-sources, once per source). At most --max-concurrency calls are \
         in flight; throttling is retried by the SDK's adaptive retry mode. stdout holds one document, \
         {\"DeliveryStreams\": [...]}, an entry per stream in name order; on a terminal a progress display \
         and a summary table go to stderr.",
    ),
    Block::Example(
        "Audit, then encrypt every stream of the region, Kinesis sources included:",
        "start-delivery-stream-encryption --all-delivery-streams --dry-run\nstart-delivery-stream-encryption --all-delivery-streams --encrypt-kinesis-sources --wait",
    ),
    Block::Section("EXIT STATUS"),
    Block::Entries(&[
        (
            "0",
            "Success. Nothing is printed unless --wait is given. In fleet mode: every stream ends encrypted at rest.",
        ),
        (
            "1",
            "Fleet mode: a stream failed, was refused or is left unencrypted (with --dry-run: something would change).",
        ),
        (
            "130",
            "Interrupted (Ctrl-C). In fleet mode the entries so far are printed first.",
        ),
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
            "Anything else: connection failure, timeout, or --wait ending in ENABLING_FAILED or a timeout.",
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
            "AWS_ENDPOINT_URL_FIREHOSE, AWS_ENDPOINT_URL",
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
        "(1): aws firehose start-delivery-stream-encryption, aws firehose stop-delivery-stream-encryption, aws firehose describe-delivery-stream, aws kinesis start-stream-encryption.",
    ),
];
