package crisis

import (
	"unicode"
	"unicode/utf8"
)

// How text becomes tokens. Detect reads the text once, rune by rune: it
// lowercases, drops accents (so "matarmé", "MATARME" and "matarme" are
// one word), joins contractions ("don't" and "dont"), reads digits inside
// words as letters ("k1ll", "su1c1de"), and splits at anything that is not
// a letter or digit. Each word is looked up in the vocabulary of the
// phrase lists (see lookup), so the matcher works on small integers. Runs
// of punctuation that end a sentence or clause (". , ; : ! ? and a line
// break) and the words "but", "pero", "aunque" mark the start of a clause,
// which bounds how far back a negation may reach.

// maxWord bounds the bytes of one word kept for lookup; longer words are
// unknown (no phrase word is that long).
const maxWord = 32

// token is one word of the text as the matcher sees it.
type token struct {
	// id is the word's id in the vocabulary; 0 when it is not in any
	// phrase list, idNumber for a number.
	id uint16
	// clause reports that a new clause starts at this token.
	clause bool
}

// tokenizer turns text into tokens, appending to toks.
func tokenize(text string, toks []token) []token {
	var w [maxWord]byte
	n := 0           // bytes in w
	long := false    // the word is longer than maxWord
	letters := false // the word has a letter
	digits := false  // the word has a digit
	clause := true   // the next token starts a clause
	flush := func() {
		if n == 0 && !long {
			return
		}
		t := token{clause: clause}
		switch {
		case long:
		case digits && !letters && n == 1 && w[0] == '2':
			t.id = idTo // "want 2 die"
		case digits && !letters:
			t.id = idNumber
		default:
			if digits {
				leet(w[:n])
			}
			t.id = lookup(w[:n])
		}
		if t.id == idClause {
			// "but", "pero": the clause starts at the next word.
			clause = true
			n, long, letters, digits = 0, false, false, false
			return
		}
		toks = append(toks, t)
		clause = false
		n, long, letters, digits = 0, false, false, false
	}
	for i := 0; i < len(text); {
		c := text[i]
		var r rune
		if c < utf8.RuneSelf {
			r = rune(c)
			i++
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
		}
		switch {
		case r >= 'a' && r <= 'z':
			letters = true
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
			letters = true
		case r >= '0' && r <= '9':
			digits = true
		case r == '\'' || r == '\u2019' || r == '\u02bc' || r == '`' || r == '\u00b4':
			continue // contractions: don't = dont
		case r == '@' || r == '$':
			if n > 0 {
				// inside a word: "h@ng", "$uicide" reads as letters.
				digits = true
			} else if r == '$' {
				digits = true
			} else {
				flush()
				continue
			}
		case r < utf8.RuneSelf:
			flush()
			switch r {
			case '.', ',', ';', ':', '!', '?', '\n', '(', ')', '"':
				clause = true
			}
			continue
		default:
			if !unicode.IsLetter(r) {
				flush()
				continue
			}
			r = fold(unicode.ToLower(r))
			letters = true
			if r >= utf8.RuneSelf {
				// a letter Detect has no use for: keep the word unknown.
				long = true
				continue
			}
		}
		if n == maxWord {
			long = true
			continue
		}
		w[n] = byte(r)
		n++
	}
	flush()
	return toks
}

// fold drops the accent of a lowercase Latin letter ("á" is "a", "ñ" is
// "n"); other runes are returned as they are.
func fold(r rune) rune {
	switch r {
	case 'à', 'á', 'â', 'ä', 'ã', 'å':
		return 'a'
	case 'è', 'é', 'ê', 'ë':
		return 'e'
	case 'ì', 'í', 'î', 'ï':
		return 'i'
	case 'ò', 'ó', 'ô', 'ö', 'õ':
		return 'o'
	case 'ù', 'ú', 'û', 'ü':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	case 'ý', 'ÿ':
		return 'y'
	}
	return r
}

// leet reads digits and signs inside a word as the letters they stand
// for ("k1ll" is "kill", "su1c1d3" is "suicide", "$" is "s", "@" is "a").
func leet(w []byte) {
	for i, c := range w {
		switch c {
		case '0':
			w[i] = 'o'
		case '1':
			w[i] = 'i'
		case '3':
			w[i] = 'e'
		case '4', '@':
			w[i] = 'a'
		case '5', '$':
			w[i] = 's'
		case '7':
			w[i] = 't'
		}
	}
}

// collapse writes w with every run of one letter made a single letter
// ("killl" and "kil" are "kil", "diiie" is "die") into dst and returns
// its length.
func collapse(dst, w []byte) int {
	n := 0
	for i, c := range w {
		if i > 0 && c == w[i-1] {
			continue
		}
		dst[n] = c
		n++
	}
	return n
}
