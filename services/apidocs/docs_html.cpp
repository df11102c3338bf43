#include "apidocs/docs_html.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <vector>

#include "core/html_escape.hpp"

namespace cloudretail::apidocs {

namespace json = boost::json;

namespace {

constexpr std::array kMethods{"get", "put", "post", "delete", "patch"};

constexpr std::string_view kStyle = R"css(
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1d2330}
nav{width:300px;flex:none;height:100vh;overflow:auto;position:sticky;top:0;background:#f4f5f8;padding:12px;box-sizing:border-box;font-size:13px}
nav a{display:block;color:#1d2330;text-decoration:none;padding:1px 0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
nav h4{margin:12px 0 4px}
main{flex:1;padding:0 32px 64px;max-width:1100px;min-width:0}
section.op{border-top:1px solid #dde;padding-top:8px;margin-top:24px}
.m{display:inline-block;text-transform:uppercase;min-width:56px;text-align:center;border-radius:4px;color:#fff;font:bold 12px monospace;padding:2px 4px;margin-right:6px}
.get{background:#2f7d32}.post{background:#1565c0}.put{background:#8d5a00}.patch{background:#6a1b9a}.delete{background:#b71c1c}
.access{font-size:13px;color:#555}.access b{color:#1d2330}
table{border-collapse:collapse;margin:6px 0;width:100%;font-size:14px}
td,th{border:1px solid #dde;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f5f8}
pre{background:#f4f5f8;padding:8px;overflow:auto;font-size:13px}
code{font-size:13px}.req{color:#b71c1c}.c{color:#555;font-size:13px}
)css";

/// The little Markdown the document's descriptions use: `code`, **bold**, paragraphs.
std::string markdown(std::string_view text) {
  std::string out = "<p>";
  bool code = false, bold = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else if (!code && c == '*' && i + 1 < text.size() && text[i + 1] == '*') {
      out += bold ? "</b>" : "<b>";
      bold = !bold;
      ++i;
    } else if (!code && c == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
      out += "</p><p>";
      ++i;
    } else {
      out += html_escape(std::string_view(&c, 1));
    }
  }
  if (code) out += "</code>";
  if (bold) out += "</b>";
  return out + "</p>";
}

std::string str(const json::value* v) { return v && v->is_string() ? std::string(v->get_string()) : std::string(); }

const json::value* at(const json::value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  return v.get_object().if_contains(key);
}

/// Numbers as the shortest text that reads back the same (109.97, not 1.0997E2).
std::string number_text(const json::value& v) {
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
  return ec == std::errc() ? std::string(buf, end) : "0";
}

void pretty(const json::value& v, std::string& out, int indent) {
  auto pad = [&](int n) { out.append(static_cast<size_t>(n) * 2, ' '); };
  switch (v.kind()) {
    case json::kind::object: {
      const auto& o = v.get_object();
      if (o.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      size_t i = 0;
      for (const auto& kv : o) {
        pad(indent + 1);
        out += json::serialize(json::string(kv.key())) + ": ";
        pretty(kv.value(), out, indent + 1);
        out += ++i < o.size() ? ",\n" : "\n";
      }
      pad(indent);
      out += "}";
      return;
    }
    case json::kind::array: {
      const auto& a = v.get_array();
      if (a.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (size_t i = 0; i < a.size(); ++i) {
        pad(indent + 1);
        pretty(a[i], out, indent + 1);
        out += i + 1 < a.size() ? ",\n" : "\n";
      }
      pad(indent);
      out += "]";
      return;
    }
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      out += number_text(v);
      return;
    default:
      out += json::serialize(v);
      return;
  }
}

std::string example_html(const json::value& v) {
  std::string text;
  pretty(v, text, 0);
  return "<pre>" + html_escape(text) + "</pre>";
}

std::string ref_name(std::string_view ref) {
  auto slash = ref.rfind('/');
  return std::string(slash == std::string_view::npos ? ref : ref.substr(slash + 1));
}

std::string type_label(const json::value& s);

std::string constraints(const json::value& s) {
  static constexpr std::array<std::pair<const char*, const char*>, 11> kWords{{{"minimum", "min"},
                                                                               {"exclusiveMinimum", "&gt;"},
                                                                               {"maximum", "max"},
                                                                               {"minLength", "min length"},
                                                                               {"maxLength", "max length"},
                                                                               {"maxItems", "max items"},
                                                                               {"minProperties", "min fields"},
                                                                               {"pattern", "pattern"},
                                                                               {"format", "format"},
                                                                               {"multipleOf", "multiple of"},
                                                                               {"default", "default"}}};
  std::string out;
  for (auto [key, word] : kWords) {
    const json::value* v = at(s, key);
    if (!v) continue;
    std::string text = v->is_string()   ? std::string(v->get_string())
                       : v->is_number() ? number_text(*v)
                                        : json::serialize(*v);
    out += std::string(out.empty() ? "" : ", ") + word + " <code>" + html_escape(text) + "</code>";
  }
  return out;
}

std::string type_label(const json::value& s) {
  if (auto ref = at(s, "$ref")) {
    std::string name = ref_name(str(ref));
    return "<a href=\"#schema-" + html_escape(name) + "\">" + html_escape(name) + "</a>";
  }
  if (auto c = at(s, "const")) return "<code>" + html_escape(json::serialize(*c)) + "</code>";
  if (auto e = at(s, "enum"); e && e->is_array()) {
    std::string out = "one of ";
    for (size_t i = 0; i < e->get_array().size(); ++i)
      out += std::string(i ? " | " : "") + "<code>" + html_escape(json::serialize(e->get_array()[i])) + "</code>";
    return out;
  }
  for (const char* combo : {"oneOf", "anyOf", "allOf"}) {
    auto list = at(s, combo);
    if (!list || !list->is_array()) continue;
    std::string out;
    for (const auto& part : list->get_array())
      out += (out.empty() ? "" : std::string_view(combo) == "allOf" ? " and " : " or ") + type_label(part);
    return out;
  }
  auto type = at(s, "type");
  std::string name;
  if (type && type->is_array()) {
    for (const auto& t : type->get_array()) name += (name.empty() ? "" : " or ") + html_escape(str(&t));
  } else {
    name = html_escape(str(type));
  }
  if (name == "array") {
    auto items = at(s, "items");
    return "array of " + (items ? type_label(*items) : std::string("anything"));
  }
  return name.empty() ? "any" : name;
}

/// A schema: its type, constraints and description, and a table of its fields.
std::string schema_html(const json::value& s, int depth) {
  std::string out = "<div>" + type_label(s);
  if (auto c = constraints(s); !c.empty()) out += " <span class=c>(" + c + ")</span>";
  out += "</div>";
  if (auto d = at(s, "description")) out += markdown(str(d));
  auto props = at(s, "properties");
  if (!props || !props->is_object() || depth > 3) return out;
  std::vector<std::string> required;
  if (auto r = at(s, "required"); r && r->is_array())
    for (const auto& name : r->get_array()) required.push_back(str(&name));
  out += "<table><tr><th>field</th><th>type</th></tr>";
  for (const auto& kv : props->get_object()) {
    bool req = std::find(required.begin(), required.end(), std::string(kv.key())) != required.end();
    out += "<tr><td><code>" + html_escape(kv.key()) + "</code>" + (req ? " <span class=req>required</span>" : "") +
           "</td><td>" + schema_html(kv.value(), depth + 1) + "</td></tr>";
  }
  out += "</table>";
  if (auto extra = at(s, "additionalProperties"); extra && extra->is_bool() && !extra->get_bool())
    out += "<div class=c>No other fields.</div>";
  return out;
}

std::string content_html(const json::value& content) {
  std::string out;
  if (!content.is_object()) return out;
  for (const auto& kv : content.get_object()) {
    out += "<div class=c>" + html_escape(kv.key()) + "</div>";
    if (auto schema = at(kv.value(), "schema")) out += schema_html(*schema, 0);
    if (auto example = at(kv.value(), "example")) out += "<div class=c>Example</div>" + example_html(*example);
  }
  return out;
}

/// Follows a local "#/components/..." reference; the value itself when there is none.
const json::value& resolve(const json::value& root, const json::value& v) {
  auto ref = at(v, "$ref");
  if (!ref) return v;
  std::string path = str(ref);
  if (path.rfind("#/", 0) != 0) return v;
  const json::value* cur = &root;
  size_t start = 2;
  while (cur && start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string part = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    cur = at(*cur, part);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return cur ? *cur : v;
}

std::string access_html(const json::value& op) {
  std::string access = str(at(op, "x-access"));
  static const std::map<std::string, std::string> kMeaning{
      {"public", "anyone"},
      {"user", "a signed-in user (bearer access token), own data only"},
      {"admin", "a bearer access token in group <code>admin</code>"},
      {"internal", "an admin token or <code>X-Service-Token</code> (between services)"}};
  auto it = kMeaning.find(access);
  std::string out =
      "<p class=access>Access: <b>" + html_escape(access) + "</b> — " + (it == kMeaning.end() ? "" : it->second);
  if (auto internal = at(op, "x-internal"); internal && internal->is_bool() && internal->get_bool())
    out += " · internal route";
  return out + "</p>";
}

std::string operation_html(const json::value& root, const std::string& method, const std::string& path,
                           const json::value& op) {
  std::string id = str(at(op, "operationId"));
  std::string out = "<section class=op id=\"op-" + html_escape(id) + "\"><h3><span class=\"m " + method + "\">" +
                    method + "</span><code>" + html_escape(path) + "</code></h3>";
  out += "<p><b>" + html_escape(str(at(op, "summary"))) + "</b></p>" + access_html(op);
  if (auto d = at(op, "description")) out += markdown(str(d));
  if (auto params = at(op, "parameters"); params && params->is_array() && !params->get_array().empty()) {
    out += "<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr>";
    for (const auto& raw : params->get_array()) {
      const json::value& p = resolve(root, raw);
      bool req = at(p, "required") && at(p, "required")->is_bool() && at(p, "required")->get_bool();
      const json::value* schema = at(p, "schema");
      out += "<tr><td><code>" + html_escape(str(at(p, "name"))) + "</code>" +
             (req ? " <span class=req>required</span>" : "") + "</td><td>" + html_escape(str(at(p, "in"))) +
             "</td><td>" + (schema ? type_label(*schema) : "") +
             (schema && !constraints(*schema).empty() ? " <span class=c>(" + constraints(*schema) + ")</span>" : "") +
             "</td><td>" + markdown(str(at(p, "description"))) + "</td></tr>";
    }
    out += "</table>";
  }
  if (auto body = at(op, "requestBody")) {
    const json::value& b = resolve(root, *body);
    bool req = at(b, "required") && at(b, "required")->is_bool() && at(b, "required")->get_bool();
    out += std::string("<h4>Request body") + (req ? "" : " (optional)") + "</h4>";
    if (auto content = at(b, "content")) out += content_html(*content);
  }
  if (auto responses = at(op, "responses"); responses && responses->is_object()) {
    out += "<h4>Responses</h4><table><tr><th>status</th><th>meaning and body</th></tr>";
    for (const auto& kv : responses->get_object()) {
      const json::value& r = resolve(root, kv.value());
      out += "<tr><td><b>" + html_escape(kv.key()) + "</b></td><td>" + markdown(str(at(r, "description")));
      if (auto content = at(r, "content")) out += content_html(*content);
      out += "</td></tr>";
    }
    out += "</table>";
  }
  return out + "</section>";
}

}  // namespace

std::string render_docs_html(std::string_view openapi_json) {
  json::value root = json::parse(openapi_json);
  const json::value* info = at(root, "info");
  std::string title = info ? str(at(*info, "title")) : "API";

  // Operations by tag, in the document's tag order (untagged ones last).
  struct Op {
    std::string method, path;
    const json::value* op;
  };
  std::vector<std::string> tag_order;
  if (auto tags = at(root, "tags"); tags && tags->is_array())
    for (const auto& t : tags->get_array()) tag_order.push_back(str(at(t, "name")));
  std::map<std::string, std::vector<Op>> by_tag;
  if (auto paths = at(root, "paths"); paths && paths->is_object()) {
    for (const auto& pv : paths->get_object()) {
      for (const char* method : kMethods) {
        const json::value* op = at(pv.value(), method);
        if (!op) continue;
        std::string tag = "Other";
        if (auto tags = at(*op, "tags"); tags && tags->is_array() && !tags->get_array().empty())
          tag = str(&tags->get_array()[0]);
        if (std::find(tag_order.begin(), tag_order.end(), tag) == tag_order.end()) tag_order.push_back(tag);
        by_tag[tag].push_back({method, std::string(pv.key()), op});
      }
    }
  }

  std::string nav = "<nav><b>" + html_escape(title) + "</b>";
  std::string body;
  for (const auto& tag : tag_order) {
    auto it = by_tag.find(tag);
    if (it == by_tag.end()) continue;
    nav += "<h4><a href=\"#tag-" + html_escape(tag) + "\">" + html_escape(tag) + "</a></h4>";
    body += "<h2 id=\"tag-" + html_escape(tag) + "\">" + html_escape(tag) + "</h2>";
    if (auto tags = at(root, "tags"); tags && tags->is_array())
      for (const auto& t : tags->get_array())
        if (str(at(t, "name")) == tag) body += markdown(str(at(t, "description")));
    for (const auto& o : it->second) {
      nav += "<a href=\"#op-" + html_escape(str(at(*o.op, "operationId"))) + "\"><span class=\"m " + o.method + "\">" +
             o.method + "</span>" + html_escape(o.path) + "</a>";
      body += operation_html(root, o.method, o.path, *o.op);
    }
  }

  std::string schemas;
  if (auto components = at(root, "components")) {
    if (auto all = at(*components, "schemas"); all && all->is_object()) {
      nav += "<h4><a href=\"#schemas\">Schemas</a></h4>";
      schemas += "<h2 id=schemas>Schemas</h2>";
      for (const auto& kv : all->get_object())
        schemas += "<section id=\"schema-" + html_escape(kv.key()) + "\"><h3>" + html_escape(kv.key()) + "</h3>" +
                   schema_html(kv.value(), 0) + "</section>";
    }
  }
  nav += "</nav>";

  std::string head =
      "<!doctype html><html lang=en><head><meta charset=utf-8>"
      "<meta name=viewport content=\"width=device-width, initial-scale=1\"><title>" +
      html_escape(title) + " reference</title><style>" + std::string(kStyle) + "</style></head><body>";
  std::string intro = "<main><h1>" + html_escape(title) + " <small>" +
                      html_escape(info ? str(at(*info, "version")) : "") + "</small></h1>" +
                      (info ? markdown(str(at(*info, "description"))) : "") +
                      "<p>Machine-readable: <a href=\"openapi.json\">openapi.json</a> (OpenAPI " +
                      html_escape(str(at(root, "openapi"))) + ").</p>";
  return head + nav + intro + body + schemas + "</main></body></html>";
}

}  // namespace cloudretail::apidocs
