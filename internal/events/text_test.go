package events

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestRuleErrorQuotesWholeCharacters: an error about a recurrence rule
// quotes at most maxQuoted characters of what was typed, and never cuts a
// character in two (it was cut at 40 bytes before).
func TestRuleErrorQuotesWholeCharacters(t *testing.T) {
	key := "X" + strings.Repeat("É", 60)
	_, err := parseRule(normalizeRule(key+"=1"), time.UTC)
	if err == nil {
		t.Fatal("an unknown part was accepted")
	}
	msg := err.Error()
	if !utf8.ValidString(msg) {
		t.Fatalf("error is not valid UTF-8: %q", msg)
	}
	want := "X" + strings.Repeat("É", maxQuoted-2) + "…"
	if !strings.HasSuffix(msg, want) {
		t.Errorf("error = %q, want it to end with %q", msg, want)
	}
}

func TestClipRunes(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"  two \n lines ", 20, "two lines"},
		{"abcdef", 4, "abc…"},
		{"ééééé", 3, "éé…"},
	} {
		if got := clipRunes(c.in, c.n); got != c.want {
			t.Errorf("clipRunes(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
