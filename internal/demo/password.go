package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/auth"
)

// ensurePassword makes password work for the demo accounts that exist, so
// that the password printed at start-up always signs in. The named accounts
// are checked one by one (a hash each); when any of them had another
// password, every demo alumnus is given this one too. The account service
// ends the changed accounts' sessions and audits each change.
func ensurePassword(ctx context.Context, a *auth.Service, programID string, everyone []person, password string) error {
	sys := access.System(programID)
	changed := false
	for _, pe := range named {
		c, err := a.EnsurePassword(ctx, sys, pe.Email, password)
		if errors.Is(err, access.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo: set password of %s: %w", pe.Email, err)
		}
		changed = changed || c
	}
	if !changed {
		return nil
	}
	return parallel(ctx, everyone[len(named):], func(ctx context.Context, pe person) error {
		_, err := a.EnsurePassword(ctx, sys, pe.Email, password)
		if err != nil && !errors.Is(err, access.ErrNotFound) {
			return fmt.Errorf("demo: set password of %s: %w", pe.Email, err)
		}
		return nil
	})
}
