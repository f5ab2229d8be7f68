package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/strider-sec/strider/graph"
	"github.com/strider-sec/strider/report"
	"github.com/strider-sec/strider/rules"
	"github.com/strider-sec/strider/scan"
)

type scanFlags struct {
	format   string
	output   string
	failOn   string
	vars     []string
	varFiles []string
	noColor  bool
	verbose  bool
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
	fl.StringVarP(&f.format, "format", "f", "table", "output format: table, json or sarif")
	fl.StringVarP(&f.output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVar(&f.failOn, "fail-on", "low", "lowest severity that makes the exit code 1: low, medium, high or critical")
	fl.StringArrayVar(&f.vars, "var", nil, "set a Terraform root variable, NAME=VALUE (repeatable; wins over files)")
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "read Terraform root variables from this file, after the automatic ones (repeatable)")
	fl.BoolVar(&f.noColor, "no-color", false, "never color the table (NO_COLOR is honoured too)")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "log progress on standard error")
	return cmd
}

func runScan(cmd *cobra.Command, args []string, f scanFlags) error {
	log := newLogger(cmd.ErrOrStderr(), f.verbose)
	failOn, err := rules.ParseSeverity(f.failOn)
	if err != nil {
		return usageError(cmd, err)
	}
	switch f.format {
	case "table", "json", "sarif":
	default:
		return usageError(cmd, fmt.Errorf("unknown --format %q (want table, json or sarif)", f.format))
	}
	vars := map[string]string{}
	for _, v := range f.vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return usageError(cmd, fmt.Errorf("--var %q is not NAME=VALUE", v))
		}
		vars[name] = value
	}

	res, err := scan.Run(cmd.Context(), scan.Options{Paths: args, Vars: vars, VarFiles: f.varFiles})
	if err != nil {
		return err
	}
	log.Debug("scanned", "inputs", len(res.Inputs), "resources", len(res.Graph.Resources), "findings", len(res.Findings))

	// Errors go to stderr whatever the format, so a broken file is never
	// only inside a report nobody opens; warnings (a value that could not
	// be evaluated) are in every report, and on stderr with --verbose.
	for _, d := range res.Diagnostics {
		if d.Severity == graph.Error || f.verbose {
			fmt.Fprintln(cmd.ErrOrStderr(), d)
		}
	}
	for _, e := range res.Errors {
		fmt.Fprintln(cmd.ErrOrStderr(), "error:", e)
	}

	in := &report.Input{
		Tool:        report.Tool{Name: "strider", Version: toolVersion(), InformationURI: informationURI},
		Rules:       res.Rules,
		Findings:    res.Findings,
		Diagnostics: res.Diagnostics,
		Errors:      res.Errors,
		SrcRoot:     res.BaseDir,
		Inputs:      res.Inputs,
	}
	var buf bytes.Buffer
	switch f.format {
	case "json":
		err = report.WriteJSON(&buf, in)
	case "sarif":
		err = report.WriteSARIF(&buf, in)
	default:
		color := f.output == "" && !f.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(os.Stdout)
		err = report.WriteTable(&buf, in, report.TableOptions{Color: color, Width: terminalWidth()})
	}
	if err != nil {
		return err
	}
	if f.output == "" {
		if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := os.WriteFile(f.output, buf.Bytes(), 0o644); err != nil {
		return err
	}

	if !in.Successful() {
		return exitCode(exitError)
	}
	for _, fd := range res.Findings {
		if fd.Severity() >= failOn {
			return exitCode(exitFindings)
		}
	}
	return nil
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
