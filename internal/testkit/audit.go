package testkit

import (
	"context"
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
)

// UnguardAudit drops the triggers that make the audit log append-only, as
// someone with direct access to the database could, so that tests can
// tamper with the chain and check that verification catches it.
func UnguardAudit(t testing.TB, d *db.DB) {
	t.Helper()
	stmts := []string{
		"DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
		"DROP TRIGGER audit_head_forward_only", "DROP TRIGGER audit_head_no_delete",
	}
	if d.Engine() == db.Postgres {
		stmts = []string{
			"DROP TRIGGER audit_log_no_change ON audit_log", "DROP TRIGGER audit_log_no_truncate ON audit_log",
			"DROP TRIGGER audit_head_guard ON audit_head", "DROP TRIGGER audit_head_no_truncate ON audit_head",
		}
	}
	for _, s := range stmts {
		if _, err := d.Exec(context.Background(), s); err != nil {
			t.Fatalf("unguard audit log: %s: %v", s, err)
		}
	}
}
