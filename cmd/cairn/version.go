package main

import (
	"context"
	"fmt"
	"runtime"

	"github.com/cairn-recovery/cairn/internal/app"
)

// cmdVersion prints Cairn's version and the Go version it was built with.
func cmdVersion(_ context.Context, e *env, _ []string) int {
	fmt.Fprintf(e.stdout, "cairn %s (%s %s/%s)\n", app.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return exitOK
}
