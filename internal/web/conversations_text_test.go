package web

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

func TestMessageHTML(t *testing.T) {
	rel := ` rel="noopener noreferrer nofollow ugc"`
	cases := []struct{ in, want string }{
		{"Hello", "Hello"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"line one\nline two", "line one<br>line two"},
		{"a\r\nb", "a<br>b"},
		{"See https://example.org/a?b=1&c=2.", `See <a href="https://example.org/a?b=1&amp;c=2"` + rel + `>https://example.org/a?b=1&amp;c=2</a>.`},
		{"(http://example.org/x)", `(<a href="http://example.org/x"` + rel + `>http://example.org/x</a>)`},
		{"http://en.wikipedia.org/wiki/Cairn_(marker)", `<a href="http://en.wikipedia.org/wiki/Cairn_(marker)"` + rel + `>http://en.wikipedia.org/wiki/Cairn_(marker)</a>`},
		{"javascript:alert(1)", "javascript:alert(1)"},
		{"xhttps://example.org", "xhttps://example.org"},
		{"https://", "https://"},
		{`https://example.org/"onmouseover="x`, `<a href="https://example.org/"` + rel + `>https://example.org/</a>&#34;onmouseover=&#34;x`},
		{"HTTPS://Example.org", `<a href="HTTPS://Example.org"` + rel + `>HTTPS://Example.org</a>`},
		{"ftp://example.org", "ftp://example.org"},
	}
	for _, c := range cases {
		if got := string(messageHTML(c.in)); got != c.want {
			t.Errorf("messageHTML(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

// msgTag matches the only markup messageHTML may write.
var msgTag = regexp.MustCompile(`<a href="([^"<>]*)" rel="noopener noreferrer nofollow ugc">|</a>|<br>`)

// FuzzMessageHTML: whatever a person types, the output holds no markup but
// links to http(s) addresses and line breaks, and its text is exactly what
// was typed.
func FuzzMessageHTML(f *testing.F) {
	for _, s := range []string{
		"", "hello", "<b>bold</b>", "a & b", "https://example.org", "see http://x.test/a_(b) now.",
		"https://example.org/<script>", "https://ex\"ample.org", "http://a.test\nhttp://b.test",
		"https://example.org/'onclick='x", "HtTp://A.test", "https://[::1]/", "https://%zz", "\x00https://a.test",
		"javascript:alert(1)//https://a.test", "data:text/html,<script>", "https://a.test/\u202e", "x\r\ny",
		"https://a.test/&lt;", "http://a.test)))", "((http://a.test))", "https://a.test/?q=\"><img src=x>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := string(messageHTML(in))
		for _, m := range msgTag.FindAllStringSubmatch(out, -1) {
			if m[1] == "" {
				continue
			}
			href := strings.ToLower(html.UnescapeString(m[1]))
			if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") {
				t.Fatalf("link to %q from %q", m[1], in)
			}
		}
		text := msgTag.ReplaceAllStringFunc(out, func(tag string) string {
			if tag == "<br>" {
				return "\n"
			}
			return ""
		})
		if strings.ContainsAny(text, "<>\"'") {
			t.Fatalf("unescaped markup in %q from %q", out, in)
		}
		want := strings.ReplaceAll(strings.ReplaceAll(in, "\r\n", "\n"), "\r", "\n")
		// The text is what was typed (links show their address; the
		// escaper writes NUL as U+FFFD).
		want = strings.ReplaceAll(want, "\x00", "\uFFFD")
		if got := html.UnescapeString(text); got != want {
			t.Fatalf("text changed: %q -> %q", want, got)
		}
	})
}
