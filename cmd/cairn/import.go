package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/members"
)

// cmdImport handles "import roster FILE --program P [--yes]": it prints the
// preview of a roster import and imports only with --yes. A file with
// problems prints them, one per line, and exits 1 without importing.
func cmdImport(ctx context.Context, e *env, args []string) int {
	const synopsis = "FILE --program P [--yes]"
	if len(args) == 0 || args[0] != "roster" {
		return e.fail(exitUsage, "usage: cairn import roster %s", synopsis)
	}
	args = args[1:]
	// The file may come before or after the flags.
	var file string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		file, args = args[0], args[1:]
	}
	var program string
	var yes bool
	cfg, rest, code, ok := parseConfig(e, "import roster", synopsis, args, func(fs *flag.FlagSet) {
		fs.StringVar(&program, "program", "", "id or name of the program; may be left out when there is only one")
		fs.BoolVar(&yes, "yes", false, "import after the preview (without it, only the preview is printed)")
	})
	if !ok {
		return code
	}
	if file == "" && len(rest) > 0 {
		file, rest = rest[0], rest[1:]
	}
	if code, ok := noArgs(e, "import roster", rest); !ok {
		return code
	}
	if file == "" {
		return e.fail(exitUsage, "import roster: name the CSV file: cairn import roster %s", synopsis)
	}
	data, err := readCapped(file, members.MaxRosterBytes)
	if err != nil {
		return e.fail(exitUsage, "import roster: %v", err)
	}
	a, code, ok := openStore(ctx, e, cfg)
	if !ok {
		return code
	}
	defer a.Close()
	p, err := pickProgram(ctx, a.DB, program)
	if err != nil {
		return e.fail(exitUsage, "import roster: %v", err)
	}
	actor := access.System(p.ID)
	plan, err := members.PlanRoster(ctx, a.DB, actor, data, time.Now())
	if err != nil {
		return e.fail(exitError, "import roster: %v", err)
	}
	printRosterPlan(e.stdout, plan)
	if len(plan.Issues) > 0 {
		for _, is := range plan.Issues {
			fmt.Fprintf(e.stderr, "cairn: import roster: %s\n", is.Error())
		}
		fmt.Fprintf(e.stderr, "cairn: import roster: %d problem(s); nothing was imported\n", len(plan.Issues))
		return exitError
	}
	if !yes {
		fmt.Fprintf(e.stdout, "Preview only: run again with --yes to invite %d new people into %s.\n", plan.New, p.Name)
		return exitOK
	}
	plan, err = members.ImportRoster(ctx, a.DB, a.Auth, actor, data, time.Now())
	if errors.Is(err, members.ErrRosterInvalid) {
		for _, is := range plan.Issues {
			fmt.Fprintf(e.stderr, "cairn: import roster: %s\n", is.Error())
		}
		return e.fail(exitError, "import roster: the file has problems; nothing was imported")
	}
	if err != nil {
		return e.fail(exitError, "import roster: %v", err)
	}
	fmt.Fprintf(e.stdout, "Imported into %s: %d invited, %d already here (unchanged).\n", p.Name, plan.New, plan.Existing)
	return exitOK
}

// printRosterPlan writes the preview: one line per row, then the counts.
// It shows row numbers, statuses and emails, never other personal fields.
func printRosterPlan(w io.Writer, plan *members.RosterPlan) {
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tSTATUS\tEMAIL")
	for _, r := range plan.Rows {
		fmt.Fprintf(tw, "%d\t%s\t%s\n", r.Row, r.Status, r.Email)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "%d new, %d already here, %d problem(s)\n", plan.New, plan.Existing, len(plan.Issues))
}

// readCapped reads a file of at most limit bytes.
func readCapped(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot open the file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read the file: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("the file is larger than %d MiB; split it into smaller files", limit>>20)
	}
	return data, nil
}
