//! Deterministic generator of a synthetic, labelled news corpus for benchmarking `sapu`.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out DIR [--docs N] [--mb M] [--seed S] [--verify]
//! ```
//!
//! * `--docs N`  stop after N documents; `--mb M` stop once `corpus.jsonl` reaches M megabytes
//!   (1 MB = 1,000,000 bytes). With both, whichever comes first; with neither, 1000 documents.
//! * `--seed S`  (default 1). The same seed and limits give byte-identical output: every document
//!   is generated from its own PRNG stream derived from (seed, document index).
//! * `--verify`  re-split every generated text and check it against its truth record.
//!
//! Output:
//!
//! * `DIR/corpus.jsonl`: `{"id":"gen-0000001","url":"https://...","lang":"id"|"en","text":"..."}`
//! * `DIR/truth.jsonl`:  `{"id":"gen-0000001","content":[...],"clutter":[...]}`
//!
//! Truth semantics: the text is split into lines on `\n` (a `\r` before it, present in the few
//! CRLF documents, is the line terminator and not part of the line). Every non-blank line (a line
//! with something other than whitespace; no-break spaces count as whitespace) appears exactly once
//! in `content` or in `clutter`, in document order, byte for byte as written into the text: trailing
//! no-break spaces, zero-width spaces and leading spaces included. One exception: a title line that
//! carries a site suffix ("Title | Suara Amerika", "Title - Kompas.com") is recorded in `content`
//! as the title WITHOUT the suffix (and without any trailing no-break space), because the title is
//! content and only the suffix is clutter. Repeats of the title (image alt text, captions glued to
//! the title) are clutter and recorded as full lines.
//!
//! The text material (seed sentences with entity slots, templates, word lists) lives in
//! `bench/data/` and is compiled into the binary; see `bench/data/README.md`.
//! No dependencies beyond std and serde_json; the PRNG is a hand-written splitmix64.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

macro_rules! data {
    ($f:literal) => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/data/", $f))
    };
}

// ---------------------------------------------------------------------------------------------
// PRNG

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ 0x5851_F42D_4C95_7F2D);
        let a = r.next_u64();
        let mut r = Rng(a ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next_u64();
        r
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
    /// Index drawn with the given weights.
    fn weighted(&mut self, w: &[u32]) -> usize {
        let total: u32 = w.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &wi) in w.iter().enumerate() {
            if x < wi {
                return i;
            }
            x -= wi;
        }
        w.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// Data

const ID: usize = 0;
const EN: usize = 1;

/// A file of `# section` blocks (a `#` line whose rest is one word starts a section; other `#`
/// lines are comments).
struct Sections {
    map: Vec<(&'static str, Vec<&'static str>)>,
}

impl Sections {
    fn parse(s: &'static str) -> Sections {
        let mut map: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
        for line in s.lines() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if let Some(rest) = line.strip_prefix('#') {
                let rest = rest.trim();
                if !rest.is_empty() && !rest.contains(' ') {
                    map.push((rest, Vec::new()));
                }
                continue;
            }
            match map.last_mut() {
                Some((_, v)) => v.push(line),
                None => panic!("data line before any section: {line}"),
            }
        }
        Sections { map }
    }
    fn get(&self, name: &str) -> &[&'static str] {
        self.try_get(name)
            .unwrap_or_else(|| panic!("missing data section {name}"))
    }
    fn try_get(&self, name: &str) -> Option<&[&'static str]> {
        self.map
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_slice())
    }
    fn all(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.map.iter().flat_map(|(_, v)| v.iter().copied())
    }
}

