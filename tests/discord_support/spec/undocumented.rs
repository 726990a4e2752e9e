//! Fields a body carries that Discord's spec names nowhere: its schemas allow extra fields, so
//! without this check a fixture with a misspelt field name would pass.

use super::Spec;
use serde_json::Value;

impl Spec {
    /// Where in `value` (JSON pointers) objects carry a field that `schema` names nowhere (in its
    /// `properties`, in any branch of its `allOf`/`anyOf`/`oneOf`, or through `additionalProperties`).
    pub fn undocumented_fields(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
        let branches = self.branches(schema);
        match value {
            Value::Object(map) => {
                for (key, field) in map {
                    let path = format!("{at}/{key}");
                    let candidates: Vec<Value> = branches.iter().filter_map(|b| field_schema(b, key)).collect();
                    if candidates.is_empty() {
                        if branches.iter().any(|b| b.get("properties").is_some()) {
                            out.push(path);
                        }
                        continue;
                    }
                    out.extend(self.fewest_unknown(&candidates, field, &path));
                }
            }
            Value::Array(items) => {
                let candidates: Vec<Value> = branches.iter().filter_map(|b| b.get("items").cloned()).collect();
                for (index, item) in items.iter().enumerate() {
                    if !candidates.is_empty() {
                        out.extend(self.fewest_unknown(&candidates, item, &format!("{at}/{index}")));
                    }
                }
            }
            _ => {}
        }
    }

    /// The unknown fields of `value` under the candidate schema that explains it best.
    fn fewest_unknown(&self, candidates: &[Value], value: &Value, at: &str) -> Vec<String> {
        candidates
            .iter()
            .map(|schema| {
                let mut found = Vec::new();
                self.undocumented_fields(schema, value, at, &mut found);
                found
            })
            .min_by_key(Vec::len)
            .unwrap_or_default()
    }

    /// `schema` and, recursively, every schema it refers to or combines, `$ref`s followed.
    fn branches(&self, schema: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        let mut todo = vec![schema.clone()];
        while let Some(next) = todo.pop() {
            let next = self.resolve(&next);
            for key in ["allOf", "anyOf", "oneOf"] {
                if let Some(list) = next.get(key).and_then(Value::as_array) {
                    todo.extend(list.iter().cloned());
                }
            }
            out.push(next);
            if out.len() > 64 {
                break;
            }
        }
        out
    }
}

/// The schema a property `key` has in one (resolved) schema branch.
fn field_schema(branch: &Value, key: &str) -> Option<Value> {
    if let Some(schema) = branch.get("properties").and_then(|p| p.get(key)) {
        return Some(schema.clone());
    }
    match branch.get("additionalProperties") {
        Some(Value::Bool(false)) | None => None,
        Some(Value::Bool(true)) => Some(Value::Bool(true)),
        Some(schema) => Some(schema.clone()),
    }
}
