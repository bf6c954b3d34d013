package members

import (
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestNotifyFamilyAndRevocationDropsQueued(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := familyAuth(d)
		c, err := CreateConsent(w.ctx, d, a, w.alex, goodConsent("jordan@example.test"))
		if err != nil {
			t.Fatal(err)
		}
		fam := acceptFamilyInvite(t, d, a, "jordan@example.test")
		send := func(cat Category) int {
			t.Helper()
			var n int
			err := d.Tx(w.ctx, func(tx *db.Tx) error {
				var err error
				n, err = NotifyFamily(w.ctx, tx, access.System(w.prog), w.alex.UserID, cat, notify.KindMilestone,
					notify.Data{Title: "Alex reached 60 days", Body: "Celebrate with them."})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := send(ShareEvents); n != 0 {
			t.Fatalf("told %d about a category not shared", n)
		}
		if n := send(ShareMilestones); n != 1 {
			t.Fatalf("told %d", n)
		}
		var body string
		if err := d.QueryRow(w.ctx, `SELECT body FROM notifications WHERE user_id = ? AND consent_id = ?`, fam.UserID, c.ID).Scan(&body); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(body, RedisclosureNotice) {
			t.Errorf("notification body %q lacks the notice", body)
		}
		var mail string
		if err := d.QueryRow(w.ctx, `SELECT body_text FROM mail_outbox WHERE to_address = 'jordan@example.test' AND consent_id = ? AND subject <> 'You are invited to Harbor Light'`, c.ID).Scan(&mail); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(mail, RedisclosureNotice) {
			t.Errorf("email lacks the notice")
		}
		if list, _ := ListDisclosures(w.ctx, d, w.alex); len(list) != 1 || list[0].Channel != ChannelNotification {
			t.Fatalf("disclosures %+v", list)
		}

		if _, err := RevokeConsent(w.ctx, d, w.alex, c.ID); err != nil {
			t.Fatal(err)
		}
		var left int
		_ = d.QueryRow(w.ctx, `SELECT (SELECT COUNT(*) FROM notifications WHERE consent_id IS NOT NULL) + (SELECT COUNT(*) FROM mail_outbox WHERE consent_id IS NOT NULL)`).Scan(&left)
		if left != 0 {
			t.Errorf("%d queued family messages left after revocation", left)
		}
		if n := send(ShareMilestones); n != 0 {
			t.Errorf("told %d after revocation", n)
		}
	})
}
