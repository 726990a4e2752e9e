//! Discord's OpenAPI spec (`tests/fixtures/discord-api-spec/openapi.json`): finds the operation of a
//! request from its method and path, and checks query parameters, request bodies and served bodies
//! against the operation's schemas (JSON Schema 2020-12, `$ref`s into `#/components/schemas`).
//!
//! Besides the schemas, a body must not carry a field the spec does not name anywhere
//! ([`Spec::undocumented_fields`]): Discord's schemas allow extra fields, so without this a fixture
//! with a misspelt field name would pass.

use jsonschema::{Draft, Registry, Validator};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The spec's own base URI: `$ref`s inside it resolve against this.
const SPEC_URI: &str = "https://discord.com/api/v10/openapi.json";
const SPEC_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/discord-api-spec/openapi.json"
);

mod undocumented;

/// Request fields Discord takes though its spec does not name them: operation, JSON pointer (`*`
/// for any index), and why.
const SPEC_OMITS: &[(&str, &str, &str)] = &[(
    "bulk_set_guild_application_commands",
    "/*/nsfw",
    "Discord's documentation takes `nsfw` on commands (serenity sends it); ApplicationCommandUpdateRequest omits it",
)];

/// The spec, loaded and indexed once per test binary.
pub struct Spec {
    doc: &'static Value,
    registry: Registry<'static>,
    templates: Vec<Template>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

/// One path of the spec, split into segments.
struct Template {
    path: String,
    segments: Vec<Segment>,
}

enum Segment {
    Literal(String),
    Param(String),
}

/// The operation a request was routed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId` (`create_message`).
    pub id: String,
    /// Lower case, as in the spec (`post`).
    pub method: String,
    /// The path template (`/channels/{channel_id}/messages`).
    pub template: String,
    /// Path parameters, percent-decoded (`channel_id` → `"1234"`).
    pub params: HashMap<String, String>,
}

impl Operation {
    /// A path parameter (empty when the template has no such parameter).
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }

    /// A path parameter read as a snowflake.
    pub fn snowflake(&self, name: &str) -> Option<u64> {
        self.param(name).parse().ok()
    }
}

