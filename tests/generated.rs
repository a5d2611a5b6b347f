//! The committed completions and man page are exactly what the current CLI
//! definition renders. `UPDATE_GENERATED=1 cargo test --test generated`
//! rewrites them (and still fails, so a stale file never passes silently).

use std::path::Path;

use clap::CommandFactory;
use start_delivery_stream_encryption::firehose::Firehose;
use start_delivery_stream_encryption::generate;
use start_delivery_stream_encryption::kinesis::Kinesis;
use start_delivery_stream_encryption::operation::Operation;

/// Completions of operation `O`: (committed path, fresh rendering).
fn completions_of<O: Operation>() -> Vec<(String, Vec<u8>)> {
    generate::SHELLS
        .iter()
        .map(|shell| {
            (
                format!("completions/{}", generate::completion_file(*shell, O::BIN)),
                generate::completions(O::Cli::command(), O::BIN, *shell),
            )
        })
        .collect()
}

/// The man page of operation `O`: (committed path, fresh rendering).
fn man_page_of<O: Operation>() -> (String, Vec<u8>) {
    (
        format!("man/{}.1", O::BIN),
        generate::man_page(O::Cli::command(), O::BIN, O::MANUAL),
    )
}

/// Compare each committed file with its fresh rendering; rewrite the stale
/// ones when asked; fail naming every stale file.
fn ensure_fresh(files: &[(String, Vec<u8>)]) {
    let update = std::env::var_os("UPDATE_GENERATED").is_some();
    let mut stale = Vec::new();
    for (relative, expected) in files {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        if std::fs::read(&path).ok().as_ref() == Some(expected) {
            continue;
        }
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, expected).unwrap();
        }
        stale.push(relative.clone());
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: {}",
        if update {
            "rewritten now, review and commit them"
        } else {
            "run `UPDATE_GENERATED=1 cargo test --test generated` and commit the result"
        }
    );
}

#[test]
fn completions_are_fresh() {
    ensure_fresh(&completions_of::<Firehose>());
    ensure_fresh(&completions_of::<Kinesis>());
}

#[test]
fn man_page_is_fresh() {
    ensure_fresh(&[man_page_of::<Firehose>(), man_page_of::<Kinesis>()]);
}

#[test]
fn man_page_renders_with_man_and_has_the_sections_users_expect() {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("man/start-delivery-stream-encryption.1");
    let rendered = String::from_utf8_lossy(&man_page_of::<Firehose>().1).into_owned();
    for section in [
        "SYNOPSIS",
        "OPTIONS",
        "ASYNCHRONOUS BEHAVIOUR",
        "SHORTHAND AND JSON SYNTAX",
        "EXAMPLES",
        "EXIT STATUS",
        "ENVIRONMENT",
        "SEE ALSO",
    ] {
        assert!(
            rendered.contains(&format!(".SH \"{section}\""))
                || rendered.contains(&format!(".SH {section}")),
            "missing {section}"
        );
    }
    assert!(rendered.contains("25"), "the 25-calls budget is documented");
    let man = std::process::Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .output();
    match man {
        Ok(out) => {
            assert!(
                out.status.success(),
                "man -l failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.contains("--delivery-stream-name") && text.contains("EXIT STATUS"),
                "{text}"
            );
        }
        Err(e) => panic!("`man` is needed for this test (apt-get install man-db): {e}"),
    }
}

#[test]
fn bash_completion_completes_option_names() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions/start-delivery-stream-encryption.bash");
    let probe = format!(
        "source '{}'; f=$(complete -p start-delivery-stream-encryption | sed 's/.*-F \\([^ ]*\\).*/\\1/'); \
         COMP_WORDS=(start-delivery-stream-encryption --delivery-stream-); COMP_CWORD=1; \
         COMP_LINE='start-delivery-stream-encryption --delivery-stream-'; COMP_POINT=${{#COMP_LINE}}; \
         \"$f\" start-delivery-stream-encryption --delivery-stream- start-delivery-stream-encryption; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(probe)
        .output()
        .expect("bash runs");
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        words.lines().any(|w| w == "--delivery-stream-name"),
        "{words}"
    );
    assert!(
        words
            .lines()
            .any(|w| w == "--delivery-stream-encryption-configuration-input"),
        "{words}"
    );
}
