//! `cargo workbook serve`, spoken to with a real HTTP client (ureq): the
//! server is started on a free port of 127.0.0.1, its predictions are
//! compared with `predict`'s, every error case is tried, and many clients
//! at once must all be answered correctly.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};

use common::{root, text, workbook, workbook_in};
use serde_json::{Value, json};

fn scratch(name: &str) -> PathBuf {
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The server, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `serve MODEL --port 0`, and the address its first line names.
fn serve(model: &str) -> Server {
    let mut child = workbook_in(&root())
        .args(["serve", model, "--port", "0", "--threads", "4"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port: String = line
        .split("127.0.0.1:")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    Server { child, url: format!("http://127.0.0.1:{port}") }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// A request's status and JSON body.
fn post(agent: &ureq::Agent, url: &str, body: &str) -> (u16, Value) {
    let mut response = agent
        .post(&format!("{url}/predict"))
        .header("Content-Type", "application/json")
        .send(body)
        .unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")))
}

fn get(agent: &ureq::Agent, url: &str) -> (u16, Value) {
    let mut response = agent.get(url).call().unwrap();
    let status = response.status().as_u16();
    (status, serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap())
}

/// A network with a scaler: price from size_sqft, bedrooms and age, written
/// to a file of its own for each test (`file`): tests run in parallel, and one
/// test rewriting a shared file while another reads it gave an empty read.
fn network_model(file: &str) -> String {
    let model = solution_09::ModelFile {
        format_version: solution_09::FORMAT_VERSION,
        kind: solution_09::Kind::Hidden { units: 3 },
        features: ["size_sqft", "bedrooms", "age"].map(String::from).to_vec(),
        target: "price".to_string(),
        parameters: vec![
            0.5, -0.25, 0.1, 1.0, 0.75, -0.3, -0.5, 0.125, 0.2, 0.1, -0.2, 0.3, 2.0, -1.5, 0.5,
            10.0,
        ],
        scaler: Some(solution_09::Standardisation {
            mean: vec![2000.0, 3.0, 30.0],
            scale: vec![500.0, 0.5, 15.0],
        }),
        training: solution_09::Training {
            optimizer: "by hand".to_string(),
            epochs: 0,
            loss: 0.0,
            data_sha256: String::new(),
        },
    };
    let path = scratch(file);
    std::fs::write(&path, solution_09::to_json(&model).unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

/// Row `i` of the houses the tests ask about.
fn house(i: usize) -> [f64; 3] {
    [600.0 + 7.5 * i as f64, 1.0 + (i % 5) as f64, (i % 61) as f64]
}

#[test]
fn predictions_equal_predicts_and_health_names_the_model() {
    let model = network_model("health.json");
    let server = serve(&model);
    let agent = agent();
    let (status, health) = get(&agent, &format!("{}/health", server.url));
    assert_eq!(status, 200);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["features"], json!(["size_sqft", "bedrooms", "age"]));
    assert_eq!(health["target"], "price");

    // The same houses through `predict`, columns in another order.
    let mut csv = String::from("age,size_sqft,bedrooms\n");
    let mut rows = Vec::new();
    for i in 0..20 {
        let [s, b, a] = house(i);
        csv.push_str(&format!("{a:?},{s:?},{b:?}\n"));
        rows.push(json!({"bedrooms": b, "age": a, "size_sqft": s, "id": i}));
    }
    let data = scratch("houses.csv");
    std::fs::write(&data, csv).unwrap();
    let out = workbook(&["predict", &model, data.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    let expected: Vec<f64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap().parse().unwrap())
        .collect();

    let (status, body) = post(&agent, &server.url, &json!({ "rows": rows }).to_string());
    assert_eq!(status, 200, "{body}");
    let got: Vec<f64> =
        body["predictions"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(got, expected, "the server's predictions are predict's, to the bit");
    assert_eq!(body["ignored"], json!(["id"]));
}

#[test]
fn every_bad_request_gets_its_status_and_a_message() {
    let server = serve(&network_model("errors.json"));
    let agent = agent();
    let url = &server.url;
    let cases: [(&str, u16, &str); 6] = [
        ("{\"rows\": [", 400, "EOF while parsing"),
        ("{\"rows\": [{\"size_sqft\": \"big\"}]}", 400, "invalid type"),
        ("{\"houses\": []}", 400, "unknown field `houses`"),
        (
            "{\"rows\": [{\"size_sqft\": 1e999, \"bedrooms\": 1, \"age\": 1}]}",
            400,
            "number out of range",
        ),
        (
            "{\"rows\": [{\"size_sqft\": 900, \"age\": 3}]}",
            422,
            "row 0 (counting from 0) has no \"bedrooms\"",
        ),
        (
            "{\"rows\": [{\"size_sqft\": 900, \"bedrooms\": 2, \"age\": 3}, {\"size\": 1}]}",
            422,
            "row 1 (counting from 0) has no \"size_sqft\"",
        ),
    ];
    for (body, status, says) in cases {
        let (got, answer) = post(&agent, url, body);
        assert_eq!(got, status, "{body} -> {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{body}: {message:?} does not say {says:?}");
    }
    let big = format!("{{\"rows\": [], \"pad\": \"{}\"}}", "x".repeat(2 << 20));
    let (got, answer) = post(&agent, url, &big);
    assert_eq!(got, 413, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("larger than 1048576 bytes"));
    let (got, answer) = get(&agent, &format!("{url}/predict"));
    assert_eq!(got, 405, "{answer}");
    let (got, answer) = get(&agent, &format!("{url}/model"));
    assert_eq!(got, 404, "{answer}");
    // And the server still answers.
    let (got, _) = get(&agent, &format!("{url}/health"));
    assert_eq!(got, 200);
}

#[test]
fn eight_clients_of_two_hundred_requests_each_are_all_answered_correctly() {
    let model = network_model("clients.json");
    let reference = solution_09::from_json(&std::fs::read_to_string(&model).unwrap()).unwrap();
    let server = serve(&model);
    let started = std::time::Instant::now();
    std::thread::scope(|scope| {
        for client in 0..8 {
            let (url, reference) = (&server.url, &reference);
            scope.spawn(move || {
                let agent = agent();
                for request in 0..200 {
                    // Each request its own houses, 1 to 3 of them.
                    let first = client * 1000 + request * 3;
                    let count = 1 + request % 3;
                    let houses: Vec<[f64; 3]> = (first..first + count).map(house).collect();
                    let rows: Vec<Value> = houses
                        .iter()
                        .map(|[s, b, a]| json!({"size_sqft": s, "bedrooms": b, "age": a}))
                        .collect();
                    let (status, body) = post(&agent, url, &json!({ "rows": rows }).to_string());
                    assert_eq!(status, 200, "client {client}, request {request}: {body}");
                    let expected: Vec<f64> =
                        houses.iter().map(|h| solution_09::predict_one(reference, h)).collect();
                    assert_eq!(
                        body["predictions"],
                        json!(expected),
                        "client {client}, request {request}"
                    );
                }
            });
        }
    });
    // What it measured, for the report; not asserted (a loaded machine is slow).
    eprintln!("8 × 200 requests answered in {:.2} s", started.elapsed().as_secs_f64());
}
