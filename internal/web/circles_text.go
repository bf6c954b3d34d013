package web

import (
	"html/template"
	"strings"
)

// richText shows longer text typed by a person (posts, comments) as HTML:
// paragraphs at blank lines, and within each what messageHTML makes of a
// message: every character escaped, line breaks kept, http(s) addresses
// made into links.
func richText(s string) template.HTML {
	var b strings.Builder
	for _, para := range paragraphs(s) {
		b.WriteString("<p>")
		b.WriteString(string(messageHTML(para)))
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}
