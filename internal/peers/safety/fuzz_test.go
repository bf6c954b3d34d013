package safety

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzReportInput checks that any report input is either accepted, clean,
// or refused with a FieldError naming one of its fields; never a panic.
func FuzzReportInput(f *testing.F) {
	f.Add("person", "0190-abc", "spam", "")
	f.Add("message", "", "harassment", "x")
	f.Add(" person ", " id ", " other ", "\xff")
	f.Add("person", "id", "unsafe", string(make([]byte, 5000)))
	f.Fuzz(func(t *testing.T, kind, id, reason, note string) {
		in, err := ReportInput{Kind: kind, ID: id, Reason: reason, Note: note}.Validate()
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("not a field error: %v", err)
			}
			switch fe.Field {
			case "kind", "id", "reason", "note":
			default:
				t.Fatalf("field %q", fe.Field)
			}
			if fe.Message == "" {
				t.Fatal("no message")
			}
			return
		}
		if ReasonLabel(in.Reason) == "" || in.ID == "" || !utf8.ValidString(in.Note) || utf8.RuneCountInString(in.Note) > MaxNote {
			t.Fatalf("accepted %+v", in)
		}
	})
}

// FuzzSuspendInput checks the suspension form's parsing the same way.
func FuzzSuspendInput(f *testing.F) {
	f.Add("2099-12-31", "spam")
	f.Add("", "")
	f.Add("31/12/2099", "x")
	f.Fuzz(func(t *testing.T, until, reason string) {
		end, r, err := SuspendInput{Until: until, Reason: reason}.parse(now())
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || (fe.Field != "until" && fe.Field != "reason") {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		if r == "" || (!end.IsZero() && !end.After(now())) {
			t.Fatalf("accepted %q %q: %v %q", until, reason, end, r)
		}
	})
}
