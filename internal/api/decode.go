package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

// decodeJSON reads the request body into v, strictly: the content type
// must be JSON, the body at most maxBody bytes (413 beyond), one JSON value
// only, and no member that v does not have. Every failure is a *Problem
// that names the field, or "body" with the byte offset.
func decodeJSON(w http.ResponseWriter, r *http.Request, maxBody int64, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return &Problem{Type: typeMediaType, Title: "Unsupported media type", Status: http.StatusUnsupportedMediaType,
			Detail: "Send the body as application/json."}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err, reflect.TypeOf(v))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errTooLarge
		}
		return invalid("body", fmt.Sprintf("Send one JSON value only; more follows at byte %d.", dec.InputOffset()))
	}
	return nil
}

// jsonProblem explains a decoding error into a value of type into.
func jsonProblem(err error, into reflect.Type) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		mbe *http.MaxBytesError
	)
	switch {
	case errors.As(err, &mbe):
		return errTooLarge
	case errors.Is(err, io.EOF):
		return invalid("body", "The body is empty; send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("body", "The JSON ends too early.")
	case errors.As(err, &syn):
		return invalid("body", fmt.Sprintf("Malformed JSON at byte %d.", syn.Offset))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return invalid("body", "The body must be a JSON "+kindName(typ.Type)+".")
		}
		if isListOf(into, typ.Field, typ.Type) {
			return invalid(typ.Field, "Must be an array of "+kindName(typ.Type)+"s.")
		}
		return invalid(typ.Field, "Must be "+withArticle(kindName(typ.Type))+".")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if n, uerr := strconv.Unquote(name); uerr == nil {
			name = n
		}
		if name == "" {
			return invalid("body", "The body has a member with an empty name, which this request does not have.")
		}
		return invalid(name, "This request has no such field.")
	}
	return invalid("body", "The body is not valid JSON.")
}

// isListOf reports whether the member named field (by its JSON name) of
// struct type into is a slice of elem: then a type error about elem is
// about one of its items.
func isListOf(into reflect.Type, field string, elem reflect.Type) bool {
	for into != nil && into.Kind() == reflect.Pointer {
		into = into.Elem()
	}
	if into == nil || into.Kind() != reflect.Struct {
		return false
	}
	for i := 0; i < into.NumField(); i++ {
		f := into.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == field {
			return f.Type.Kind() == reflect.Slice && f.Type.Elem() == elem
		}
	}
	return false
}

// kindName names a Go type the way a JSON client thinks of it.
func kindName(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Pointer:
		return kindName(t.Elem())
	}
	return "value"
}

func withArticle(s string) string {
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + s
	}
	return "a " + s
}

func itoa(n int) string { return strconv.Itoa(n) }
