//! Checks on the shape of the source tree, not on behaviour.
//!
//! 1. No two source files of a crate may depend on each other, directly or round a longer
//!    loop: the file-level dependency graph of every `crates/*/src` must have no cycle.
//!    Files in a cycle can only be read, moved or split together, and such knots grow.
//!    A failure lists each cycle with one path per edge (file, line, path), so it is plain
//!    which `use` to move, or which shared item to move down into a file of its own.
//! 2. `crates/store/src` keeps at most 12 `.rs` files at its top level, so new store code
//!    goes into a sub-folder module instead of lengthening a flat list.
//!
//! File A depends on file B when a path written in A, in a `use`, in code, or inside a
//! macro call or `macro_rules!` body, resolves to B or to an item in B. Declaring `mod b;`
//! is not a dependency. A path through a re-export (`pub use`) leads on to the file that
//! defines the item, so a `mod.rs` that re-exports its children does not knot them
//! together. Paths that do not lead into the crate (std, other crates, locals) are ignored.
//!
//! `HOMEWARD_LAYOUT_ROOT` points the check at another checkout of the workspace.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::{env, fs, thread};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::{self, Visit};

/// Most `.rs` files allowed directly in `crates/store/src`.
const STORE_TOP_LEVEL_MAX: usize = 12;
/// Most aliases or re-exports one path is followed through (they can loop).
const MAX_HOPS: usize = 8;

type Segments = Vec<String>;

fn workspace_root() -> PathBuf {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    PathBuf::from(env::var_os("HOMEWARD_LAYOUT_ROOT").unwrap_or(default.into()))
}

/// The entries of `dir`, sorted.
fn list(dir: &Path) -> Vec<PathBuf> {
    let fail = |e: std::io::Error| -> ! { panic!("cannot list {}: {e}", dir.display()) };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| fail(e)) {
        paths.push(entry.unwrap_or_else(|e| fail(e)).path());
    }
    paths.sort();
    paths
}

fn is_rust(path: &Path) -> bool {
    path.is_file() && path.extension().is_some_and(|x| x == "rs")
}

#[test]
fn no_source_files_depend_on_each_other() {
    let root = workspace_root();
    let (mut crates, mut files, mut problems) = (0, 0, Vec::new());
    for src in list(&root.join("crates")).iter().map(|c| c.join("src")) {
        if !src.is_dir() {
            continue;
        }
        let sources = read_sources(&src);
        (crates, files) = (crates + 1, files + sources.len());
        let name = src.strip_prefix(&root).unwrap_or(&src).display();
        match file_graph(&sources) {
            Err(errors) => problems.push(format!("{name}:\n  {}\n", errors.join("\n  "))),
            Ok(graph) => {
                for cycle in cycles(&graph) {
                    problems.push(format!("{name}: {}", describe(&graph, &cycle)));
                }
            }
        }
    }
    println!("checked {files} files in {crates} crates");
    assert!(crates > 0, "no crates/*/src under {}", root.display());
    assert!(
        problems.is_empty(),
        "source files that depend on each other (move a `use`, or the item it names, so that \
         every arrow points one way) or that don't parse:\n\n{}",
        problems.join("\n")
    );
}

#[test]
fn store_top_level_stays_small() {
    let top = list(&workspace_root().join("crates/store/src"));
    let top: Vec<_> = top
        .iter()
        .filter(|p| is_rust(p))
        .flat_map(|p| p.file_name())
        .collect();
    assert!(
        top.len() <= STORE_TOP_LEVEL_MAX,
        "crates/store/src has {} top-level .rs files, at most {STORE_TOP_LEVEL_MAX} allowed; \
         group related ones into sub-folder modules: {top:?}",
        top.len(),
    );
}

