package crisis

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// sample is one labelled sentence of testdata/corpus.tsv.
type sample struct {
	crisis bool
	lang   string
	text   string
	line   int
}

func loadCorpus(t testing.TB) []sample { return loadFile(t, "testdata/corpus.tsv") }

func loadFile(t testing.TB, name string) []sample {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sample
	s := bufio.NewScanner(f)
	for n := 1; s.Scan(); n++ {
		line := s.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 || (parts[0] != "0" && parts[0] != "1") || (parts[1] != en && parts[1] != es) {
			t.Fatalf("corpus line %d: want label<TAB>lang<TAB>text, got %q", n, line)
		}
		out = append(out, sample{crisis: parts[0] == "1", lang: parts[1], text: parts[2], line: n})
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score counts a detector's answers against the labels.
type score struct{ tp, fp, fn, tn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

// TestCorpus measures precision and recall on the labelled corpus, per
// language and overall. Recall must be at least 0.95 and precision at
// least 0.85: these are guarantees of behaviour (no timing involved).
func TestCorpus(t *testing.T) {
	corpus := loadCorpus(t)
	if len(corpus) < 200 {
		t.Fatalf("the corpus has %d sentences; it needs at least 200", len(corpus))
	}
	scores := map[string]*score{en: {}, es: {}, "all": {}}
	for _, c := range corpus {
		got := Detect(c.text)
		for _, k := range []string{c.lang, "all"} {
			s := scores[k]
			switch {
			case got.Found && c.crisis:
				s.tp++
			case got.Found:
				s.fp++
			case c.crisis:
				s.fn++
			default:
				s.tn++
			}
		}
		switch {
		case got.Found && !c.crisis:
			t.Logf("false alarm (line %d): %s", c.line, c.text)
		case !got.Found && c.crisis:
			t.Logf("missed (line %d): %s", c.line, c.text)
		case got.Found && got.Lang != c.lang:
			t.Logf("language %s, want %s (line %d): %s", got.Lang, c.lang, c.line, c.text)
		}
	}
	for _, k := range []string{en, es, "all"} {
		s := scores[k]
		t.Logf("%-3s n=%d precision=%.3f recall=%.3f (tp=%d fp=%d fn=%d tn=%d)", k, s.tp+s.fp+s.fn+s.tn, s.precision(), s.recall(), s.tp, s.fp, s.fn, s.tn)
		if s.recall() < 0.95 {
			t.Errorf("%s: recall %.3f < 0.95", k, s.recall())
		}
		if s.precision() < 0.85 {
			t.Errorf("%s: precision %.3f < 0.85", k, s.precision())
		}
	}
}

// TestHoldout measures precision and recall on testdata/holdout*.tsv,
// sentences written after the lists were tuned on the corpus (and on the
// earlier holdouts). Each file's floors are the figures measured when it
// was last run (see its header): a change that loses a crisis sentence or
// adds a false alarm fails here. holdout7.tsv is the one set no change
// has been tuned on: its low recall is the honest estimate for wording
// the lists have not seen. Tune on it only with a fresh set beside it.
func TestHoldout(t *testing.T) {
	for _, f := range []struct {
		name              string
		precision, recall float64
	}{
		{"testdata/holdout.tsv", 1, 1},
		{"testdata/holdout2.tsv", 1, 1},
		{"testdata/holdout3.tsv", 1, 1},
		{"testdata/holdout4.tsv", 0.97, 0.90},
		{"testdata/holdout5.tsv", 1, 0.93},
		{"testdata/holdout6.tsv", 0.96, 0.90},
		{"testdata/holdout7.tsv", 1, 0.48},
	} {
		t.Run(f.name[len("testdata/"):], func(t *testing.T) {
			s := holdout(t, f.name)
			if p := s.precision(); p < f.precision {
				t.Errorf("precision %.3f < %.2f", p, f.precision)
			}
			if r := s.recall(); r < f.recall {
				t.Errorf("recall %.3f < %.2f", r, f.recall)
			}
		})
	}
}

func holdout(t *testing.T, name string) score {
	var s score
	for _, c := range loadFile(t, name) {
		got := Detect(c.text).Found
		switch {
		case got && c.crisis:
			s.tp++
		case got:
			s.fp++
			t.Logf("false alarm (line %d): %s", c.line, c.text)
		case c.crisis:
			s.fn++
			t.Logf("missed (line %d): %s", c.line, c.text)
		default:
			s.tn++
		}
	}
	t.Logf("holdout n=%d precision=%.3f recall=%.3f (tp=%d fp=%d fn=%d tn=%d)", s.tp+s.fp+s.fn+s.tn, s.precision(), s.recall(), s.tp, s.fp, s.fn, s.tn)
	return s
}