fn plain_lines(s: &'static str) -> Vec<&'static str> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn columns<const N: usize>(s: &'static str) -> Vec<[&'static str; N]> {
    plain_lines(s)
        .into_iter()
        .map(|l| {
            let mut out = [""; N];
            let mut it = l.split('|');
            for slot in out.iter_mut() {
                *slot = it.next().unwrap_or_else(|| panic!("bad data line {l}"));
            }
            out
        })
        .collect()
}

struct LangData {
    sent: Sections,
    titles: Sections,
    subheads: Sections,
    links: Sections,
    phrases: Sections,
}

struct Data {
    /// id name, en name, id capital, en capital
    countries: Vec<[&'static str; 4]>,
    roles: Vec<[&'static str; 2]>,
    topics: Vec<[&'static str; 2]>,
    orgs: Vec<[&'static str; 2]>,
    persons_world: Vec<&'static str>,
    persons_id: Vec<&'static str>,
    persons_en: Vec<&'static str>,
    /// city, region; per language
    places: [Vec<[&'static str; 2]>; 2],
    companies: Vec<&'static str>,
    lang: [LangData; 2],
}

impl Data {
    fn load() -> Data {
        Data {
            countries: columns(data!("countries.txt")),
            roles: columns(data!("roles.txt")),
            topics: columns(data!("topics.txt")),
            orgs: columns(data!("orgs.txt")),
            persons_world: plain_lines(data!("persons_world.txt")),
            persons_id: plain_lines(data!("persons_id.txt")),
            persons_en: plain_lines(data!("persons_en.txt")),
            places: [
                columns(data!("places_id.txt")),
                columns(data!("places_en.txt")),
            ],
            companies: plain_lines(data!("companies.txt")),
            lang: [
                LangData {
                    sent: Sections::parse(data!("id_sentences.txt")),
                    titles: Sections::parse(data!("id_titles.txt")),
                    subheads: Sections::parse(data!("id_subheads.txt")),
                    links: Sections::parse(data!("id_link_titles.txt")),
                    phrases: Sections::parse(data!("id_phrases.txt")),
                },
                LangData {
                    sent: Sections::parse(data!("en_sentences.txt")),
                    titles: Sections::parse(data!("en_titles.txt")),
                    subheads: Sections::parse(data!("en_subheads.txt")),
                    links: Sections::parse(data!("en_link_titles.txt")),
                    phrases: Sections::parse(data!("en_phrases.txt")),
                },
            ],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sites and domains

struct Site {
    name: &'static str,
    domain: &'static str,
    dateline: &'static str,
    suffix: &'static str,
}

const SITES_ID: &[Site] = &[
    Site {
        name: "HanTer",
        domain: "www.harianterbit.com",
        dateline: "{DL}, HanTer - ",
        suffix: "Harian Terbit",
    },
    Site {
        name: "VOA Indonesia",
        domain: "www.voaindonesia.com",
        dateline: "{DLU} – ",
        suffix: "Suara Amerika",
    },
    Site {
        name: "KompasTV",
        domain: "www.kompas.tv",
        dateline: "{DLU}, KOMPAS.TV - ",
        suffix: "KompasTV",
    },
    Site {
        name: "Suara.com",
        domain: "www.suara.com",
        dateline: "Suara.com - ",
        suffix: "Suara.com",
    },
    Site {
        name: "IDN Times",
        domain: "www.idntimes.com",
        dateline: "{DL}, IDN Times - ",
        suffix: "IDN Times",
    },
    Site {
        name: "Kompas.com",
        domain: "www.kompas.com",
        dateline: "{DLU}, KOMPAS.com - ",
        suffix: "Kompas.com",
    },
    Site {
        name: "detikcom",
        domain: "news.detik.com",
        dateline: "{DL} - ",
        suffix: "detikNews",
    },
    Site {
        name: "ANTARA",
        domain: "www.antaranews.com",
        dateline: "{DL} (ANTARA) - ",
        suffix: "ANTARA News",
    },
    Site {
        name: "CNN Indonesia",
        domain: "www.cnnindonesia.com",
        dateline: "{DL}, CNN Indonesia -- ",
        suffix: "CNN Indonesia",
    },
    Site {
        name: "Liputan6.com",
        domain: "www.liputan6.com",
        dateline: "Liputan6.com, {DL} - ",
        suffix: "Liputan6.com",
    },
    Site {
        name: "Tempo.co",
        domain: "www.tempo.co",
        dateline: "TEMPO.CO, {DL} - ",
        suffix: "Tempo.co",
    },
    Site {
        name: "Okezone",
        domain: "news.okezone.com",
        dateline: "{DLU} - ",
        suffix: "Okezone News",
    },
    Site {
        name: "Tribunnews.com",
        domain: "www.tribunnews.com",
        dateline: "TRIBUNNEWS.COM, {DLU} - ",
        suffix: "Tribunnews.com",
    },
    Site {
        name: "Republika",
        domain: "news.republika.co.id",
        dateline: "REPUBLIKA.CO.ID, {DLU} -- ",
        suffix: "Republika Online",
    },
];

const SITES_EN: &[Site] = &[
    Site {
        name: "AP News",
        domain: "apnews.com",
        dateline: "{DLU} (AP) — ",
        suffix: "AP News",
    },
    Site {
        name: "VOA News",
        domain: "www.voanews.com",
        dateline: "{DLU} — ",
        suffix: "Voice of America",
    },
    Site {
        name: "Reuters",
        domain: "www.reuters.com",
        dateline: "{DLU}, {DM} (Reuters) - ",
        suffix: "Reuters",
    },
    Site {
        name: "The Jakarta Post",
        domain: "www.thejakartapost.com",
        dateline: "{DL} — ",
        suffix: "The Jakarta Post",
    },
    Site {
        name: "CNA",
        domain: "www.channelnewsasia.com",
        dateline: "{DLU}: ",
        suffix: "CNA",
    },
    Site {
        name: "Al Jazeera",
        domain: "www.aljazeera.com",
        dateline: "",
        suffix: "Al Jazeera",
    },
];

/// (section name in the data files, weight, URL path)
const DOMAINS_ID: &[(&str, u32, &str)] = &[
    ("world", 40, "internasional"),
    ("national", 25, "nasional"),
    ("economy", 20, "ekonomi"),
    ("crime", 15, "hukum"),
];
const DOMAINS_EN: &[(&str, u32, &str)] = &[
    ("world", 50, "world"),
    ("economy", 30, "business"),
    ("science", 20, "science"),
];

const MONTHS: [[&str; 12]; 2] = [
    [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ],
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
];
const WEEKDAYS: [[&str; 7]; 2] = [
    [
        "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
    ],
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ],
];
const SMALL_WORDS: &[&str] = &[
    "dan", "di", "ke", "dari", "yang", "untuk", "dengan", "dalam", "pada", "lewat", "oleh", "bagi",
    "atau", "tentang", "terhadap", "soal", "of", "and", "the", "in", "to", "for", "on",
];

// ---------------------------------------------------------------------------------------------
// Template rendering

/// Per-document entity bindings used to fill `{slots}`.
#[derive(Clone, Copy)]
struct Ctx<'a> {
    d: &'a Data,
    lang: usize,
    dom: &'static str,
    pool: &'a [&'static str],
    persons: [&'static str; 4],
    roles: [usize; 4],
    countries: [usize; 4],
    orgs: [usize; 2],
    topic: usize,
    place: [&'static str; 2],
    company: usize,
    author: &'static str,
    dl: &'static str,
    site: &'static Site,
    /// Resolve bound slots (`{P0}`, `{C1}`, ...) to random values: used for titles of *other*
    /// articles (promos, sidebars).
    free: bool,
}

fn surname(name: &str) -> &str {
    name.rsplit(' ').next().unwrap_or(name)
}

fn push_thousands(out: &mut String, n: usize, lang: usize) {
    if n >= 1000 {
        let sep = if lang == ID { '.' } else { ',' };
        let _ = write!(out, "{}{}{:03}", n / 1000, sep, n % 1000);
    } else {
        let _ = write!(out, "{n}");
    }
}

fn push_handle(out: &mut String, name: &str, rng: &mut Rng) {
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == ' ' && rng.chance(0.2) {
            out.push('_');
        }
    }
    match rng.below(4) {
        0 => {
            let _ = write!(out, "{}", rng.range(1, 99));
        }
        1 => out.push_str("_official"),
        _ => {}
    }
}

fn push_spam_brand(out: &mut String, rng: &mut Rng) {
    const A: &[&str] = &[
        "raja", "dewa", "naga", "zeus", "sultan", "cuan", "mega", "king", "hoki", "gacor",
        "olympus", "toto", "maxwin", "jp",
    ];
    const B: &[&str] = &["toto", "slot", "bet", "play", "win", "jp", "togel", "hoki"];
    const C: &[&str] = &["88", "77", "4d", "303", "777", "69", "138", "168"];
    let start = out.len();
    out.push_str(rng.pick(A));
    out.push_str(rng.pick(B));
    out.push_str(rng.pick(C));
    if rng.chance(0.4) {
        out[start..].make_ascii_uppercase();
    }
}

fn capitalize_first(out: &mut str, start: usize) {
    if let Some(s) = out.get_mut(start..start + 1) {
        s.make_ascii_uppercase();
    }
}

fn title_case(out: &mut str, start: usize) {
    let mut pos = start;
    let mut first = true;
    while pos < out.len() {
        let end = out[pos..].find(' ').map_or(out.len(), |i| pos + i);
        let word = &out[pos..end];
        if first || !SMALL_WORDS.contains(&word) {
            capitalize_first(out, pos);
        }
        first = false;
        pos = end + 1;
    }
}

impl Ctx<'_> {
    fn person(&self, i: Option<usize>, rng: &mut Rng) -> &'static str {
        match i {
            Some(i) if !self.free => self.persons[i],
            _ => rng.pick(self.pool),
        }
    }
    fn idx(&self, i: Option<usize>, bound: &[usize], n: usize, rng: &mut Rng) -> usize {
        match i {
            Some(i) if !self.free => bound[i],
            _ => rng.below(n),
        }
    }

    fn slot(&self, out: &mut String, spec: &str, rng: &mut Rng) {
        let (name, modifier) = match spec.as_bytes().last() {
            Some(b'!') => (&spec[..spec.len() - 1], b'!'),
            Some(b'^') => (&spec[..spec.len() - 1], b'^'),
            _ => (spec, 0),
        };
        let (head, num) = match name.as_bytes().last() {
            Some(c) if c.is_ascii_digit() && name.len() > 1 => {
                (&name[..name.len() - 1], Some((c - b'0') as usize))
            }
            _ => (name, None),
        };
        let l = self.lang;
        let d = self.d;
        let start = out.len();
        match head {
            "P" => out.push_str(self.person(num, rng)),
            "p" => out.push_str(surname(self.person(num, rng))),
            "R" => out.push_str(d.roles[self.idx(num, &self.roles, d.roles.len(), rng)][l]),
            "C" => {
                out.push_str(d.countries[self.idx(num, &self.countries, d.countries.len(), rng)][l])
            }
            "K" => out.push_str(
                d.countries[self.idx(num, &self.countries, d.countries.len(), rng)][2 + l],
            ),
            "O" => out.push_str(d.orgs[self.idx(num, &self.orgs, d.orgs.len(), rng)][l]),
            "T" => out.push_str(d.topics[self.idx(num, &[self.topic], d.topics.len(), rng)][l]),
            "F" => {
                out.push_str(d.companies[self.idx(num, &[self.company], d.companies.len(), rng)])
            }
            "L" | "V" => {
                let col = usize::from(head == "V");
                match num {
                    Some(_) if !self.free => out.push_str(self.place[col]),
                    _ => out.push_str(rng.pick(&d.places[l])[col]),
                }
            }
            "BY" => out.push_str(if num.is_some() {
                self.author
            } else if l == ID {
                rng.pick(&d.persons_id)
            } else {
                rng.pick(&d.persons_en)
            }),
            "BYU" => {
                out.push_str(rng.pick(&d.persons_en));
                out[start..].make_ascii_uppercase();
            }
            "PH" => out.push_str(rng.pick(&d.persons_en)),
            "HANDLE" => {
                let who = rng.pick(&d.persons_world);
                push_handle(out, who, rng);
            }
            "SB" => push_spam_brand(out, rng),
            "S" => out.push_str(self.site.name),
            "DL" => out.push_str(self.dl),
            "DLU" => {
                out.push_str(self.dl);
                out[start..].make_ascii_uppercase();
            }
            "D" => {
                let wd = WEEKDAYS[l][rng.below(7)];
                let (dd, mm, yy) = (rng.range(1, 28), rng.range(1, 12), rng.range(2019, 2025));
                if l == ID {
                    let _ = write!(out, "{wd} ({dd}/{mm}/{yy})");
                } else {
                    let _ = write!(out, "{wd}, {} {dd}", MONTHS[l][mm - 1]);
                }
            }
            "DM" => {
                let (dd, m) = (rng.range(1, 28), MONTHS[l][rng.below(12)]);
                if l == ID {
                    let _ = write!(out, "{dd} {m}");
                } else {
                    let _ = write!(out, "{m} {dd}");
                }
            }
            "DMY" => {
                let (dd, m, y) = (
                    rng.range(1, 28),
                    MONTHS[l][rng.below(12)],
                    rng.range(2019, 2025),
                );
                if l == ID {
                    let _ = write!(out, "{dd} {m} {y}");
                } else {
                    let _ = write!(out, "{m} {dd}, {y}");
                }
            }
            "HM" => {
                let _ = write!(out, "{:02}:{:02}", rng.range(0, 23), rng.range(0, 59));
            }
            "HMA" => {
                let ampm = if rng.chance(0.5) { "AM" } else { "PM" };
                let _ = write!(out, "{}:{:02} {ampm}", rng.range(1, 12), rng.range(0, 59));
            }
            "W" => out.push_str(WEEKDAYS[l][rng.below(7)]),
            "M" => out.push_str(MONTHS[l][rng.below(12)]),
            "Y" => {
                let _ = write!(out, "{}", rng.range(2015, 2025));
            }
            "N" => {
                let n = if rng.chance(0.7) {
                    rng.range(2, 20)
                } else {
                    rng.range(21, 95)
                };
                let _ = write!(out, "{n}");
            }
            "X" => {
                let n = if rng.chance(0.5) {
                    rng.range(100, 999)
                } else {
                    rng.range(1000, 9999)
                };
                push_thousands(out, n, l);
            }
            "PC" => {
                let sep = if l == ID { ',' } else { '.' };
                let _ = write!(out, "{}{sep}{}", rng.range(1, 12), rng.range(1, 9));
            }
            "AGE" => {
                let _ = write!(out, "{}", rng.range(19, 64));
            }
            "AB" => {
                out.push((b'A' + rng.below(26) as u8) as char);
                out.push((b'A' + rng.below(26) as u8) as char);
            }
            "ab" => {
                for _ in 0..3 {
                    out.push((b'a' + rng.below(26) as u8) as char);
                }
            }
            _ => panic!("unknown slot {{{spec}}}"),
        }
        match modifier {
            b'!' => capitalize_first(out, start),
            b'^' => title_case(out, start),
            _ => {}
        }
    }
}

/// The `k`-th top-level `|` alternative of `inner`.
fn nth_alt(inner: &str, k: usize) -> &str {
    let b = inner.as_bytes();
    let (mut depth, mut seen, mut from) = (0usize, 0usize, 0usize);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'{' => depth += 1,
            b'}' => depth -= 1,
            b'|' if depth == 0 => {
                if seen == k {
                    return &inner[from..i];
                }
                seen += 1;
                from = i + 1;
            }
            _ => {}
        }
    }
    &inner[from..]
}

/// Expand a template: `{SLOT}` (see `Ctx::slot`) and `{a|b|c}` alternatives (may nest).
fn render(out: &mut String, tpl: &str, cx: &Ctx, rng: &mut Rng) {
    let b = tpl.as_bytes();
    let (mut i, mut lit) = (0, 0);
    while i < b.len() {
        if b[i] != b'{' {
            i += 1;
            continue;
        }
        out.push_str(&tpl[lit..i]);
        let (mut depth, mut bars, mut j) = (0usize, 0usize, i);
        loop {
            match b[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b'|' if depth == 1 => bars += 1,
                _ => {}
            }
            j += 1;
        }
        let inner = &tpl[i + 1..j];
        if bars > 0 {
            let k = rng.below(bars + 1);
            render(out, nth_alt(inner, k), cx, rng);
        } else {
            cx.slot(out, inner, rng);
        }
        i = j + 1;
        lit = i;
    }
    out.push_str(&tpl[lit..]);
}

// ---------------------------------------------------------------------------------------------
// Clutter wordings (templates). Index 0 = Indonesian, 1 = English.

const BYLINE: [&[&str]; 2] = [
    &[
        "{BY0}",
        "{BY0}",
        "Oleh: {BY0}",
        "Penulis: {BY0}",
        "Reporter: {BY0} | Editor: {BY}",
        "{BY0} - {S}",
        "Oleh {BY0}",
    ],
    &[
        "By {BYU}",
        "By {BY0}",
        "{BY0}, Staff Writer",
        "By {BY0} and {BY}",
        "{BY0} | {S}",
    ],
];
const TIMESTAMP: [&[&str]; 2] = [
    &[
        "{W}, {DMY} | {HM} WIB",
        "{W}, {DMY} {HM} WIB",
        "Diperbarui {W}, {DMY} {HM} WIB",
        "{DMY}, {HM} WIB",
        "Dipublikasikan: {DMY}",
    ],
    &[
        "Published {HMA} EDT, {DMY}",
        "Updated {HMA} GMT, {DMY}",
        "{DMY}",
        "Last updated: {DMY} {HM}",
    ],
];
const SECTION_LABEL: [&[&str]; 2] = [
    &[
        "{X}",
        "{X}",
        "{X}",
        "Home > {X}",
        "Berita / {X}",
        "News > {X}",
        "{S} > {X}",
    ],
    &["{X}", "{X}", "{X}", "Home / {X}", "News > {X}", "{X} News"],
];
const SECTION_NAMES_ID: &[(&str, &[&str])] = &[
    (
        "world",
        &[
            "Internasional",
            "Dunia",
            "South & Central Asia",
            "Asia Pasifik",
            "Timur Tengah",
            "Global",
        ],
    ),
    (
        "national",
        &["Nasional", "Regional", "Daerah", "Politik", "Megapolitan"],
    ),
    (
        "economy",
        &["Ekonomi", "Bisnis", "Keuangan", "Market", "Ekbis"],
    ),
    (
        "crime",
        &["Hukum", "Kriminal", "Peristiwa", "Hukum & Kriminal"],
    ),
];
const SECTION_NAMES_EN: &[(&str, &[&str])] = &[
    (
        "world",
        &[
            "World",
            "Asia Pacific",
            "Middle East",
            "Europe",
            "South & Central Asia",
        ],
    ),
    ("economy", &["Business", "Markets", "Economy", "Finance"]),
    ("science", &["Science", "Climate", "Health", "Environment"]),
];
const CAP_AP: [&[&str]; 2] = [
    &[
        "{R0} {C0} {P0}, {DM} {Y}.",
        "{R1} {C2} {P1} menghadiri pertemuan dengan mitranya dari {C0} {P0} di {K2},…",
        "{P3}, tengah, tiba bersama anggota delegasi lainnya untuk konferensi di {K0}, {C0}, {DM} {Y}.",
        "Pengiriman {bantuan kemanusiaan|vaksin|gandum|pupuk} dari {C0} tiba di bandara {K1}, {DM} {Y}.",
        "Warga berjalan melewati gedung yang rusak di {K1}, {C1}, {DM} {Y}.",
        "Para pengunjuk rasa berkumpul di depan kedutaan besar {C3} di {K0}, {DM} {Y}.",
        "{P0} berbicara dalam konferensi pers di {L0}, {DM} {Y}.",
        "Petugas {memeriksa|mengevakuasi|membantu} warga di {L0}, {DM} {Y}.",
    ],
    &[
        "{C0}'s {R0} {P0} speaks during a news conference in {K0}, {C0}, {DM}, {Y}.",
        "{P3}, center, arrives with other members of the delegation for talks in {K0}, {DM}, {Y}.",
        "People walk past a damaged building in {K1}, {C1}, {DM}, {Y}.",
        "Protesters gather outside the {C3} embassy in {K0}, {DM}, {Y}.",
        "{P0} speaks to reporters in {L0}, {DM}, {Y}.",
        "A worker {inspects|repairs|cleans} equipment at a site near {L0}, {DM}, {Y}.",
        "Firefighters battle a blaze near {L0} on {DM}, {Y}.",
    ],
];
const CAP_SHORT: [&[&str]; 2] = [
    &[
        "{R} {C} {P} (twitter.com/{HANDLE})",
        "{R0} {C0} {P0} (twitter.com/{HANDLE})",
        "{P0} (instagram.com/{HANDLE})",
        "Ilustrasi {T} (IDN Times/{BY})",
        "{P0} saat ditemui di {L0} (dok. {S})",
        "Ilustrasi (Unsplash.com/{HANDLE})",
        "{P} (IDN Times/{BY})",
        "Ilustrasi {polisi|uang rupiah|banjir|gedung pengadilan|pasar tradisional} (ANTARA FOTO/{BY})",
    ],
    &[
        "{P0} (Twitter/@{HANDLE})",
        "{P} (Photo: Instagram/{HANDLE})",
        "Illustration (Unsplash/{HANDLE})",
        "{P0} in {L0} (Courtesy of {S})",
    ],
];
const CAP_ANTARA: &[&str] = &[
    "{R!} {P0} menyampaikan keterangan kepada wartawan di {L0}, {D}. ANTARA FOTO/{BY}/{ab}.",
    "Petugas memeriksa kendaraan yang melintas di gerbang tol {L}, {D}. ANTARA FOTO/{BY}/{ab}.",
    "Warga mengantre bantuan di posko pengungsian {L0}, {D}. ANTARA FOTO/{BY}/{ab}/{ab}.",
    "Pedagang melayani pembeli di Pasar {L0}, {D}. (ANTARA FOTO/{BY})",
    "Sejumlah personel kepolisian mengikuti apel gelar pasukan di {L0}, {D}. (ANTARA FOTO/{BY}/nz)",
    "ANTARA FOTO/{BY}",
];
const CAP_FOTO: [&[&str]; 2] = [
    &[
        "Foto: {P0} saat memberikan keterangan di {L0} ({BY}/detikcom)",
        "Foto: Dok. Istimewa",
        "Foto: {BY}/{S}",
        "Foto: AP/{PH}",
        "Foto: Antara/{BY}",
        "Foto ilustrasi: Shutterstock",
        "Foto: Ilustrasi {T} (Getty Images/iStockphoto)",
        "Foto: dok. {Humas Polri|Humas Pemkot {L0}|Kemlu RI|Istimewa}",
    ],
    &[
        "Photo: Reuters",
        "Photo: {PH}/AFP via Getty Images",
        "Image: {S}",
        "(AP Photo/{PH})",
        "(AP Photo/{PH}, File)",
        "Photo: {PH}/Bloomberg",
        "Photograph: {PH}/{S}",
    ],
];
const READ_ALSO: [&[&str]; 2] = [
    &[
        "Baca Juga: ",
        "Baca Juga: ",
        "Baca juga: ",
        "BACA JUGA: ",
        "Baca Juga : ",
        "Baca juga : ",
        "Simak Juga: ",
    ],
    &[
        "Read also: ",
        "Read more: ",
        "READ MORE: ",
        "Also read: ",
        "Related: ",
        "RELATED: ",
    ],
];
const READ_ALSO_HEAD: [&[&str]; 2] = [
    &["Baca Juga:", "Baca juga:", "BACA JUGA:", "Baca Juga"],
    &["Read more:", "Read also:", "READ MORE", "Related:"],
];
const SOURCE_CREDIT: [&[&str]; 2] = [
    &[
        "Sumber : {SRC}",
        "Sumber: {SRC}",
        "SUMBER: {SRC}",
        "Sumber: {SRC} | Editor: {BY}",
        "({ab}/{ab})",
        "Editor: {BY}",
        "Penulis: {BY0} | Editor: {BY}",
        "Sumber : {SRC}, {SRC}",
    ],
    &[
        "Source: {SRC}",
        "Reporting by {BY0}; Editing by {BY}",
        "Additional reporting by {BY} in {K}",
        "Source: {SRC}, {SRC}",
        "Edited by {BY}",
    ],
];
const SOURCES: [&[&str]; 2] = [
    &[
        "Associated Press",
        "Antara",
        "Reuters",
        "AFP",
        "Kompas TV/AP",
        "Antara/Reuters",
        "BBC",
        "Xinhua",
        "{S}",
        "VOA",
    ],
    &[
        "Associated Press",
        "Reuters",
        "AFP",
        "Bloomberg",
        "{S}",
        "Xinhua",
        "BBC",
    ],
];
const CHANNEL: [&[&str]; 2] = [
    &[
        "Gabung ke Channel WhatsApp {S} untuk update berita terbaru dan terpercaya.",
        "Ikuti berita terkini dari {S} di Google News, klik di sini.",
        "Dapatkan update berita pilihan dan breaking news setiap hari dari {S}. Mari bergabung di Grup Telegram \"{S} Update\", caranya klik link berikut, kemudian join.",
        "Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses berita {S} WhatsApp Channel.",
        "{Follow|Ikuti} Instagram {S} untuk info terbaru lainnya.",
        "Yuk, ikuti WhatsApp Channel {S} biar nggak ketinggalan berita {terkini|terbaru|viral}.",
        "Download aplikasi {S} untuk akses berita lebih cepat dan nyaman.",
        "Ikuti juga {S} di {Facebook|Twitter|TikTok|YouTube} untuk berita {terkini|pilihan} lainnya.",
    ],
    &[
        "Follow us on {Twitter|X|Instagram|Facebook|Threads} for the latest updates.",
        "Sign up for our newsletter to get the day's top stories delivered to your inbox.",
        "Sign up for {S}'s {morning|evening|weekly} newsletter.",
        "Subscribe to {S} on YouTube for more videos.",
        "Get the latest news from {S} on WhatsApp: join our channel.",
        "Download the {S} app for breaking news alerts.",
        "Follow {S} on Google News for more stories like this.",
    ],
];
const ADS: [&[&str]; 2] = [
    &[
        "ADVERTISEMENT",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Advertisement",
        "- Advertisement -",
        "Iklan",
        "ADVERTISEMENT\nSCROLL TO CONTINUE WITH CONTENT",
    ],
    &[
        "ADVERTISEMENT",
        "Advertisement",
        "- Advertisement -",
        "Advertisement · Scroll to continue",
        "Story continues below advertisement",
    ],
];
const SIDEBAR_HEAD: [&[&str]; 2] = [
    &[
        "Berita Terkait",
        "Berita Terkait",
        "Terpopuler",
        "Terpopuler",
        "Pilihan",
        "Pilihan",
        "Terkini",
        "Terkini",
        "BERITA TERKAIT",
        "Artikel Terkait",
        "Berita Populer",
        "Terpopuler Hari Ini",
        "Pilihan Editor",
        "Rekomendasi",
        "Berita Terbaru",
        "Populer",
        "Berita Terkait:",
        "Terkini Lainnya",
    ],
    &[
        "Related",
        "Related",
        "Most Read",
        "Most Read",
        "Related Stories",
        "Most Popular",
        "Trending Now",
        "Latest News",
        "More Stories",
        "Editor's Picks",
        "Recommended",
        "MOST READ",
        "Related coverage",
    ],
];
const TAIL: [&[&str]; 2] = [
    &[
        "Berita Terkini Lainnya",
        "Anda mungkin juga suka...",
        "Anda mungkin juga suka",
        "Simak berita lainnya di {S}",
        "Simak berita dan artikel lainnya di Google News",
        "Baca berita lainnya di sini",
        "Lihat Juga:",
        "Artikel Selanjutnya",
        "Berita Lainnya",
        "Kamu mungkin juga suka",
        "Lainnya dari {S}",
        "Simak berita menarik lainnya di {S}.",
    ],
    &[
        "You may also like",
        "More from {S}",
        "Recommended for you",
        "Share this article",
        "Share",
        "Comments",
        "Copyright {Y} The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.",
        "Related coverage",
        "What to read next",
    ],
];
const BIO: [&[&str]; 2] = [
    &[
        "{BY0} Photo Verified Writer {BY0}",
        "Member {S} Community ini masih malu-malu menulis tentang dirinya",
        "{S} Community adalah media yang menyediakan platform untuk menulis. Semua karya tulis yang dibuat adalah sepenuhnya tanggung jawab dari penulis.",
        "{BY0} adalah jurnalis {S} yang meliput isu {politik|hukum|ekonomi|internasional} sejak {Y}.",
        "Disclaimer: Artikel ini merupakan kiriman dari pengguna. Isi di luar tanggung jawab redaksi {S}.",
        "Tentang Penulis",
        "{BY0} Editor {S}",
        "Artikel ini telah tayang di {S} dengan judul lain.",
    ],
    &[
        "{BY0} is a {S} correspondent based in {K}.",
        "{BY0} covers {T} for {S}. Follow {him|her} on X at @{HANDLE}.",
        "The views expressed in this article are the author's own and do not necessarily reflect {S}'s editorial stance.",
        "About the author",
        "{BY0} is a freelance writer. This article first appeared on {S}.",
    ],
];
const SPAM: [&[&str]; 2] = [
    &[
        "Sumbernya langsung dari : Bandar Togel",
        "Bandar Togel Terpercaya {Y}",
        "{SB} - Situs Slot Gacor Hari Ini Gampang Maxwin",
        "slot gacor {SB} link alternatif terbaru",
        "Daftar Togel Online Resmi {SB}",
        "Prediksi togel hongkong malam ini {SB}",
        "Link Slot Gacor Gampang Menang Malam Ini",
        "Sumber: Bandar Togel {SB}",
        "{SB} | Bandar Togel Online & Slot Gacor",
    ],
    &[
        "{SB}: best slot gacor site {Y} - daftar now",
        "Bandar Togel online terpercaya - {SB}",
        "Play slot gacor at {SB} and win maxwin today",
    ],
];
const TOPIC_HEAD: [&[&str]; 2] = [
    &["Topik:", "Topik", "Tag:", "TAGS", "Tags:"],
    &["Topics:", "Tags:", "TOPICS", "Filed under:"],
];
const TAG_SLOTS: &[&str] = &[
    "{P0}", "{C0}", "{C1}", "{O0}", "{T0}", "{L0}", "{BY0}", "{p0}", "{C2}", "{F0}",
];

const NBSP: &str = "\u{a0}";
const ZWSP: &str = "\u{200b}";

// ---------------------------------------------------------------------------------------------
// Document builder

#[derive(Clone, Copy)]
struct Span {
    start: u32,
    /// end of the recorded text (`< end` only for a title with a site suffix)
    cend: u32,
    end: u32,
    clutter: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Gap {
    Start,
    Line,
    Para,
}

struct Doc {
    text: String,
    spans: Vec<Span>,
    gap: Gap,
    blank_sep: bool,
    eol: &'static str,
    nbsp_p: f64,
    zw_p: f64,
    ws_blank_p: f64,
}

impl Doc {
    fn new() -> Doc {
        Doc {
            text: String::with_capacity(1 << 16),
            spans: Vec::with_capacity(256),
            gap: Gap::Start,
            blank_sep: true,
            eol: "\n",
            nbsp_p: 0.0,
            zw_p: 0.0,
            ws_blank_p: 0.0,
        }
    }

    /// Next line starts a new paragraph (blank line before it in blank-separated documents).
    fn para(&mut self) {
        if self.gap != Gap::Start {
            self.gap = Gap::Para;
        }
    }

    fn begin(&mut self, rng: &mut Rng) -> usize {
        match self.gap {
            Gap::Start => {}
            Gap::Line => self.text.push_str(self.eol),
            Gap::Para => {
                self.text.push_str(self.eol);
                if self.blank_sep {
                    if rng.chance(self.ws_blank_p) {
                        self.text.push_str(if rng.chance(0.5) { NBSP } else { " " });
                    }
                    self.text.push_str(self.eol);
                    if rng.chance(0.02) {
                        self.text.push_str(self.eol);
                    }
                }
            }
        }
        self.gap = Gap::Line;
        self.text.len()
    }

    fn end(&mut self, start: usize, clutter: bool, rng: &mut Rng) {
        debug_assert!(self.text.len() > start, "empty line");
        if self.zw_p > 0.0 && rng.chance(self.zw_p) {
            let len = self.text.len();
            let at = if rng.chance(0.3) {
                start
            } else {
                let from = start + rng.below(len - start);
                match self.text.as_bytes()[from..len]
                    .iter()
                    .position(|&c| c == b' ')
                {
                    Some(p) => from + p + 1,
                    None => start,
                }
            };
            self.text.insert_str(at, ZWSP);
        }
        if self.nbsp_p > 0.0 && rng.chance(self.nbsp_p) {
            self.text.push_str(NBSP);
        }
        let end = self.text.len() as u32;
        self.spans.push(Span {
            start: start as u32,
            cend: end,
            end,
            clutter,
        });
    }
}

struct Gen<'a> {
    d: &'a Data,
    doc: Doc,
    title: String,
    tmp: String,
    used: Vec<u32>,
}

const CONTENT: bool = false;
const CLUTTER: bool = true;

impl<'a> Gen<'a> {
    fn tline(&mut self, tpl: &str, cx: &Ctx, rng: &mut Rng, clutter: bool) {
        let s = self.doc.begin(rng);
        render(&mut self.doc.text, tpl, cx, rng);
        self.doc.end(s, clutter, rng);
    }

    /// A template that may contain `\n`: one line per part.
    fn tlines(&mut self, tpl: &str, cx: &Ctx, rng: &mut Rng, clutter: bool) {
        for part in tpl.split('\n') {
            self.tline(part, cx, rng, clutter);
        }
    }

    fn sline(&mut self, s: &str, rng: &mut Rng, clutter: bool) {
        let st = self.doc.begin(rng);
        self.doc.text.push_str(s);
        self.doc.end(st, clutter, rng);
    }

    fn pick_unused(&mut self, tag: u32, n: usize, rng: &mut Rng) -> Option<usize> {
        if n == 0 {
            return None;
        }
        // A few random probes, then a scan for the first unused entry.
        let first = rng.below(n);
        let probes = [rng.below(n), rng.below(n), rng.below(n), rng.below(n)];
        for i in probes.into_iter().chain((0..n).map(|k| (first + k) % n)) {
            let key = (tag << 16) | i as u32;
            if !self.used.contains(&key) {
                self.used.push(key);
                return Some(i);
            }
        }
        None
    }

    /// One sentence (no leading/trailing space) appended to `out`.
    fn sentence(&mut self, out: &mut String, cx: &Ctx, rng: &mut Rng) {
        let ld = &self.d.lang[cx.lang];
        if rng.chance(0.5) {
            let pool = ld.sent.get(cx.dom);
            if let Some(i) = self.pick_unused(1, pool.len(), rng) {
                render(out, pool[i], cx, rng);
                return;
            }
        }
        // Composed sentence: lead + clause + tail, or a quote.
        let ph = &ld.phrases;
        let (tag, clauses) = if rng.chance(0.85) {
            (2, ph.get(dom_clause_section(cx.dom)))
        } else {
            (3, ph.get("clause_any"))
        };
        let ci = self
            .pick_unused(tag, clauses.len(), rng)
            .unwrap_or_else(|| rng.below(clauses.len()));
        let clause = clauses[ci];
        let start = out.len();
        if rng.chance(0.22) {
            out.push('“');
            let cs = out.len();
            render(out, clause, cx, rng);
            capitalize_first(out, cs);
            out.push_str(",” ");
            render(out, rng.pick(ph.get("quote_tail")), cx, rng);
            out.push('.');
            return;
        }
        if rng.chance(0.65) {
            render(out, rng.pick(ph.get("lead")), cx, rng);
            out.push(' ');
        }
        render(out, clause, cx, rng);
        if rng.chance(0.3) {
            let tail = rng.pick(ph.get("tail"));
            if !tail.starts_with(',') {
                out.push(' ');
            }
            render(out, tail, cx, rng);
        }
        out.push('.');
        capitalize_first(out, start);
    }

    fn paragraph(&mut self, cx: &Ctx, rng: &mut Rng) {
        let n = match rng.weighted(&[30, 45, 25]) {
            0 => 1,
            1 => 2,
            _ => 3,
        };
        let s = self.doc.begin(rng);
        let mut buf = std::mem::take(&mut self.doc.text);
        for k in 0..n {
            if k > 0 {
                buf.push(' ');
            }
            self.sentence(&mut buf, cx, rng);
        }
        self.doc.text = buf;
        self.doc.end(s, CONTENT, rng);
    }

    fn special_paragraph(&mut self, section: &str, cx: &Ctx, rng: &mut Rng) {
        let pool = self.d.lang[cx.lang].sent.get(section);
        let tag = 10 + section.len() as u32;
        let i = self
            .pick_unused(tag, pool.len(), rng)
            .unwrap_or_else(|| rng.below(pool.len()));
        self.doc.para();
        self.tline(pool[i], cx, rng, CONTENT);
    }

    /// Title of some other article (for promos and sidebars).
    fn link_title(&mut self, out: &mut String, cx: &Ctx, rng: &mut Rng) {
        let free = Ctx { free: true, ..*cx };
        let ld = &self.d.lang[cx.lang];
        let mut is_real = false;
        let tpl = match (cx.lang, rng.weighted(&[20, 25, 15, 40])) {
            (ID, 0) => {
                let real = ld.links.get("real");
                match self.pick_unused(20, real.len(), rng) {
                    Some(i) => {
                        is_real = true;
                        real[i]
                    }
                    None => rng.pick(ld.links.get("listicle")),
                }
            }
            (_, 0 | 1) => rng.pick(ld.links.get("listicle")),
            (_, 2) => rng.pick(ld.links.get("gossip")),
            _ => {
                let secs = &ld.titles.map;
                let sec = &secs[rng.below(secs.len())].1;
                rng.pick(sec)
            }
        };
        let start = out.len();
        render(out, tpl, &free, rng);
        if cx.lang == ID && !is_real {
            title_case(out, start);
        } else {
            capitalize_first(out, start);
        }
    }

    fn link_line(&mut self, prefix: &str, cx: &Ctx, rng: &mut Rng) {
        let s = self.doc.begin(rng);
        let mut buf = std::mem::take(&mut self.doc.text);
        buf.push_str(prefix);
        self.link_title(&mut buf, cx, rng);
        self.doc.text = buf;
        self.doc.end(s, CLUTTER, rng);
    }

    fn read_also(&mut self, cx: &Ctx, rng: &mut Rng) {
        self.doc.para();
        if rng.chance(0.85) {
            let p = rng.pick(READ_ALSO[cx.lang]);
            self.link_line(p, cx, rng);
        } else {
            let h = rng.pick(READ_ALSO_HEAD[cx.lang]);
            self.sline(h, rng, CLUTTER);
            let prefix = if rng.chance(0.5) { "- " } else { "" };
            for _ in 0..rng.range(1, 3) {
                self.link_line(prefix, cx, rng);
            }
        }
        self.doc.para();
    }

    fn sidebar(&mut self, cx: &Ctx, rng: &mut Rng) {
        self.doc.para();
        let head = rng.pick(SIDEBAR_HEAD[cx.lang]);
        self.sline(head, rng, CLUTTER);
        let style = rng.weighted(&[30, 25, 12, 10, 18, 5]);
        let spaced = self.doc.blank_sep && rng.chance(0.25);
        for k in 0..rng.range(3, 10) {
            if spaced {
                self.doc.para();
            }
            match style {
                0 => {
                    self.sline("-", rng, CLUTTER);
                    self.link_line("", cx, rng);
                }
                1 => self.link_line("- ", cx, rng),
                2 => {
                    self.sline("•", rng, CLUTTER);
                    self.link_line("", cx, rng);
                }
                3 => self.link_line("• ", cx, rng),
                4 => self.link_line("", cx, rng),
                _ => {
                    let mut p = String::new();
                    let _ = write!(p, "{}. ", k + 1);
                    self.link_line(&p, cx, rng);
                }
            }
        }
        self.doc.para();
    }

    fn caption_ap(&mut self, cx: &Ctx, rng: &mut Rng) {
        self.doc.para();
        let mut desc = std::mem::take(&mut self.tmp);
        desc.clear();
        render(&mut desc, rng.pick(CAP_AP[cx.lang]), cx, rng);
        let dash = if rng.chance(0.6) { "–" } else { "-" };
        match rng.below(if cx.lang == EN { 5 } else { 4 }) {
            0 => {
                self.sline(&desc, rng, CLUTTER);
                let line = format!("FILE {dash} {desc}");
                self.sline(&line, rng, CLUTTER);
            }
            1 => {
                let a = format!("FILE - {desc}");
                let b = format!("FILE – {desc}");
                self.sline(&a, rng, CLUTTER);
                self.sline(&b, rng, CLUTTER);
            }
            2 => {
                self.sline(&desc, rng, CLUTTER);
                let t = rng.pick(CAP_AP[cx.lang]);
                self.tline(t, cx, rng, CLUTTER);
                if rng.chance(0.6) {
                    let t = rng.pick(CAP_AP[cx.lang]);
                    self.tline(t, cx, rng, CLUTTER);
                }
            }
            3 => {
                if rng.chance(0.5) {
                    self.sline(&desc, rng, CLUTTER);
                } else {
                    let line = format!("FILE {dash} {desc}");
                    self.sline(&line, rng, CLUTTER);
                }
            }
            _ => {
                let line = format!(
                    "FILE - {desc} (AP Photo/{}, File)",
                    rng.pick(&self.d.persons_en)
                );
                self.sline(&line, rng, CLUTTER);
            }
        }
        self.tmp = desc;
        self.doc.para();
    }

    fn caption_other(&mut self, cx: &Ctx, rng: &mut Rng) {
        self.doc.para();
        let l = cx.lang;
        match (l, rng.below(3)) {
            (_, 0) => {
                let t = rng.pick(CAP_SHORT[l]);
                self.tline(t, cx, rng, CLUTTER);
            }
            (ID, 1) => {
                let t = rng.pick(CAP_ANTARA);
                self.tline(t, cx, rng, CLUTTER);
            }
            _ => {
                let t = rng.pick(CAP_FOTO[l]);
                self.tline(t, cx, rng, CLUTTER);
            }
        }
        self.doc.para();
    }

    /// Caption glued to the title, as IDN Times pages come out of the scraper.
    fn caption_glued(&mut self, cx: &Ctx, rng: &mut Rng) {
        self.doc.para();
        let s = self.doc.begin(rng);
        let title = std::mem::take(&mut self.title);
        self.doc.text.push_str(&title);
        self.title = title;
        let t = rng.pick(CAP_SHORT[cx.lang]);
        render(&mut self.doc.text, t, cx, rng);
        self.doc.end(s, CLUTTER, rng);
        self.doc.para();
    }

    fn mid_clutter(&mut self, cx: &Ctx, rng: &mut Rng, has_title: bool) {
        let l = cx.lang;
        let w: &[u32] = if l == ID {
            &[35, 10, 14, 10, 6, 8, 2, 4]
        } else {
            &[35, 15, 10, 15, 8, 12, 1, 0]
        };
        match rng.weighted(w) {
            0 => self.read_also(cx, rng),
            1 => self.caption_ap(cx, rng),
            2 => self.caption_other(cx, rng),
            3 => {
                self.doc.para();
                let t = rng.pick(ADS[l]);
                self.tlines(t, cx, rng, CLUTTER);
                self.doc.para();
            }
            4 => self.sidebar(cx, rng),
            5 => {
                self.doc.para();
                let t = rng.pick(CHANNEL[l]);
                self.tline(t, cx, rng, CLUTTER);
            }
            6 => {
                self.doc.para();
                let t = rng.pick(SPAM[l]);
                self.tline(t, cx, rng, CLUTTER);
            }
            _ => {
                if has_title {
                    self.caption_glued(cx, rng)
                } else {
                    self.caption_other(cx, rng)
                }
            }
        }
    }

    fn tags(&mut self, cx: &Ctx, rng: &mut Rng) {
        let l = cx.lang;
        self.doc.para();
        let head = rng.pick(TOPIC_HEAD[l]);
        let n = rng.range(1, 5);
        match rng.below(3) {
            0 => {
                // "Topik:" then one tag per line ("  • Name", "#tag", "Name")
                self.sline(head, rng, CLUTTER);
                let style = rng.below(3);
                for _ in 0..n {
                    if self.doc.blank_sep && style == 0 {
                        self.doc.para();
                    }
                    let s = self.doc.begin(rng);
                    match style {
                        0 => self.doc.text.push_str("  • "),
                        1 => self.doc.text.push('#'),
                        _ => {}
                    }
                    render(&mut self.doc.text, rng.pick(TAG_SLOTS), cx, rng);
                    self.doc.end(s, CLUTTER, rng);
                }
            }
            _ => {
                let s = self.doc.begin(rng);
                let text = &mut self.doc.text;
                text.push_str(head.trim_end_matches(':'));
                text.push_str(": ");
                let hash = rng.chance(0.3);
                for k in 0..n {
                    if k > 0 {
                        text.push_str(if hash { " " } else { ", " });
                    }
                    if hash {
                        text.push('#');
                    }
                    render(text, rng.pick(TAG_SLOTS), cx, rng);
                }
                self.doc.end(s, CLUTTER, rng);
            }
        }
        self.doc.para();
    }

    fn source_credit(&mut self, cx: &Ctx, rng: &mut Rng) {
        let l = cx.lang;
        self.doc.para();
        let t = rng.pick(SOURCE_CREDIT[l]);
        let s = self.doc.begin(rng);
        let mut buf = std::mem::take(&mut self.doc.text);
        // {SRC} is resolved here (not a Ctx slot): it picks from SOURCES.
        let mut rest = t;
        while let Some(p) = rest.find("{SRC}") {
            render(&mut buf, &rest[..p], cx, rng);
            render(&mut buf, rng.pick(SOURCES[l]), cx, rng);
            rest = &rest[p + 5..];
        }
        render(&mut buf, rest, cx, rng);
        self.doc.text = buf;
        self.doc.end(s, CLUTTER, rng);
    }

    fn bio(&mut self, cx: &Ctx, rng: &mut Rng) {
        let l = cx.lang;
        let all = BIO[l];
        let n = rng.range(1, 3.min(all.len()));
        let first = rng.below(all.len());
        for k in 0..n {
            self.doc.para();
            let t = all[(first + k) % all.len()];
            self.tline(t, cx, rng, CLUTTER);
        }
    }

    fn ending(&mut self, cx: &Ctx, rng: &mut Rng, density: f64) {
        let l = cx.lang;
        // Blocks in a typical order; adjacent ones are sometimes swapped.
        let mut order: [u8; 8] = [0, 1, 2, 3, 4, 5, 6, 7];
        for i in 0..order.len() - 1 {
            if rng.chance(0.2) {
                order.swap(i, i + 1);
            }
        }
        let f = (density * 4.0).min(1.0);
        for &b in &order {
            match b {
                0 if rng.chance(0.35 * f + 0.05) => self.source_credit(cx, rng),
                1 if rng.chance(0.3 * f + 0.05) => {
                    self.doc.para();
                    let t = rng.pick(CHANNEL[l]);
                    self.tline(t, cx, rng, CLUTTER);
                }
                2 if rng.chance(0.15 * f) => self.bio(cx, rng),
                3 if rng.chance(0.25 * f) => self.tags(cx, rng),
                4 if rng.chance(0.45 * f) => {
                    for _ in 0..rng.range(1, 4) {
                        self.sidebar(cx, rng);
                    }
                }
                5 if rng.chance(0.3 * f) => {
                    self.doc.para();
                    let t = rng.pick(TAIL[l]);
                    self.tline(t, cx, rng, CLUTTER);
                }
                6 if rng.chance(0.07 * f) => {
                    self.doc.para();
                    let t = rng.pick(SPAM[l]);
                    self.tline(t, cx, rng, CLUTTER);
                }
                7 if rng.chance(0.1 * f) => {
                    self.doc.para();
                    let t = rng.pick(ADS[l]);
                    self.tlines(t, cx, rng, CLUTTER);
                }
                _ => {}
            }
        }
    }

    /// Generate one document into `self.doc`; returns its context (for the URL).
    fn generate(&mut self, rng: &mut Rng) -> Ctx<'a> {
        let d = self.d;
        let lang = if rng.chance(0.3) { EN } else { ID };
        let domains = if lang == ID { DOMAINS_ID } else { DOMAINS_EN };
        let weights: Vec<u32> = domains.iter().map(|x| x.1).collect();
        let dom = domains[rng.weighted(&weights)].0;
        let sites = if lang == ID { SITES_ID } else { SITES_EN };
        let site = &sites[rng.below(sites.len())];
        let pool: &[&'static str] = match (lang, dom) {
            (_, "world") => &d.persons_world,
            (ID, _) => &d.persons_id,
            _ => &d.persons_en,
        };
        let mut persons = [""; 4];
        for k in 0..4 {
            loop {
                let p = rng.pick(pool);
                if !persons[..k].contains(&p) {
                    persons[k] = p;
                    break;
                }
            }
        }
        let mut countries = [0usize; 4];
        for k in 0..4 {
            // Often keep the seed's own cast (Russia, Afghanistan, Pakistan, United States).
            if rng.chance(0.25) && !countries[..k].contains(&k) {
                countries[k] = k;
                continue;
            }
            loop {
                let c = rng.below(d.countries.len());
                if !countries[..k].contains(&c) {
                    countries[k] = c;
                    break;
                }
            }
        }
        let place = if dom == "world" {
            [
                d.countries[countries[0]][2 + lang],
                d.countries[countries[0]][lang],
            ]
        } else {
            rng.pick(&d.places[lang])
        };
        let dl = if lang == ID && dom == "world" && rng.chance(0.5) {
            "Jakarta"
        } else {
            place[0]
        };
        let author = if lang == ID {
            rng.pick(&d.persons_id)
        } else {
            rng.pick(&d.persons_en)
        };
        let cx = Ctx {
            d,
            lang,
            dom,
            pool,
            persons,
            roles: [
                rng.below(d.roles.len()),
                rng.below(d.roles.len()),
                rng.below(d.roles.len()),
                rng.below(d.roles.len()),
            ],
            countries,
            orgs: [rng.below(d.orgs.len()), rng.below(d.orgs.len())],
            topic: rng.below(d.topics.len()),
            place,
            company: rng.below(d.companies.len()),
            author,
            dl,
            site,
            free: false,
        };

        // Document-wide style.
        let doc = &mut self.doc;
        doc.text.clear();
        doc.spans.clear();
        doc.gap = Gap::Start;
        doc.blank_sep = !rng.chance(0.25);
        doc.eol = if rng.chance(0.03) { "\r\n" } else { "\n" };
        doc.nbsp_p = if rng.chance(0.12) { 0.45 } else { 0.0 };
        doc.ws_blank_p = if doc.nbsp_p > 0.0 { 0.15 } else { 0.0 };
        doc.zw_p = if rng.chance(0.06) { 0.12 } else { 0.0 };
        self.used.clear();
        // Clutter density: a few clean documents, most moderately cluttered.
        let density = if rng.chance(0.06) {
            0.0
        } else {
            0.04 + 0.22 * rng.unit()
        };

        // --- Header ---------------------------------------------------------------------------
        let ld = &d.lang[lang];
        self.title.clear();
        let mut title = std::mem::take(&mut self.title);
        let t = rng.pick(ld.titles.get(dom));
        render(&mut title, t, &cx, rng);
        if lang == ID {
            title_case(&mut title, 0);
        } else {
            capitalize_first(&mut title, 0);
        }
        self.title = title;
        let has_title = rng.chance(0.95);
        let label = density > 0.0 && rng.chance(0.25);
        let label_before = rng.chance(0.3);
        let mut suffix = String::new();
        if density > 0.0 && rng.chance(0.35) {
            suffix.push_str(rng.pick(&[" | ", " | ", " - ", " – "]));
            suffix.push_str(site.suffix);
        }
        if label && (label_before || !has_title) {
            self.section_label(&cx, rng);
        }
        if has_title {
            let s = self.doc.begin(rng);
            self.doc.text.push_str(&self.title);
            let cend = self.doc.text.len();
            self.doc.text.push_str(&suffix);
            if suffix.is_empty() {
                self.doc.end(s, CONTENT, rng);
            } else {
                if self.doc.nbsp_p > 0.0 && rng.chance(self.doc.nbsp_p) {
                    self.doc.text.push_str(NBSP);
                }
                let end = self.doc.text.len() as u32;
                self.doc.spans.push(Span {
                    start: s as u32,
                    cend: cend as u32,
                    end,
                    clutter: false,
                });
            }
            if label && !label_before {
                self.section_label(&cx, rng);
            }
        }
        self.doc.para();
        let mut top = false;
        if density > 0.0 && rng.chance(0.3) {
            let t = rng.pick(BYLINE[lang]);
            self.tline(t, &cx, rng, CLUTTER);
            top = true;
        }
        if density > 0.0 && rng.chance(0.15) {
            let t = rng.pick(TIMESTAMP[lang]);
            self.tline(t, &cx, rng, CLUTTER);
            top = true;
        }
        if has_title && density > 0.0 && rng.chance(0.3) {
            if top && self.doc.blank_sep && rng.chance(0.3) {
                self.doc.para();
            }
            let s = self.doc.begin(rng);
            self.doc.text.push_str(&self.title);
            if rng.chance(0.5) {
                self.doc.text.push_str(&suffix);
            }
            self.doc.end(s, CLUTTER, rng);
            top = true;
        }
        if density > 0.0 && rng.chance(0.3) {
            match rng.below(3) {
                0 => {
                    // name-list caption, no final period (seed 000)
                    let t = if lang == ID {
                        "{R0} {C0} {P0} dan {R2} {C2} {P2}"
                    } else {
                        "{C0}'s {R0} {P0} and {C2}'s {R2} {P2}"
                    };
                    self.tline(t, &cx, rng, CLUTTER);
                }
                1 => self.caption_ap(&cx, rng),
                _ => self.caption_other(&cx, rng),
            }
            top = true;
        }
        if top {
            self.doc.para();
        }
        if rng.chance(0.3) {
            let t = rng.pick(ld.subheads.get("subtitle"));
            self.tline(t, &cx, rng, CONTENT);
            self.doc.para();
        }

        // --- Body -----------------------------------------------------------------------------
        let u = rng.unit();
        let n_paras = 10 + (26.0 * u * u) as usize + rng.below(5);
        let sub_style = rng.weighted(&[45, 40, 15]); // none, plain, numbered
        let n_sections = rng.range(3, 6);
        let mut next_number = 1;
        let numbered_glued = rng.chance(0.5);
        let togel_story = lang == ID && (dom == "crime" && rng.chance(0.3) || rng.chance(0.02))
            || lang == EN && rng.chance(0.02);
        let mut specials: Vec<(usize, &'static str)> = Vec::new();
        for (sec, p) in [
            ("tricky_bacajuga", 0.05),
            ("tricky_sumber", 0.08),
            ("tricky_misc", 0.08),
        ] {
            if rng.chance(p) {
                specials.push((rng.range(1, n_paras - 1), sec));
            }
        }
        if togel_story {
            for _ in 0..rng.range(2, 4) {
                specials.push((rng.range(1, n_paras - 1), "tricky_togel"));
            }
        }
        let credit_tail = rng.chance(0.06);
        let mut last_sub = 0usize;

        // Dateline paragraph.
        if rng.chance(0.9) {
            let s = self.doc.begin(rng);
            let mut buf = std::mem::take(&mut self.doc.text);
            render(&mut buf, site.dateline, &cx, rng);
            self.sentence(&mut buf, &cx, rng);
            if rng.chance(0.6) {
                buf.push(' ');
                self.sentence(&mut buf, &cx, rng);
            }
            self.doc.text = buf;
            self.doc.end(s, CONTENT, rng);
        } else {
            self.paragraph(&cx, rng);
        }

        for i in 1..n_paras {
            // Clutter between paragraphs.
            if rng.chance(density) {
                self.mid_clutter(&cx, rng, has_title);
            }
            self.doc.para();
            // Subheadings.
            match sub_style {
                1 if i >= 3 && i - last_sub >= 3 && rng.chance(0.15) => {
                    let secs = &ld.subheads;
                    let t = if rng.chance(0.12) {
                        rng.pick(secs.get("tricky"))
                    } else {
                        rng.pick(secs.try_get(dom).unwrap_or(secs.get("world")))
                    };
                    self.tline(t, &cx, rng, CONTENT);
                    self.doc.para();
                    last_sub = i;
                }
                2 if next_number <= n_sections
                    && i == 1 + (next_number - 1) * n_paras / n_sections =>
                {
                    let s = self.doc.begin(rng);
                    let mut buf = std::mem::take(&mut self.doc.text);
                    let _ = write!(buf, "{next_number}. ");
                    let cs = buf.len();
                    let pool = ld.subheads.get("numbered");
                    let k = self.pick_unused(30, pool.len(), rng).unwrap_or(0);
                    render(&mut buf, pool[k], &cx, rng);
                    capitalize_first(&mut buf, cs);
                    self.doc.text = buf;
                    self.doc.end(s, CONTENT, rng);
                    next_number += 1;
                    self.doc.para();
                    if has_title && numbered_glued && density > 0.0 {
                        self.caption_glued(&cx, rng);
                    }
                }
                _ => {}
            }
            let mut special = None;
            if let Some(k) = specials.iter().position(|&(at, _)| at == i) {
                special = Some(specials.swap_remove(k).1);
            }
            match special {
                Some(sec) => self.special_paragraph(sec, &cx, rng),
                None => self.paragraph(&cx, rng),
            }
        }
        if credit_tail {
            self.special_paragraph("tricky_credit_tail", &cx, rng);
        }

        // --- Ending ---------------------------------------------------------------------------
        if density > 0.0 {
            self.ending(&cx, rng, density);
        }
        if rng.chance(0.5) {
            self.doc.text.push_str(self.doc.eol);
        }
        cx
    }

    fn section_label(&mut self, cx: &Ctx, rng: &mut Rng) {
        let names = if cx.lang == ID {
            SECTION_NAMES_ID
        } else {
            SECTION_NAMES_EN
        };
        let list = names
            .iter()
            .find(|(n, _)| *n == cx.dom)
            .map_or(names[0].1, |x| x.1);
        let name = rng.pick(list);
        let tpl = rng.pick(SECTION_LABEL[cx.lang]);
        let s = self.doc.begin(rng);
        let mut buf = std::mem::take(&mut self.doc.text);
        let mut rest = tpl;
        while let Some(p) = rest.find("{X}") {
            render(&mut buf, &rest[..p], cx, rng);
            buf.push_str(name);
            rest = &rest[p + 3..];
        }
        render(&mut buf, rest, cx, rng);
        self.doc.text = buf;
        self.doc.end(s, CLUTTER, rng);
    }
}

fn dom_clause_section(dom: &str) -> &'static str {
    match dom {
        "world" => "clause_world",
        "national" => "clause_national",
        "economy" => "clause_economy",
        "crime" => "clause_crime",
        _ => "clause_science",
    }
}

fn push_slug(out: &mut String, title: &str) {
    let start = out.len();
    let mut dash = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && out.len() > start {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
            if out.len() - start > 90 {
                break;
            }
        } else {
            dash = true;
        }
    }
}

/// Check that the truth spans describe the text exactly (see the header comment).
fn verify(doc: &Doc) -> Result<(), String> {
    let mut spans = doc.spans.iter();
    for (no, raw) in doc.text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let sp = spans
            .next()
            .ok_or_else(|| format!("line {no}: no span for {line:?}"))?;
        let full = &doc.text[sp.start as usize..sp.end as usize];
        if full != line {
            return Err(format!("line {no}: text {line:?} != span {full:?}"));
        }
        if sp.cend < sp.end && sp.clutter {
            return Err(format!("line {no}: clutter with a content prefix"));
        }
    }
    if let Some(sp) = spans.next() {
        let full = &doc.text[sp.start as usize..sp.end as usize];
        return Err(format!("span {full:?} does not match a line"));
    }
    Ok(())
}

/// Render every template once so that a typo in the data fails at start-up.
fn validate(d: &Data) {
    let mut rng = Rng::new(0, 0);
    let mut g = Gen {
        d,
        doc: Doc::new(),
        title: String::new(),
        tmp: String::new(),
        used: Vec::new(),
    };
    let cx = g.generate(&mut rng);
    let mut out = String::new();
    for lang in [ID, EN] {
        let cx = Ctx { lang, ..cx };
        let ld = &d.lang[lang];
        for sec in [&ld.sent, &ld.titles, &ld.subheads, &ld.links, &ld.phrases] {
            for t in sec.all() {
                render(&mut out, t, &cx, &mut rng);
            }
        }
        for list in [
            BYLINE[lang],
            TIMESTAMP[lang],
            CAP_AP[lang],
            CAP_SHORT[lang],
            CAP_FOTO[lang],
            CHANNEL[lang],
            ADS[lang],
            TAIL[lang],
            BIO[lang],
            SPAM[lang],
            SOURCES[lang],
            CAP_ANTARA,
            TAG_SLOTS,
        ] {
            for t in list {
                render(&mut out, t, &cx, &mut rng);
            }
        }
        for t in ld
            .phrases
            .get("lead")
            .iter()
            .chain(ld.phrases.get("clause_any"))
        {
            assert!(!t.ends_with(' '), "trailing space in phrase {t:?}");
        }
    }
    for s in SITES_ID.iter().chain(SITES_EN) {
        render(&mut out, s.dateline, &cx, &mut rng);
    }
}

// ---------------------------------------------------------------------------------------------
// Output

struct Counting<W: Write> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

struct Args {
    docs: Option<u64>,
    mb: Option<f64>,
    seed: u64,
    out: PathBuf,
    verify: bool,
}

const USAGE: &str = "usage: gen_corpus --out DIR [--docs N] [--mb M] [--seed S] [--verify]";

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        docs: None,
        mb: None,
        seed: 1,
        out: PathBuf::new(),
        verify: false,
    };
    let mut out = None;
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut val = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match k.as_str() {
            "--docs" => a.docs = Some(val("--docs")?.parse().map_err(|e| format!("--docs: {e}"))?),
            "--mb" => a.mb = Some(val("--mb")?.parse().map_err(|e| format!("--mb: {e}"))?),
            "--seed" => a.seed = val("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(PathBuf::from(val("--out")?)),
            "--verify" => a.verify = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            _ => return Err(format!("unknown argument {k}\n{USAGE}")),
        }
    }
    a.out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    if a.docs.is_none() && a.mb.is_none() {
        a.docs = Some(1000);
    }
    Ok(a)
}

