package crisis

// The vocabulary: every word that appears in a phrase list, a negation or
// an exclusion has a small id. A word of the text is found by its exact
// spelling, then with repeated letters made single ("killll", "kil" and
// "kill" are one word; exact spellings win, so "of" and "off" stay two
// words), then, for the few long words people often misspell ("suicide",
// "myself", "overdose", ...), one letter added, dropped, changed or two
// letters swapped ("sucide", "suicde", "myslef"). Misspelling tolerance is
// limited to those words so that "giving" never reads as "living".

// Reserved ids.
const (
	idUnknown uint16 = 0
	idNumber  uint16 = 1
	idClause  uint16 = 2
	firstID   uint16 = 3
)

// vocab holds the word ids; it is built once at start-up and only read
// afterwards, so Detect is safe for concurrent use.
type vocab struct {
	words     []string          // by id
	exact     map[string]uint16 // word as written in the lists (and see single)
	collapsed map[string]uint16 // word with repeated letters made single
	// single are the collapsed forms that differ from their word ("kil"
	// for "kill"); once the lists are compiled they are added to exact
	// where no word of the lists is spelled so, saving lookup a second
	// map access for every word without repeated letters.
	single   map[string]uint16
	fuzzy    map[string]uint16 // fuzzy words and each with one letter dropped
	negation []bool            // by id: a negation word in either language
	negEN    []bool            // by id: an English negation word
	negES    []bool            // by id: a Spanish negation word
	filler   []bool            // by id: may stand between a negation and the phrase
	hedge    []bool            // by id: makes a negation before it unclear
}

var voc = &vocab{exact: map[string]uint16{}, collapsed: map[string]uint16{}, single: map[string]uint16{}, fuzzy: map[string]uint16{}}

// fuzzyWords may be matched with one typo. They are long and unlike any
// other common word.
var fuzzyWords = []string{
	"suicide", "suicidal", "myself", "overdose", "overdosing", "unalive",
	"suicidio", "suicidarme", "suicidar", "matarme", "morirme", "lastimarme",
	"sobredosis", "autolesion", "autolesionarme", "desaparecer", "pastillas",
}

// Negation words end a phrase's meaning when they come just before it, in
// the phrase's language: in English "no" only as "no longer" ("no I want
// to die" is not negated), in Spanish "no" itself. "can't" and
// "shouldn't" are not among them: "I can't kill myself because of my
// kids" and "I know I shouldn't want to die" are crisis language.
var (
	negationsEN = []string{"not", "never", "dont", "wont", "wouldnt", "didnt", "doesnt", "havent", "hasnt", "no", "nor", "neither"}
	negationsES = []string{"no", "nunca", "jamas", "tampoco", "ni"}
)

// fillers may stand between a negation and the phrase it negates
// ("not going to", "no longer", "never ever", "no me voy a").
var fillers = []string{
	"going", "to", "gonna", "gona", "want", "wanna", "ever", "would", "will", "i", "im", "really", "actually",
	"try", "trying", "plan", "planning", "about", "thinking", "considering", "feeling", "longer", "even", "do", "again", "really", "honestly",
	"me", "lo", "voy", "a", "quiero", "ya", "mas", "realmente", "pienso", "vuelvo", "volvere",
}

// hedges before a negation make it unclear ("I'm not sure I won't kill
// myself", "no sé si no me voy a matar", "I told them I'm not going to
// ..."): the phrase counts then.
var hedges = []string{
	"if", "whether", "sure", "know", "knows", "knew", "say", "said", "says", "tell", "told", "pretend",
	"pretending", "lie", "lying", "think", "guess", "supposed",
	"si", "se", "seguro", "creo", "digo", "dije", "dicen", "finjo", "miento", "supone",
}

// aliases are chat spellings read as the word they stand for.
var aliases = map[string]string{
	"kiero": "quiero", "qiero": "quiero", "kero": "quiero", "kisiera": "quisiera", "keria": "queria",
	"q": "que", "k": "que", "xq": "porque", "pq": "porque", "x": "por", "tmb": "tambien",
	"wnat": "want", "wnt": "want", "watn": "want", "wan": "want", "whant": "want", "wanan": "wanna", "wnana": "wanna",
	"bout": "about", "killn": "killing", "tryna": "trying", "gunna": "gonna",
	"dnt": "dont", "ded": "dead", "unalived": "unalive", "quero": "quiero", "pastis": "pastillas",
	"u": "you", "ur": "your", "r": "are", "cuz": "because", "bc": "because", "rn": "now",
}

