package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// openAPIDoc is the part of an OpenAPI document the tests read.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	} `json:"info"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components map[string]map[string]json.RawMessage `json:"components"`
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true, "trace": true}

func parseDoc(t *testing.T) (openAPIDoc, any) {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	var tree any
	if err := json.Unmarshal(openAPIDocument, &tree); err != nil {
		t.Fatal(err)
	}
	return doc, tree
}

// testRoutes returns the API's route table.
func testRoutes() []route {
	return (&API{}).routeTable()
}

// TestOpenAPICoversRoutes fails when a registered route is missing from the
// document, or the document describes an operation no route serves.
func TestOpenAPICoversRoutes(t *testing.T) {
	doc, _ := parseDoc(t)
	registered := map[string]bool{}
	for _, rt := range testRoutes() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok {
			t.Fatalf("route %q has no method", rt.pattern)
		}
		if !strings.HasPrefix(path, "/api/") {
			t.Errorf("route %q is outside /api/", rt.pattern)
		}
		op := strings.ToLower(method)
		registered[op+" "+path] = true
		if _, ok := doc.Paths[path][op]; !ok {
			t.Errorf("route %q is not in openapi.json: add paths[%q].%s", rt.pattern, path, op)
		}
	}
	for path, item := range doc.Paths {
		for op := range item {
			if httpMethods[op] && !registered[op+" "+path] {
				t.Errorf("openapi.json describes %s %s, which no route serves", strings.ToUpper(op), path)
			}
		}
	}
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// TestOpenAPIValid checks the document's structure: version, info, every
// operation with responses and declared path parameters, and every $ref
// resolving inside the document.
func TestOpenAPIValid(t *testing.T) {
	doc, tree := parseDoc(t)
	if !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(doc.OpenAPI) {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if doc.Info.Title == "" || doc.Info.Version == "" {
		t.Error("info.title and info.version are required")
	}
	if len(doc.Paths) == 0 {
		t.Fatal("no paths")
	}
	opIDs := map[string]string{}
	for path, item := range doc.Paths {
		if !strings.HasPrefix(path, "/") {
			t.Errorf("path %q does not start with /", path)
		}
		for op, raw := range item {
			if !httpMethods[op] {
				if op != "parameters" && op != "summary" && op != "description" && op != "servers" {
					t.Errorf("%s: unknown member %q", path, op)
				}
				continue
			}
			var o struct {
				OperationID string                     `json:"operationId"`
				Responses   map[string]json.RawMessage `json:"responses"`
				Parameters  []struct {
					Name     string `json:"name"`
					In       string `json:"in"`
					Required bool   `json:"required"`
				} `json:"parameters"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Errorf("%s %s: %v", op, path, err)
				continue
			}
			where := strings.ToUpper(op) + " " + path
			if len(o.Responses) == 0 {
				t.Errorf("%s has no responses", where)
			}
			for code := range o.Responses {
				if !regexp.MustCompile(`^([1-5]\d\d|[1-5]XX|default)$`).MatchString(code) {
					t.Errorf("%s: response code %q", where, code)
				}
			}
			if o.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if prev, dup := opIDs[o.OperationID]; dup {
				t.Errorf("operationId %q used by %s and %s", o.OperationID, prev, where)
			}
			opIDs[o.OperationID] = where
			declared := map[string]bool{}
			for _, p := range o.Parameters {
				if p.Name == "" || (p.In != "query" && p.In != "path" && p.In != "header" && p.In != "cookie") {
					t.Errorf("%s: bad parameter %+v", where, p)
				}
				if p.In == "path" {
					if !p.Required {
						t.Errorf("%s: path parameter %q must be required", where, p.Name)
					}
					declared[p.Name] = true
				}
			}
			for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
				if !declared[m[1]] {
					t.Errorf("%s: path parameter {%s} is not declared", where, m[1])
				}
				delete(declared, m[1])
			}
			for name := range declared {
				t.Errorf("%s: parameter %q is not in the path", where, name)
			}
		}
	}
	var refs []string
	collectRefs(tree, &refs)
	if len(refs) == 0 {
		t.Error("no $ref at all: the document does not use its components")
	}
	for _, ref := range refs {
		if !strings.HasPrefix(ref, "#/components/") {
			t.Errorf("$ref %q does not point into components", ref)
			continue
		}
		if resolve(tree, ref) == nil {
			t.Errorf("$ref %q does not resolve", ref)
		}
	}
	// Every problem type the code answers with is listed.
	types := resolve(tree, "#/components/schemas/Problem/properties/type/enum")
	list, _ := types.([]any)
	have := map[string]bool{}
	for _, v := range list {
		s, _ := v.(string)
		have[s] = true
	}
	for _, typ := range []string{typeInvalid, typeUnauthorized, typeForbidden, typeNotFound, typeMethodNotAllowed,
		typeTooLarge, typeMediaType, typeRateLimited, typeInternal} {
		if !have[typ] {
			t.Errorf("problem type %q is not in the Problem schema's enum", typ)
		}
	}
}

func collectRefs(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k == "$ref" {
				if s, ok := x[k].(string); ok {
					*out = append(*out, s)
				}
				continue
			}
			collectRefs(x[k], out)
		}
	case []any:
		for _, e := range x {
			collectRefs(e, out)
		}
	}
}

// resolve follows a local JSON pointer ("#/a/b") in tree, or returns nil.
func resolve(tree any, ref string) any {
	cur := tree
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[part]; !ok {
			return nil
		}
	}
	return cur
}

// TestOpenAPIStructureCheckCatchesMistakes makes sure the checks above can
// fail: a broken $ref does not resolve.
func TestOpenAPIStructureCheckCatchesMistakes(t *testing.T) {
	_, tree := parseDoc(t)
	if resolve(tree, "#/components/schemas/Nope") != nil {
		t.Fatal("a missing component resolved")
	}
	if resolve(tree, "#/components/schemas/Me") == nil {
		t.Fatal("an existing component did not resolve")
	}
	_ = http.MethodGet
}
