//! Writes the lecture's data (exercise 01's recipe at seed 100, split 80/20)
//! as JSON, for `scripts/torch-reference.py`, so that PyTorch trains on
//! exactly the f64 numbers the course uses. Every number is printed with
//! Rust's shortest round-trip formatting, which Python's `json` reads back
//! to the same f64.
//!
//! Usage: cargo run -p solution-05 --example export-lecture-data -- OUT.json
//! (the course keeps it in exercises/exercise-05/tests/fixtures/lecture-data.json)

use std::fmt::Write as _;

fn list(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("[{}]", items.join(", "))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).ok_or("usage: export-lecture-data OUT.json")?;
    let split = solution_05::lecture_split()?;
    let mut json = String::new();
    writeln!(json, "{{")?;
    writeln!(
        json,
        "  \"description\": \"The lecture's data: 100 examples of x ~ U(0, 1), y = 2x + 1 + 0.1·N(0, 1) at seed 100, split 80/20 at seed 100 (exercise 01's reference solution). Written by cargo run -p solution-05 --example export-lecture-data.\","
    )?;
    writeln!(json, "  \"train_x\": {},", list(&split.train.x))?;
    writeln!(json, "  \"train_y\": {},", list(&split.train.y))?;
    writeln!(json, "  \"validation_x\": {},", list(&split.validation.x))?;
    writeln!(json, "  \"validation_y\": {}", list(&split.validation.y))?;
    writeln!(json, "}}")?;
    std::fs::write(&out, json)?;
    println!("wrote {out}");
    Ok(())
}
