package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/audit"
	"github.com/strider-sec/strider/report"
)

type auditFlags struct {
	treeFlags
	format   string
	output   string
	progress bool
}

// progressThreshold is the number of roots above which a terminal gets a
// progress bar: below it the audit finishes before a bar would help.
const progressThreshold = 20

func newAuditCmd() *cobra.Command {
	var f auditFlags
	cmd := &cobra.Command{
		Use:   "audit PATH",
		Short: "Audit a landing zone: organization tree, guardrail matrix, cross-account trust and findings by account",
		Long: `Audit reads every Terraform root, plan and CloudFormation template under PATH as scan does,
attributes each to its AWS account (the provider's assume_role, StackSets that deploy a
template of the tree, and the accounts: conventions of .strider.yaml), joins them into one
organization graph and reports:

  - the organization tree and the accounts' roles (management, log-archive, security, network);
  - the guardrail matrix: the SCP status of each control per OU and account;
  - the cross-account trust map and the accounts each account can reach;
  - every finding, grouped by account.

The configuration is --config, else .strider.yaml in PATH, else at the repository root.

Exit codes: 0 the audit was written; 2 some input could not be read or parsed (the audit
of everything else is still written).`,
		Example: `  strider audit landing-zone --format html --output audit.html
  strider audit . --format json | jq '.guardrails[] | select(.status != "enforced")'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runAudit(cmd, args[0], f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "markdown", "output format: html, markdown or json")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of standard output")
	f.treeFlags.register(fl)
	fl.BoolVar(&f.progress, "progress", true, "show a progress bar on standard error when it is a terminal and the tree is large")
	return cmd
}

func runAudit(cmd *cobra.Command, path string, f auditFlags) error {
	switch f.format {
	case "html", "markdown", "json":
	default:
		return usageError(cmd, fmt.Errorf("unknown --format %q (want html, markdown or json)", f.format))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return usageError(cmd, err)
	}
	if !st.IsDir() {
		return usageError(cmd, fmt.Errorf("%s is not a directory: audit reads a landing-zone tree", path))
	}
	if _, ok := findRepoRoot(abs); !ok && f.repoRoot == "" {
		// A landing zone outside any repository is its own root.
		f.repoRoot = abs
	}
	var o treeOptions
	var bar *progressbar.ProgressBar
	if f.progress && isTerminalWriter(cmd.ErrOrStderr()) {
		o.progress = func(done, total int) {
			if total < progressThreshold {
				return
			}
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(cmd.ErrOrStderr()),
					progressbar.OptionSetDescription("reading roots"), progressbar.OptionShowCount(),
					progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
			}
			_ = bar.Set(done)
			if done == total {
				// Cleared before the problems of the scan are printed.
				_ = bar.Finish()
			}
		}
	}
	t, err := readTree(cmd, []string{abs}, f.treeFlags, o)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	defer t.Close()
	res, cfg := t.res, t.cfg
	// Suppressed findings are risks someone accepted: the audit shows
	// what is left.
	findings := t.unsuppressed()
	var deps []audit.Deployment
	for _, d := range res.Deployments {
		deps = append(deps, audit.Deployment{Source: d.Source, Template: d.Template, Accounts: d.Accounts, OUs: d.OUs})
	}
	rep := audit.Build(res.Graph, audit.Options{Accounts: cfg.declared(), Findings: findings, Deployments: deps})
	in := report.AuditInput{Audit: rep, Inputs: res.Inputs, Tool: report.Tool{Name: "strider", Version: toolVersion(), InformationURI: informationURI}}
	buf := newReportOutput(cmd, f.output)
	switch f.format {
	case "html":
		err = report.WriteAuditHTML(buf, in)
	case "json":
		err = report.WriteAuditJSON(buf, in)
	default:
		err = report.WriteAuditMarkdown(buf, in)
	}
	return t.finish(buf, err)
}

// isTerminalWriter reports whether w is a terminal: the progress bar
// redraws one line with carriage returns, which a log file or a pipe
// would keep as noise.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}
