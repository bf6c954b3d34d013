package members

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParseRoster(f *testing.F) {
	f.Add([]byte("first_name,last_name,email\nAna,Lopez,ana@example.org\n"))
	f.Add([]byte("\xef\xbb\xbfEMAIL;first_name\n\"a;b\";x\n"))
	f.Add([]byte("first_name,email\n\"unterminated,x\n"))
	f.Add([]byte("first_name,email,shoe\n"))
	f.Add([]byte("first_name,email\na\n"))
	f.Add([]byte("\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseRoster(data)
		if err != nil {
			var ri *RosterIssue
			if !errors.As(err, &ri) {
				t.Fatalf("error is not a RosterIssue: %v", err)
			}
			if ri.Row < 0 || ri.Reason == "" {
				t.Fatalf("issue without place or reason: %+v", ri)
			}
			if ri.Row > 0 && ri.Row > strings.Count(string(data), "\n")+2 {
				t.Fatalf("issue row %d beyond the file", ri.Row)
			}
			return
		}
		last := 1
		for _, r := range rows {
			if r.Row <= last {
				t.Fatalf("rows not in file order: %d after %d", r.Row, last)
			}
			last = r.Row
		}
	})
}
