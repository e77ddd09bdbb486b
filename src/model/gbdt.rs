//! Gradient-boosted decision trees for a binary label, trained on
//! histograms of binned features (as LightGBM and XGBoost's `hist` do),
//! and scored by walking small flat trees.
//!
//! Training is deterministic: the bins come from sorted values, every sum
//! runs over rows in the same order, and threads only split the work by
//! feature; the same data and parameters give the same trees, bit for bit,
//! on any number of threads.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A table of features: `rows` rows of `features` values, row after row.
#[derive(Clone, Debug, Default)]
pub struct Matrix {
    pub features: usize,
    pub values: Vec<f32>,
}

impl Matrix {
    pub fn new(features: usize) -> Matrix {
        Matrix {
            features,
            values: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.values.len().checked_div(self.features).unwrap_or(0)
    }

    pub fn row(&self, i: usize) -> &[f32] {
        &self.values[i * self.features..(i + 1) * self.features]
    }

    pub fn push(&mut self, row: &[f32]) {
        debug_assert_eq!(row.len(), self.features);
        self.values.extend_from_slice(row);
    }
}

/// How the trees are grown.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TreeParams {
    pub trees: usize,
    pub max_depth: usize,
    pub learning_rate: f64,
    /// L2 penalty on leaf values.
    pub lambda: f64,
    /// The least hessian (about: rows weighted by their uncertainty) a
    /// leaf may hold.
    pub min_child_weight: f64,
    /// Bins per feature (at most 256).
    pub bins: usize,
}

impl Default for TreeParams {
    fn default() -> Self {
        TreeParams {
            trees: 100,
            max_depth: 6,
            learning_rate: 0.1,
            lambda: 1.0,
            min_child_weight: 1.0,
            bins: 64,
        }
    }
}

/// One node of a tree. A leaf has `feature == LEAF`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub feature: u32,
    /// Rows with a value below this go left.
    pub threshold: f32,
    pub left: u32,
    pub right: u32,
    /// The leaf's contribution to the score (log-odds).
    pub value: f32,
}

pub const LEAF: u32 = u32::MAX;

/// An ensemble of trees; the score of a row is `base` plus one leaf value
/// per tree, in log-odds.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Forest {
    pub base: f32,
    pub trees: Vec<Vec<Node>>,
    /// The trees laid out complete for scoring, made on the first score.
    #[serde(skip)]
    complete: Derived,
}

/// [`CompleteTrees`] made from a forest's trees once: not part of what a
/// forest is (not written, not compared).
#[derive(Clone, Debug, Default)]
struct Derived(std::sync::OnceLock<Option<CompleteTrees>>);

impl PartialEq for Derived {
    fn eq(&self, _: &Derived) -> bool {
        true
    }
}

/// Complete trees deeper than this are not made (2^depth leaves a tree):
/// such a forest is scored by walking its nodes.
const MAX_COMPLETE_DEPTH: usize = 10;

/// A forest's trees made complete to the depth of the deepest: each tree
/// a run of `2^depth - 1` splits in breadth-first order (the children of
/// split `i` at `2i + 1` and `2i + 2`) and `2^depth` leaf values; a leaf
/// above the last level is repeated into every leaf below it, under
/// splits whose way does not matter. A row then takes `depth` steps down
/// each tree without a branch on where it goes, and the trees' walks
/// overlap in the processor.
#[derive(Clone, Debug)]
struct CompleteTrees {
    /// How many trees were made complete (the forest's count then).
    trees: usize,
    depth: usize,
    splits: Vec<(u32, f32)>,
    leaves: Vec<f32>,
}

