package members

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestExportMine(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		al := f.user(t, f.prog.ID, access.Alumnus, "al@harbor.test")
		other := f.user(t, f.prog.ID, access.Alumnus, "other@harbor.test")
		err := d.Tx(f.ctx, func(tx *db.Tx) error {
			if _, err := notify.Send(f.ctx, tx, al.ID, notify.KindMessage, notify.Data{Title: "Welcome Al"}); err != nil {
				return err
			}
			if _, err := notify.Send(f.ctx, tx, other.ID, notify.KindMessage, notify.Data{Title: "Not for Al"}); err != nil {
				return err
			}
			if err := AssignCoach(f.ctx, tx, f.prog.ID, al.ID, f.coach.ID); err != nil {
				return err
			}
			return SetRecoveryDateTx(f.ctx, tx, al.Actor("r"), al.ID, MustDate("2025-06-01"), "my private note")
		})
		if err != nil {
			t.Fatal(err)
		}
		e, err := ExportMine(f.ctx, d, al.Actor("req"), rosterNow)
		if err != nil {
			t.Fatal(err)
		}
		if e.Account.Email != "al@harbor.test" || e.Account.Program != "Harbor Light Alumni" || e.Account.Role != "alumnus" || e.Format != ExportFormat {
			t.Errorf("account = %+v", e.Account)
		}
		if n := len(e.Records["notifications"]); n != 1 || e.Records["notifications"][0]["title"] != "Welcome Al" {
			t.Errorf("notifications = %+v", e.Records["notifications"])
		}
		if p := e.Records["recovery_periods"]; len(p) != 1 || p[0]["start_date"] != "2025-06-01" || p[0]["note"] != "my private note" {
			t.Errorf("recovery periods = %+v", p)
		}
		if len(e.Records["coach_assignments"]) != 1 {
			t.Errorf("coach assignments = %+v", e.Records["coach_assignments"])
		}
		b, err := MarshalExport(e)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, secret := range []string{"token_hash", "password_hash", "totp_secret", "Not for Al", "other@harbor.test"} {
			if strings.Contains(s, secret) {
				t.Errorf("export contains %q", secret)
			}
		}
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Errorf("export is not JSON: %v", err)
		}
		entries, err := audit.List(f.ctx, d, f.actor(), audit.Filter{Action: "export.self"})
		if err != nil || len(entries) != 1 || entries[0].SubjectID != al.ID || len(entries[0].Detail) != 0 {
			t.Errorf("export.self audit = %+v, %v", entries, err)
		}
		if _, err := ExportMine(f.ctx, d, access.Actor{}, rosterNow); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("anonymous export: %v", err)
		}
	})
}

// TestExportSections: sections passed by the server wiring add their
// records; a section that fails, or that names records already exported,
// fails the whole export, which is then not audited.
func TestExportSections(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		f := newRosterFixture(t, d)
		al := f.user(t, f.prog.ID, access.Alumnus, "al@harbor.test")
		extra := ExportSection{Name: "extra", Columns: []string{"extra.user_id"},
			Read: func(ctx context.Context, q db.Querier, a access.Actor) (map[string][]map[string]any, error) {
				return map[string][]map[string]any{"extra": {{"user_id": a.UserID}}, "empty": nil}, nil
			}}
		e, err := ExportMine(f.ctx, d, al.Actor("req"), rosterNow, extra)
		if err != nil {
			t.Fatal(err)
		}
		if x := e.Records["extra"]; len(x) != 1 || x[0]["user_id"] != al.ID {
			t.Errorf("extra = %v", x)
		}
		if x, ok := e.Records["empty"]; !ok || x == nil {
			t.Errorf("an empty section is not an empty list: %v", x)
		}
		boom := errors.New("boom")
		for _, bad := range []ExportSection{
			{Name: "failing", Read: func(context.Context, db.Querier, access.Actor) (map[string][]map[string]any, error) { return nil, boom }},
			{Name: "twice", Read: func(context.Context, db.Querier, access.Actor) (map[string][]map[string]any, error) {
				return map[string][]map[string]any{"profiles": {}}, nil
			}},
		} {
			if _, err := ExportMine(f.ctx, d, al.Actor("req"), rosterNow, bad); err == nil || !strings.Contains(err.Error(), bad.Name) {
				t.Errorf("section %s: %v", bad.Name, err)
			}
		}
		entries, err := audit.List(f.ctx, d, f.actor(), audit.Filter{Action: "export.self"})
		if err != nil || len(entries) != 1 {
			t.Errorf("export.self entries = %d, %v; want only the export that succeeded", len(entries), err)
		}
	})
}
