package crisis

// Negation, and why it is narrow. "I'm not going to kill myself, I
// promise" should not alarm anyone, but a missed cry for help is far worse
// than a coach's unneeded check-in. So a negation cancels a phrase only
// when it is clear and immediate:
//
//   - the negation word ("not", "never", "don't", "won't", "no", "nunca",
//     ...) is in the same clause as the phrase, with at most a few filler
//     words between them ("not going to", "no longer", "no me voy a");
//   - nothing before it in the clause makes it unclear: another negation
//     or a hedge ("I'm not sure I won't ...", "I told them I'm not ...",
//     "no sé si no ...").
//
// Everything else counts: "can't" and "shouldn't" are not negations ("I
// can't kill myself because of my kids"); a negation after the phrase
// does not cancel it ("I used to want to die but not anymore" is flagged);
// nor does the past tense ("I tried to kill myself last year"). Phrases
// that carry their own "not" ("I don't want to live", "no reason to
// live", "no quiero vivir") are never cancelled.

// maxNegReach is how many filler words may stand between a negation and
// the phrase.
const maxNegReach = 4

// detect is the detector behind Detect.
func detect(text string) Result {
	var buf [256]token
	toks := tokenize(text, buf[:0])
	var seen wordSet
	for _, t := range toks {
		seen.add(t.id)
	}
	for i := range toks {
		id := toks[i].id
		if id < firstID {
			continue
		}
		for _, pi := range first[id] {
			p := &compiled[pi]
			if p.need != nil && !seen.any(p.need) {
				continue
			}
			if end, ok := p.matchAt(toks, i); ok && p.accept(toks, i, end) {
				return Result{Found: true, Lang: p.lang}
			}
		}
	}
	return Result{}
}

// wordSet is the set of word ids a text holds.
type wordSet [maxVocab / 64]uint64

func (s *wordSet) add(id uint16) { s[id/64] |= 1 << (id % 64) }

// any reports whether the set holds one of ids.
func (s *wordSet) any(ids []uint16) bool {
	for _, id := range ids {
		if s[id/64]&(1<<(id%64)) != 0 {
			return true
		}
	}
	return false
}

// matchAt reports whether p matches the tokens from start (whose word is
// one of the first step's), and the index of the last matched token.
func (p *pattern) matchAt(toks []token, start int) (int, bool) {
	return matchSteps(p.steps[1:], toks, start)
}

// matchSteps matches steps after the token at pos, trying each allowed
// gap; gaps never skip a negation word.
func matchSteps(steps []step, toks []token, pos int) (int, bool) {
	if len(steps) == 0 {
		return pos, true
	}
	st := &steps[0]
	for skip := 0; skip <= st.gap; skip++ {
		j := pos + 1 + skip
		if j >= len(toks) {
			return 0, false
		}
		if skip > 0 && voc.negation[toks[j-1].id] {
			return 0, false
		}
		if has(st.alts, toks[j].id) {
			if end, ok := matchSteps(steps[1:], toks, j); ok {
				return end, true
			}
		}
	}
	return 0, false
}

func has(ids []uint16, id uint16) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// accept applies the phrase's exclusions and the negation rule to a match
// of tokens start..end.
func (p *pattern) accept(toks []token, start, end int) bool {
	if p.atEnd && end+1 < len(toks) && !toks[end+1].clause {
		return false
	}
	if len(p.notBefore) > 0 && start > 0 && !toks[start].clause && has(p.notBefore, toks[start-1].id) {
		return false
	}
	for _, tail := range p.notAfter {
		if follows(toks, end+1, tail) {
			return false
		}
	}
	return p.noNeg || !negated(toks, start, p.lang)
}

// follows reports whether the words of tail come at toks[at:], in the
// same clause as what comes before.
func follows(toks []token, at int, tail []uint16) bool {
	if at+len(tail) > len(toks) || toks[at].clause {
		return false
	}
	for k, id := range tail {
		if toks[at+k].id != id {
			return false
		}
	}
	return true
}

// negated reports whether a clear negation stands just before the phrase
// starting at toks[start] (see the rule above).
func negated(toks []token, start int, lang string) bool {
	if toks[start].clause {
		return false
	}
	for j, n := start-1, 0; j >= 0 && n <= maxNegReach; j, n = j-1, n+1 {
		id := toks[j].id
		if negates(toks, j, lang) {
			return clearBefore(toks, j)
		}
		if !voc.filler[id] || toks[j].clause {
			return false
		}
	}
	return false
}

// negates reports whether toks[j] is a negation word of lang.
func negates(toks []token, j int, lang string) bool {
	id := toks[j].id
	if lang == es {
		return voc.negES[id]
	}
	if id == idNo {
		return j+1 < len(toks) && toks[j+1].id == idLonger
	}
	return voc.negEN[id]
}

// clearBefore reports that nothing earlier in the clause of toks[neg]
// makes that negation unclear.
func clearBefore(toks []token, neg int) bool {
	for k := neg; k > 0 && !toks[k].clause; k-- {
		id := toks[k-1].id
		if voc.negation[id] || voc.hedge[id] {
			return false
		}
	}
	return true
}