impl CompleteTrees {
    fn new(trees: &[Vec<Node>]) -> Option<CompleteTrees> {
        fn depth_of(tree: &[Node], n: usize) -> usize {
            let node = tree[n];
            if node.feature == LEAF {
                0
            } else {
                1 + depth_of(tree, node.left as usize).max(depth_of(tree, node.right as usize))
            }
        }
        let depth = trees.iter().map(|t| depth_of(t, 0)).max().unwrap_or(0);
        if depth > MAX_COMPLETE_DEPTH {
            return None;
        }
        let inner = (1usize << depth) - 1;
        let mut c = CompleteTrees {
            trees: trees.len(),
            depth,
            splits: vec![(0, 0.0); inner * trees.len()],
            leaves: vec![0.0; (inner + 1) * trees.len()],
        };
        // Node `n` of `tree` placed at position `at` of the complete tree
        // `t`, `level` steps below its root.
        fn place(
            c: &mut CompleteTrees,
            tree: &[Node],
            t: usize,
            n: usize,
            at: usize,
            level: usize,
        ) {
            let inner = (1usize << c.depth) - 1;
            let node = tree[n];
            if level == c.depth {
                c.leaves[t * (inner + 1) + at - inner] = node.value;
            } else if node.feature == LEAF {
                // Either way down leads to this leaf.
                place(c, tree, t, n, 2 * at + 1, level + 1);
                place(c, tree, t, n, 2 * at + 2, level + 1);
            } else {
                c.splits[t * inner + at] = (node.feature, node.threshold);
                place(c, tree, t, node.left as usize, 2 * at + 1, level + 1);
                place(c, tree, t, node.right as usize, 2 * at + 2, level + 1);
            }
        }
        for (t, tree) in trees.iter().enumerate() {
            place(&mut c, tree, t, 0, 0, 0);
        }
        Some(c)
    }

    /// `base` plus each tree's leaf for `row`, added in the trees' order
    /// (the sum [`Forest::walk`] makes, to the bit).
    fn score(&self, base: f32, row: &[f32]) -> f32 {
        let inner = (1usize << self.depth) - 1;
        let mut sum = base;
        // Eight trees at a time: eight independent walks in one loop, so
        // that each step's loads overlap the other walks' instead of waiting
        // for the step before; their leaves are still added in the trees'
        // order.
        let mut t = 0;
        while t + 8 <= self.trees {
            let mut at = [0usize; 8];
            for _ in 0..self.depth {
                for (k, at) in at.iter_mut().enumerate() {
                    let (feature, threshold) = self.splits[(t + k) * inner + *at];
                    let left = row[feature as usize] < threshold;
                    *at = 2 * *at + 2 - usize::from(left);
                }
            }
            for (k, at) in at.iter().enumerate() {
                sum += self.leaves[(t + k) * (inner + 1) + at - inner];
            }
            t += 8;
        }
        for t in t..self.trees {
            let splits = &self.splits[t * inner..(t + 1) * inner];
            let mut at = 0usize;
            for _ in 0..self.depth {
                let (feature, threshold) = splits[at];
                // Right unless below the threshold (a value that is not a
                // number goes right, as in the walk).
                let left = row[feature as usize] < threshold;
                at = 2 * at + 2 - usize::from(left);
            }
            sum += self.leaves[t * (inner + 1) + at - inner];
        }
        sum
    }
}

impl Forest {
    pub fn new(base: f32, trees: Vec<Vec<Node>>) -> Forest {
        Forest {
            base,
            trees,
            complete: Derived::default(),
        }
    }

    /// The log-odds of the label for one row of features. The trees are
    /// made complete on the first call: a forest is not changed once
    /// scored (one that grew since is walked).
    pub fn score(&self, row: &[f32]) -> f32 {
        match self
            .complete
            .0
            .get_or_init(|| CompleteTrees::new(&self.trees))
        {
            Some(c) if c.trees == self.trees.len() => c.score(self.base, row),
            _ => self.walk(row),
        }
    }

    /// [`Forest::score`] by walking each tree's nodes.
    fn walk(&self, row: &[f32]) -> f32 {
        let mut sum = self.base;
        for tree in &self.trees {
            let mut n = 0usize;
            loop {
                let node = tree[n];
                if node.feature == LEAF {
                    sum += node.value;
                    break;
                }
                n = if row[node.feature as usize] < node.threshold {
                    node.left as usize
                } else {
                    node.right as usize
                };
            }
        }
        sum
    }