impl Spec {
    /// The spec of `tests/fixtures/discord-api-spec/`.
    ///
    /// # Panics
    /// If the file is missing or is not a spec: the repository is broken.
    pub fn shared() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(Spec::load)
    }

    fn load() -> Spec {
        static DOC: OnceLock<Value> = OnceLock::new();
        let doc = DOC.get_or_init(|| {
            let text = std::fs::read_to_string(SPEC_FILE).unwrap_or_else(|e| panic!("{SPEC_FILE}: {e}"));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{SPEC_FILE}: {e}"))
        });
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .add(SPEC_URI, doc)
            .and_then(|builder| builder.prepare())
            .unwrap_or_else(|e| panic!("{SPEC_FILE} does not index as JSON Schema: {e}"));
        let templates = doc["paths"]
            .as_object()
            .unwrap_or_else(|| panic!("{SPEC_FILE} has no paths"))
            .keys()
            .map(|path| Template::new(path))
            .collect();
        Spec {
            doc,
            registry,
            templates,
            validators: Mutex::new(HashMap::new()),
        }
    }

    /// The operation for `method` (any case) on `path` (after `/api/v10`, without the query), or
    /// `None` when Discord has no such route. Literal segments win over parameters
    /// (`…/reactions/{emoji_name}/@me` over `…/reactions/{emoji_name}/{user_id}`).
    pub fn operation(&self, method: &str, path: &str) -> Option<Operation> {
        let method = method.to_ascii_lowercase();
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        let (template, params) = self
            .templates
            .iter()
            .filter(|t| self.doc["paths"][&t.path].get(&method).is_some())
            .filter_map(|t| t.matches(&parts).map(|(score, params)| (score, t, params)))
            .max_by_key(|(score, _, _)| *score)
            .map(|(_, t, params)| (t, params))?;
        let id = self.doc["paths"][&template.path][&method]["operationId"].as_str()?;
        Some(Operation {
            id: id.to_string(),
            method,
            template: template.path.clone(),
            params,
        })
    }

    /// Whether the operation needs the bot token (its `security` does not allow anonymous calls).
    pub fn needs_token(&self, op: &Operation) -> bool {
        let security = self.at(&format!("{}/security", op_pointer(op)));
        security
            .as_array()
            .is_some_and(|list| !list.iter().any(|s| s.as_object().is_some_and(|o| o.is_empty())))
    }

    /// Problems with a request's query parameters and JSON body (`None`: no body).
    pub fn check_request(&self, op: &Operation, query: &[(String, String)], body: Option<&Value>) -> Vec<String> {
        let mut problems = self.check_query(op, query);
        let pointer = format!("{}/requestBody", op_pointer(op));
        let declared = self.resolve(&self.at(&pointer));
        match (body, declared.is_null()) {
            (None, false) if declared["required"] == true => problems.push("the request body is missing".into()),
            (Some(_), true) => problems.push("this operation takes no request body".into()),
            (Some(body), false) => {
                let schema = format!("{pointer}/content/application~1json/schema");
                let omitted: Vec<&str> = SPEC_OMITS
                    .iter()
                    .filter(|(id, _, _)| *id == op.id)
                    .map(|(_, at, _)| *at)
                    .collect();
                problems.extend(self.check_allowing(&self.resolved_pointer(&pointer, &schema), body, &omitted));
            }
            _ => {}
        }
        problems
    }

    /// Problems with a response: its status must be declared, and its body must match the declared
    /// JSON content (or be absent when none is declared).
    pub fn check_response(&self, op: &Operation, status: u16, body: Option<&Value>) -> Vec<String> {
        let responses = format!("{}/responses", op_pointer(op));
        let class = format!("{}XX", status / 100);
        let Some(key) = [status.to_string(), class, "default".into()]
            .into_iter()
            .find(|key| !self.at(&format!("{responses}/{key}")).is_null())
        else {
            return vec![format!("status {status} is not a response of {}", op.id)];
        };
        let response = format!("{responses}/{key}");
        let schema = self.resolved_pointer(&response, &format!("{response}/content/application~1json/schema"));
        match (body, self.at(&schema).is_null()) {
            (None, true) => Vec::new(),
            (None, false) => vec![format!("status {status} needs a JSON body")],
            (Some(_), true) => vec![format!("status {status} has no body in the spec")],
            (Some(body), false) => self.check(&schema, body),
        }
    }

    /// Problems with `value` against the schema at `pointer` (`#/components/schemas/…`): schema
    /// errors, then fields the spec does not name.
    pub fn check(&self, pointer: &str, value: &Value) -> Vec<String> {
        self.check_allowing(pointer, value, &[])
    }

    /// [`Spec::check`], allowing the fields at `allowed` (JSON pointers, `*` for any index).
    fn check_allowing(&self, pointer: &str, value: &Value, allowed: &[&str]) -> Vec<String> {
        let validator = self.validator(pointer);
        let mut problems: Vec<String> = validator
            .iter_errors(value)
            .map(|e| format!("at `{}`: {e} (schema {pointer}{})", e.instance_path(), e.schema_path()))
            .collect();
        if problems.is_empty() {
            let schema = self.at(pointer);
            let mut unknown = Vec::new();
            self.undocumented_fields(&schema, value, "", &mut unknown);
            unknown.retain(|at| !allowed.iter().any(|pattern| pointer_matches(pattern, at)));
            problems.extend(
                unknown
                    .into_iter()
                    .map(|at| format!("at `{at}`: a field the spec does not name")),
            );
        }
        problems
    }

    /// Follows `$ref`s (within the spec) until a schema without one.
    fn resolve(&self, schema: &Value) -> Value {
        let mut current = schema.clone();
        for _ in 0..16 {
            match current.get("$ref").and_then(Value::as_str) {
                Some(target) => current = self.at(target),
                None => break,
            }
        }
        current
    }

    /// `schema_pointer` with the response or request-body object at `object` followed if it is a
    /// `$ref` (`#/components/responses/ClientErrorResponse`).
    fn resolved_pointer(&self, object: &str, schema_pointer: &str) -> String {
        match self.at(object).get("$ref").and_then(Value::as_str) {
            Some(target) => schema_pointer.replacen(object, target, 1),
            None => schema_pointer.to_string(),
        }
    }

    /// The value at a `#/…` JSON pointer, or null.
    fn at(&self, pointer: &str) -> Value {
        self.doc
            .pointer(pointer.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null)
    }

    fn check_query(&self, op: &Operation, query: &[(String, String)]) -> Vec<String> {
        let declared = self.query_parameters(op);
        let mut problems = Vec::new();
        for (name, text) in query {
            let Some((pointer, param)) = declared.iter().find(|(_, p)| p["name"] == name.as_str()) else {
                problems.push(format!("query parameter `{name}` is not in the spec"));
                continue;
            };
            let schema = self.resolve(&param["schema"]);
            let value = typed_query_value(&schema, text);
            problems.extend(
                self.check(&format!("{pointer}/schema"), &value)
                    .into_iter()
                    .map(|p| format!("query parameter `{name}={text}` {p}")),
            );
        }
        for (_, param) in &declared {
            let name = param["name"].as_str().unwrap_or_default();
            if param["required"] == true && !query.iter().any(|(n, _)| n == name) {
                problems.push(format!("required query parameter `{name}` is missing"));
            }
        }
        problems
    }

    /// The operation's query parameters (its own and its path's) with the pointer of each.
    fn query_parameters(&self, op: &Operation) -> Vec<(String, Value)> {
        let path = format!("#/paths/{}", escape(&op.template));
        [format!("{path}/parameters"), format!("{}/parameters", op_pointer(op))]
            .into_iter()
            .flat_map(|list| {
                let params = self.at(&list).as_array().cloned().unwrap_or_default();
                params.into_iter().enumerate().filter_map(move |(i, p)| {
                    let pointer = format!("{list}/{i}");
                    (p["in"] == "query").then_some((pointer, p))
                })
            })
            .collect()
    }

    /// The validator of the schema at `pointer`, compiled once.
    fn validator(&self, pointer: &str) -> Arc<Validator> {
        let mut cache = self.validators.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(validator) = cache.get(pointer) {
            return Arc::clone(validator);
        }
        let reference = serde_json::json!({ "$ref": format!("{SPEC_URI}{}", uri_fragment(pointer)) });
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(&self.registry)
            .build(&reference)
            .unwrap_or_else(|e| panic!("the spec's schema at {pointer} does not compile: {e}"));
        let validator = Arc::new(validator);
        cache.insert(pointer.to_string(), Arc::clone(&validator));
        validator
    }
}

