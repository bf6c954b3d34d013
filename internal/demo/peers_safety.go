package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// The demo's moderation queue holds one open report: Priya reports a
// profile that reads like spam. The profile is Reuben's, the last of the
// made-up alumni, whose bio the seed rewrites once.
const (
	spamEmail     = "reuben.abernathy@demo.cairn.test"
	reporterEmail = "priya.raman@demo.cairn.test"
	spamBio       = "DM me for cheap followers and crypto tips!!! Limited offer, only this week. Visit my link for 90% off."
	spamNote      = "They sent me the same offer three times after the Thursday meeting."
)

// seedSafety gives Reuben the spam-like bio and files Priya's report about
// it. Seeding again adds nothing, even after staff closed the report.
func seedSafety(ctx context.Context, d *db.DB, p *programs.Program) error {
	spamID, ok, err := userID(ctx, d, p.ID, spamEmail)
	if err != nil || !ok {
		return fmt.Errorf("demo: safety: %v", err)
	}
	reporterID, ok, err := userID(ctx, d, p.ID, reporterEmail)
	if err != nil || !ok {
		return fmt.Errorf("demo: safety: reporter: %v", err)
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM reports WHERE kind = ? AND content_id = ?`, safety.KindPerson, spamID).Scan(&n); err != nil {
		return fmt.Errorf("demo: safety: %w", err)
	}
	if n > 0 {
		return nil
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	res, err := d.Exec(ctx, `UPDATE profiles SET bio = ?, hidden = ?, updated_at = ? WHERE user_id = ?`, spamBio, false, now, spamID)
	if err != nil {
		return fmt.Errorf("demo: safety: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		if _, err := d.Exec(ctx, `INSERT INTO profiles (user_id, program_id, bio, updated_at) VALUES (?, ?, ?, ?)`,
			spamID, p.ID, spamBio, now); err != nil {
			return fmt.Errorf("demo: safety: %w", err)
		}
	}
	reporter := access.Actor{UserID: reporterID, ProgramID: p.ID, Role: access.Alumnus, RequestID: "demo"}
	_, err = safety.Report(ctx, d, reporter, safety.ReportInput{Kind: safety.KindPerson, ID: spamID, Reason: "spam", Note: spamNote})
	return err
}
