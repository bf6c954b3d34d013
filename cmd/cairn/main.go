// Command cairn runs Cairn, the self-hosted platform for the alumni program
// of an addiction-treatment center, and its maintenance tools. Run
// "cairn help" for the subcommands; every setting is a flag with a CAIRN_*
// environment twin.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command ran and failed
	exitUsage = 2 // bad configuration, flags or arguments
)

// command is one subcommand.
type command struct {
	name    string
	usage   string // arguments after the name
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

// commands lists the subcommands in the order help shows them.
var commands []command

func init() {
	commands = []command{
		{"serve", "[--demo] [flags]", "run the web server (with --demo: seed the demo program first)", cmdServe},
		{"migrate", "[flags]", "apply database migrations and exit", cmdMigrate},
		{"demo", "[flags]", "seed the demo program and print its accounts", cmdDemo},
		{"program create", "--name N --timezone TZ [--phone P] [--address A]", "create a program and print its id", cmdProgram},
		{"user create", "--email E --role R [--program P] [--first F --last L]", "create an account (password from CAIRN_USER_PASSWORD or generated)", cmdUser},
		{"import roster", "FILE --program P [--yes]", "preview a roster CSV import; with --yes, invite the new people", cmdImport},
		{"token create", "--email E [--name N]", "make a JSON API token for an account and print it once", cmdToken},
		{"audit verify", "[flags]", "check the audit log's hash chain", cmdAudit},
		{"backup", "--to FILE [flags]", "write a consistent copy of the SQLite database", cmdBackup},
		{"conversations rotate-key", "[--program P] [flags]", "make a new key for a program's messages and re-encrypt them", cmdConversations},
		{"version", "", "print the version", cmdVersion},
		{"help", "", "show this help", cmdHelp},
	}
}

// env is the process's outside world, so that tests run commands in-process.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
}

// fail prints one line "cairn: ..." to stderr and returns code.
func (e *env) fail(code int, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "cairn: "+format+"\n", args...)
	return code
}

// run runs the subcommand named by args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands {
		first, _, _ := cutSpace(c.name)
		if first == name {
			return c.run(ctx, e, args[1:])
		}
	}
	fmt.Fprintf(e.stderr, "cairn: unknown command %q\n", name)
	usage(e.stderr)
	return exitUsage
}

func cmdHelp(_ context.Context, e *env, _ []string) int {
	usage(e.stdout)
	return exitOK
}

// usage writes the list of subcommands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: cairn <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
		if c.usage != "" {
			fmt.Fprintf(w, "  %-15s   cairn %s %s\n", "", c.name, c.usage)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every flag has a CAIRN_* environment twin (e.g. --addr and CAIRN_ADDR);")
	fmt.Fprintln(w, "run \"cairn <command> -h\" to list them.")
}

func cutSpace(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
