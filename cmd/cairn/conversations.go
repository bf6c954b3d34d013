package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/cairn-recovery/cairn/internal/peers/conversations"
)

// cmdConversations handles "conversations rotate-key [--program P]": it
// makes a new data key for the program's messages and re-encrypts the
// older messages under it, printing how many.
func cmdConversations(ctx context.Context, e *env, args []string) int {
	const synopsis = "rotate-key [--program P] [flags]"
	if len(args) == 0 || args[0] != "rotate-key" {
		return e.fail(exitUsage, "usage: cairn conversations %s", synopsis)
	}
	var program string
	cfg, rest, code, ok := parseConfig(e, "conversations rotate-key", "[--program P] [flags]", args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&program, "program", "", "id or name of the program; may be left out when there is only one")
	})
	if !ok {
		return code
	}
	if code, ok := noArgs(e, "conversations rotate-key", rest); !ok {
		return code
	}
	a, code, ok := openStore(ctx, e, cfg)
	if !ok {
		return code
	}
	defer a.Close()
	p, err := pickProgram(ctx, a.DB, program)
	if err != nil {
		return e.fail(exitUsage, "conversations rotate-key: %v", err)
	}
	n, err := conversations.RotateKey(ctx, a.DB, p.ID)
	if err != nil {
		return e.fail(exitError, "conversations rotate-key: %v (%d messages re-encrypted)", err, n)
	}
	fmt.Fprintf(e.stdout, "ok: new key, %d messages re-encrypted\n", n)
	return exitOK
}
