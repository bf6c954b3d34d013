package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// newProgram inserts a program row directly (package programs records
// audit entries itself, so it cannot be used from here).
func newProgram(t *testing.T, d *db.DB, name string) string {
	t.Helper()
	id := newID()
	now := time.Now().UTC()
	if _, err := d.Exec(context.Background(), `INSERT INTO programs (id, name, timezone, created_at, updated_at)
		VALUES (?, ?, 'America/Chicago', ?, ?)`, id, name, now, now); err != nil {
		t.Fatalf("insert program: %v", err)
	}
	return id
}

func record(t *testing.T, d *db.DB, actor access.Actor, ev Event) {
	t.Helper()
	if err := RecordNow(context.Background(), d, actor, ev); err != nil {
		t.Fatalf("record %s: %v", ev.Action, err)
	}
}

func verifyOK(t *testing.T, d *db.DB, want int64) {
	t.Helper()
	n, err := Verify(context.Background(), d)
	if err != nil || n != want {
		t.Fatalf("Verify = %d, %v; want %d, nil", n, err, want)
	}
}

func TestRecordAndVerify(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		verifyOK(t, d, 0)
		p := newProgram(t, d, "North")
		admin := access.Actor{UserID: "u-admin", ProgramID: p, Role: access.Admin, RequestID: "req-1"}
		record(t, d, access.System(p), Event{Action: "program.create", SubjectType: "program", SubjectID: p})
		record(t, d, admin, Event{Action: "user.invite", SubjectType: "user", SubjectID: "u-1", Detail: map[string]string{"role": "alumnus", "b": "2"}})
		err := d.Tx(ctx, func(tx *db.Tx) error {
			if err := Record(ctx, tx, admin, Event{Action: "user.role", SubjectType: "user", SubjectID: "u-1"}); err != nil {
				return err
			}
			return Record(ctx, tx, admin, Event{Action: "user.disable", SubjectType: "user", SubjectID: "u-1"})
		})
		if err != nil {
			t.Fatal(err)
		}
		record(t, d, access.Actor{}, Event{Action: "signin.fail", ProgramID: p})
		verifyOK(t, d, 5)

		// An entry recorded in a transaction that rolls back leaves no trace.
		boom := errors.New("boom")
		err = d.Tx(ctx, func(tx *db.Tx) error {
			if err := Record(ctx, tx, admin, Event{Action: "user.delete"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("rolled-back tx: %v", err)
		}
		verifyOK(t, d, 5)

		list, err := List(ctx, d, admin, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 5 || list[0].Action != "signin.fail" || list[4].Action != "program.create" {
			t.Fatalf("List = %v", actions(list))
		}
		inv := list[3]
		if inv.Action != "user.invite" || inv.ActorID != "u-admin" || inv.ActorRole != "admin" || inv.RequestID != "req-1" ||
			inv.ProgramID != p || inv.SubjectID != "u-1" || inv.Detail["role"] != "alumnus" || inv.Seq != 2 {
			t.Errorf("invite entry: %+v", inv)
		}
		if list[4].ActorRole != "system" || list[0].ProgramID != p || list[0].ActorID != "" {
			t.Errorf("system / anonymous entries: %+v / %+v", list[4], list[0])
		}
		// The listing is itself recorded, and the chain still holds.
		verifyOK(t, d, 6)
	})
}

func TestConcurrentRecordKeepsChain(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		const workers, each = 4, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				actor := access.Actor{UserID: fmt.Sprintf("u-%d", w), ProgramID: "p1", Role: access.Coach}
				for i := range each {
					errs <- RecordNow(ctx, d, actor, Event{Action: "test.write", SubjectID: fmt.Sprint(i)})
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent Record: %v", err)
			}
		}
		verifyOK(t, d, workers*each)
	})
}

func TestListFilters(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, q := newProgram(t, d, "North"), newProgram(t, d, "South")
		admin := access.Actor{UserID: "u-admin", ProgramID: p, Role: access.Admin}
		coach := access.Actor{UserID: "u-coach", ProgramID: p, Role: access.Coach}
		record(t, d, coach, Event{Action: "signin.ok"})
		record(t, d, access.Actor{}, Event{Action: "signin.fail", ProgramID: p})
		record(t, d, admin, Event{Action: "signin.ok"})
		record(t, d, admin, Event{Action: "user_role.change", SubjectID: "u-coach"})
		record(t, d, coach, Event{Action: "signing.other"})
		record(t, d, access.Actor{UserID: "u-other", ProgramID: q, Role: access.Admin}, Event{Action: "signin.ok"})

		cases := []struct {
			name string
			f    Filter
			want []string
		}{
			{"prefix", Filter{Action: "signin."}, []string{"signin.ok", "signin.fail", "signin.ok"}},
			{"prefix with underscore", Filter{Action: "user_role."}, []string{"user_role.change"}},
			{"prefix wildcard is literal", Filter{Action: "sign%."}, nil},
			{"exact", Filter{Action: "signin.fail"}, []string{"signin.fail"}},
			{"actor", Filter{ActorID: "u-coach"}, []string{"signing.other", "signin.ok"}},
			{"actor and prefix", Filter{ActorID: "u-coach", Action: "signin."}, []string{"signin.ok"}},
			{"subject", Filter{SubjectID: "u-coach"}, []string{"user_role.change"}},
			{"limit", Filter{Limit: 2, Action: "signin."}, []string{"signin.ok", "signin.fail"}},
			{"before", Filter{Before: 3, Action: "signin."}, []string{"signin.fail", "signin.ok"}},
			{"other actor", Filter{ActorID: "u-other"}, nil},
		}
		for _, c := range cases {
			got, err := List(ctx, d, admin, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if fmt.Sprint(actions(got)) != fmt.Sprint(c.want) {
				t.Errorf("%s: got %v, want %v", c.name, actions(got), c.want)
			}
		}
		// Time window: everything so far is before a minute from now.
		got, err := List(ctx, d, admin, Filter{From: time.Now().Add(time.Minute)})
		if err != nil || len(got) != 0 {
			t.Errorf("future window: %v, %v", actions(got), err)
		}

		for _, a := range []access.Actor{coach, {UserID: "u-coord", ProgramID: p, Role: access.Coordinator},
			{UserID: "u-alum", ProgramID: p, Role: access.Alumnus}, {}, access.System(p)} {
			if _, err := List(ctx, d, a, Filter{}); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("List as %q: %v, want not found", a.Role, err)
			}
		}
		var reads int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'audit.read' AND actor_id = ?`,
			admin.UserID).Scan(&reads); err != nil || reads != len(cases)+1 {
			t.Errorf("audit.read entries = %d (%v), want %d", reads, err, len(cases)+1)
		}
		verifyOK(t, d, int64(6+reads))
	})
}

func actions(list []Entry) []string {
	var out []string
	for _, e := range list {
		if e.Action != "audit.read" {
			out = append(out, e.Action)
		}
	}
	return out
}
