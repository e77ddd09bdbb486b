//! Logistic regression on standardized features, trained by L-BFGS on the
//! L2-penalized log loss: the simpler of the two model families `sapu
//! train` offers, kept to compare with the trees on the same folds.
//!
//! Training is deterministic: every sum runs over rows in order.

use serde::{Deserialize, Serialize};

use super::gbdt::Matrix;

/// How the weights are fitted.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LinearParams {
    /// L2 penalty on the weights (not the bias), per row of weight.
    pub l2: f64,
    pub iterations: usize,
}

impl Default for LinearParams {
    fn default() -> Self {
        LinearParams {
            l2: 1e-4,
            iterations: 200,
        }
    }
}

/// A fitted logistic regression: the score of a row is `bias` plus the
/// weighted sum of its standardized features, in log-odds.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Linear {
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

impl Linear {
    pub fn score(&self, row: &[f32]) -> f32 {
        let mut s = self.bias;
        for (i, &v) in row.iter().enumerate() {
            s += self.weights[i] * (v - self.mean[i]) * self.scale[i];
        }
        s
    }

    /// Each feature's part of the score of `row`, in log-odds.
    pub fn contributions(&self, row: &[f32]) -> Vec<f32> {
        row.iter()
            .enumerate()
            .map(|(i, &v)| self.weights[i] * (v - self.mean[i]) * self.scale[i])
            .collect()
    }

    pub fn check(&self, features: usize) -> Result<(), String> {
        if [self.mean.len(), self.scale.len(), self.weights.len()] != [features; 3] {
            return Err(format!(
                "a linear model needs {features} means, scales and weights"
            ));
        }
        let all = self.mean.iter().chain(&self.scale).chain(&self.weights);
        if !all.chain([&self.bias]).all(|v| v.is_finite()) {
            return Err("a weight is not finite".into());
        }
        Ok(())
    }
}

/// The weighted log loss and its gradient at `theta` (weights, then bias).
fn loss_and_gradient(
    z: &[Vec<f64>],
    y: &[f32],
    w: &[f32],
    wsum: f64,
    l2: f64,
    theta: &[f64],
) -> (f64, Vec<f64>) {
    let d = theta.len() - 1;
    let mut loss = 0.0;
    let mut grad = vec![0.0; d + 1];
    for (i, row) in z.iter().enumerate() {
        let mut s = theta[d];
        for j in 0..d {
            s += theta[j] * row[j];
        }
        let (yi, wi) = (f64::from(y[i]), f64::from(w[i]));
        // log(1 + e^s) - y s, computed without overflow.
        loss += wi * (s.max(0.0) + (-s.abs()).exp().ln_1p() - yi * s);
        let p = 1.0 / (1.0 + (-s).exp());
        let r = wi * (p - yi);
        for j in 0..d {
            grad[j] += r * row[j];
        }
        grad[d] += r;
    }
    let mut total = loss / wsum;
    for g in &mut grad {
        *g /= wsum;
    }
    for j in 0..d {
        total += 0.5 * l2 * theta[j] * theta[j];
        grad[j] += l2 * theta[j];
    }
    (total, grad)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Fits a logistic regression on rows `x` with labels `y` (0 or 1) and
/// weights `w`.
pub fn train(x: &Matrix, y: &[f32], w: &[f32], p: &LinearParams) -> Linear {
    let (n, d) = (x.rows(), x.features);
    let mut mean = vec![0.0f64; d];
    let mut var = vec![0.0f64; d];
    for i in 0..n {
        for (j, &v) in x.row(i).iter().enumerate() {
            mean[j] += f64::from(v);
        }
    }
    for m in &mut mean {
        *m /= n.max(1) as f64;
    }
    for i in 0..n {
        for (j, &v) in x.row(i).iter().enumerate() {
            var[j] += (f64::from(v) - mean[j]).powi(2);
        }
    }
    let scale: Vec<f64> = var
        .iter()
        .map(|v| {
            let sd = (v / n.max(1) as f64).sqrt();
            if sd > 1e-9 { 1.0 / sd } else { 0.0 }
        })
        .collect();
    let z: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            x.row(i)
                .iter()
                .enumerate()
                .map(|(j, &v)| (f64::from(v) - mean[j]) * scale[j])
                .collect()
        })
        .collect();
    let wsum: f64 = w.iter().map(|&v| f64::from(v)).sum::<f64>().max(1e-12);
    let theta = lbfgs(d + 1, p.iterations, |t| {
        loss_and_gradient(&z, y, w, wsum, p.l2, t)
    });
    Linear {
        mean: mean.iter().map(|&m| m as f32).collect(),
        scale: scale.iter().map(|&s| s as f32).collect(),
        weights: theta[..d].iter().map(|&t| t as f32).collect(),
        bias: theta[d] as f32,
    }
}

