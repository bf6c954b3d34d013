package web

import (
	"html/template"
	"strings"
	"sync"
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

// postTexts keeps what richText made of recent posts' words, by the words:
// a circle's page shows the same twenty posts to everyone, and making
// links of them was a tenth of the page's time.
var postTexts = struct {
	sync.RWMutex
	m map[string]template.HTML
}{m: map[string]template.HTML{}}

// postTextsMax bounds postTexts (the words of a post are at most 4,000
// characters).
const postTextsMax = 1000

// postText is richText(s), kept in postTexts.
func postText(s string) template.HTML {
	postTexts.RLock()
	h, ok := postTexts.m[s]
	postTexts.RUnlock()
	if ok {
		return h
	}
	h = richText(s)
	postTexts.Lock()
	if len(postTexts.m) >= postTextsMax {
		clear(postTexts.m)
	}
	postTexts.m[s] = h
	postTexts.Unlock()
	return h
}
