package auth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"

	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// The second factor: TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, as
// every authenticator app expects), accepted one step either side of now;
// a step once used (or any older one) is refused, so an observed code
// cannot be replayed. Ten single-use recovery codes stand in for a lost
// phone.
const (
	totpIssuer = "Cairn"
	totpPeriod = 30
	totpSkew   = 1
	// RecoveryCodeCount is how many recovery codes enrolment hands out.
	RecoveryCodeCount = 10
	// recoveryAlphabet is the lower-case base32 alphabet of RFC 4648.
	recoveryAlphabet = "abcdefghijklmnopqrstuvwxyz234567"
)

var hotpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// sealSecret encrypts a TOTP secret with AES-256-GCM, bound to the user id.
func (s *Service) sealSecret(userID, secret string) (string, error) {
	block, err := aes.NewCipher(s.totpKey[:])
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := gcm.Seal(nonce, nonce, []byte(secret), []byte(userID))
	return "v1:" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// openSecret decrypts a sealed TOTP secret.
func (s *Service) openSecret(userID, sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, "v1:")
	if !ok {
		return "", errors.New("auth: unknown TOTP secret format")
	}
	b, err := base64.RawStdEncoding.DecodeString(rest)
	if err != nil {
		return "", errors.New("auth: unreadable TOTP secret")
	}
	block, err := aes.NewCipher(s.totpKey[:])
	if err != nil {
		return "", err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return "", err
	}
	if len(b) < gcm.NonceSize() {
		return "", errors.New("auth: unreadable TOTP secret")
	}
	plain, err := gcm.Open(nil, b[:gcm.NonceSize()], b[gcm.NonceSize():], []byte(userID))
	if err != nil {
		return "", errors.New("auth: TOTP secret does not open (secret key changed?)")
	}
	return string(plain), nil
}

