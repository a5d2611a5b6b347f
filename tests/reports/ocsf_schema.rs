//! Just enough of the OCSF schema's own compiler to check an event against
//! the definition files kept under tests/fixtures/ocsf (copied unmodified
//! from ocsf/ocsf-schema at tag v1.6.0; Apache-2.0, LICENSE and NOTICE
//! beside them).
//!
//! A definition (event class or object) is its `extends` chain, parent
//! first, each file's attributes merged over its parent's member by member;
//! a file's `$include`d profile attributes are tagged with the profile and
//! count only when the event applies it (`metadata.profiles`), unless a
//! descendant clears the tag (`"profile": null`). An attribute's type,
//! array-ness and enum come from `dictionary.json`, merged under the
//! definition's own. The check is recursive: every object the event gives
//! is checked against its own definition, and an object whose definition is
//! not kept here is a problem, not a pass.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

/// The definition files, read.
pub struct Schema {
    root: PathBuf,
    dictionary: Map<String, Value>,
    types: Map<String, Value>,
    categories: Map<String, Value>,
    version: String,
}

/// An event class or object, resolved through `extends` and `$include`.
pub struct Definition {
    /// Its name, e.g. `compliance_finding`.
    pub name: String,
    /// An event class's `class_uid` (category uid × 1000 + its uid).
    pub uid: i64,
    /// An event class's category uid.
    pub category_uid: i64,
    /// An event class's category, e.g. `findings`.
    pub category: String,
    /// Its caption, e.g. `Compliance Finding`.
    pub caption: String,
    /// Its attributes, merged.
    pub attributes: Map<String, Value>,
    /// The profiles it may apply.
    pub profiles: BTreeSet<String>,
    /// `at_least_one` / `just_one` constraints.
    pub constraints: Map<String, Value>,
}

#[derive(Clone, Copy)]
enum Kind {
    Event,
    Object,
}

/// Merge `b` over `a`, objects member by member.
fn merge(a: &Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let mut out = a.clone();
            for (k, v) in b {
                let merged = out.get(k).map_or_else(|| v.clone(), |old| merge(old, v));
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (_, b) => b.clone(),
    }
}

fn merge_into(map: &mut Map<String, Value>, key: &str, value: &Value) {
    let merged = map
        .get(key)
        .map_or_else(|| value.clone(), |old| merge(old, value));
    map.insert(key.to_owned(), merged);
}

/// Whether an attribute counts with these profiles applied.
fn active(attribute: &Value, applied: &[String]) -> bool {
    match attribute.get("profile") {
        None | Some(Value::Null) => true,
        Some(Value::String(p)) => applied.contains(p),
        Some(_) => false,
    }
}

impl Definition {
    /// The attributes it requires with `applied` profiles, sorted.
    pub fn required(&self, applied: &[&str]) -> Vec<String> {
        let applied: Vec<String> = applied.iter().map(|p| (*p).to_owned()).collect();
        let mut names: Vec<String> = self
            .attributes
            .iter()
            .filter(|(_, a)| a["requirement"] == "required" && active(a, &applied))
            .map(|(k, _)| k.clone())
            .collect();
        names.sort();
        names
    }
}

impl Schema {
    /// Read the kept files under `root`.
    pub fn load(root: &Path) -> Schema {
        let mut s = Schema {
            root: root.to_owned(),
            dictionary: Map::new(),
            types: Map::new(),
            categories: Map::new(),
            version: String::new(),
        };
        let dictionary = s.read("dictionary.json");
        s.dictionary = dictionary["attributes"]
            .as_object()
            .cloned()
            .expect("dictionary attributes");
        s.types = dictionary["types"]["attributes"]
            .as_object()
            .cloned()
            .expect("dictionary types");
        s.categories = s.read("categories.json")["attributes"]
            .as_object()
            .cloned()
            .expect("categories");
        s.version = s.read("version.json")["version"]
            .as_str()
            .expect("version")
            .to_owned();
        s
    }