// clauseWords start a new clause, like a full stop.
var clauseWords = []string{"but", "pero", "aunque", "although", "though", "however", "sino"}

// id returns the id of word (as written in the lists), adding it.
func (v *vocab) id(word string) uint16 {
	if id, ok := v.exact[word]; ok {
		return id
	}
	if len(v.words) == 0 {
		v.words = []string{"", "#num", "#clause"}
	}
	id := uint16(len(v.words))
	v.words = append(v.words, word)
	v.exact[word] = id
	var buf [maxWord]byte
	if len(word) <= maxWord {
		c := string(buf[:collapse(buf[:], []byte(word))])
		if _, ok := v.collapsed[c]; !ok {
			v.collapsed[c] = id
			if c != word {
				v.single[c] = id
			}
		}
	}
	return id
}

// fuzzyStart, fuzzyMin and fuzzyMax let lookup skip at once the words
// that cannot be one typo away from a fuzzy word: those that start with
// neither of its first two letters, or are too short or too long.
var (
	fuzzyStart         [256]bool
	fuzzyMin, fuzzyMax = maxWord, 0
)

// addFuzzy lets word be found with one typo.
func (v *vocab) addFuzzy(word string) {
	id := v.id(word)
	var buf [maxWord]byte
	c := buf[:collapse(buf[:], []byte(word))]
	fuzzyStart[c[0]], fuzzyStart[c[1]] = true, true
	fuzzyMin, fuzzyMax = min(fuzzyMin, len(c)-1), max(fuzzyMax, len(c)+1)
	put := func(k string) {
		if _, ok := v.fuzzy[k]; !ok {
			v.fuzzy[k] = id
		}
	}
	put(string(c))
	var d [maxWord]byte
	for i := range c {
		n := copy(d[:], c[:i])
		n += copy(d[n:], c[i+1:])
		put(string(d[:n]))
	}
}

// flags builds the per-id word classes once every word has its id.
func (v *vocab) flags() {
	mk := func(list []string) []bool {
		out := make([]bool, len(v.words))
		for _, w := range list {
			out[v.exact[w]] = true
		}
		return out
	}
	v.negEN, v.negES, v.filler, v.hedge = mk(negationsEN), mk(negationsES), mk(fillers), mk(hedges)
	for k, id := range v.single {
		if _, ok := v.exact[k]; !ok {
			v.exact[k] = id
		}
	}
	v.negation = make([]bool, len(v.words))
	for i := range v.negation {
		v.negation[i] = v.negEN[i] || v.negES[i]
	}
}

// lookup returns the id of the text's word w (lowercase, no accents), or
// idUnknown. It does not allocate.
func lookup(w []byte) uint16 {
	if id, ok := voc.exact[string(w)]; ok {
		return id
	}
	if id := droppedG(w); id != idUnknown {
		return id
	}
	var c [maxWord]byte
	n := collapse(c[:], w)
	if n < 3 {
		return idUnknown // "noooo" is not "no", "too" not "to"
	}
	// A word with no repeated letter was looked up whole above (exact
	// holds "kil" for "kill" too); one with a repeated letter ("killll",
	// "diee") is looked up once more with single letters.
	if n < len(w) {
		if id, ok := voc.collapsed[string(c[:n])]; ok {
			return id
		}
	}
	if n < fuzzyMin || n > fuzzyMax || !fuzzyStart[c[0]] {
		return idUnknown
	}
	// one letter missing, or the same as a fuzzy word with one dropped
	if id, ok := voc.fuzzy[string(c[:n])]; ok {
		return id
	}
	// one letter too many, changed, or two swapped
	var d [maxWord]byte
	for i := 0; i < n; i++ {
		m := copy(d[:], c[:i])
		m += copy(d[m:], c[i+1:n])
		if id, ok := voc.fuzzy[string(d[:m])]; ok {
			return id
		}
	}
	return idUnknown
}

// droppedG returns the id of w read with the "g" chat drops ("killin",
// "thinkin", "dyin" are "killing", "thinking", "dying"), or idUnknown.
func droppedG(w []byte) uint16 {
	n := len(w)
	if n < 4 || n >= maxWord || w[n-2] != 'i' || w[n-1] != 'n' {
		return idUnknown
	}
	var g [maxWord]byte
	copy(g[:], w)
	g[n] = 'g'
	return voc.exact[string(g[:n+1])]
}
