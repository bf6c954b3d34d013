package safety

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Blocked reports whether a has blocked b or b has blocked a.
func Blocked(ctx context.Context, q db.Querier, a, b string) (bool, error) {
	if a == "" || b == "" || a == b {
		return false, nil
	}
	var n int
	// Two primary-key lookups rather than an OR, which engines may scan.
	err := q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM blocks WHERE blocker_id = ? AND blocked_id = ?)
		+ (SELECT COUNT(*) FROM blocks WHERE blocker_id = ? AND blocked_id = ?)`, a, b, b, a).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("safety: blocked: %w", err)
	}
	return n > 0, nil
}

// BlockedIDs returns everyone userID has blocked or been blocked by.
func BlockedIDs(ctx context.Context, q db.Querier, userID string) (map[string]bool, error) {
	out := map[string]bool{}
	if userID == "" {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT blocked_id FROM blocks WHERE blocker_id = ?
		UNION SELECT blocker_id FROM blocks WHERE blocked_id = ?`, userID, userID)
	if err != nil {
		return nil, fmt.Errorf("safety: blocked ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("safety: blocked ids: %w", err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("safety: blocked ids: %w", err)
	}
	return out, nil
}