    fn read(&self, relative: &str) -> Value {
        let path = self.root.join(relative);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{} is not kept under tests/fixtures/ocsf ({e}): copy it from \
                 ocsf/ocsf-schema at tag v1.6.0",
                path.display()
            )
        });
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The event file whose `name` is `name`, searched under events/.
    fn event_file(&self, name: &str) -> Value {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "json") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.root.join("events"), &mut files);
        files
            .iter()
            .map(|p| {
                let rel = p.strip_prefix(&self.root).expect("under root");
                self.read(&rel.to_string_lossy())
            })
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| {
                panic!("no event named {name} is kept under tests/fixtures/ocsf/events")
            })
    }

    fn resolve(&self, kind: Kind, name: &str) -> Definition {
        let file = match kind {
            Kind::Event => self.event_file(name),
            Kind::Object => self.read(&format!("objects/{name}.json")),
        };
        let mut def = match file.get("extends").and_then(Value::as_str) {
            Some(parent) => self.resolve(kind, parent),
            None => Definition {
                name: String::new(),
                uid: 0,
                category_uid: 0,
                category: String::new(),
                caption: String::new(),
                attributes: Map::new(),
                profiles: BTreeSet::new(),
                constraints: Map::new(),
            },
        };
        def.name = name.to_owned();
        def.caption = file["caption"].as_str().unwrap_or_default().to_owned();
        let attributes = file["attributes"].as_object().cloned().unwrap_or_default();
        let mut own = Map::new();
        for include in attributes
            .get("$include")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let profile = self.read(include.as_str().expect("an $include path"));
            let profile_name = profile["name"].clone();
            for (k, v) in profile["attributes"].as_object().into_iter().flatten() {
                let mut v = v.clone();
                if v.get("profile").is_none() {
                    v["profile"] = profile_name.clone();
                }
                merge_into(&mut own, k, &v);
            }
        }
        for (k, v) in attributes.iter().filter(|(k, _)| *k != "$include") {
            merge_into(&mut own, k, v);
        }
        for (k, v) in &own {
            merge_into(&mut def.attributes, k, v);
        }
        if let Some(c) = file.get("constraints").and_then(Value::as_object) {
            def.constraints = c.clone();
        }
        for p in file
            .get("profiles")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            def.profiles
                .insert(p.as_str().expect("a profile name").to_owned());
        }
        if let Some(category) = file.get("category").and_then(Value::as_str) {
            def.category = category.to_owned();
            // base_event's "other" is no category: uid 0, Uncategorized.
            def.category_uid = self
                .categories
                .get(category)
                .and_then(|c| c["uid"].as_i64())
                .unwrap_or(0);
        }
        if let Some(uid) = file.get("uid").and_then(Value::as_i64) {
            def.uid = def.category_uid * 1000 + uid;
        }
        def
    }

    /// The event class named `name`. As the schema's compiler does, its
    /// `class_uid`, `category_uid` and `type_uid` enumerate its own values
    /// (`type_uid` one per activity), whose captions their siblings
    /// (`class_name`, `category_name`, `type_name`) hold.
    pub fn class(&self, name: &str) -> Definition {
        let mut def = self.resolve(Kind::Event, name);
        let category_caption = self.categories[&def.category]["caption"].clone();
        let activities = merge(
            &self.dictionary["activity_id"],
            &def.attributes["activity_id"],
        );
        let mut types = Map::new();
        for (id, activity) in activities["enum"].as_object().into_iter().flatten() {
            let id: i64 = id.parse().expect("an activity id");
            types.insert(
                (def.uid * 100 + id).to_string(),
                json!({"caption": format!("{}: {}", def.caption, activity["caption"].as_str().unwrap_or_default())}),
            );
        }
        let enums = [
            (
                "class_uid",
                json!({def.uid.to_string(): {"caption": def.caption}}),
            ),
            (
                "category_uid",
                json!({def.category_uid.to_string(): {"caption": category_caption}}),
            ),
            ("type_uid", Value::Object(types)),
        ];
        for (attribute, values) in enums {
            def.attributes[attribute]["enum"] = values;
            // Not merged with the dictionary's (Base Event, Uncategorized).
            def.attributes[attribute]["own_enum"] = json!(true);
        }
        def
    }

    /// Every way `event` breaks the class's definition; empty when none.
    pub fn check_event(&self, class: &Definition, event: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let Some(obj) = event.as_object() else {
            return vec!["the event is not an object".into()];
        };
        let applied: Vec<String> = event["metadata"]["profiles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_owned))
            .collect();
        for p in &applied {
            if !class.profiles.contains(p) {
                problems.push(format!(
                    "metadata.profiles: {p} is not a profile of {}",
                    class.name
                ));
            }
        }
        self.check_object(class, obj, &applied, "", &mut problems);
        let int = |k: &str| event[k].as_i64();
        if int("class_uid") != Some(class.uid) {
            problems.push(format!("class_uid: expected {}", class.uid));
        }
        if int("category_uid") != Some(class.category_uid) {
            problems.push(format!("category_uid: expected {}", class.category_uid));
        }
        if let (Some(class_uid), Some(activity)) = (int("class_uid"), int("activity_id"))
            && int("type_uid") != Some(class_uid * 100 + activity)
        {
            problems.push("type_uid: expected class_uid * 100 + activity_id".into());
        }
        if event["metadata"]["version"] != self.version.as_str() {
            problems.push(format!("metadata.version: expected {}", self.version));
        }
        problems
    }

    fn check_object(
        &self,
        def: &Definition,
        obj: &Map<String, Value>,
        applied: &[String],
        path: &str,
        problems: &mut Vec<String>,
    ) {
        let applied_refs: Vec<&str> = applied.iter().map(String::as_str).collect();
        for name in def.required(&applied_refs) {
            if obj.get(&name).is_none_or(Value::is_null) {
                problems.push(format!("{path}{name}: required by {}, missing", def.name));
            }
        }
        let present = |names: &Value| {
            names
                .as_array()
                .into_iter()
                .flatten()
                .filter(|n| {
                    n.as_str()
                        .is_some_and(|n| obj.get(n).is_some_and(|v| !v.is_null()))
                })
                .count()
        };
        if let Some(names) = def.constraints.get("at_least_one")
            && present(names) == 0
        {
            problems.push(format!(
                "{path}: {} needs at least one of {names}",
                def.name
            ));
        }
        if let Some(names) = def.constraints.get("just_one")
            && present(names) != 1
        {
            problems.push(format!("{path}: {} needs exactly one of {names}", def.name));
        }
        for (name, value) in obj {
            let at = format!("{path}{name}");
            let Some(attribute) = def.attributes.get(name) else {
                problems.push(format!("{at}: not an attribute of {}", def.name));
                continue;
            };
            if !active(attribute, applied) {
                problems.push(format!(
                    "{at}: belongs to profile {}, not applied",
                    attribute["profile"]
                ));
                continue;
            }
            let mut dictionary = self.dictionary.get(name).cloned().unwrap_or(Value::Null);
            if attribute["own_enum"] == true
                && let Some(d) = dictionary.as_object_mut()
            {
                d.remove("enum");
            }
            let attribute = merge(&dictionary, attribute);
            self.check_value(&attribute, value, obj, applied, &at, problems);
        }
    }

    fn check_value(
        &self,
        attribute: &Value,
        value: &Value,
        siblings: &Map<String, Value>,
        applied: &[String],
        at: &str,
        problems: &mut Vec<String>,
    ) {
        let Some(ty) = attribute["type"].as_str() else {
            problems.push(format!("{at}: the schema gives it no type"));
            return;
        };
        if attribute["is_array"] == true {
            match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check_item(
                            ty,
                            attribute,
                            item,
                            siblings,
                            applied,
                            &format!("{at}[{i}]"),
                            problems,
                        );
                    }
                }
                None => problems.push(format!("{at}: expected an array of {ty}")),
            }
        } else {
            self.check_item(ty, attribute, value, siblings, applied, at, problems);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_item(
        &self,
        ty: &str,
        attribute: &Value,
        value: &Value,
        siblings: &Map<String, Value>,
        applied: &[String],
        at: &str,
        problems: &mut Vec<String>,
    ) {
        if !ty.ends_with("_t") {
            if !self.root.join(format!("objects/{ty}.json")).is_file() {
                problems.push(format!(
                    "{at}: object {ty}'s definition is not kept under tests/fixtures/ocsf/objects"
                ));
                return;
            }
            match value.as_object() {
                Some(obj) => {
                    let def = self.resolve(Kind::Object, ty);
                    self.check_object(&def, obj, applied, &format!("{at}."), problems);
                }
                None => problems.push(format!("{at}: expected a {ty} object")),
            }
            return;
        }
        let mut base = ty.to_owned();
        while let Some(parent) = self.types.get(&base).and_then(|t| t["type"].as_str()) {
            base = parent.to_owned();
        }
        let fits = match base.as_str() {
            "string_t" => value.is_string(),
            "integer_t" | "long_t" => value.is_i64() || value.is_u64(),
            "float_t" => value.is_number(),
            "boolean_t" => value.is_boolean(),
            "json_t" => true,
            other => {
                problems.push(format!("{at}: unknown base type {other}"));
                return;
            }
        };
        if !fits {
            problems.push(format!("{at}: {value} is not a {ty}"));
            return;
        }
        if let (Some(values), Some(n)) = (attribute["enum"].as_object(), value.as_i64()) {
            let Some(caption) = values.get(&n.to_string()).map(|v| &v["caption"]) else {
                problems.push(format!(
                    "{at}: {n} is not one of {:?}",
                    values.keys().collect::<Vec<_>>()
                ));
                return;
            };
            // The sibling (severity of severity_id, …) holds the caption,
            // except for 99 Other, where the source names it.
            if let Some(sibling) = attribute["sibling"].as_str()
                && n != 99
                && let Some(text) = siblings.get(sibling)
                && text != caption
            {
                problems.push(format!("{at}: {n} is {caption}, but {sibling} is {text}"));
            }
        }
    }
}
