package audit

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// seedChain records five entries and checks that they verify.
func seedChain(t *testing.T, d *db.DB) {
	t.Helper()
	p := newProgram(t, d, "North")
	admin := access.Actor{UserID: "u-admin", ProgramID: p, Role: access.Admin, RequestID: "r"}
	for _, a := range []string{"program.create", "user.invite", "user.role", "signin.ok", "user.disable"} {
		record(t, d, admin, Event{Action: a, SubjectType: "user", SubjectID: "u-1", Detail: map[string]string{"k": a}})
	}
	verifyOK(t, d, 5)
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func entryAt(t *testing.T, d *db.DB, seq int64) Entry {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT seq, id, at, program_id, actor_id, actor_role, action,
		subject_type, subject_id, request_id, detail, prev_hash, hash FROM audit_log WHERE seq = ?`, seq)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatalf("no entry %d", seq)
	}
	e, err := scanEntry(rows)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// wantBroken checks that Verify fails at seq, whose reason mentions what.
func wantBroken(t *testing.T, d *db.DB, seq int64, what string) {
	t.Helper()
	n, err := Verify(context.Background(), d)
	var b *Broken
	if !errors.As(err, &b) {
		t.Fatalf("Verify = %d, %v; want *Broken at %d", n, err, seq)
	}
	if b.Seq != seq {
		t.Errorf("Broken at %d (%s), want %d", b.Seq, b.Reason, seq)
	}
	if !strings.Contains(b.Reason, what) {
		t.Errorf("reason %q does not mention %q", b.Reason, what)
	}
	if n != seq-1 && !(what == "head" && n == seq) {
		t.Errorf("Verify counted %d good entries before the break at %d", n, seq)
	}
}

func TestVerifyCatchesTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, d *db.DB)
		seq    int64
		what   string
	}{
		{"edited action", func(t *testing.T, d *db.DB) {
			exec(t, d, `UPDATE audit_log SET action = 'user.view' WHERE seq = 3`)
		}, 3, "edited"},
		{"edited detail", func(t *testing.T, d *db.DB) {
			exec(t, d, `UPDATE audit_log SET detail = '' WHERE seq = 2`)
		}, 2, "edited"},
		{"edited time", func(t *testing.T, d *db.DB) {
			e := entryAt(t, d, 4)
			exec(t, d, `UPDATE audit_log SET at = ? WHERE seq = 4`, e.At.Add(-3600e9))
		}, 4, "edited"},
		{"edited actor and hash recomputed", func(t *testing.T, d *db.DB) {
			e := entryAt(t, d, 2)
			e.ActorID = "u-someone-else"
			exec(t, d, `UPDATE audit_log SET actor_id = ?, hash = ? WHERE seq = 2`, e.ActorID, e.computeHash())
		}, 3, "does not follow"},
		{"deleted middle", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log WHERE seq = 3`)
		}, 3, "missing"},
		{"deleted first", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log WHERE seq = 1`)
		}, 1, "missing"},
		{"swapped rows", func(t *testing.T, d *db.DB) {
			exec(t, d, `UPDATE audit_log SET seq = -1 WHERE seq = 2`)
			exec(t, d, `UPDATE audit_log SET seq = 2 WHERE seq = 4`)
			exec(t, d, `UPDATE audit_log SET seq = 4 WHERE seq = -1`)
		}, 2, "does not follow"},
		{"swapped contents", func(t *testing.T, d *db.DB) {
			a, b := entryAt(t, d, 2), entryAt(t, d, 3)
			set := `UPDATE audit_log SET action = ?, detail = ? WHERE seq = ?`
			exec(t, d, set, b.Action, encodeDetail(b.Detail), int64(2))
			exec(t, d, set, a.Action, encodeDetail(a.Detail), int64(3))
		}, 2, "edited"},
		{"deleted newest", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log WHERE seq = 5`)
		}, 5, "newest entries deleted"},
		{"deleted two newest", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log WHERE seq >= 4`)
		}, 4, "newest entries deleted"},
		{"newest rewritten consistently", func(t *testing.T, d *db.DB) {
			e := entryAt(t, d, 5)
			e.Action = "user.enable"
			exec(t, d, `UPDATE audit_log SET action = ?, hash = ? WHERE seq = 5`, e.Action, e.computeHash())
		}, 5, "head"},
		{"forged entry appended", func(t *testing.T, d *db.DB) {
			last := entryAt(t, d, 5)
			f := last
			f.Seq, f.ID, f.Action, f.PrevHash = 6, newID(), "user.promote", last.Hash
			f.Hash = f.computeHash()
			exec(t, d, `INSERT INTO audit_log (seq, id, at, program_id, actor_id, actor_role, action,
				subject_type, subject_id, request_id, detail, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				f.Seq, f.ID, f.At, f.ProgramID, f.ActorID, f.ActorRole, f.Action,
				f.SubjectType, f.SubjectID, f.RequestID, encodeDetail(f.Detail), f.PrevHash, f.Hash)
		}, 6, "appended outside"},
		{"head removed", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_head`)
		}, 5, "head"},
		{"everything deleted", func(t *testing.T, d *db.DB) {
			exec(t, d, `DELETE FROM audit_log`)
		}, 1, "newest entries deleted"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			testkit.Engines(t, func(t *testing.T, d *db.DB) {
				seedChain(t, d)
				testkit.UnguardAudit(t, d)
				c.tamper(t, d)
				wantBroken(t, d, c.seq, c.what)
			})
		})
	}
}

// Verify names the entry by id when it exists.
func TestBrokenNamesEntry(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		seedChain(t, d)
		e := entryAt(t, d, 3)
		testkit.UnguardAudit(t, d)
		exec(t, d, `UPDATE audit_log SET subject_id = 'u-2' WHERE seq = 3`)
		_, err := Verify(context.Background(), d)
		var b *Broken
		if !errors.As(err, &b) || b.ID != e.ID || !strings.Contains(err.Error(), "entry 3") {
			t.Fatalf("Verify error %v, want one naming entry 3 (%s)", err, e.ID)
		}
	})
}

// TestAuditLogIsAppendOnly: the database itself refuses to change or
// remove audit entries, or to move the chain's head anywhere but forward.
func TestAuditLogIsAppendOnly(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		seedChain(t, d)
		ctx := context.Background()
		for _, q := range []string{
			`UPDATE audit_log SET action = 'x' WHERE seq = 1`,
			`DELETE FROM audit_log WHERE seq = 2`,
			`DELETE FROM audit_log`,
			`UPDATE audit_head SET seq = 1 WHERE id = 1`,
			// Forward, but onto an entry that does not exist.
			`UPDATE audit_head SET seq = seq + 1 WHERE id = 1`,
			`DELETE FROM audit_head`,
		} {
			if _, err := d.Exec(ctx, q); err == nil {
				t.Errorf("%s: the database allowed it", q)
			}
		}
		if _, err := Verify(ctx, d); err != nil {
			t.Errorf("chain after refused changes: %v", err)
		}
	})
}

// TestTransactionEntriesChainTogether: the entries of one transaction are
// chained in the order they were recorded, the head moves past all of them
// at once, and a rolled-back transaction leaves no entry.
func TestTransactionEntriesChainTogether(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		seedChain(t, d)
		ctx := context.Background()
		before, err := Verify(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		actor := access.System("p")
		err = d.Tx(ctx, func(tx *db.Tx) error {
			for _, a := range []string{"batch.one", "batch.two", "batch.three"} {
				if err := Record(ctx, tx, actor, Event{Action: a}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_ = d.Tx(ctx, func(tx *db.Tx) error {
			_ = Record(ctx, tx, actor, Event{Action: "rolled.back"})
			return errors.New("roll back")
		})
		verifyOK(t, d, before+3)
		for i, want := range []string{"batch.one", "batch.two", "batch.three"} {
			if got := entryAt(t, d, before+1+int64(i)).Action; got != want {
				t.Errorf("entry %d = %s, want %s", before+1+int64(i), got, want)
			}
		}
		// The head may not be moved onto a forged entry's number with a hash
		// that no entry has.
		exec(t, d, `INSERT INTO audit_log (seq, id, at, action, prev_hash, hash)
			SELECT seq + 1, 'forged', at, 'x', hash, 'h' FROM audit_log WHERE seq = ?`, before+3)
		if _, err := d.Exec(ctx, `UPDATE audit_head SET seq = seq + 1, hash = 'not-h' WHERE id = 1`); err == nil {
			t.Error("the head moved onto a hash no entry has")
		}
	})
}
