package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func TestSeedFamily(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		p, err := Seed(ctx, d, newService(d), "driftwood-demo-1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Seed(ctx, d, newService(d), "driftwood-demo-1"); err != nil {
			t.Fatal(err)
		}
		var famID string
		if err := d.QueryRow(ctx, `SELECT id FROM users WHERE email = 'family@demo.cairn.test'`).Scan(&famID); err != nil {
			t.Fatal(err)
		}
		var consents, links int
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM consents`).Scan(&consents)
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM family_links`).Scan(&links)
		if consents != 1 || links != 1 {
			t.Fatalf("consents %d, links %d after two seeds", consents, links)
		}
		view, err := members.FamilyView(ctx, d, access.Actor{UserID: famID, ProgramID: p.ID, Role: access.Family}, members.ChannelPage)
		if err != nil || len(view) != 1 {
			t.Fatalf("family view %v %v", view, err)
		}
		if v := view[0]; v.AlumnusName != "Alex R." || v.Coach == nil || v.Milestones == nil || len(v.Milestones.Reached) == 0 {
			t.Fatalf("family sees %+v", v)
		}
		// Alex shares his events: the family dinner he answered yes to is
		// listed, and showing it is an accounted disclosure.
		dinner := false
		for _, e := range view[0].Events {
			if strings.Contains(e.Title, "Family Dinner") && e.Going && e.Start.Location().String() == p.TimeZone {
				dinner = true
			}
		}
		if !dinner {
			t.Fatalf("family does not see Alex's family dinner: %+v", view[0].Events)
		}
		var disclosed int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM disclosures WHERE category = 'events'`).Scan(&disclosed); err != nil || disclosed != 1 {
			t.Fatalf("events disclosures = %d, %v; want 1", disclosed, err)
		}
	})
}
