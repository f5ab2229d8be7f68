// Command strider turns infrastructure-as-code into a threat model:
// Terraform, plans and CloudFormation are read into one graph, and rules
// mapped to STRIDE and MITRE ATT&CK report what can go wrong.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
)

// Exit codes are part of the interface; README documents them.
const (
	exitClean    = 0 // no finding at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitError    = 2 // some input could not be read or parsed, or bad usage
)

// exitError carries a process exit code up through cobra.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit %d", int(c)) }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cmd := newRootCmd(stdout, stderr)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	var c exitCode
	switch {
	case err == nil:
		return exitClean
	case errors.As(err, &c):
		return int(c)
	default:
		fmt.Fprintln(stderr, "strider:", err)
		return exitError
	}
}

func newLogger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}
