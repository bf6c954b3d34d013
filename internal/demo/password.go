package demo

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/auth"
	"github.com/cairn-recovery/cairn/internal/db"
)

// The account service offers no way for the installation to set a
// password without a reset link, so the demo checks and sets its own
// accounts' passwords here, in the same argon2id PHC format that auth
// writes and reads ($argon2id$v=19$m=…,t=…,p=…$salt$hash). Only demo
// accounts are ever touched.

// argonParams is the cost of the hashes the demo writes; tests lower it.
var argonParams = auth.DefaultArgon2Params

// ensurePassword makes password work for the demo accounts that exist. The
// named accounts are checked one by one (a few hashes); when any of them
// has another password, that one and every demo alumnus are given this
// password, their sessions are ended, and each change is audited.
func ensurePassword(ctx context.Context, d *db.DB, programID string, everyone []person, password string) error {
	hashes, err := passwordHashes(ctx, d, programID)
	if err != nil {
		return err
	}
	var (
		mu    sync.Mutex
		stale []person
	)
	err = parallel(ctx, named, func(_ context.Context, pe person) error {
		h, ok := hashes[pe.Email]
		if ok && !checkPHC(password, h) {
			mu.Lock()
			stale = append(stale, pe)
			mu.Unlock()
		}
		return nil
	})
	if err != nil || len(stale) == 0 {
		return err
	}
	for _, pe := range everyone[len(named):] {
		if _, ok := hashes[pe.Email]; ok {
			stale = append(stale, pe)
		}
	}
	newHashes := make(map[string]string, len(stale))
	err = parallel(ctx, stale, func(_ context.Context, pe person) error {
		h, err := hashPHC(password, argonParams)
		if err != nil {
			return err
		}
		mu.Lock()
		newHashes[pe.Email] = h
		mu.Unlock()
		return nil
	})
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	return d.Tx(ctx, func(tx *db.Tx) error {
		for email, h := range newHashes {
			var id string
			if err := db.Err(tx.QueryRow(ctx, `SELECT id FROM users WHERE program_id = ? AND email = ?`, programID, email).Scan(&id)); err != nil {
				return fmt.Errorf("demo: find account: %w", err)
			}
			if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, h, now, id); err != nil {
				return fmt.Errorf("demo: set password: %w", err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
				return fmt.Errorf("demo: end sessions: %w", err)
			}
			if err := audit.Record(ctx, tx, access.System(programID), audit.Event{Action: "user.password_set",
				SubjectType: "user", SubjectID: id, Detail: map[string]string{"reason": "demo start"}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// passwordHashes returns the stored password hashes of the program's
// accounts by email.
func passwordHashes(ctx context.Context, d *db.DB, programID string) (map[string]string, error) {
	rows, err := d.Query(ctx, `SELECT email, password_hash FROM users WHERE program_id = ?`, programID)
	if err != nil {
		return nil, fmt.Errorf("demo: read accounts: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var e, h string
		if err := rows.Scan(&e, &h); err != nil {
			return nil, fmt.Errorf("demo: read accounts: %w", err)
		}
		out[e] = h
	}
	return out, rows.Err()
}

// hashPHC hashes pw with argon2id and returns the PHC string.
func hashPHC(pw string, p auth.Argon2Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPHC reports whether pw matches the argon2id PHC string encoded.
// Anything unreadable does not match.
func checkPHC(pw, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false
	}
	var m, t, p uint64
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return false
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			p = n
		}
	}
	if m == 0 || m > 4<<20 || t == 0 || t > 64 || p == 0 || p > 255 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) < 16 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, uint32(t), uint32(m), uint8(p), uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
