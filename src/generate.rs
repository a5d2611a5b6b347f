//! Shell completions and the man page, rendered from the clap definition.
//! They are committed under `completions/` and `man/`; the `generated`
//! integration test renders them again and fails when a committed file is
//! stale (`UPDATE_GENERATED=1` rewrites them). Nothing here depends on the
//! date or the build path, so the files only change when the CLI does.

use clap::Command;
use clap_complete::Shell;
use roff::{Roff, bold, italic, roman};

/// The shells completions are generated for.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::PowerShell,
    Shell::Elvish,
];

/// The committed file name of `bin`'s completion script for `shell`.
pub fn completion_file(shell: Shell, bin: &str) -> String {
    match shell {
        Shell::Bash => format!("{bin}.bash"),
        Shell::Zsh => format!("_{bin}"),
        Shell::Fish => format!("{bin}.fish"),
        Shell::PowerShell => format!("_{bin}.ps1"),
        _ => format!("{bin}.elv"),
    }
}

/// One piece of a man page section after OPTIONS.
#[derive(Debug)]
pub enum Block {
    /// A section heading.
    Section(&'static str),
    /// A paragraph.
    Para(&'static str),
    /// An indented line in bold (a syntax).
    Code(&'static str),
    /// A paragraph, then an indented command in bold.
    Example(&'static str, &'static str),
    /// Terms with their descriptions.
    Entries(&'static [(&'static str, &'static str)]),
    /// *aws*(1) followed by this text.
    SeeAlso(&'static str),
}

/// The completion script of `command` (named `bin`) for `shell`.
pub fn completions(mut command: Command, bin: &str, shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, bin, &mut out);
    out
}

/// The man page (roff), section 1, of `command` (named `bin`), with
/// `manual` after the OPTIONS section.
pub fn man_page(command: Command, bin: &str, manual: &[Block]) -> Vec<u8> {
    let man = clap_mangen::Man::new(command)
        .date("")
        .source(format!("{bin} {}", env!("CARGO_PKG_VERSION")))
        .manual("User Commands");
    let mut out = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);
    out.extend(render(manual).render().into_bytes());
    out
}

fn render(manual: &[Block]) -> Roff {
    let mut r = Roff::new();
    for block in manual {
        match block {
            Block::Section(title) => section(&mut r, title),
            Block::Para(text) => paragraph(&mut r, text),
            Block::Code(text) => {
                r.control("RS", ["4"]).text([bold(*text)]).control("RE", []);
            }
            Block::Example(what, command) => example(&mut r, what, command),
            Block::Entries(entries) => {
                for (term, text) in *entries {
                    entry(&mut r, term, text);
                }
            }
            Block::SeeAlso(text) => {
                r.text([italic("aws"), roman(*text)]);
            }
        }
    }
    r
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
