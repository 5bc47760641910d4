//! `cargo workbook train DATA.csv`: gradient descent on the user's own data
//! with exercise 05's optimizers.

use std::path::PathBuf;
use std::process::ExitCode;

use anstream::{print, println};
use anyhow::Result;
use support::plot::{Labels, Scale, Series, chart};
use workbook::data::model;
use workbook::data::network::{self, NetworkOptions};
use workbook::data::train::{self, Init, LossKind, OptimizerFlags, OptimizerKind};
use workbook::util::fs::native;

use super::Context;

#[derive(clap::Args)]
pub struct Args {
    /// The CSV file.
    data: PathBuf,
    /// sgd (torch.optim.SGD), adam (torch.optim.Adam) or adamw (torch.optim.AdamW).
    #[arg(long, value_enum)]
    optimizer: OptimizerKind,
    /// The learning rate (default 0.01 for sgd, 0.001 for adam and adamw).
    #[arg(long)]
    lr: Option<f64>,
    /// SGD's momentum μ.
    #[arg(long, default_value_t = 0.0)]
    momentum: f64,
    /// SGD's dampening τ.
    #[arg(long, default_value_t = 0.0)]
    dampening: f64,
    /// SGD with Nesterov momentum.
    #[arg(long)]
    nesterov: bool,
    /// The weight decay λ (default 0; 0.01 for adamw, as torch's).
    #[arg(long)]
    weight_decay: Option<f64>,
    /// Adam's β₁,β₂, e.g. `0.9,0.999`.
    #[arg(long, value_parser = parse_betas, default_value = "0.9,0.999")]
    betas: (f64, f64),
    /// Adam's ε.
    #[arg(long, default_value_t = 1e-8)]
    eps: f64,
    /// Adam with AMSGrad.
    #[arg(long)]
    amsgrad: bool,
    /// The loss: mse, or half-mse (½·MSE, whose gradient has no factor 2).
    #[arg(long, value_enum, default_value_t = LossKind::Mse)]
    loss: LossKind,
    /// The most epochs to run.
    #[arg(long, default_value_t = 100)]
    epochs: usize,
    /// Examples per step (default: all of them, batch gradient descent;
    /// 1 is stochastic gradient descent).
    #[arg(long)]
    batch_size: Option<usize>,
    /// The seed of the generator that shuffles every epoch (and draws --init random).
    #[arg(long, default_value_t = 100)]
    seed: u64,
    /// Start from zeros, or from random numbers like torch.nn.Linear's.
    #[arg(long, value_enum, default_value_t = Init::Zeros)]
    init: Init,
    /// Stop when the loss falls below this (the lecture's rule; 0 turns it off).
    #[arg(long, default_value_t = 1e-4)]
    stop_below: f64,
    /// The column to predict (default: the last one).
    #[arg(long)]
    target: Option<String>,
    /// Fit a model through the origin (no intercept b).
    #[arg(long)]
    no_intercept: bool,
    /// Standardise the features first, as exercise 07's scaler (mean and
    /// population standard deviation of the training rows, scale 1 for a
    /// constant feature); the parameters are reported in the original units.
    /// Not with --no-intercept: centring the features gives the model a bias
    /// in the original units.
    #[arg(long, conflicts_with = "no_intercept")]
    scale: bool,
    /// A network with one hidden layer of N ReLU units instead of the linear
    /// model (exercise 08), started from PyTorch's default initialisation
    /// drawn with --seed (--init is for the linear model).
    #[arg(long, value_name = "N", value_parser = network::parse_hidden, conflicts_with = "no_intercept")]
    hidden: Option<usize>,
    /// With --hidden: drop each hidden unit with probability P at every
    /// training step (torch.nn.Dropout(P)); 0 <= P < 1.
    #[arg(long, value_name = "P", value_parser = network::parse_dropout, default_value_t = 0.0, requires = "hidden")]
    dropout: f64,
    /// Save the trained model to this file (JSON, exercise 09's format), for
    /// `cargo workbook predict`.
    #[arg(long, value_name = "MODEL.json")]
    save: Option<PathBuf>,
    /// Where to write the plot of the loss per epoch (default: target/workbook/train-loss.svg).
    #[arg(long)]
    plot: Option<PathBuf>,
}

impl Args {
    fn options(&self) -> train::Options {
        let flags = OptimizerFlags {
            kind: self.optimizer,
            lr: self.lr,
            momentum: self.momentum,
            dampening: self.dampening,
            nesterov: self.nesterov,
            weight_decay: self.weight_decay,
            betas: self.betas,
            eps: self.eps,
            amsgrad: self.amsgrad,
        };
        train::Options {
            optimizer: flags.config(),
            criterion: self.loss.into(),
            target: self.target.clone(),
            intercept: !self.no_intercept,
            epochs: self.epochs,
            batch_size: self.batch_size,
            seed: self.seed,
            init: self.init,
            stop_below: self.stop_below,
            scale: self.scale,
            network: self.hidden.map(|hidden| NetworkOptions { hidden, dropout: self.dropout }),
            record_steps: false,
        }
    }
}

pub fn exec(ctx: &Context, args: Args) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let options = train::Options { record_steps: ctx.json, ..args.options() };
    let bar = indicatif::ProgressBar::hidden();
    if !ctx.json && std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "training {bar:40} {pos}/{len} steps {elapsed}",
            )
            .expect("a valid template"),
        );
    }
    let report = train::train(&args.data, &options, &|n| bar.inc(n), &|rows| {
        bar.set_length(train::planned_steps(&options, rows) as u64)
    })?;
    bar.finish_and_clear();
    if let Some(path) = &args.save {
        let optimizer = format!("{:?}", options.optimizer);
        model::save(&model::from_train(&report, optimizer, &args.data)?, path)?;
    }
    if ctx.json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    print!("{}", train::describe(&report));
    if let Some(path) = &args.save {
        println!("The model is saved in {}", path.display());
    }
    let plot = args.plot.unwrap_or_else(|| ctx.root.join(native("target/workbook/train-loss.svg")));
    if let Some(dir) = plot.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let epochs: Vec<f64> = (0..report.epoch_losses.len()).map(|e| e as f64).collect();
    let positive = report.epoch_losses.iter().all(|l| *l > 0.0);
    let scale = if positive { Scale::Log } else { Scale::Linear };
    let title = format!("Loss per epoch on {}", args.data.display());
    let drawn = chart(
        &plot,
        Labels { title: &title, x: "epoch", y: "loss" },
        scale,
        &[Series::Line { label: "training loss", x: &epochs, y: &report.epoch_losses }],
    );
    match drawn {
        Ok(()) => println!("The loss per epoch is drawn in {}", plot.display()),
        Err(e) => println!("(no plot: {e})"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `B1,B2` as two numbers.
fn parse_betas(text: &str) -> std::result::Result<(f64, f64), String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [b1, b2] = parts.as_slice() else {
        return Err(format!(
            "expected two numbers separated by a comma, like 0.9,0.999, not {text:?}"
        ));
    };
    let number = |t: &str| t.parse::<f64>().map_err(|_| format!("{t:?} is not a number"));
    Ok((number(b1)?, number(b2)?))
}
