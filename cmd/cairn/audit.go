package main

import (
	"context"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/audit"
)

// cmdAudit handles "audit verify": exit 0 when the whole chain is intact,
// 1 naming the first broken entry otherwise.
func cmdAudit(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "verify" {
		return e.fail(exitUsage, "usage: cairn audit verify [flags]")
	}
	cfg, rest, code, ok := parseConfig(e, "audit verify", "[flags]", args[1:], nil)
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "audit verify", rest); !ok {
		return code
	}
	d, code, ok := openExisting(ctx, e, cfg)
	if !ok {
		return code
	}
	defer d.Close()
	n, err := audit.Verify(ctx, d)
	if err != nil {
		// A *audit.Broken names the first entry that fails.
		return e.fail(exitError, "audit verify: %v", err)
	}
	fmt.Fprintf(e.stdout, "ok %d entries\n", n)
	return exitOK
}
