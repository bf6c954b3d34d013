package web

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
)

// circleLink finds web addresses in what members type.
var circleLink = regexp.MustCompile(`https?://[^\s<>"']+`)

// richText shows text typed by a person as HTML: every character escaped,
// paragraphs at blank lines, line breaks kept, and http(s) addresses made
// into links that open no referrer and carry no weight for search engines.
func richText(s string) template.HTML {
	var b strings.Builder
	for _, para := range paragraphs(s) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			writeLinked(&b, strings.TrimRight(line, " \t\r"))
		}
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}

// writeLinked writes line escaped, with its web addresses as links.
func writeLinked(b *strings.Builder, line string) {
	if !strings.Contains(line, "http") { // most lines: no address to look for
		b.WriteString(template.HTMLEscapeString(line))
		return
	}
	last := 0
	for _, m := range circleLink.FindAllStringIndex(line, -1) {
		start, end := m[0], m[1]
		// Leave closing punctuation outside the link.
		for end > start && strings.ContainsRune(".,;:!?)]}", rune(line[end-1])) {
			end--
		}
		raw := line[start:end]
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			continue
		}
		b.WriteString(template.HTMLEscapeString(line[last:start]))
		b.WriteString(`<a href="`)
		b.WriteString(template.HTMLEscapeString(u.String()))
		b.WriteString(`" rel="nofollow noopener noreferrer ugc">`)
		b.WriteString(template.HTMLEscapeString(raw))
		b.WriteString("</a>")
		last = end
	}
	b.WriteString(template.HTMLEscapeString(line[last:]))
}
