package ical

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// maxLineOctets is the longest content line RFC 5545 section 3.1 allows,
// not counting the CRLF line break.
const maxLineOctets = 75

// escapeText encodes s as an RFC 5545 TEXT value: backslash, semicolon and
// comma are escaped, any line break becomes \n, other control characters
// (which TEXT may not hold) are dropped and invalid UTF-8 is replaced by
// U+FFFD, so free text typed by people can never break the calendar.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			// Control characters are not allowed in TEXT.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// contentWriter accumulates content lines, each folded to at most
// maxLineOctets octets and ended with CRLF.
type contentWriter struct {
	buf bytes.Buffer
}

// line writes one logical content line, folding it (RFC 5545 section 3.1)
// into physical lines of at most 75 octets. A fold never splits a UTF-8
// character: the break moves back to the start of the character. Each
// continuation line begins with a single space, which counts toward its 75
// octets.
func (w *contentWriter) line(s string) {
	limit := maxLineOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.buf.WriteString(s[:cut])
		w.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLineOctets - 1
	}
	w.buf.WriteString(s)
	w.buf.WriteString("\r\n")
}

// prop writes NAME:value, where value is already encoded for its type.
func (w *contentWriter) prop(name, value string) {
	w.line(name + ":" + value)
}

// text writes NAME:value with value escaped as TEXT; empty values are left
// out, since every TEXT property Cairn writes is optional.
func (w *contentWriter) text(name, value string) {
	if value == "" {
		return
	}
	w.prop(name, escapeText(value))
}
