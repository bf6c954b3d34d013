package members

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// ProgramInterests returns the interests programID offers on the profile
// form, sorted by name.
func ProgramInterests(ctx context.Context, q db.Querier, programID string) ([]string, error) {
	rows, err := q.Query(ctx, `SELECT name FROM program_interests WHERE program_id = ? ORDER BY name`, programID)
	if err != nil {
		return nil, fmt.Errorf("members: program interests: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("members: program interests: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// AddProgramInterests adds names to programID's list of interests; names
// already listed are skipped.
func AddProgramInterests(ctx context.Context, tx *db.Tx, programID string, names ...string) error {
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		var c int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM program_interests WHERE program_id = ? AND name = ?`, programID, n).Scan(&c); err != nil {
			return fmt.Errorf("members: add interest: %w", err)
		}
		if c > 0 {
			continue
		}
		if _, err := tx.Exec(ctx, `INSERT INTO program_interests (program_id, name) VALUES (?, ?)`, programID, n); err != nil {
			return fmt.Errorf("members: add interest: %w", err)
		}
	}
	return nil
}

// MaxProgramInterests caps the program's list of interests.
const MaxProgramInterests = 60

// SetProgramInterests replaces the actor's program's list of interests
// with names (trimmed, without blanks and duplicates). Only coordinators
// and admins may; members' profiles keep the interests they chose.
func SetProgramInterests(ctx context.Context, d *db.DB, actor access.Actor, names []string) error {
	if err := access.EditInterests(actor, actor.ProgramID); err != nil {
		return err
	}
	var verr ValidationError
	var clean []string
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		if !utf8.ValidString(n) || strings.ContainsFunc(n, isControl(false)) || utf8.RuneCountInString(n) > MaxItemLength {
			verr.add("interests", "Each interest must be plain text of at most %d characters (%q is not).", MaxItemLength, n)
			return verr
		}
		clean = append(clean, n)
	}
	if len(clean) > MaxProgramInterests {
		verr.add("interests", "At most %d interests.", MaxProgramInterests)
		return verr
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM program_interests WHERE program_id = ?`, actor.ProgramID); err != nil {
			return fmt.Errorf("members: set interests: %w", err)
		}
		if err := AddProgramInterests(ctx, tx, actor.ProgramID, clean...); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "program.interests.update", SubjectType: "program",
			SubjectID: actor.ProgramID, Detail: map[string]string{"count": strconv.Itoa(len(clean))}})
	})
}
