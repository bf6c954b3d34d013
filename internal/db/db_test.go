package db_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestStoreBasics(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 8, 8, 30, 0, 0, time.FixedZone("CST", -6*3600))
		_, err := d.Exec(ctx, `INSERT INTO programs (id, name, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			"p1", "Driftwood", "America/Chicago", now, now)
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.Exec(ctx, `INSERT INTO programs (id, name, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			"p1", "Again", "UTC", now, now)
		if !errors.Is(err, db.ErrConflict) {
			t.Fatalf("duplicate id: got %v, want ErrConflict", err)
		}
		var got time.Time
		var name string
		err = d.QueryRow(ctx, `SELECT name, created_at FROM programs WHERE id = ?`, "p1").Scan(&name, &got)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(now) || name != "Driftwood" {
			t.Fatalf("round trip: got %q %v, want Driftwood %v", name, got, now)
		}
		err = db.Err(d.QueryRow(ctx, `SELECT name FROM programs WHERE id = ?`, "nope").Scan(&name))
		if !errors.Is(err, db.ErrNotFound) {
			t.Fatalf("missing row: got %v, want ErrNotFound", err)
		}
		// Rolled-back transactions leave nothing behind.
		boom := errors.New("boom")
		err = d.Tx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE programs SET name = ? WHERE id = ?`, "Changed", "p1"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx error: %v", err)
		}
		_ = d.QueryRow(ctx, `SELECT name FROM programs WHERE id = ?`, "p1").Scan(&name)
		if name != "Driftwood" {
			t.Fatalf("rollback kept change: %q", name)
		}
		// Instants compare as instants whatever zone they were given in.
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM programs WHERE created_at < ?`, now.Add(time.Second).In(time.FixedZone("X", 9*3600))).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("time comparison: got %d rows, want 1", n)
		}
		ok, err := d.MigrationsCurrent(ctx)
		if err != nil || !ok {
			t.Fatalf("migrations current = %v, %v", ok, err)
		}
	})
}

func TestRebindKeepsQuotedMarks(t *testing.T) {
	d := testkit.Postgres(t)
	got := d.Rebind(`SELECT '?' , x FROM t WHERE a = ? AND b = ?`)
	want := `SELECT '?' , x FROM t WHERE a = $1 AND b = $2`
	if got != want {
		t.Fatalf("Rebind = %q, want %q", got, want)
	}
}

// TestStatementsInsideAndOutsideTransactions runs the same statements
// inside a write transaction and outside it at the same time; on SQLite's
// single writer connection a statement cache that prepared inside the
// transaction would wait for itself.
func TestStatementsInsideAndOutsideTransactions(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		now := time.Now()
		insert := `INSERT INTO programs (id, name, timezone, created_at, updated_at) VALUES (?, ?, 'UTC', ?, ?)`
		count := `SELECT COUNT(*) FROM programs WHERE name = ?`
		done := make(chan error, 2)
		go func() {
			for i := range 50 {
				if _, err := d.Exec(ctx, insert, fmt.Sprintf("out-%d", i), "outside", now, now); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		go func() {
			for i := range 50 {
				err := d.Tx(ctx, func(tx *db.Tx) error {
					if _, err := tx.Exec(ctx, insert, fmt.Sprintf("in-%d", i), "inside", now, now); err != nil {
						return err
					}
					var n int
					return tx.QueryRow(ctx, count, "inside").Scan(&n)
				})
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
		for range 2 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"inside", "outside"} {
			var n int
			if err := d.QueryRow(ctx, count, name).Scan(&n); err != nil || n != 50 {
				t.Errorf("%s: %d rows (%v), want 50", name, n, err)
			}
		}
	})
}

func TestAfterCommit(t *testing.T) {
	d := testkit.SQLite(t)
	ctx := context.Background()
	ran := 0
	_ = d.Tx(ctx, func(tx *db.Tx) error {
		tx.AfterCommit(func() { ran++ })
		return errors.New("roll back")
	})
	if ran != 0 {
		t.Fatalf("after-commit hook ran after a rollback")
	}
	if err := d.Tx(ctx, func(tx *db.Tx) error {
		tx.AfterCommit(func() { ran++ })
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if ran != 1 {
		t.Fatalf("after-commit hook ran %d times, want 1", ran)
	}
}