impl Template {
    fn new(path: &str) -> Template {
        let segments = path
            .split('/')
            .skip(1)
            .map(|s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(s.to_string()),
            })
            .collect();
        Template {
            path: path.to_string(),
            segments,
        }
    }

    /// The number of literal segments matched and the parameters, if `parts` fits this template.
    fn matches(&self, parts: &[&str]) -> Option<(usize, HashMap<String, String>)> {
        if parts.len() != self.segments.len() {
            return None;
        }
        let mut params = HashMap::new();
        let mut literals = 0;
        for (segment, part) in self.segments.iter().zip(parts) {
            match segment {
                Segment::Literal(text) if text == part => literals += 1,
                Segment::Literal(_) => return None,
                Segment::Param(_) if part.is_empty() => return None,
                Segment::Param(name) => {
                    let decoded = percent_encoding::percent_decode_str(part).decode_utf8_lossy();
                    params.insert(name.clone(), decoded.into_owned());
                }
            }
        }
        Some((literals, params))
    }
}

/// A query string value as the JSON its schema expects (`limit=2` → `2`, `wait=true` → `true`).
fn typed_query_value(schema: &Value, text: &str) -> Value {
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let parsed = if types.contains(&"integer") {
        text.parse::<i64>().ok().map(Value::from)
    } else if types.contains(&"number") {
        text.parse::<f64>().ok().map(Value::from)
    } else if types.contains(&"boolean") {
        match text {
            "true" | "True" => Some(Value::Bool(true)),
            "false" | "False" => Some(Value::Bool(false)),
            _ => None,
        }
    } else {
        None
    };
    parsed.unwrap_or_else(|| Value::String(text.to_string()))
}

/// `#/paths/<template>/<method>`.
fn op_pointer(op: &Operation) -> String {
    format!("#/paths/{}/{}", escape(&op.template), op.method)
}

/// A path template as one JSON-pointer token (`/` → `~1`).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A `#/…` pointer written as a URI fragment (`{` and `}` percent-encoded).
fn uri_fragment(pointer: &str) -> String {
    pointer.replace('{', "%7B").replace('}', "%7D")
}

/// Whether the JSON pointer `path` fits `pattern`, where a `*` segment stands for any array index.
pub fn pointer_matches(pattern: &str, path: &str) -> bool {
    let (mut want, mut got) = (pattern.split('/'), path.split('/'));
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some("*"), Some(index)) if index.parse::<usize>().is_ok() => {}
            (Some(w), Some(g)) if w == g => {}
            _ => return false,
        }
    }
}