/// Every `.rs` file below `src`, keyed by its path relative to `src` (with `/`).
fn read_sources(src: &Path) -> BTreeMap<String, String> {
    let (mut sources, mut dirs) = (BTreeMap::new(), vec![src.to_path_buf()]);
    while let Some(dir) = dirs.pop() {
        for path in list(&dir) {
            if path.is_dir() {
                dirs.push(path);
            } else if is_rust(&path) {
                let text = fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                let rel = path.strip_prefix(src).expect("a file found below src/");
                sources.insert(rel.to_string_lossy().replace('\\', "/"), text);
            }
        }
    }
    sources
}

/// The module a file is: `lib.rs`/`main.rs` → `[]`, `a/mod.rs` → `[a]`, `a/b.rs` → `[a, b]`.
fn module_of(rel: &str) -> Segments {
    let mut module: Segments = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(Into::into)
        .collect();
    let root = module.len() == 1 && (module[0] == "lib" || module[0] == "main");
    if root || module.last().is_some_and(|last| last == "mod") {
        module.pop();
    }
    module
}

/// Where a path was written; it decides which ways of resolving it apply.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Use,
    Code,
    Macro,
}

/// A path written in a file, in the (inline) module `scope`.
struct Ref {
    kind: Kind,
    scope: Segments,
    line: usize,
    path: Segments,
}

/// What one file says: its paths, and the names its `use`s and `mod x;`s bring in.
/// Names are merged over the file's inline modules; each keeps the scope it resolves in.
#[derive(Default)]
struct Facts {
    module: Segments,
    scope: Segments,
    refs: Vec<Ref>,
    aliases: HashMap<String, Vec<(Segments, Segments)>>,
    reexports: HashMap<String, (Segments, Segments)>,
    globs: Vec<(Segments, Segments)>,
    children: HashSet<String>,
}

fn facts_of(rel: &str, text: &str) -> Result<Facts, String> {
    let file = syn::parse_file(text)
        .map_err(|e| format!("{rel}:{}: cannot parse: {e}", e.span().start().line))?;
    let mut facts = Facts::default();
    (facts.module, facts.scope) = (module_of(rel), module_of(rel));
    facts.visit_file(&file);
    Ok(facts)
}

impl Facts {
    fn push(&mut self, kind: Kind, line: usize, path: Segments) {
        let scope = self.scope.clone();
        self.refs.push(Ref {
            kind,
            scope,
            line,
            path,
        });
    }

    /// Records every `a::b::c` in a macro's tokens, since macro bodies are not parsed.
    fn scan(&mut self, tokens: TokenStream) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let punct = |i: usize, c: char| match tokens.get(i) {
            Some(TokenTree::Punct(p)) => p.as_char() == c,
            _ => false,
        };
        let colons = |i: usize| punct(i, ':') && punct(i + 1, ':');
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                TokenTree::Group(group) => self.scan(group.stream()),
                // A field, a method, a lifetime, the tail of a `::path` or a `$metavariable`
                // starts no path (but `$crate` does).
                TokenTree::Ident(first)
                    if i == 0
                        || !(punct(i - 1, '.') || punct(i - 1, '\'') || i > 1 && colons(i - 2))
                            && (!punct(i - 1, '$') || first == "crate") =>
                {
                    let mut path = vec![first.to_string()];
                    while colons(i + 1) {
                        let Some(TokenTree::Ident(next)) = tokens.get(i + 3) else {
                            break;
                        };
                        path.push(next.to_string());
                        i += 3;
                    }
                    self.push(Kind::Macro, first.span().start().line, path);
                }
                _ => {}
            }
            i += 1;
        }
    }
}

