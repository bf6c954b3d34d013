package crisis

import (
	"fmt"
	"strconv"
	"strings"
)

// step is one word position of a compiled phrase.
type step struct {
	// gap is how many other words may come before this step's word.
	gap int
	// alts are the ids of the words that match here.
	alts []uint16
}

// pattern is a compiled phrase.
type pattern struct {
	lang      string
	steps     []step
	noNeg     bool
	atEnd     bool
	notAfter  [][]uint16
	notBefore []uint16
	// need are the words of one later step (the one with the fewest
	// choices): when none of them is in the text, the pattern cannot
	// match and Detect does not try it.
	need []uint16
}

// maxVocab bounds the vocabulary, so that the set of words a text holds
// fits a fixed array (see detect).
const maxVocab = 64 * 64

// compiled holds every pattern; first maps a word id to the patterns
// whose first word it can be.
var (
	compiled []pattern
	first    [][]uint16
	// idTo is the id of "to", which a lone "2" stands for; idNo and
	// idLonger make the English "no longer".
	idTo, idNo, idLonger uint16
)

func init() {
	for _, w := range clauseWords {
		voc.exact[w] = idClause
		voc.collapsed[w] = idClause
	}
	voc.words = []string{"", "#num", "#clause"}
	for _, w := range fuzzyWords {
		voc.addFuzzy(w)
	}
	for _, l := range [][]string{negationsEN, negationsES, fillers, hedges} {
		for _, w := range l {
			voc.id(w)
		}
	}
	for _, ph := range allPhrases() {
		for _, text := range expand(macros.Replace(ph.text)) {
			compiled = append(compiled, compilePhrase(ph, text))
		}
	}
	for a, w := range aliases {
		if _, ok := voc.exact[w]; ok && a != w {
			voc.exact[a] = voc.exact[w]
		}
	}
	idTo, idNo, idLonger = voc.id("to"), voc.id("no"), voc.id("longer")
	voc.flags()
	if len(voc.words) > maxVocab {
		panic("crisis: the vocabulary outgrew maxVocab")
	}
	first = make([][]uint16, len(voc.words))
	for i, p := range compiled {
		for _, id := range p.steps[0].alts {
			first[id] = append(first[id], uint16(i))
		}
	}
}

// allPhrases returns every phrase of the lists.
func allPhrases() []phrase {
	return append(append([]phrase(nil), phrases...), categories...)
}

// macros are the shorthands of the notation.
var macros = strings.NewReplacer("{intent}", intent, "{intent_es}", intentES, "{meds}", meds)

// expand writes out the first [a b|c] group of text as one text per
// choice, recursively.
func expand(text string) []string {
	i := strings.IndexByte(text, '[')
	if i < 0 {
		return []string{text}
	}
	j := strings.IndexByte(text[i:], ']')
	if j < 0 {
		panic("crisis: unclosed [ in " + text)
	}
	j += i
	if (i > 0 && text[i-1] != ' ') || (j+1 < len(text) && text[j+1] != ' ') {
		panic("crisis: a [group] must stand alone between spaces: " + text)
	}
	var out []string
	for _, choice := range strings.Split(text[i+1:j], "|") {
		out = append(out, expand(text[:i]+choice+text[j+1:])...)
	}
	return out
}

// compilePhrase turns one written-out phrase into a pattern.
func compilePhrase(ph phrase, text string) pattern {
	p := pattern{lang: ph.lang, noNeg: ph.noNeg, atEnd: ph.atEnd}
	gap := 0
	for _, f := range strings.Fields(text) {
		if strings.HasPrefix(f, "~") {
			n, err := strconv.Atoi(f[1:])
			if err != nil || n < 1 || n > 6 {
				panic(fmt.Sprintf("crisis: bad gap %q in %q", f, text))
			}
			gap = n
			continue
		}
		st := step{gap: gap}
		for _, w := range strings.Split(f, "|") {
			st.alts = append(st.alts, wordID(w, text))
		}
		p.steps = append(p.steps, st)
		gap = 0
	}
	if len(p.steps) == 0 || p.steps[0].gap != 0 || gap != 0 {
		panic("crisis: a phrase must start and end with a word: " + text)
	}
	for _, t := range ph.notAfter {
		if strings.TrimSpace(t) == "" {
			panic("crisis: an empty exclusion after " + text)
		}
		var seq []uint16
		for _, w := range strings.Fields(t) {
			seq = append(seq, wordID(w, text))
		}
		p.notAfter = append(p.notAfter, seq)
	}
	for _, w := range ph.notBefore {
		p.notBefore = append(p.notBefore, wordID(w, text))
	}
	for i := 1; i < len(p.steps); i++ {
		if p.need == nil || len(p.steps[i].alts) <= len(p.need) {
			p.need = p.steps[i].alts
		}
	}
	return p
}

// wordID returns the id of a word of the lists, checking that it is
// written as Detect folds words.
func wordID(w, text string) uint16 {
	if w == "#num" {
		return idNumber
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 'a' || c > 'z' {
			panic(fmt.Sprintf("crisis: word %q in %q is not lowercase ASCII letters", w, text))
		}
	}
	if len(w) > maxWord {
		panic("crisis: word too long: " + w)
	}
	if id, ok := voc.exact[w]; ok && id == idClause {
		panic(fmt.Sprintf("crisis: %q in %q starts a clause and cannot be part of a phrase", w, text))
	}
	return voc.id(w)
}
