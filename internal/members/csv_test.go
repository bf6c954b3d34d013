package members

import "testing"

func TestCSVSafe(t *testing.T) {
	cases := map[string]string{
		"":                  "",
		"Ana":               "Ana",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1 312 555 0100":   "'+1 312 555 0100",
		"-2+3":              "'-2+3",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tcmd":             "'\tcmd",
		"\rcmd":             "'\rcmd",
		"a=b":               "a=b",
		"'quoted":           "'quoted",
	}
	for in, want := range cases {
		if got := CSVSafe(in); got != want {
			t.Errorf("CSVSafe(%q) = %q, want %q", in, got, want)
		}
	}
	row := CSVSafeRow([]string{"=1", "ok"})
	if row[0] != "'=1" || row[1] != "ok" {
		t.Errorf("CSVSafeRow = %q", row)
	}
}