impl<'ast> Visit<'ast> for Facts {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        let name = item.ident.to_string();
        if let Some((_, items)) = &item.content {
            // An inline module (`mod tests { … }`) is part of this file, in its own scope.
            self.scope.push(name);
            items.iter().for_each(|item| self.visit_item(item));
            self.scope.pop();
        } else {
            self.children.insert(name);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if item.leading_colon.is_some() {
            return; // `use ::krate::…` names another crate
        }
        let mut found = Vec::new();
        expand(&item.tree, Vec::new(), &mut found);
        let public = !matches!(item.vis, syn::Visibility::Inherited);
        for (path, name, line) in found {
            let entry = (self.scope.clone(), path.clone());
            match name {
                None => self.globs.push(entry),
                Some(name) => {
                    // Only re-exports at the top of the file are reachable as `file::Name`.
                    if public && self.scope == self.module {
                        self.reexports.insert(name.clone(), entry.clone());
                    }
                    self.aliases.entry(name).or_default().push(entry);
                }
            }
            self.push(Kind::Use, line, path);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if let (None, Some(first)) = (path.leading_colon, path.segments.first()) {
            let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.push(Kind::Code, first.ident.span().start().line, segments);
        }
        visit::visit_path(self, path);
    }

    // `pub(crate)`, `pub(super)` say who may see an item, not what it uses.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        self.scan(mac.tokens.clone());
    }
}

/// Expands a use tree into (full path, name it brings into scope or `None` for a glob, line).
fn expand(
    tree: &syn::UseTree,
    mut prefix: Segments,
    out: &mut Vec<(Segments, Option<String>, usize)>,
) {
    let (ident, name) = match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            return expand(&p.tree, prefix, out);
        }
        syn::UseTree::Group(g) => {
            return g.items.iter().for_each(|t| expand(t, prefix.clone(), out));
        }
        syn::UseTree::Glob(g) => {
            return out.push((prefix, None, g.star_token.spans[0].start().line));
        }
        syn::UseTree::Name(n) => (&n.ident, &n.ident),
        syn::UseTree::Rename(r) => (&r.ident, &r.rename),
    };
    // `use x::{self}` brings in `x` itself.
    if ident != "self" {
        prefix.push(ident.to_string());
    }
    let name = if name == "self" {
        prefix.last().cloned()
    } else {
        Some(name.to_string())
    };
    out.push((prefix, name, ident.span().start().line));
}

/// One crate's files, and which module each is.
struct Crate {
    files: Vec<(String, Facts)>,
    by_module: HashMap<Segments, usize>,
}

impl Crate {
    /// The absolute module path `path` names when written in `scope` of file `f`, if any.
    fn absolute(
        &self,
        f: usize,
        scope: &[String],
        path: &[String],
        kind: Kind,
        hops: usize,
    ) -> Option<Segments> {
        let facts = &self.files[f].1;
        let (first, rest) = path.split_first()?;
        match first.as_str() {
            "crate" => return Some(rest.to_vec()),
            "self" => return Some([scope, rest].concat()),
            "super" => {
                let ups = path.iter().take_while(|s| *s == "super").count();
                return Some([&scope[..scope.len().checked_sub(ups)?], &path[ups..]].concat());
            }
            _ => {}
        }
        // Prefer a `use` in the same inline module. `use x;` (an extern crate) is no alias.
        let aliases = facts.aliases.get(first).map_or(&[][..], Vec::as_slice);
        let alias = aliases.iter().find(|(s, _)| s == scope).or(aliases.first());
        if let Some((alias_scope, alias)) = alias.filter(|(_, p)| p[..] != path[..1]) {
            let path = [alias, rest].concat();
            return self.absolute(f, alias_scope, &path, Kind::Use, hops.checked_sub(1)?);
        }
        // A lone name in code is a value or a type, never a module, whatever globs bring in.
        if kind == Kind::Code && rest.is_empty() {
            return None;
        }
        if facts.children.contains(first) {
            return Some([scope, path].concat());
        }
        // Macro tokens count only from the starts above. Glob paths are resolved as if
        // in a macro, so that one glob is never looked up through another.
        if kind == Kind::Macro {
            return None;
        }
        facts.globs.iter().find_map(|(glob_scope, glob)| {
            let base = self.absolute(f, glob_scope, glob, Kind::Macro, hops.checked_sub(1)?)?;
            let full = [base, path.to_vec()].concat();
            self.by_module
                .contains_key(&full[..full.len() - rest.len()])
                .then_some(full)
        })
    }

