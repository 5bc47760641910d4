//! `cargo workbook serve`: what the HTTP server answers, as a function of the
//! request alone (the server loop is in `src/cli/serve.rs`). The predictions
//! are exercise 09's reference solution's, the same as `predict`'s.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};
use solution_09::ModelFile;

/// The largest request body accepted, in bytes (1 MiB: about 20 000 rows of
/// four features); a larger one is refused with 413.
pub const BODY_LIMIT: usize = 1 << 20;

/// `POST /predict`'s body: one object per row, feature name → value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PredictRequest {
    rows: Vec<BTreeMap<String, f64>>,
}

/// An answer: the HTTP status and its JSON body.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

fn error(status: u16, message: String) -> Answer {
    Answer { status, body: json!({ "error": message }) }
}

/// The answer to `method path` with `body` (already cut at [`BODY_LIMIT`]
/// by the caller, which answers 413 itself):
///
/// - `GET /health`: 200, the model's kind, features and target;
/// - `POST /predict` with `{"rows": [{"feature": value, …}, …]}`: 200 and
///   `{"predictions": […], "ignored": [names]}`; a body that is not that
///   JSON: 400; a row without one of the model's features: 422, naming it
///   and the row; names that are not features are ignored and listed;
/// - another path: 404; another method on a known path: 405.
pub fn answer(model: &ModelFile, method: &str, path: &str, body: &[u8]) -> Answer {
    match (method, path) {
        ("GET", "/health") => Answer {
            status: 200,
            body: json!({
                "status": "ok",
                "kind": model.kind,
                "features": model.features,
                "target": model.target,
                "format_version": model.format_version,
            }),
        },
        ("POST", "/predict") => predict(model, body),
        (_, "/health" | "/predict") => {
            error(405, format!("{method} is not allowed on {path}: GET /health, POST /predict"))
        }
        _ => error(404, format!("there is no {path}: GET /health, POST /predict")),
    }
}

fn predict(model: &ModelFile, body: &[u8]) -> Answer {
    let request: PredictRequest = match serde_json::from_slice(body) {
        Ok(request) => request,
        Err(e) => {
            return error(
                400,
                format!(
                    "the body is not {{\"rows\": [{{\"feature\": number, …}}, …]}}: {e}; send one object per row, every value a number"
                ),
            );
        }
    };
    let mut predictions = Vec::with_capacity(request.rows.len());
    let mut ignored: Vec<&str> = Vec::new();
    let mut values = vec![0.0; model.features.len()];
    for (i, row) in request.rows.iter().enumerate() {
        for (value, name) in values.iter_mut().zip(&model.features) {
            match row.get(name) {
                Some(v) => *value = *v,
                None => {
                    return error(
                        422,
                        format!(
                            "row {i} (counting from 0) has no \"{name}\"; the model needs {}",
                            model.features.join(", ")
                        ),
                    );
                }
            }
        }
        for name in row.keys() {
            if !model.features.contains(name) && !ignored.contains(&name.as_str()) {
                ignored.push(name);
            }
        }
        predictions.push(solution_09::predict_one(model, &values));
    }
    Answer { status: 200, body: json!({ "predictions": predictions, "ignored": ignored }) }
}
