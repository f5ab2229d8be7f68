package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/report"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

type scanFlags struct {
	treeFlags
	format      string
	output      string
	failOn      string
	noColor     bool
	category    string
	baseline    string
	changedOnly bool
	source      string
}

func newScanCmd() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Scan Terraform, plan JSON and CloudFormation under the given paths",
		Long: `Scan walks each PATH (default ".") and reads every Terraform root module, Terraform plan
in JSON (terraform show -json) and CloudFormation template it finds, skipping .git,
.terraform and node_modules. A file named directly is read as the kind it is.

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 some input could not be
read or parsed (everything else is still reported).`,
		Example: `  strider scan examples/terraform
  strider scan --format sarif --output strider.sarif .
  terraform show -json plan.out > plan.json && strider scan --fail-on high plan.json`,
		RunE: func(cmd *cobra.Command, args []string) error { return runScan(cmd, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table, json, sarif or markdown")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", "low", "lowest severity that makes the exit code 1: low, medium, high or critical")
	fl.BoolVar(&f.noColor, "no-color", false, "never color the table (NO_COLOR is honoured too)")
	fl.StringVar(&f.category, "category", "", "SARIF analysis category (automationDetails.id); default strider/<input kinds>")
	fl.StringVar(&f.baseline, "baseline", "", "earlier SARIF or JSON report: report only findings not in it")
	fl.BoolVar(&f.changedOnly, "changed-only", false, "on plans, report only resources the plan creates, updates or replaces")
	f.treeFlags.register(fl)
	fl.StringVar(&f.source, "source", "", "directory of the Terraform configuration of the plans scanned (default: beside each plan), for findings on .tf lines")
	return cmd
}

func runScan(cmd *cobra.Command, args []string, f scanFlags) error {
	log := newLogger(cmd.ErrOrStderr(), f.verbose)
	failOn, err := rules.ParseSeverity(f.failOn)
	if err != nil {
		return usageError(cmd, err)
	}
	switch f.format {
	case "table", "json", "sarif", "markdown":
	default:
		return usageError(cmd, fmt.Errorf("unknown --format %q (want table, json, sarif or markdown)", f.format))
	}
	var known baseline
	if f.baseline != "" {
		if known, err = loadBaseline(f.baseline); err != nil {
			return usageError(cmd, err)
		}
	}
	t, err := readTree(cmd, args, f.treeFlags, treeOptions{source: f.source, baseline: known, changedOnly: f.changedOnly})
	if err != nil {
		return err
	}
	defer t.Close()
	res, post, rootFS := t.res, t.post, t.root
	log.Debug("scanned", "inputs", len(res.Inputs), "resources", len(res.Graph.Resources), "findings", len(res.Findings))

	// Only the markdown report draws the graph; the other formats need no
	// more than the findings, and the graph's indexes, edges and access
	// tables of a large tree can go before the report takes its memory.
	if f.format != "markdown" {
		res.Graph = nil
	}

	category := f.category
	if category == "" {
		category = defaultCategory(res.Kinds)
	}
	in := &report.Input{
		Tool:        report.Tool{Name: "strider", Version: toolVersion(), InformationURI: informationURI},
		Rules:       res.Rules,
		Findings:    post.findings,
		States:      post.states,
		Diagnostics: res.Diagnostics,
		Errors:      res.Errors,
		SrcRoot:     res.BaseDir,
		Inputs:      res.Inputs,
		ReadFile:    func(name string) ([]byte, error) { return fs.ReadFile(rootFS.FS(), name) },
		Category:    category,
		Notes:       post.notes,
	}
	buf := newReportOutput(cmd, f.output)
	switch f.format {
	case "json":
		err = report.WriteJSON(buf, in)
	case "sarif":
		err = report.WriteSARIF(buf, in)
	case "markdown":
		err = report.WriteMarkdown(buf, withoutSuppressed(in), report.MarkdownOptions{Graph: res.Graph, LinkBase: githubBlobBase()})
	default:
		in = withoutSuppressed(in)
		color := f.output == "" && !f.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(os.Stdout)
		err = report.WriteTable(buf, in, report.TableOptions{Color: color, Width: terminalWidth()})
	}
	if err := buf.close(err); err != nil {
		return err
	}

	if !in.Successful() {
		return exitCode(exitError)
	}
	for i, fd := range post.findings {
		if fd.EffectiveSeverity() >= failOn && len(post.states[i].Suppressions) == 0 {
			return exitCode(exitFindings)
		}
	}
	return nil
}

// repoRootFor is the directory file names are relative to: the flag's,
// else the repository of the first path scanned (as GitHub wants them,
// even when Strider runs from elsewhere), else the current directory.
func repoRootFor(args []string, flag string) (string, error) {
	root := flag
	if root == "" {
		from := "."
		if len(args) > 0 {
			from = args[0]
		}
		from, err := filepath.Abs(from)
		if err != nil {
			return "", err
		}
		if st, err := os.Stat(from); err == nil && !st.IsDir() {
			from = filepath.Dir(from)
		}
		var ok bool
		if root, ok = findRepoRoot(from); !ok {
			root = "." // not in a repository: the current directory, as before
		}
	}
	return filepath.Abs(root)
}

// parseVars reads --var NAME=VALUE flags.
func parseVars(flags []string) (map[string]string, error) {
	vars := map[string]string{}
	for _, v := range flags {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--var %q is not NAME=VALUE", v)
		}
		vars[name] = value
	}
	return vars, nil
}

// printProblems writes errors to stderr whatever the format, so a broken
// file is never only inside a report nobody opens; warnings (a value that
// could not be evaluated) are in every report, and on stderr with
// --verbose. It reports whether anything could not be scanned.
func printProblems(cmd *cobra.Command, res *scan.Result, verbose bool) (failed bool) {
	for _, d := range res.Diagnostics {
		failed = failed || d.Severity == graph.Error
		if d.Severity == graph.Error || verbose {
			fmt.Fprintln(cmd.ErrOrStderr(), d)
		}
	}
	for _, e := range res.Errors {
		fmt.Fprintln(cmd.ErrOrStderr(), "error:", e)
	}
	return failed || len(res.Errors) > 0
}

func usageError(cmd *cobra.Command, err error) error {
	fmt.Fprintln(cmd.ErrOrStderr(), "strider:", err)
	return exitCode(exitError)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// terminalWidth reads COLUMNS; without it the table does not wrap.
func terminalWidth() int {
	var w int
	if _, err := fmt.Sscan(os.Getenv("COLUMNS"), &w); err != nil || w < 40 {
		return 0
	}
	return w
}
