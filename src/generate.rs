//! Shell completions and the man page, rendered from the clap definition.
//! They are committed under `completions/` and `man/`; the `generated`
//! integration test renders them again and fails when a committed file is
//! stale (`UPDATE_GENERATED=1` rewrites them). Nothing here depends on the
//! date or the build path, so the files only change when the CLI does.

use clap::CommandFactory;
use clap_complete::Shell;
use roff::{Roff, bold, italic, roman};

use crate::cli::Cli;

/// The binary's name, as completions and the man page know it.
pub const BIN: &str = "start-delivery-stream-encryption";

/// The shells completions are generated for, with the committed file name.
pub const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "start-delivery-stream-encryption.bash"),
    (Shell::Zsh, "_start-delivery-stream-encryption"),
    (Shell::Fish, "start-delivery-stream-encryption.fish"),
    (Shell::PowerShell, "_start-delivery-stream-encryption.ps1"),
    (Shell::Elvish, "start-delivery-stream-encryption.elv"),
];

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut out);
    out
}

/// The man page (roff), section 1.
pub fn man_page() -> Vec<u8> {
    let man = clap_mangen::Man::new(Cli::command())
        .date("")
        .source(format!("{BIN} {}", env!("CARGO_PKG_VERSION")))
        .manual("User Commands");
    let mut out = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);
    out.extend(extra_sections().render().into_bytes());
    out
}

fn section(r: &mut Roff, title: &str) {
    r.control("SH", [title]);
}

fn paragraph(r: &mut Roff, text: &str) {
    r.control("PP", []).text([roman(text)]);
}

fn example(r: &mut Roff, what: &str, command: &str) {
    r.control("PP", []).text([roman(what)]);
    r.control("RS", ["4"])
        .control("nf", [])
        .text([bold(command)])
        .control("fi", [])
        .control("RE", []);
}

fn entry(r: &mut Roff, term: &str, text: &str) {
    r.control("TP", []).text([bold(term)]).text([roman(text)]);
}

fn extra_sections() -> Roff {
    let mut r = Roff::new();
    section(&mut r, "ASYNCHRONOUS BEHAVIOUR");
    paragraph(
        &mut r,
        "The call returns at once. The stream's encryption status becomes ENABLING, then ENABLED, or \
         ENABLING_FAILED if the key cannot be used; a failed key change leaves the previous key in force. \
         With --wait the command polls DescribeDeliveryStream until the status settles. The operation \
         applies only to Direct PUT streams: a stream with a Kinesis data stream as its source is \
         protected by that source stream's encryption (aws kinesis start-stream-encryption).",
    );
    paragraph(
        &mut r,
        "Start and stop calls share a budget of 25 per delivery stream in any 24 hours. Calling start \
         on an encrypted stream switches its key or key type.",
    );
    section(&mut r, "SHORTHAND AND JSON SYNTAX");
    paragraph(&mut r, "The structure option takes AWS shorthand syntax:");
    r.control("RS", ["4"])
        .text([bold(
            "KeyARN=string,KeyType=AWS_OWNED_CMK|CUSTOMER_MANAGED_CMK",
        )])
        .control("RE", []);
    paragraph(&mut r, "or JSON:");
    r.control("RS", ["4"])
        .text([bold(
            r#"{"KeyARN": "string", "KeyType": "AWS_OWNED_CMK"|"CUSTOMER_MANAGED_CMK"}"#,
        )])
        .control("RE", []);
    paragraph(
        &mut r,
        "or file://PATH holding either. In shorthand, values may be quoted with ' or \", a comma inside \
         a value is written \\, and KeyARN@=file://PATH reads the value from a file. Any option value \
         may be file://PATH (text) or fileb://PATH (bytes).",
    );
    section(&mut r, "EXAMPLES");
    example(
        &mut r,
        "Encrypt with an AWS owned key:",
        "start-delivery-stream-encryption --delivery-stream-name my-stream",
    );
    example(
        &mut r,
        "Encrypt with a customer managed key and wait until it is enabled:",
        "start-delivery-stream-encryption --delivery-stream-name my-stream \\\n  --delivery-stream-encryption-configuration-input \\\n  KeyType=CUSTOMER_MANAGED_CMK,KeyARN=arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab \\\n  --wait",
    );
    example(
        &mut r,
        "Template a request, fill it in, send it:",
        "start-delivery-stream-encryption --generate-cli-skeleton > request.json\nstart-delivery-stream-encryption --cli-input-json file://request.json",
    );
    section(&mut r, "EXIT STATUS");
    for (code, text) in [
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
            "Anything else: connection failure, timeout, or --wait ending in ENABLING_FAILED or a timeout.",
        ),
    ] {
        entry(&mut r, code, text);
    }
    section(&mut r, "ENVIRONMENT");
    for (name, text) in [
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
    ] {
        entry(&mut r, name, text);
    }
    section(&mut r, "SEE ALSO");
    r.text([
        italic("aws"),
        roman("(1): aws firehose start-delivery-stream-encryption, aws firehose stop-delivery-stream-encryption, aws firehose describe-delivery-stream, aws kinesis start-stream-encryption."),
    ]);
    r
}
