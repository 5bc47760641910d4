//! `cargo workbook serve MODEL.json`: the model behind HTTP on 127.0.0.1,
//! with tiny_http (a small synchronous server: a few worker threads, no
//! async runtime to build).

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anstream::{eprintln, println};
use anyhow::Result;
use workbook::data::model;
use workbook::data::serve::{self, Answer, BODY_LIMIT};

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The model file, written by `fit --save` or `train --save`.
    model: PathBuf,
    /// The port on 127.0.0.1 (0: any free port; the first line printed
    /// names it).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Requests answered at the same time.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    threads: u16,
}

pub fn exec(_ctx: &Context, args: Args) -> Result<ExitCode> {
    let model = Arc::new(model::load(&args.model)?);
    let server = tiny_http::Server::http(("127.0.0.1", args.port)).map_err(|e| {
        anyhow::anyhow!(
            "could not listen on 127.0.0.1:{}: {e}; give another --port (0 picks a free one)",
            args.port
        )
    })?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    println!(
        "Serving {} (predicts {} from {}) on http://127.0.0.1:{port}: POST /predict, GET /health; Ctrl-C stops",
        args.model.display(),
        model.target,
        model.features.join(", ")
    );
    let server = Arc::new(server);
    let workers: Vec<_> = (0..args.threads)
        .map(|_| {
            let (server, model) = (Arc::clone(&server), Arc::clone(&model));
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    handle(&model, request);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    Ok(ExitCode::SUCCESS)
}

/// Answers one request, and logs it on the standard error: method, path,
/// status, and the error if any.
fn handle(model: &solution_09::ModelFile, mut request: tiny_http::Request) {
    let method = request.method().as_str().to_string();
    let path = request.url().split('?').next().unwrap_or("").to_string();
    let answer = match read_body(&mut request) {
        Ok(body) => serve::answer(model, &method, &path, &body),
        Err(answer) => answer,
    };
    match answer.body.get("error") {
        Some(e) => eprintln!("{method} {path} {}: {e}", answer.status),
        None => eprintln!("{method} {path} {}", answer.status),
    }
    let header =
        tiny_http::Header::from_bytes("Content-Type", "application/json").expect("a valid header");
    let response = tiny_http::Response::from_string(answer.body.to_string())
        .with_status_code(answer.status)
        .with_header(header);
    if let Err(e) = request.respond(response) {
        eprintln!("{method} {path}: the answer could not be sent: {e}");
    }
}

/// The body, or 413 when it is longer than [`BODY_LIMIT`] (by its
/// Content-Length, or by what arrives).
fn read_body(request: &mut tiny_http::Request) -> Result<Vec<u8>, Answer> {
    let too_large = || Answer {
        status: 413,
        body: serde_json::json!({
            "error": format!("the body is larger than {BODY_LIMIT} bytes; send the rows in several requests")
        }),
    };
    if request.body_length().is_some_and(|n| n > BODY_LIMIT) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    let read = request.as_reader().take(BODY_LIMIT as u64 + 1).read_to_end(&mut body);
    match read {
        Ok(n) if n > BODY_LIMIT => Err(too_large()),
        Ok(_) => Ok(body),
        Err(e) => Err(Answer {
            status: 400,
            body: serde_json::json!({ "error": format!("the body could not be read: {e}") }),
        }),
    }
}