fn write_str<W: Write>(w: &mut W, s: &str) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, s).map_err(std::io::Error::other)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let t0 = Instant::now();
    let data = Data::load();
    validate(&data);
    std::fs::create_dir_all(&args.out)?;
    let mut corpus = Counting {
        inner: BufWriter::with_capacity(1 << 20, File::create(args.out.join("corpus.jsonl"))?),
        n: 0,
    };
    let mut truth = Counting {
        inner: BufWriter::with_capacity(1 << 20, File::create(args.out.join("truth.jsonl"))?),
        n: 0,
    };
    let max_docs = args.docs.unwrap_or(u64::MAX);
    let max_bytes = args.mb.map_or(u64::MAX, |m| (m * 1e6) as u64);
    let mut g = Gen {
        d: &data,
        doc: Doc::new(),
        title: String::new(),
        tmp: String::new(),
        used: Vec::new(),
    };
    let (mut n, mut n_content, mut n_clutter, mut text_bytes) = (0u64, 0u64, 0u64, 0u64);
    let mut sizes: Vec<u32> = Vec::new();
    let mut id = String::new();
    let mut url = String::new();
    while n < max_docs && corpus.n < max_bytes {
        let mut rng = Rng::new(args.seed, n);
        let cx = g.generate(&mut rng);
        n += 1;
        if args.verify {
            verify(&g.doc).map_err(|e| format!("doc {n}: {e}"))?;
        }
        id.clear();
        let _ = write!(id, "gen-{n:07}");
        url.clear();
        let path = if cx.lang == ID {
            DOMAINS_ID
        } else {
            DOMAINS_EN
        }
        .iter()
        .find(|x| x.0 == cx.dom)
        .map_or("berita", |x| x.2);
        let _ = write!(
            url,
            "https://{}/{}/{}/",
            cx.site.domain,
            path,
            100_000 + rng.below(900_000)
        );
        push_slug(&mut url, &g.title);

        let w = &mut corpus;
        w.write_all(b"{\"id\":\"")?;
        w.write_all(id.as_bytes())?;
        w.write_all(b"\",\"url\":")?;
        write_str(w, &url)?;
        w.write_all(if cx.lang == ID {
            b",\"lang\":\"id\",\"text\":"
        } else {
            b",\"lang\":\"en\",\"text\":"
        })?;
        write_str(w, &g.doc.text)?;
        w.write_all(b"}\n")?;

        let w = &mut truth;
        w.write_all(b"{\"id\":\"")?;
        w.write_all(id.as_bytes())?;
        for (key, clutter) in [
            (&b"\",\"content\":["[..], false),
            (&b"],\"clutter\":["[..], true),
        ] {
            w.write_all(key)?;
            let mut first = true;
            for sp in g.doc.spans.iter().filter(|s| s.clutter == clutter) {
                if !first {
                    w.write_all(b",")?;
                }
                first = false;
                write_str(w, &g.doc.text[sp.start as usize..sp.cend as usize])?;
                if clutter {
                    n_clutter += 1;
                } else {
                    n_content += 1;
                }
            }
        }
        w.write_all(b"]}\n")?;
        text_bytes += g.doc.text.len() as u64;
        sizes.push(g.doc.text.len() as u32);
    }
    corpus.flush()?;
    truth.flush()?;
    let secs = t0.elapsed().as_secs_f64();
    sizes.sort_unstable();
    let q = |f: f64| {
        sizes
            .get(((sizes.len() as f64 - 1.0) * f) as usize)
            .copied()
            .unwrap_or(0)
    };
    eprintln!(
        "gen_corpus: {n} docs, corpus {:.1} MB, truth {:.1} MB, {n_content} content lines, {n_clutter} clutter lines ({:.1}% clutter)",
        corpus.n as f64 / 1e6,
        truth.n as f64 / 1e6,
        100.0 * n_clutter as f64 / (n_content + n_clutter).max(1) as f64
    );
    eprintln!(
        "gen_corpus: text bytes/doc mean {:.0}, min {}, p10 {}, median {}, p90 {}, max {}",
        text_bytes as f64 / n.max(1) as f64,
        q(0.0),
        q(0.1),
        q(0.5),
        q(0.9),
        q(1.0)
    );
    eprintln!(
        "gen_corpus: {:.2} s, {:.0} MB/s of corpus{}",
        secs,
        corpus.n as f64 / 1e6 / secs,
        if args.verify { ", verified" } else { "" }
    );
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("gen_corpus: {e}");
        std::process::exit(2);
    }
}