// matchTOTP returns the time step that code matches within the skew and is
// newer than lastStep, or 0.
func matchTOTP(secret, code string, now time.Time, lastStep int64) int64 {
	if len(code) != 6 {
		return 0
	}
	cur := now.Unix() / totpPeriod
	var found int64
	for step := cur - totpSkew; step <= cur+totpSkew; step++ {
		if step <= 0 {
			continue
		}
		want, err := hotp.GenerateCodeCustom(secret, uint64(step), hotpOpts)
		if err != nil {
			return 0
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && step > lastStep {
			found = step
		}
	}
	return found
}

// cleanCode removes spaces and hyphens and lower-cases what people type.
func cleanCode(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	if len(code) > 64 {
		return ""
	}
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, code)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// newRecoveryCodes returns RecoveryCodeCount codes shaped xxxx-xxxx-xx.
func newRecoveryCodes() []string {
	codes := make([]string, RecoveryCodeCount)
	b := make([]byte, 10)
	for i := range codes {
		if _, err := rand.Read(b); err != nil {
			panic("auth: no randomness: " + err.Error())
		}
		var c [10]byte
		for j := range c {
			c[j] = recoveryAlphabet[b[j]&31]
		}
		codes[i] = string(c[:4]) + "-" + string(c[4:8]) + "-" + string(c[8:])
	}
	return codes
}

// hashRecoveryCode is what is stored of a (cleaned) recovery code.
func hashRecoveryCode(clean string) string {
	sum := sha256.Sum256([]byte(clean))
	return hex.EncodeToString(sum[:])
}

// VerifySecondFactor completes a sign-in at StageSecondFactor with a
// 6-digit TOTP code or an unused recovery code. On success the session
// becomes full under a new token (the old one stops working). A wrong code
// gives a *FieldError on "code" and counts toward the throttle; too many
// give *ThrottledError. Audited as "totp.verify.failure" or
// "recovery_code.use".
func (s *Service) VerifySecondFactor(ctx context.Context, token, code, requestID string) (string, error) {
	x, u, hash, err := s.session(ctx, s.db, token)
	if err != nil {
		return "", err
	}
	if x.Stage != StageSecondFactor {
		return "", ErrNoSession
	}
	now := s.now()
	key := s.mac("totp:" + u.ID)
	if err := s.checkKey(ctx, key, now); err != nil {
		return "", err
	}
	code = cleanCode(code)
	var newToken string
	ok := false
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		var sealed string
		var last int64
		if err := db.Err(tx.QueryRow(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = ? AND totp_enabled_at IS NOT NULL`, u.ID).
			Scan(&sealed, &last)); err != nil {
			return err
		}
		actor := u.Actor(requestID)
		if isDigits(code) {
			secret, err := s.openSecret(u.ID, sealed)
			if err != nil {
				return err
			}
			if step := matchTOTP(secret, code, now, last); step > 0 {
				res, err := tx.Exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, u.ID, step)
				if err != nil {
					return err
				}
				ok = rowsAffected(res) == 1
			}
		} else if len(code) == 10 {
			res, err := tx.Exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
				now, u.ID, hashRecoveryCode(code))
			if err != nil {
				return err
			}
			if ok = rowsAffected(res) == 1; ok {
				var left int
				if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, u.ID).Scan(&left); err != nil {
					return db.Err(err)
				}
				if err := audit.Record(ctx, tx, actor, audit.Event{Action: "recovery_code.use", SubjectType: "user", SubjectID: u.ID,
					Detail: map[string]string{"left": itoa(left)}}); err != nil {
					return err
				}
			}
		}
		if !ok {
			if err := s.recordFailure(ctx, tx, key, accountFreeFailures, now); err != nil {
				return err
			}
			return audit.Record(ctx, tx, actor, audit.Event{Action: "totp.verify.failure", SubjectType: "user", SubjectID: u.ID})
		}
		if err := clearThrottle(ctx, tx, key); err != nil {
			return err
		}
		var err error
		newToken, err = s.rotate(ctx, tx, hash, x, u, StageFull)
		return err
	})
	if err != nil {
		return "", err
	}
	if !ok {
		return "", &FieldError{"code", "That code did not work. Enter the 6-digit code from your app, or a recovery code."}
	}
	return newToken, nil
}

// BeginEnrollment starts second-factor setup for a session at StageEnroll:
// it makes a new TOTP secret, stores it encrypted as pending, and returns
// it with its otpauth:// URL (for a QR code). Calling it again replaces the
// pending secret.
func (s *Service) BeginEnrollment(ctx context.Context, token string) (secret, otpauthURL string, err error) {
	x, u, _, err := s.session(ctx, s.db, token)
	if err != nil {
		return "", "", err
	}
	if x.Stage != StageEnroll {
		return "", "", ErrNoSession
	}
	// A secret already waiting for its first code is shown again, so that
	// a reload or a mistyped code does not orphan the key the person has
	// already added to their app.
	var pending string
	if err := db.Err(s.db.QueryRow(ctx, `SELECT totp_secret FROM users WHERE id = ? AND totp_enabled_at IS NULL`, u.ID).Scan(&pending)); err != nil {
		return "", "", err
	}
	if pending != "" {
		if secret, err := s.openSecret(u.ID, pending); err == nil {
			return secret, otpURL(u.Email, secret), nil
		}
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	sealed, err := s.sealSecret(u.ID, key.Secret())
	if err != nil {
		return "", "", err
	}
	res, err := s.db.Exec(ctx, `UPDATE users SET totp_secret = ?, updated_at = ? WHERE id = ? AND totp_enabled_at IS NULL`,
		sealed, s.now(), u.ID)
	if err != nil {
		return "", "", err
	}
	if rowsAffected(res) != 1 {
		return "", "", ErrNoSession
	}
	return key.Secret(), key.URL(), nil
}

// CompleteEnrollment checks a code from the pending secret, turns the
// second factor on, and returns a new token for a full session and ten
// recovery codes (shown once; only their hashes are stored). A wrong code
// gives a *FieldError on "code". Audited as "totp.enrol".
func (s *Service) CompleteEnrollment(ctx context.Context, token, code, requestID string) (string, []string, error) {
	x, u, hash, err := s.session(ctx, s.db, token)
	if err != nil {
		return "", nil, err
	}
	if x.Stage != StageEnroll {
		return "", nil, ErrNoSession
	}
	now := s.now()
	key := s.mac("totp:" + u.ID)
	if err := s.checkKey(ctx, key, now); err != nil {
		return "", nil, err
	}
	code = cleanCode(code)
	var (
		newToken string
		codes    []string
		ok       bool
	)
	err = s.db.Tx(ctx, func(tx *db.Tx) error {
		var sealed string
		if err := db.Err(tx.QueryRow(ctx, `SELECT totp_secret FROM users WHERE id = ? AND totp_enabled_at IS NULL`, u.ID).Scan(&sealed)); err != nil {
			return err
		}
		if sealed == "" {
			return ErrNoSession
		}
		secret, err := s.openSecret(u.ID, sealed)
		if err != nil {
			return err
		}
		step := matchTOTP(secret, code, now, 0)
		if step == 0 {
			if err := s.recordFailure(ctx, tx, key, accountFreeFailures, now); err != nil {
				return err
			}
			return audit.Record(ctx, tx, u.Actor(requestID), audit.Event{Action: "totp.verify.failure", SubjectType: "user", SubjectID: u.ID,
				Detail: map[string]string{"during": "enrolment"}})
		}
		ok = true
		if _, err := tx.Exec(ctx, `UPDATE users SET totp_enabled_at = ?, totp_last_step = ?, updated_at = ? WHERE id = ?`,
			now, step, now, u.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		codes = newRecoveryCodes()
		for _, c := range codes {
			if _, err := tx.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)`,
				u.ID, hashRecoveryCode(cleanCode(c)), now); err != nil {
				return err
			}
		}
		if err := clearThrottle(ctx, tx, key); err != nil {
			return err
		}
		u.TOTPEnabled = true
		if newToken, err = s.rotate(ctx, tx, hash, x, u, StageFull); err != nil {
			return err
		}
		return audit.Record(ctx, tx, u.Actor(requestID), audit.Event{Action: "totp.enrol", SubjectType: "user", SubjectID: u.ID})
	})
	if err != nil {
		return "", nil, err
	}
	if !ok {
		return "", nil, &FieldError{"code", "That code did not work. Check the time on your phone and enter the newest 6-digit code."}
	}
	return newToken, codes, nil
}

// otpURL is the otpauth:// link that adds secret to an authenticator app,
// with the parameters every new key is generated with.
func otpURL(account, secret string) string {
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", totpIssuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", "6")
	q.Set("period", strconv.Itoa(int(totpPeriod)))
	return (&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + totpIssuer + ":" + account, RawQuery: q.Encode()}).String()
}
