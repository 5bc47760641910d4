//! `WORKBOOK_PORTABLE=1` in the environment builds, on Linux, the
//! standard-library-only code that Windows builds (`cfg(workbook_portable)`;
//! src/engine/live.rs). `scripts/check-portable` lints and tests it that way
//! on every commit. An environment variable, not `--cfg` in RUSTFLAGS: that
//! would change every dependency's build too, and build them all again.
fn main() {
    println!("cargo::rerun-if-env-changed=WORKBOOK_PORTABLE");
    if std::env::var_os("WORKBOOK_PORTABLE").is_some_and(|v| !v.is_empty() && v != "0") {
        println!("cargo::rustc-cfg=workbook_portable");
    }
}
