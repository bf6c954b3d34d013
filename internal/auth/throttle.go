package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Sign-in throttling.
//
// Three counters of recent failures are kept in signin_throttle, shared by
// every instance. Their keys are HMACs under the secret key, so the table
// holds no email or address:
//
//   - the pair key HMAC("pair:" + email + "\n" + address) counts failures
//     of one address on one account;
//   - the account key HMAC("email:" + email) counts failures on the
//     account from any address;
//   - the address key HMAC("addr:" + address) counts failures from one
//     address on any account.
//
// Each counter allows a few free failures, then blocks for a delay that
// doubles with every further failure (1s, 2s, 4s, …) up to maxDelay. A
// counter forgets its failures after a quiet window.
//
// An attacker must not be able to lock the real person out of their
// account. So the account counter only blocks addresses that have failed on
// this account themselves (their pair counter is not zero): a person
// signing in from an address that has not failed recently gets through,
// however hard the account is being attacked from elsewhere. A distributed
// attack still gets one guess per fresh address and is then slowed by the
// account counter; a single address is slowed by its pair and address
// counters. No delay exceeds maxDelay, so nothing is locked for good.
//
// A successful sign-in clears the pair and account counters. The address
// counter is not cleared by success (an attacker could otherwise clear it
// by signing in to an account of their own); it decays with the window,
// and it tolerates more failures, since many people may share an address.
const (
	accountFreeFailures = 5
	addressFreeFailures = 20
	firstDelay          = time.Second
	maxDelay            = 15 * time.Minute
	throttleWindow      = time.Hour
)

type throttleRow struct {
	failures     int
	lastFailure  time.Time
	blockedUntil time.Time
}

// throttleKeys are the hashed counters of one sign-in attempt.
type throttleKeys struct {
	pair, account, address string
}

func (s *Service) throttleKeys(email, addr string) throttleKeys {
	email = normalizeEmail(email)
	addr = strings.TrimSpace(addr)
	return throttleKeys{
		pair:    s.mac("pair:" + email + "\n" + addr),
		account: s.mac("email:" + email),
		address: s.mac("addr:" + addr),
	}
}

// loadThrottle returns the counter of key; a missing or stale row counts as
// no failures.
func (s *Service) loadThrottle(ctx context.Context, q db.Querier, key string, now time.Time) (throttleRow, error) {
	var r throttleRow
	err := db.Err(q.QueryRow(ctx, `SELECT failures, last_failure, blocked_until FROM signin_throttle WHERE key = ?`, key).
		Scan(&r.failures, &r.lastFailure, &r.blockedUntil))
	if errors.Is(err, db.ErrNotFound) {
		return throttleRow{}, nil
	}
	if err != nil {
		return throttleRow{}, err
	}
	if now.Sub(r.lastFailure) > throttleWindow && !now.Before(r.blockedUntil) {
		return throttleRow{}, nil
	}
	return r, nil
}

// checkSignIn returns a *ThrottledError when the attempt must wait.
func (s *Service) checkSignIn(ctx context.Context, k throttleKeys, now time.Time) error {
	pair, err := s.loadThrottle(ctx, s.db, k.pair, now)
	if err != nil {
		return err
	}
	account, err := s.loadThrottle(ctx, s.db, k.account, now)
	if err != nil {
		return err
	}
	address, err := s.loadThrottle(ctx, s.db, k.address, now)
	if err != nil {
		return err
	}
	until := pair.blockedUntil
	if pair.failures > 0 && account.blockedUntil.After(until) {
		until = account.blockedUntil
	}
	if address.blockedUntil.After(until) {
		until = address.blockedUntil
	}
	if until.After(now) {
		return &ThrottledError{RetryAfter: until.Sub(now)}
	}
	return nil
}

// checkKey returns a *ThrottledError when the single counter key blocks.
func (s *Service) checkKey(ctx context.Context, key string, now time.Time) error {
	r, err := s.loadThrottle(ctx, s.db, key, now)
	if err != nil {
		return err
	}
	if r.blockedUntil.After(now) {
		return &ThrottledError{RetryAfter: r.blockedUntil.Sub(now)}
	}
	return nil
}

// throttleDelay is the block after the n-th failure, with free failures.
func throttleDelay(n, free int) time.Duration {
	if n < free {
		return 0
	}
	d := firstDelay
	for i := free; i < n; i++ {
		d *= 2
		if d >= maxDelay {
			return maxDelay
		}
	}
	return d
}

// recordFailure counts one failure on key inside q. The row is created
// first with ON CONFLICT DO NOTHING (the same on both engines), so that two
// instances failing at once do not abort each other's transactions.
func (s *Service) recordFailure(ctx context.Context, q db.Querier, key string, free int, now time.Time) error {
	if _, err := q.Exec(ctx, `INSERT INTO signin_throttle (key, failures, last_failure, blocked_until) VALUES (?, 0, ?, ?)
		ON CONFLICT (key) DO NOTHING`, key, now, now); err != nil {
		return err
	}
	r, err := s.loadThrottle(ctx, q, key, now)
	if err != nil {
		return err
	}
	n := r.failures + 1
	_, err = q.Exec(ctx, `UPDATE signin_throttle SET failures = ?, last_failure = ?, blocked_until = ? WHERE key = ?`,
		n, now, now.Add(throttleDelay(n, free)), key)
	return err
}

// clearThrottle forgets the failures of keys.
func clearThrottle(ctx context.Context, q db.Querier, keys ...string) error {
	for _, k := range keys {
		if _, err := q.Exec(ctx, `DELETE FROM signin_throttle WHERE key = ?`, k); err != nil {
			return err
		}
	}
	return nil
}
