package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// UnsubscribeToken returns the token of the one-click unsubscribe link for
// userID and kind: the two values and an HMAC of them under the key set by
// [Configure], so that no table is needed and a changed token does not
// verify.
func UnsubscribeToken(userID string, kind Kind) string {
	payload := userID + "." + string(kind)
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." +
		base64.RawURLEncoding.EncodeToString(unsubscribeMAC(payload))
}

func unsubscribeMAC(payload string) []byte {
	mac := hmac.New(sha256.New, config().key)
	mac.Write([]byte(payload))
	return mac.Sum(nil)[:18]
}

// ParseUnsubscribe checks an unsubscribe token and returns the person and
// kind it names. A token that does not verify is access.ErrNotFound.
func ParseUnsubscribe(token string) (userID string, kind Kind, err error) {
	if len(token) > 300 {
		return "", "", access.ErrNotFound
	}
	p64, m64, ok := strings.Cut(token, ".")
	if !ok {
		return "", "", access.ErrNotFound
	}
	// Strict: a token differing only in unused trailing bits is not the
	// same token.
	payload, err1 := base64.RawURLEncoding.Strict().DecodeString(p64)
	mac, err2 := base64.RawURLEncoding.Strict().DecodeString(m64)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, unsubscribeMAC(string(payload))) {
		return "", "", access.ErrNotFound
	}
	u, k, ok := strings.Cut(string(payload), ".")
	if !ok || u == "" || !Kind(k).configurable() {
		return "", "", access.ErrNotFound
	}
	return u, Kind(k), nil
}

// Unsubscribe turns email off for the kind the token names, for the person
// it names, and records that in the audit log. It needs no session: the
// token is the proof. A token that does not verify, or names an account
// that no longer exists, is access.ErrNotFound. Unsubscribing twice is
// fine.
func Unsubscribe(ctx context.Context, d *db.DB, token string) (Kind, error) {
	userID, kind, err := ParseUnsubscribe(token)
	if err != nil {
		return "", err
	}
	err = d.Tx(ctx, func(tx *db.Tx) error {
		var programID string
		if err := tx.QueryRow(ctx, `SELECT program_id FROM users WHERE id = ?`, userID).Scan(&programID); err != nil {
			if err = db.Err(err); err == db.ErrNotFound {
				return access.ErrNotFound
			}
			return fmt.Errorf("notify: unsubscribe: %w", err)
		}
		if err := setPref(ctx, tx, userID, kind, ChannelEmail, false); err != nil {
			return err
		}
		return audit.Record(ctx, tx, access.System(programID), audit.Event{Action: "notify.unsubscribe",
			SubjectType: "user", SubjectID: userID, Detail: map[string]string{"kind": string(kind)}})
	})
	if err != nil {
		return "", err
	}
	return kind, nil
}
