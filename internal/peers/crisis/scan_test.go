package crisis

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestScanFiles looks for false alarms in real text: it runs Detect on
// every sentence of the files named in CRISIS_SCAN (space-separated) and
// logs the ones that match. Without CRISIS_SCAN it is skipped.
//
//	CRISIS_SCAN="$(ls docs/*.md)" go test ./internal/peers/crisis -run TestScanFiles -v
func TestScanFiles(t *testing.T) {
	files := strings.Fields(os.Getenv("CRISIS_SCAN"))
	if len(files) == 0 {
		t.Skip()
	}
	split := regexp.MustCompile(`[.!?\n"]+`)
	n, hits := 0, 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range split.Split(string(b), -1) {
			if len(strings.TrimSpace(s)) < 8 {
				continue
			}
			n++
			if Detect(s).Found {
				hits++
				t.Logf("%s: %s", f, strings.TrimSpace(s))
			}
		}
	}
	t.Logf("%d of %d sentences matched", hits, n)
}
