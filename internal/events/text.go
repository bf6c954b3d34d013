package events

import (
	"strings"
	"unicode/utf8"
)

// maxQuoted is how many characters of what someone typed an error message
// quotes back.
const maxQuoted = 41

// clipRunes shortens s, on one line, to at most n characters (not bytes,
// so a cut never splits a character), ending in "…" when cut.
func clipRunes(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
