package web

import (
	"html/template"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// messageLinkRel is the rel of every link in what a member wrote: the
// linked site learns nothing about Cairn, and search engines give it no
// credit.
const messageLinkRel = "noopener noreferrer nofollow ugc"

// messageHTML renders a message body typed by a person: the text escaped,
// its line breaks kept as <br>, and every http or https address turned into
// a link. The result is built only from escaped pieces and three fixed
// tags, so nothing a person types can add markup to the page.
func messageHTML(body string) template.HTML {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	var b strings.Builder
	b.Grow(len(body) + len(body)/4)
	for i := 0; i < len(body); {
		if body[i] == '\n' {
			b.WriteString("<br>")
			i++
			continue
		}
		if n := linkAt(body, i); n > 0 {
			u := body[i : i+n]
			esc := template.HTMLEscapeString(u)
			b.WriteString(`<a href="`)
			b.WriteString(esc)
			b.WriteString(`" rel="` + messageLinkRel + `">`)
			b.WriteString(esc)
			b.WriteString("</a>")
			i += n
			continue
		}
		// Plain text up to the next line break or possible link.
		j := i + 1
		for j < len(body) && body[j] != '\n' && !linkStart(body, j) {
			j++
		}
		b.WriteString(template.HTMLEscapeString(body[i:j]))
		i = j
	}
	return template.HTML(b.String())
}

// linkStart reports whether an address may begin at s[i]: "http://" or
// "https://" (any case) at the start of a word.
func linkStart(s string, i int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	rest := s[i:]
	return hasPrefixFold(rest, "http://") || hasPrefixFold(rest, "https://")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// linkAt returns the length of the web address that begins at s[i], or 0
// when there is none. The address ends at a space, a control character or
// a character that cannot be part of one, and trailing punctuation (the
// full stop ending a sentence, a closing bracket without its opening one)
// is left out.
func linkAt(s string, i int) int {
	if !linkStart(s, i) {
		return 0
	}
	j := i
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>\"'`{}|\\^", r) ||
			!unicode.IsPrint(r) {
			break
		}
		j += size
	}
	// Leave out trailing punctuation (counted once, so that a long run
	// of brackets stays linear).
	opens, closes := strings.Count(s[i:j], "("), strings.Count(s[i:j], ")")
	openSq, closeSq := strings.Count(s[i:j], "["), strings.Count(s[i:j], "]")
trim:
	for j > i {
		switch c := s[j-1]; {
		case strings.IndexByte(".,;:!?*", c) >= 0:
		case c == ')' && opens < closes:
			closes--
		case c == ']' && openSq < closeSq:
			closeSq--
		default:
			break trim
		}
		j--
	}
	u, err := url.Parse(s[i:j])
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return 0
	}
	return j - i
}
