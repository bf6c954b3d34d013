package auth

import (
	"context"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
)

// ErrSuspended is the answer to a right email and password of an account
// that staff suspended (internal/peers/safety). It is told only after the
// password matched, so that it reveals nothing to a stranger.
var ErrSuspended error = message("Your account is paused for now, so you cannot sign in. " +
	"If you would like to talk about it, or need support, please call the program. " +
	"If you are in crisis, call or text 988.")

// suspended reports whether userID has a suspension in force at now: not
// lifted, and with no end or an end still ahead. The suspensions table
// belongs to internal/peers/safety; auth only reads it.
func suspended(ctx context.Context, q db.Querier, userID string, now time.Time) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT COUNT(*) FROM suspensions
		WHERE user_id = ? AND lifted_at IS NULL AND (ends_at IS NULL OR ends_at > ?)`, userID, now.UTC()).Scan(&n)
	return n > 0, err
}
