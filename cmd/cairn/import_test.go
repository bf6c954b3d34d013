package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportRosterCommand(t *testing.T) {
	vars := newEnv(t)
	createProgram(t, vars, "Driftwood Alumni")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.csv")
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(good, []byte("first_name;email\nAna;ana@example.org\nBo;bo@example.org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("first_name,email\nAna,ana@example.org\nBo,not-an-email\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		a := openApp(t, vars)
		defer a.Close()
		var n int
		if err := a.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM invitations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	r := cairn(t, vars, "import", "roster", bad, "--program", "Driftwood Alumni", "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "row 3, column email") {
		t.Errorf("bad file: %+v", r)
	}
	if n := count(); n != 0 {
		t.Errorf("bad file invited %d people", n)
	}

	r = cairn(t, vars, "import", "roster", good)
	mustOK(t, r, "preview")
	if !strings.Contains(r.stdout, "2 new, 0 already here") || !strings.Contains(r.stdout, "--yes") {
		t.Errorf("preview output: %q", r.stdout)
	}
	if n := count(); n != 0 {
		t.Errorf("preview invited %d people", n)
	}

	r = cairn(t, vars, "import", "roster", good, "--yes")
	mustOK(t, r, "import")
	if !strings.Contains(r.stdout, "2 invited, 0 already here") {
		t.Errorf("import output: %q", r.stdout)
	}
	r = cairn(t, vars, "import", "roster", "--yes", good)
	mustOK(t, r, "re-import")
	if !strings.Contains(r.stdout, "0 invited, 2 already here") {
		t.Errorf("re-import output: %q", r.stdout)
	}
	if n := count(); n != 2 {
		t.Errorf("invitations = %d, want 2", n)
	}
	if r := cairn(t, vars, "import", "roster"); r.code != 2 {
		t.Errorf("no file: %+v", r)
	}
	if r := cairn(t, vars, "import", "roster", filepath.Join(dir, "missing.csv")); r.code != 2 || !strings.Contains(r.stderr, "cannot open") {
		t.Errorf("missing file: %+v", r)
	}
}