    /// The file that defines what `r` names, following re-exports.
    fn target(&self, f: usize, r: &Ref) -> Option<usize> {
        let mut path = self.absolute(f, &r.scope, &r.path, r.kind, MAX_HOPS)?;
        let mut file = None;
        for _ in 0..MAX_HOPS {
            // The deepest module file on the path; what is left names an item in it.
            let has = |n: &usize| self.by_module.contains_key(&path[..*n]);
            let depth = (0..=path.len()).rev().find(has)?;
            let t = self.by_module[&path[..depth]];
            let leftover = &path[depth..];
            file = Some(t);
            let reexports = &self.files[t].1.reexports;
            let Some((scope, source)) = leftover.first().and_then(|n| reexports.get(n)) else {
                break;
            };
            // A re-export of an item from another crate stays a dependency on its file.
            let via = [source, &leftover[1..]].concat();
            let Some(next) = self.absolute(t, scope, &via, Kind::Use, MAX_HOPS) else {
                break;
            };
            path = next;
        }
        file
    }
}

/// Files (paths relative to `src/`) and edges `(from, to)`, each with one path that makes it.
struct Graph {
    files: Vec<String>,
    edges: BTreeMap<(usize, usize), String>,
}

/// The file dependency graph of one crate, given its `src/` as relative path → source.
fn file_graph(sources: &BTreeMap<String, String>) -> Result<Graph, Vec<String>> {
    // Parsing is most of the work, so the files are parsed on several threads.
    let sources: Vec<(&String, &String)> = sources.iter().collect();
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let chunks = sources.chunks(sources.len().div_ceil(threads).max(1));
    let work = |chunk: &[(&String, &String)]| -> Vec<_> {
        chunk
            .iter()
            .map(|(rel, text)| facts_of(rel, text))
            .collect()
    };
    let parsed: Vec<Result<Facts, String>> = thread::scope(|s| {
        let workers: Vec<_> = chunks.map(|chunk| s.spawn(move || work(chunk))).collect();
        let join = |w: thread::ScopedJoinHandle<'_, _>| w.join().expect("a parser thread panicked");
        workers.into_iter().flat_map(join).collect()
    });
    let (mut files, mut errors) = (Vec::new(), Vec::new());
    for ((rel, _), facts) in sources.iter().zip(parsed) {
        match facts {
            Ok(facts) => files.push((rel.to_string(), facts)),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut by_module = HashMap::new();
    for (i, (_, facts)) in files.iter().enumerate() {
        by_module.entry(facts.module.clone()).or_insert(i); // lib.rs sorts before main.rs
    }
    let krate = Crate { files, by_module };
    let mut edges = BTreeMap::new();
    for (f, (_, facts)) in krate.files.iter().enumerate() {
        for r in &facts.refs {
            if let Some(t) = krate.target(f, r).filter(|&t| t != f) {
                let example = || format!("line {}: `{}`", r.line, r.path.join("::"));
                edges.entry((f, t)).or_insert_with(example);
            }
        }
    }
    let files = krate.files.into_iter().map(|(rel, _)| rel).collect();
    Ok(Graph { files, edges })
}

/// The strongly connected components with more than one file: files that reach each other.
/// (Comparing reachability sets is quadratic, which is nothing for a few hundred files.)
fn cycles(graph: &Graph) -> Vec<Vec<usize>> {
    let n = graph.files.len();
    let reach = |start: usize| {
        let (mut seen, mut todo) = (vec![false; n], vec![start]);
        while let Some(v) = todo.pop() {
            for (&(_, w), _) in graph.edges.range((v, 0)..=(v, n)) {
                if !std::mem::replace(&mut seen[w], true) {
                    todo.push(w);
                }
            }
        }
        seen
    };
    let reach: Vec<Vec<bool>> = (0..n).map(reach).collect();
    let mut placed = vec![false; n];
    let mut found = Vec::new();
    for v in (0..n).filter(|&v| reach[v][v]) {
        let component: Vec<usize> = (v..n).filter(|&w| reach[v][w] && reach[w][v]).collect();
        if !placed[v] && component.len() > 1 {
            component.iter().for_each(|&w| placed[w] = true);
            found.push(component);
        }
    }
    found
}

fn describe(graph: &Graph, cycle: &[usize]) -> String {
    let names: Vec<&str> = cycle.iter().map(|&f| graph.files[f].as_str()).collect();
    let mut text = format!(
        "{} files depend on each other: {}\n",
        cycle.len(),
        names.join(", ")
    );
    for (&(a, b), example) in &graph.edges {
        if cycle.contains(&a) && cycle.contains(&b) {
            let (from, to) = (&graph.files[a], &graph.files[b]);
            text += &format!("    {from} -> {to}  ({example})\n");
        }
    }
    text
}

// The analysis on tiny crates held in memory.

fn graph_of(files: &[(&str, &str)]) -> Graph {
    let sources = files.iter().map(|&(p, s)| (p.into(), s.into())).collect();
    file_graph(&sources).unwrap_or_else(|errors| panic!("test sources don't parse: {errors:?}"))
}

fn cycle_names(graph: &Graph) -> Vec<Vec<&str>> {
    let names = |c: Vec<usize>| c.into_iter().map(|f| graph.files[f].as_str()).collect();
    cycles(graph).into_iter().map(names).collect()
}

fn has_edge(graph: &Graph, from: &str, to: &str) -> bool {
    let at = |name: &str| graph.files.iter().position(|f| f == name).expect(name);
    graph.edges.contains_key(&(at(from), at(to)))
}

#[test]
fn two_files_using_each_other_are_a_cycle() {
    let graph = graph_of(&[
        ("lib.rs", "mod a; mod b;"),
        ("a.rs", "use crate::b::B; pub struct A(B);"),
        ("b.rs", "pub struct B; fn f(_: super::a::A) {}"),
    ]);
    assert_eq!(cycle_names(&graph), [["a.rs", "b.rs"]]);
}

#[test]
fn declaring_a_module_is_not_using_it() {
    let tests = "#[cfg(test)] mod tests { use super::*; }";
    let graph = graph_of(&[
        ("lib.rs", "mod x; pub fn f() {}"),
        ("x.rs", &format!("pub fn g() {{ crate::f() }} {tests}")),
    ]);
    assert!(has_edge(&graph, "x.rs", "lib.rs"));
    assert!(!has_edge(&graph, "lib.rs", "x.rs"));
    assert!(cycle_names(&graph).is_empty());
}

#[test]
fn reexports_lead_to_the_defining_file() {
    // `super::B` in a.rs is b.rs's `B`, re-exported by mod.rs, which re-exports a.rs too.
    let graph = graph_of(&[
        ("lib.rs", "pub mod s;"),
        ("s/mod.rs", "mod a; mod b; pub use a::A; pub use b::B;"),
        ("s/a.rs", "use super::B; pub struct A(B);"),
        ("s/b.rs", "pub struct B;"),
    ]);
    assert!(has_edge(&graph, "s/a.rs", "s/b.rs"));
    assert!(!has_edge(&graph, "s/a.rs", "s/mod.rs"));
    assert!(cycle_names(&graph).is_empty());
}

#[test]
fn paths_inside_macros_are_dependencies() {
    let a = r#"pub fn f() -> String { format!("{}", crate::b::NAME) }"#;
    let b = r#"pub const NAME: &str = "b"; macro_rules! m { () => { $crate::a::f() } }"#;
    let graph = graph_of(&[("lib.rs", "mod a; mod b;"), ("a.rs", a), ("b.rs", b)]);
    assert_eq!(cycle_names(&graph), [["a.rs", "b.rs"]]);
}
