//! Build script: with the `php` feature, fail early and readably when PHP's development files or libclang are
//! missing (ext-php-rs needs both), and record what the extension is built for (PHP API number, thread safety,
//! debug build, rustc) so `KcoValidation\build_info()` and `php --ri kco_validation` can say it.
//!
//! Cargo runs ext-php-rs's own build script before or beside this one and stops at its failure, so on a missing
//! `php-config` a plain `cargo build` shows ext-php-rs's error (some 80 lines and a backtrace) whatever happens here.
//! The one-paragraph report is `scripts/check-build-deps.sh`, which `make build` (and `scripts/test.sh`, `make deb`)
//! runs before cargo; the checks below are its twin for when this script runs first.
//!
//! Errors carry their context with `anyhow` (what was run, and why it matters); the library itself has no
//! `anyhow`: its errors are typed (`PayloadError`, `SnapshotError`).

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

fn main() {
    if let Err(e) = build() {
        // The message, then what failed underneath (anyhow's `{:?}` would add a backtrace under RUST_BACKTRACE).
        eprintln!("\nkco_validation build error:\n{e}");
        for cause in e.chain().skip(1) {
            eprintln!("Caused by: {cause}");
        }
        eprintln!();
        std::process::exit(1);
    }
}

fn build() -> Result<()> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
    println!("cargo:rerun-if-env-changed=LIBCLANG_PATH");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = run(&rustc, &["--version"]).unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=KCO_RUSTC_VERSION={rustc_version}");
    println!(
        "cargo:rustc-env=KCO_PROFILE={}",
        std::env::var("PROFILE").unwrap_or_default()
    );

    if std::env::var_os("CARGO_FEATURE_PHP").is_none() {
        println!("cargo:rustc-env=KCO_PHP_API=none");
        println!("cargo:rustc-env=KCO_PHP_VERSION=none");
        println!("cargo:rustc-env=KCO_PHP_ZTS=0");
        println!("cargo:rustc-env=KCO_PHP_DEBUG=0");
        return Ok(());
    }
    let php_config = std::env::var("PHP_CONFIG").unwrap_or_else(|_| "php-config".into());
    let api = run(&php_config, &["--phpapi"]).with_context(|| {
        format!(
            "`{php_config} --phpapi` did not run: PHP's development files are missing.\n\
             On Debian: apt-get install php8.2-dev (or set PHP_CONFIG to your php-config).\n\
             To build only the Rust core, without PHP: cargo build --no-default-features"
        )
    })?;
    let version = run(&php_config, &["--version"]).unwrap_or_default();
    if !libclang_present() {
        bail!(
            "libclang was not found; ext-php-rs needs it to read PHP's headers.\n\
             On Debian: apt-get install libclang-dev (or set LIBCLANG_PATH to the folder holding libclang.so)."
        );
    }
    let php = std::env::var("PHP").unwrap_or_else(|_| "php".into());
    let flags = run(
        &php,
        &["-n", "-r", "echo PHP_ZTS ? 1 : 0, PHP_DEBUG ? 1 : 0;"],
    )
    .unwrap_or_else(|_| "00".into());
    println!(
        "cargo:rustc-env=KCO_PHP_ZTS={}",
        &flags[..1.min(flags.len())]
    );
    println!(
        "cargo:rustc-env=KCO_PHP_DEBUG={}",
        flags.get(1..2).unwrap_or("0")
    );
    println!("cargo:rustc-env=KCO_PHP_API={api}");
    println!("cargo:rustc-env=KCO_PHP_VERSION={version}");
    Ok(())
}

/// Runs a command and returns its standard output, trimmed; an error says which command and how it failed.
fn run(cmd: &str, args: &[&str]) -> Result<String> {
    let line = || format!("`{cmd} {}`", args.join(" "));
    let out = Command::new(cmd)
        .args(args)
        .output()
        .with_context(|| format!("{} could not be started", line()))?;
    if !out.status.success() {
        bail!(
            "{} failed ({}): {}",
            line(),
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn libclang_present() -> bool {
    let mut dirs: Vec<String> = Vec::new();
    if let Ok(p) = std::env::var("LIBCLANG_PATH") {
        dirs.push(p);
    }
    if let Ok(libdir) = run("llvm-config", &["--libdir"]) {
        dirs.push(libdir);
    }
    dirs.extend(
        [
            "/usr/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu",
            "/usr/lib64",
            "/usr/lib",
            "/usr/local/lib",
        ]
        .map(String::from),
    );
    if let Ok(entries) = std::fs::read_dir("/usr/lib") {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with("llvm-") {
                dirs.push(e.path().join("lib").to_string_lossy().into_owned());
            }
        }
    }
    dirs.iter().any(|d| {
        std::fs::read_dir(Path::new(d))
            .map(|entries| {
                entries.flatten().any(|e| {
                    let name = e.file_name();
                    let name = name.to_string_lossy();
                    name.starts_with("libclang")
                        && name.contains(".so")
                        && !name.starts_with("libclang-cpp")
                })
            })
            .unwrap_or(false)
    })
}
