package crisis

import (
	"strings"
	"testing"
)

// FuzzDetect: Detect never panics, and gives the same answer twice, for
// any text (invalid UTF-8 included).
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"", "I want to kill myself", "me quiero morir", "5 kms", "k1ll mys3lf", "\xff\xfe", "ñññ", "no, no, no",
		strings.Repeat("die ", 400), strings.Repeat("a", 100), "kill myself" + strings.Repeat(".", 50), "i'm not going to kill myself",
		"'''", "$$$", "@", "2 2 2", "mejor sin mí", "😭 quiero morir 😭",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, b := Detect(s), Detect(s)
		if a != b {
			t.Fatalf("Detect(%q) gave %v then %v", s, a, b)
		}
		if a.Found != (a.Lang != "") {
			t.Fatalf("Detect(%q) = %v: Lang set without Found or the other way", s, a)
		}
	})
}

// TestDetectCases pins the behaviours the brief names.
func TestDetectCases(t *testing.T) {
	cases := []struct {
		text string
		want bool
		lang string
	}{
		{"I'm not going to kill myself, I promise", false, ""},
		{"I used to want to die but not anymore", true, en}, // a negation after the phrase does not cancel it
		{"I'm not sure I won't kill myself", true, en},      // a hedge before the negation
		{"this workout is killing me", false, ""},
		{"I'd die for a coffee", false, ""},
		{"dead tired", false, ""},
		{"killing it at work", false, ""},
		{"me muero de risa", false, ""},
		{"sucide", false, ""}, // the word alone is not a phrase
		{"thinking about sucide", true, en},
		{"thinking about suicde", true, en},
		{"i wanna kil myself", true, en},
		{"gonna kms", true, en},
		{"I ran 10 kms", false, ""},
		{"ME   QUIERO    MORIR!!!", true, es},
		{"me quiero morir", true, es},
		{"no vale la pena vivir", true, es},
		{"No vále la péna vivír", true, es},
		{"quiero   morirrrr", true, es},
		{"no me quiero morir", false, ""},
		{"Everyone would be better off without me.", true, en},
		{"I don't want to live anymore", true, en},
		{"want 2 die", true, en},
		{"I want to die. Of course I'm joking? no", true, en}, // "of" in the next sentence is no idiom
		{"I KILLLLL MYSELF", true, en},
		{"no i want to die", true, en}, // English "no" negates only as "no longer"
		{"I no longer want to die", false, ""},
		{"no me quiero matar", false, ""},
		// Idioms the categories of issue #6 must leave alone.
		{"dying to see the movie", false, ""},
		{"I could kill for a coffee", false, ""},
		{"thanks for everything, see you Monday", false, ""},
		{"goodbye all, logging off", false, ""},
		{"I'm cutting back on sugar again", false, ""},
		{"bought a rope swing", false, ""},
		{"me corté el pelo otra vez", false, ""},
		// Chat spellings: dropped g, shorthand, transposed letters.
		{"thinkin bout killin myself", true, en},
		{"i unalived myself in my head a hundred times", true, en},
		{"me quiero quitar de en medio", true, es},
		{"nobody would care if I died", true, en},
	}
	for _, c := range cases {
		got := Detect(c.text)
		if got.Found != c.want || got.Lang != c.lang {
			t.Errorf("Detect(%q) = %+v, want found=%v lang=%q", c.text, got, c.want, c.lang)
		}
	}
}

// TestDetectAllocations: a message of ordinary length is checked without
// allocating.
func TestDetectAllocations(t *testing.T) {
	msg := benchMessage
	if n := testing.AllocsPerRun(100, func() { Detect(msg) }); n != 0 {
		t.Errorf("Detect allocated %.0f times per message", n)
	}
}

// benchMessage is a message of 300 characters with no crisis language,
// the common case (every word is read).
var benchMessage = strings.Repeat("Today was hard but I went to the meeting and called my sponsor. ", 5)[:300]

// benchCrisis is a message of about 300 characters that matches near its end.
var benchCrisis = strings.Repeat("Today was hard and nobody called me back. ", 7)[:264] + " and honestly I want to die tonight."

func BenchmarkDetect(b *testing.B) {
	for _, bc := range []struct{ name, text string }{{"plain300", benchMessage}, {"crisis300", benchCrisis}, {"spanish300", strings.Repeat("Hoy fue un día difícil pero fui a la reunión. ", 7)[:300]}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			b.ReportAllocs()
			for b.Loop() {
				Detect(bc.text)
			}
		})
	}
}

// TestEveryPhraseMatches: each phrase of the lists, written out with the
// first choice of every word and no gaps, is found. A phrase that cannot
// match its own words is a mistake in the notation.
func TestEveryPhraseMatches(t *testing.T) {
	for _, ph := range allPhrases() {
		for _, text := range expand(macros.Replace(ph.text)) {
			var words []string
			for _, f := range strings.Fields(text) {
				if !strings.HasPrefix(f, "~") {
					words = append(words, strings.Split(f, "|")[0])
				}
			}
			sample := strings.Join(words, " ")
			if got := Detect(sample); !got.Found || got.Lang != ph.lang {
				t.Errorf("phrase %q: %q gives %+v", ph.text, sample, got)
			}
		}
	}
}