/// Minimizes `f` (value and gradient) from zero by L-BFGS with a memory of
/// ten steps and a backtracking line search.
fn lbfgs(dim: usize, iterations: usize, f: impl Fn(&[f64]) -> (f64, Vec<f64>)) -> Vec<f64> {
    const MEMORY: usize = 10;
    let mut x = vec![0.0; dim];
    let (mut fx, mut g) = f(&x);
    let mut history: Vec<(Vec<f64>, Vec<f64>, f64)> = Vec::new();
    for _ in 0..iterations {
        // Two-loop recursion: the search direction -H g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(history.len());
        for (s, yv, rho) in history.iter().rev() {
            let a = rho * dot(s, &q);
            for (qi, yi) in q.iter_mut().zip(yv) {
                *qi -= a * yi;
            }
            alphas.push(a);
        }
        if let Some((s, yv, _)) = history.last() {
            let gamma = dot(s, yv) / dot(yv, yv).max(1e-300);
            for qi in &mut q {
                *qi *= gamma;
            }
        }
        for ((s, yv, rho), a) in history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(yv, &q);
            for (qi, si) in q.iter_mut().zip(s) {
                *qi += (a - b) * si;
            }
        }
        let dir: Vec<f64> = q.iter().map(|v| -v).collect();
        let slope = dot(&g, &dir);
        if slope >= 0.0 || !slope.is_finite() {
            break;
        }
        let mut step = 1.0;
        let (mut nx, mut nf, mut ng);
        loop {
            nx = x
                .iter()
                .zip(&dir)
                .map(|(a, b)| a + step * b)
                .collect::<Vec<_>>();
            (nf, ng) = f(&nx);
            if nf <= fx + 1e-4 * step * slope || step < 1e-10 {
                break;
            }
            step *= 0.5;
        }
        let s: Vec<f64> = nx.iter().zip(&x).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = ng.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &yv);
        let improved = fx - nf;
        x = nx;
        fx = nf;
        g = ng;
        if sy > 1e-12 {
            history.push((s, yv, 1.0 / sy));
            if history.len() > MEMORY {
                history.remove(0);
            }
        }
        if improved.abs() < 1e-10 * fx.abs().max(1.0) {
            break;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_a_linear_boundary() {
        let mut x = Matrix::new(2);
        let mut y = Vec::new();
        for i in 0..30 {
            for j in 0..30 {
                let (a, b) = (i as f32, j as f32 * 10.0);
                x.push(&[a, b]);
                y.push(((a + b / 10.0) > 30.0) as u8 as f32);
            }
        }
        let w = vec![1.0; y.len()];
        let m = train(&x, &y, &w, &LinearParams::default());
        m.check(2).unwrap();
        let right = (0..x.rows())
            .filter(|&i| (m.score(x.row(i)) > 0.0) == (y[i] > 0.5))
            .count();
        assert!(right as f64 / x.rows() as f64 > 0.97, "{right}");
        // Standardization: both features weigh alike.
        assert!((m.weights[0] / m.weights[1] - 1.0).abs() < 0.2, "{m:?}");
    }
}