    /// How much each feature moved the score of `row`, in log-odds: along
    /// each tree's path, a split adds the difference between the child's
    /// value and its own to its feature (Saabas' decomposition). The
    /// contributions, the base and the roots' values add up to the score.
    pub fn contributions(&self, row: &[f32], features: usize) -> Vec<f32> {
        let mut c = vec![0f32; features];
        for tree in &self.trees {
            let mut n = 0usize;
            loop {
                let node = tree[n];
                if node.feature == LEAF {
                    break;
                }
                let next = if row[node.feature as usize] < node.threshold {
                    node.left
                } else {
                    node.right
                } as usize;
                c[node.feature as usize] += tree[next].value - node.value;
                n = next;
            }
        }
        c
    }

    /// Checks that the trees are well formed for rows of `features`
    /// values: every walk ends at a finite leaf.
    pub fn check(&self, features: usize) -> Result<(), String> {
        for (t, tree) in self.trees.iter().enumerate() {
            if tree.is_empty() {
                return Err(format!("tree {t} is empty"));
            }
            for (i, n) in tree.iter().enumerate() {
                if n.feature == LEAF {
                    if !n.value.is_finite() {
                        return Err(format!("tree {t}, node {i}: leaf value is not finite"));
                    }
                    continue;
                }
                if n.feature as usize >= features {
                    return Err(format!(
                        "tree {t}, node {i}: feature {} of {features}",
                        n.feature
                    ));
                }
                // Children come after their parent, so a walk always ends.
                for child in [n.left, n.right] {
                    if child as usize <= i || child as usize >= tree.len() {
                        return Err(format!("tree {t}, node {i}: child {child} out of order"));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Features binned for training: per feature, the cut points and each
/// row's bin, column after column.
struct Binned {
    rows: usize,
    cuts: Vec<Vec<f32>>,
    bins: Vec<Vec<u8>>,
}

/// Cut points of one feature: up to `max_bins - 1` values splitting the
/// sorted values into bins of about equal counts, each cut halfway between
/// two distinct neighbouring values.
fn cut_points(mut values: Vec<f32>, max_bins: usize) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut distinct: Vec<(f32, usize)> = Vec::new();
    for v in values.iter().copied() {
        match distinct.last_mut() {
            Some((last, count)) if *last == v => *count += 1,
            _ => distinct.push((v, 1)),
        }
    }
    if distinct.len() <= max_bins {
        return distinct
            .windows(2)
            .map(|w| midpoint(w[0].0, w[1].0))
            .collect();
    }
    let per_bin = values.len() as f64 / max_bins as f64;
    let mut cuts = Vec::with_capacity(max_bins - 1);
    let mut seen = 0usize;
    let mut next = per_bin;
    for w in distinct.windows(2) {
        seen += w[0].1;
        if seen as f64 >= next && cuts.len() + 1 < max_bins {
            cuts.push(midpoint(w[0].0, w[1].0));
            while next <= seen as f64 {
                next += per_bin;
            }
        }
    }
    cuts
}

fn midpoint(a: f32, b: f32) -> f32 {
    let m = a + (b - a) / 2.0;
    // Between two neighbouring floats the midpoint may round to `a`; the
    // cut must stay above it, as `a` goes left.
    if m > a { m } else { b }
}

fn bin_of(cuts: &[f32], v: f32) -> u8 {
    // The number of cuts at or below v: rows below a cut go left.
    cuts.partition_point(|&c| c <= v) as u8
}

fn bin_features(x: &Matrix, max_bins: usize) -> Binned {
    let rows = x.rows();
    let columns: Vec<(Vec<f32>, Vec<u8>)> = (0..x.features)
        .into_par_iter()
        .map(|f| {
            let column: Vec<f32> = (0..rows).map(|r| x.values[r * x.features + f]).collect();
            let cuts = cut_points(column.clone(), max_bins);
            let bins = column.iter().map(|&v| bin_of(&cuts, v)).collect();
            (cuts, bins)
        })
        .collect();
    let (cuts, bins) = columns.into_iter().unzip();
    Binned { rows, cuts, bins }
}

/// Gradient and hessian sums per bin of one feature.
type Histogram = Vec<(f64, f64)>;

struct Split {
    gain: f64,
    feature: usize,
    /// Bins up to and including this go left.
    bin: usize,
}

/// A node being grown: its rows and their sums.
struct Growing {
    rows: Vec<u32>,
    grad: f64,
    hess: f64,
    depth: usize,
    /// Its index in the tree.
    node: usize,
    hists: Option<Vec<Histogram>>,
}

fn histograms(b: &Binned, rows: &[u32], grad: &[f64], hess: &[f64]) -> Vec<Histogram> {
    b.bins
        .par_iter()
        .map(|column| {
            let mut h = vec![(0.0f64, 0.0f64); 256];
            for &r in rows {
                let slot = &mut h[column[r as usize] as usize];
                slot.0 += grad[r as usize];
                slot.1 += hess[r as usize];
            }
            h
        })
        .collect()
}

fn best_split(
    b: &Binned,
    hists: &[Histogram],
    grad: f64,
    hess: f64,
    p: &TreeParams,
) -> Option<Split> {
    let parent = grad * grad / (hess + p.lambda);
    let mut best: Option<Split> = None;
    for (f, h) in hists.iter().enumerate() {
        let nbins = b.cuts[f].len() + 1;
        let (mut gl, mut hl) = (0.0, 0.0);
        for (bin, &(g, hh)) in h.iter().enumerate().take(nbins - 1) {
            gl += g;
            hl += hh;
            let (gr, hr) = (grad - gl, hess - hl);
            if hl < p.min_child_weight || hr < p.min_child_weight {
                continue;
            }
            let gain = gl * gl / (hl + p.lambda) + gr * gr / (hr + p.lambda) - parent;
            if gain > 1e-9 && best.as_ref().is_none_or(|s| gain > s.gain) {
                best = Some(Split {
                    gain,
                    feature: f,
                    bin,
                });
            }
        }
    }
    best
}

/// Trains a forest on rows `x` with labels `y` (0 or 1) and weights `w`.
/// `gains`, when given, receives the total gain of each feature's splits.
pub fn train(
    x: &Matrix,
    y: &[f32],
    w: &[f32],
    p: &TreeParams,
    gains: Option<&mut Vec<f64>>,
) -> Forest {
    let n = x.rows();
    assert_eq!(y.len(), n);
    assert_eq!(w.len(), n);
    let binned = bin_features(x, p.bins.clamp(2, 256));
    let (wsum, ysum) = y
        .iter()
        .zip(w)
        .fold((0.0f64, 0.0f64), |(a, b), (&yi, &wi)| {
            (a + f64::from(wi), b + f64::from(wi * yi))
        });
    let mean = (ysum / wsum.max(1e-12)).clamp(1e-6, 1.0 - 1e-6);
    let base = (mean / (1.0 - mean)).ln();
    let mut score = vec![base; n];
    let mut grad = vec![0.0f64; n];
    let mut hess = vec![0.0f64; n];
    let mut forest = Forest::new(base as f32, Vec::with_capacity(p.trees));
    let mut total_gain = vec![0.0f64; x.features];
    for _ in 0..p.trees {
        for i in 0..n {
            let prob = 1.0 / (1.0 + (-score[i]).exp());
            let wi = f64::from(w[i]);
            grad[i] = wi * (prob - f64::from(y[i]));
            hess[i] = wi * (prob * (1.0 - prob)).max(1e-12);
        }
        let tree = grow(&binned, &grad, &hess, p, &mut total_gain);
        // Each row's new score: walk the binned tree.
        for (i, s) in score.iter_mut().enumerate() {
            *s += f64::from(leaf_value(&tree, &binned, i));
        }
        forest.trees.push(tree);
    }
    if let Some(g) = gains {
        *g = total_gain;
    }
    forest
}

/// The leaf value the binned row `i` reaches (training rows are walked by
/// bin, which is exactly the threshold test on their values).
fn leaf_value(tree: &[Node], b: &Binned, i: usize) -> f32 {
    let mut n = 0usize;
    loop {
        let node = tree[n];
        if node.feature == LEAF {
            return node.value;
        }
        let f = node.feature as usize;
        let cut = node.threshold;
        let v_bin = b.bins[f][i] as usize;
        // Bin k holds values in [cuts[k-1], cuts[k]): below the cut `c` iff
        // its bin is at most the index of `c`.
        let cut_index = b.cuts[f].partition_point(|&c| c < cut);
        n = if v_bin <= cut_index {
            node.left as usize
        } else {
            node.right as usize
        };
    }
}

fn grow(b: &Binned, grad: &[f64], hess: &[f64], p: &TreeParams, gains: &mut [f64]) -> Vec<Node> {
    let all: Vec<u32> = (0..b.rows as u32).collect();
    let (g0, h0) = all.iter().fold((0.0, 0.0), |(g, h), &r| {
        (g + grad[r as usize], h + hess[r as usize])
    });
    let mut nodes = vec![leaf(g0, h0, p)];
    let mut level = vec![Growing {
        rows: all,
        grad: g0,
        hess: h0,
        depth: 0,
        node: 0,
        hists: None,
    }];
    while !level.is_empty() {
        let mut next = Vec::new();
        for mut g in level {
            if g.depth >= p.max_depth || g.rows.len() < 2 {
                continue;
            }
            let hists = g
                .hists
                .take()
                .unwrap_or_else(|| histograms(b, &g.rows, grad, hess));
            let Some(split) = best_split(b, &hists, g.grad, g.hess, p) else {
                continue;
            };
            gains[split.feature] += split.gain;
            let column = &b.bins[split.feature];
            let (left_rows, right_rows): (Vec<u32>, Vec<u32>) = g
                .rows
                .iter()
                .partition(|&&r| (column[r as usize] as usize) <= split.bin);
            let sums = |rows: &[u32]| {
                rows.iter().fold((0.0, 0.0), |(a, c), &r| {
                    (a + grad[r as usize], c + hess[r as usize])
                })
            };
            let (gl, hl) = sums(&left_rows);
            let (gr, hr) = (g.grad - gl, g.hess - hl);
            // The smaller child's histograms are built; the larger's are
            // the parent's minus them.
            let small_is_left = left_rows.len() <= right_rows.len();
            let small = histograms(
                b,
                if small_is_left {
                    &left_rows
                } else {
                    &right_rows
                },
                grad,
                hess,
            );
            let large: Vec<Histogram> = hists
                .iter()
                .zip(&small)
                .map(|(parent, s)| {
                    parent
                        .iter()
                        .zip(s)
                        .map(|(a, c)| (a.0 - c.0, a.1 - c.1))
                        .collect()
                })
                .collect();
            let (left_hists, right_hists) = if small_is_left {
                (small, large)
            } else {
                (large, small)
            };
            let left = nodes.len();
            nodes.push(leaf(gl, hl, p));
            nodes.push(leaf(gr, hr, p));
            let cut = b.cuts[split.feature][split.bin];
            // An inner node keeps the value it had as a leaf: what the
            // tree says before this split, from which each split's
            // contribution to a row's score is measured.
            nodes[g.node] = Node {
                feature: split.feature as u32,
                threshold: cut,
                left: left as u32,
                right: left as u32 + 1,
                value: nodes[g.node].value,
            };
            next.push(Growing {
                rows: left_rows,
                grad: gl,
                hess: hl,
                depth: g.depth + 1,
                node: left,
                hists: Some(left_hists),
            });
            next.push(Growing {
                rows: right_rows,
                grad: gr,
                hess: hr,
                depth: g.depth + 1,
                node: left + 1,
                hists: Some(right_hists),
            });
        }
        level = next;
    }
    nodes
}

fn leaf(grad: f64, hess: f64, p: &TreeParams) -> Node {
    Node {
        feature: LEAF,
        threshold: 0.0,
        left: 0,
        right: 0,
        value: (-grad / (hess + p.lambda) * p.learning_rate) as f32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows on a grid, labelled by an interaction no single feature shows
    /// (x0 > 0.5 xor x1 > 0.5), plus a useless feature.
    fn xor_data() -> (Matrix, Vec<f32>) {
        let mut x = Matrix::new(3);
        let mut y = Vec::new();
        for i in 0..40 {
            for j in 0..40 {
                let (a, b) = (i as f32 / 40.0, j as f32 / 40.0);
                x.push(&[a, b, ((i * 7 + j * 13) % 10) as f32]);
                y.push(((a > 0.5) ^ (b > 0.5)) as u8 as f32);
            }
        }
        (x, y)
    }

    /// Complete trees score every row as walking the nodes does, to the
    /// bit: trees of any shape up to the deepest, single leaves, values
    /// on a split's threshold, and values that are not numbers.
    #[test]
    fn complete_trees_score_as_the_walk() {
        let mut next = crate::testing::xorshift(0x5eed_1234_abcd_0001u64);
        let mut value = move || ((next() % 2001) as f32 - 1000.0) / 250.0;
        // A random tree of at most `depth` levels below node `tree.len()`.
        fn grow(tree: &mut Vec<Node>, depth: usize, value: &mut impl FnMut() -> f32) {
            let n = tree.len();
            let v = value();
            tree.push(Node {
                feature: LEAF,
                threshold: 0.0,
                left: 0,
                right: 0,
                value: v,
            });
            if depth == 0 || v.abs() < 1.0 {
                return;
            }
            let left = tree.len() as u32;
            grow(tree, depth - 1, value);
            let right = tree.len() as u32;
            grow(tree, depth - 1, value);
            let threshold = (value() * 4.0).round() / 4.0;
            tree[n] = Node {
                feature: (v.to_bits() % 4),
                threshold,
                left,
                right,
                value: v,
            };
        }
        for depth in [0, 1, 3, 6] {
            let trees: Vec<Vec<Node>> = (0..20)
                .map(|_| {
                    let mut t = Vec::new();
                    grow(&mut t, depth, &mut value);
                    t
                })
                .collect();
            let forest = Forest::new(0.25, trees);
            forest.check(4).unwrap();
            for k in 0..500 {
                let mut row: Vec<f32> = (0..4).map(|_| (value() * 4.0).round() / 4.0).collect();
                if k % 50 == 0 {
                    row[k / 50 % 4] = f32::NAN;
                }
                assert_eq!(
                    forest.score(&row).to_bits(),
                    forest.walk(&row).to_bits(),
                    "depth {depth}, {row:?}"
                );
            }
        }
    }

    #[test]
    fn learns_an_interaction_and_scores_as_it_trained() {
        let (x, y) = xor_data();
        let w = vec![1.0; y.len()];
        let p = TreeParams {
            trees: 30,
            max_depth: 3,
            ..TreeParams::default()
        };
        let mut gains = Vec::new();
        let forest = train(&x, &y, &w, &p, Some(&mut gains));
        forest.check(3).unwrap();
        let right = (0..x.rows())
            .filter(|&i| (forest.score(x.row(i)) > 0.0) == (y[i] > 0.5))
            .count();
        assert!(right as f64 / x.rows() as f64 > 0.97, "{right}");
        assert!(gains[2] < gains[0] && gains[2] < gains[1], "{gains:?}");
        // Contributions add up to the score.
        let row = x.row(123);
        let roots: f32 = forest.trees.iter().map(|t| t[0].value).sum();
        let sum: f32 = forest.contributions(row, 3).iter().sum::<f32>() + roots + forest.base;
        assert!((sum - forest.score(row)).abs() < 1e-4, "{sum}");
    }

    #[test]
    fn training_is_the_same_on_any_number_of_threads() {
        let (x, y) = xor_data();
        let w = vec![1.0; y.len()];
        let p = TreeParams {
            trees: 10,
            ..TreeParams::default()
        };
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| train(&x, &y, &w, &p, None));
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(|| train(&x, &y, &w, &p, None));
        assert_eq!(one, three);
    }

    #[test]
    fn cuts_split_values_into_even_bins() {
        let cuts = cut_points((0..100).map(|v| v as f32).collect(), 4);
        assert_eq!(cuts, vec![24.5, 49.5, 74.5]);
        assert_eq!(bin_of(&cuts, 24.0), 0);
        assert_eq!(bin_of(&cuts, 25.0), 1);
        assert_eq!(cut_points(vec![1.0, 1.0, 2.0], 8), vec![1.5]);
    }
}
