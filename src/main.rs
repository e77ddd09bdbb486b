//! The `sapu` command line: parses flags into settled configuration and
//! wires the library's pieces together. Nothing here decides about lines.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
