package members

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// CurrentRecoveryStart returns memberID's current recovery date; ok is
// false when none is set. It checks no access: it is for rules that
// decide from the date (such as the buddy program's minimum time in
// recovery), not for showing it, which goes through ViewMember and the
// member's visibility.
func CurrentRecoveryStart(ctx context.Context, q db.Querier, memberID string) (start Date, ok bool, err error) {
	start, ok, err = currentStart(ctx, q, memberID)
	if err != nil {
		return Date{}, false, fmt.Errorf("members: recovery date: %w", err)
	}
	return start, ok, nil
}

// CurrentRecoveryStarts returns the current recovery dates of the
// program's members who have one, by member id, in one query. Like
// CurrentRecoveryStart it checks no access and is for rules, not for
// showing.
func CurrentRecoveryStarts(ctx context.Context, q db.Querier, programID string) (map[string]Date, error) {
	rows, err := q.Query(ctx, `SELECT user_id, start_date FROM recovery_periods WHERE program_id = ? AND end_date IS NULL`, programID)
	if err != nil {
		return nil, fmt.Errorf("members: recovery dates: %w", err)
	}
	defer rows.Close()
	out := map[string]Date{}
	for rows.Next() {
		var id string
		var start Date
		if err := rows.Scan(&id, &start); err != nil {
			return nil, fmt.Errorf("members: recovery dates: %w", err)
		}
		out[id] = start
	}
	return out, rows.Err()
}
