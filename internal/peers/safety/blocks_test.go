package safety

import (
	"errors"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestBlockBothWays(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if err := Block(w.ctx, d, w.alex, w.pat.UserID); err != nil {
			t.Fatal(err)
		}
		if err := Block(w.ctx, d, w.alex, w.pat.UserID); err != nil { // again: nothing changes
			t.Fatal(err)
		}
		for _, pair := range [][2]string{{w.alex.UserID, w.pat.UserID}, {w.pat.UserID, w.alex.UserID}} {
			if b, err := Blocked(w.ctx, d, pair[0], pair[1]); err != nil || !b {
				t.Errorf("Blocked(%v) = %v, %v", pair, b, err)
			}
		}
		if b, _ := Blocked(w.ctx, d, w.alex.UserID, w.sam.UserID); b {
			t.Error("sam is blocked")
		}
		for who, want := range map[string]string{w.alex.UserID: w.pat.UserID, w.pat.UserID: w.alex.UserID} {
			ids, err := BlockedIDs(w.ctx, d, who)
			if err != nil || len(ids) != 1 || !ids[want] {
				t.Errorf("BlockedIDs = %v, %v", ids, err)
			}
		}
		list, err := MyBlocks(w.ctx, d, w.alex)
		if err != nil || len(list) != 1 || list[0].DisplayName != "Pat Q." {
			t.Errorf("alex's blocks = %+v, %v", list, err)
		}
		// The blocked person is never told, nor sees who blocked them.
		if list, _ := MyBlocks(w.ctx, d, w.pat); len(list) != 0 {
			t.Errorf("pat sees %+v", list)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM notifications WHERE user_id = ?`, w.pat.UserID); n != 0 {
			t.Errorf("pat got %d notifications", n)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.block' AND subject_id = ?`, w.pat.UserID); n != 1 {
			t.Errorf("block audited %d times", n)
		}
		if err := Unblock(w.ctx, d, w.alex, w.pat.UserID); err != nil {
			t.Fatal(err)
		}
		if b, _ := Blocked(w.ctx, d, w.pat.UserID, w.alex.UserID); b {
			t.Error("still blocked after unblock")
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'safety.unblock'`); n != 1 {
			t.Errorf("unblock audited %d times", n)
		}
	})
}

func TestBlockRefusals(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var fe *FieldError
		if err := Block(w.ctx, d, w.alex, w.alex.UserID); !errors.As(err, &fe) || fe.Field != "user_id" {
			t.Errorf("self: %v", err)
		}
		for _, staff := range []access.Actor{w.coach, w.coord, w.admin} {
			if err := Block(w.ctx, d, w.alex, staff.UserID); !errors.As(err, &fe) || fe.Field != "user_id" {
				t.Errorf("staff %s: %v", staff.Role, err)
			}
		}
		if err := Block(w.ctx, d, w.alex, w.alien.UserID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("other program: %v", err)
		}
		if err := Block(w.ctx, d, w.alex, "nobody"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("nobody: %v", err)
		}
		if err := Block(w.ctx, d, w.coach, w.alex.UserID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach blocks: %v", err)
		}
		if err := Block(w.ctx, d, access.Actor{}, w.alex.UserID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("anonymous blocks: %v", err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM blocks`); n != 0 {
			t.Errorf("%d blocks stored", n)
		}
	})
}
